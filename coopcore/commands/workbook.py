"""`coop template`, `coop import`, `coop export`: the accountants' workbook (issue #3)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn
from rich.table import Table

from coopcore.commands.base import CREDIT_CODE, EXIT_USER_ERROR, Context, pass_context
from coopcore.i18n import LANGS, Lang, format_money, render
from coopcore.rules.findings import Finding
from coopcore.services import imports
from coopcore.services.access import ADMINISTRATOR
from coopcore.services.village_import import VillageImportReport
from coopcore.services.village_workbook import VILLAGE_SHEETS
from coopcore.services.workbook.report import ImportReport
from coopcore.services.workbook.schema import SHEETS

BIG = 5000  # rows: smaller sheets go by too fast for a progress bar
STAGES = {"read": "Reading {sheet}", "write": "Writing {sheet}"}
LANG_OPTION = click.option(
    "--lang", "lang", type=click.Choice(LANGS), help="Language of sheet names and headers (default: coop --lang)."
)


@click.command("template")
@click.argument("path", metavar="FILE.xlsx", type=click.Path(dir_okay=False, path_type=Path))
@LANG_OPTION
@pass_context
def template(context: Context, path: Path, lang: Lang | None) -> None:
    """Write an empty workbook to fill in: every sheet, notes on each column, drop-down lists, example rows."""
    imports.write_template(path, lang or context.lang)
    context.say("Template written: {path}", path=str(path))


@click.command("export")
@click.option("--coop", "credit_code", required=True, type=CREDIT_CODE, help="The cooperative to export.")
@click.argument("path", metavar="FILE.xlsx", type=click.Path(dir_okay=False, path_type=Path))
@LANG_OPTION
@pass_context
def export(context: Context, credit_code: str, path: Path, lang: Lang | None) -> None:
    """Write a cooperative's data as an import workbook (export, edit, import again)."""
    with context.transaction() as session:
        imports.export_workbook(session, credit_code, path, lang=lang or context.lang)
    context.say("Exported {credit_code} to {path}", credit_code=credit_code, path=str(path))


@click.command("import")
@click.argument("path", metavar="FILE.xlsx", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check everything and report; write nothing.")
@click.option("--quiet", is_flag=True, help="No progress display.")
@pass_context
def import_command(context: Context, path: Path, dry_run: bool, quiet: bool) -> None:
    """Check a workbook, report every problem at once, and write it in one transaction if nothing blocks."""
    context.upgrade()  # like `coop init`: the schema, never data, so a dry run may run it too
    errors = Console(stderr=True)
    display = ProgressDisplay(errors, context.lang, enabled=not quiet)
    with display, context.transaction() as session:
        # The person at the server's shell owns the database: the command imports as the administrator.
        report = imports.import_workbook(
            session, path, dry_run=dry_run, lang=context.lang, progress=display.update, actor=ADMINISTRATOR
        )
    _print_report(context, report)
    if report.blocking:
        sys.exit(EXIT_USER_ERROR)


class ProgressDisplay:
    """A rich progress bar per big sheet on a terminal; elsewhere one line as each big sheet starts."""

    def __init__(self, console: Console, lang: Lang, *, enabled: bool) -> None:
        self.console, self.lang, self.enabled = console, lang, enabled
        self.bar = Progress(
            TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=console
        )
        self.tasks: dict[tuple[str, str], TaskID] = {}

    def __enter__(self) -> ProgressDisplay:
        if self.enabled and self.console.is_terminal:
            self.bar.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.bar.stop()

    def update(self, stage: str, sheet_key: str, done: int, total: int) -> None:
        if not self.enabled or total < BIG:
            return
        key = (stage, sheet_key)
        if key not in self.tasks:
            sheet = next(s for s in SHEETS if s.key == sheet_key).label(self.lang)
            description = render(STAGES[stage], self.lang, sheet=sheet)
            self.tasks[key] = self.bar.add_task(description, total=total)
            if not self.console.is_terminal:
                # A log or a pipe gets one line per stage instead of a redrawn bar.
                self.console.print(f"{description} ({total})", highlight=False)
        self.bar.update(self.tasks[key], completed=done, total=total)


def print_report_tables(out: Console, lang: Lang, report: ImportReport | VillageImportReport) -> None:
    """Print an import's problems (sheet, row, column, value, message) and its row counts per sheet."""
    if report.problems:
        table = Table(title=render("Problems", lang), show_lines=False)
        for header in ("Severity", "Sheet", "Row", "Column", "Value", "Message"):
            table.add_column(render(header, lang), overflow="fold")
        for problem in sorted(report.problems, key=_place(report)):
            severity = render("ERROR" if problem.blocking else "WARNING", lang)
            row = str(problem.row) if problem.row else ""
            cells = (problem.sheet_label(lang), row, problem.column_label(lang), problem.value_text())
            table.add_row(severity, *cells, problem.message(lang), style="red" if problem.blocking else None)
        out.print(table)
    if report.counts:
        table = Table(title=render("Rows", lang))
        for header in ("Sheet", "Created", "Updated", "Unchanged", "Removed"):
            table.add_column(render(header, lang), justify="left" if header == "Sheet" else "right")
        for sheet, counts in report.sheet_counts():
            numbers = (counts.created, counts.updated, counts.unchanged, counts.removed)
            table.add_row(sheet.label(lang), *(str(n) for n in numbers))
        out.print(table)


def _place(report: ImportReport | VillageImportReport) -> Callable[[Finding], tuple[int, int, int]]:
    """Order problems as the workbook is read: by sheet as the format lists them, then row, then column."""
    sheets = {sheet.key: (position, sheet) for position, sheet in enumerate(SHEETS if isinstance(report, ImportReport)
                                                                             else VILLAGE_SHEETS)}  # fmt: skip

    def place(problem: Finding) -> tuple[int, int, int]:
        # The workbook as a whole comes first, then a sheet as a whole, then its rows; a row's cells left to right.
        position, sheet = sheets.get(problem.sheet.key, (len(sheets), None)) if problem.sheet else (-1, None)
        column = sheet.columns.index(problem.column) if sheet and problem.column in sheet.columns else -1
        return (position, problem.row or 0, column)

    return place


def print_surplus(out: Console, lang: Lang, report: ImportReport) -> None:
    """Print 本年盈余 before → after for every year whose surplus the import changes."""
    if not report.surplus:
        return
    table = Table(title=render("Surplus of the year", lang))
    for header in ("Year", "Before the import", "After the import"):
        table.add_column(render(header, lang), justify="right")
    for change in report.surplus:
        table.add_row(str(change.year), format_money(change.before, lang), format_money(change.after, lang))
    out.print(table)


def _print_report(context: Context, report: ImportReport) -> None:
    lang = context.lang
    out = Console(width=None if sys.stdout.isatty() else 200)
    print_report_tables(out, lang, report)
    print_surplus(out, lang, report)
    errors, warnings = len(report.errors), len(report.warnings)
    if report.blocking:
        context.say("Nothing was written: fix the {errors} errors and import again.", errors=errors)
    elif report.dry_run:
        context.say("Dry run: nothing was written. {errors} errors, {warnings} warnings.", errors=0, warnings=warnings)
    else:
        context.say(
            "Imported {credit_code}: {created} created, {updated} updated; {warnings} warnings.",
            credit_code=report.credit_code,
            created=report.created,
            updated=report.updated,
            warnings=warnings,
        )
