"""`coop template`, `coop import`, `coop export`: the accountants' workbook (issue #3)."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn
from rich.table import Table

from coopcore.commands.base import CREDIT_CODE, EXIT_USER_ERROR, Context, pass_context
from coopcore.i18n import LANGS, Lang, format_money, render
from coopcore.services import imports
from coopcore.services.access import ADMINISTRATOR
from coopcore.services.workbook.format import Format
from coopcore.services.workbook.report import ImportReport

BIG = 5000  # rows: smaller sheets go by too fast for a progress bar
STAGES = {"read": "Reading {sheet}", "write": "Writing {sheet}"}
LANG_OPTION = click.option(
    "--lang", "lang", type=click.Choice(LANGS), help="Language of sheet names and headers (default: coop --lang)."
)


def template_command_for(format: Format, help_text: str) -> click.Command:
    """Return the `template` command of a format: an empty workbook of it in the chosen language."""

    @click.command("template", help=help_text)
    @click.argument("path", metavar="FILE.xlsx", type=click.Path(dir_okay=False, path_type=Path))
    @LANG_OPTION
    @pass_context
    def command(context: Context, path: Path, lang: Lang | None) -> None:
        imports.write_template(path, format, lang or context.lang)
        context.say("Template written: {path}", path=str(path))

    return command


def import_command_for(format: Format, done: str, help_text: str, *, exported: bool = False) -> click.Command:
    """Return the `import` command of a format: a dry run or an import with progress, the problem table, exit 2.

    `exported`: the format's exports carry a stamp (the cooperative workbook), so the command offers
    --replace-newer, which removes and changes rows written after the export on purpose.
    """

    @click.command("import", help=help_text)
    @click.argument("path", metavar="FILE.xlsx", type=click.Path(exists=True, dir_okay=False, path_type=Path))
    @click.option("--dry-run", is_flag=True, help="Check everything and report; write nothing.")
    @click.option("--quiet", is_flag=True, help="No progress display.")
    @pass_context
    def command(context: Context, path: Path, dry_run: bool, quiet: bool, replace_newer: bool = False) -> None:
        context.upgrade()  # like `coop init`: the schema, never data, so a dry run may run it too
        display = ProgressDisplay(Console(stderr=True), context.lang, format, enabled=not quiet)
        with display, context.transaction() as session:
            # The person at the server's shell owns the database: the command imports as the administrator.
            report = imports.run_import(
                session,
                path,
                format,
                dry_run=dry_run,
                lang=context.lang,
                progress=display.update,
                actor=ADMINISTRATOR,
                replace_newer=replace_newer,
            )
        _print_report(context, report, done)
        if report.blocking:
            sys.exit(EXIT_USER_ERROR)

    if exported:
        command = click.option("--replace-newer", is_flag=True, help=REPLACE_NEWER_HELP)(command)
    return command


REPLACE_NEWER_HELP = (
    "Remove or change, on purpose, the rows written after the workbook was exported (by another import or in "
    "the admin), which otherwise stop the import."
)


template = template_command_for(
    imports.COOPERATIVE,
    "Write an empty workbook to fill in: every sheet, notes on each column, drop-down lists, example rows.",
)
import_command = import_command_for(
    imports.COOPERATIVE,
    "Imported {credit_code}: {created} created, {updated} updated; {warnings} warnings.",
    "Check a workbook, report every problem at once, and write it in one transaction if nothing blocks.",
    exported=True,
)


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


class ProgressDisplay:
    """A rich progress bar per big sheet on a terminal; elsewhere one line as each big sheet starts."""

    def __init__(self, console: Console, lang: Lang, format: Format, *, enabled: bool) -> None:
        self.console, self.lang, self.format, self.enabled = console, lang, format, enabled
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
            sheet = self.format.sheet(sheet_key).label(self.lang)
            description = render(STAGES[stage], self.lang, sheet=sheet)
            self.tasks[key] = self.bar.add_task(description, total=total)
            if not self.console.is_terminal:
                # A log or a pipe gets one line per stage instead of a redrawn bar.
                self.console.print(f"{description} ({total})", highlight=False)
        self.bar.update(self.tasks[key], completed=done, total=total)


def print_report_tables(out: Console, lang: Lang, report: ImportReport) -> None:
    """Print an import's problems (sheet, row, column, value, message) and its row counts per sheet."""
    if report.problems:
        table = Table(title=render("Problems", lang), show_lines=False)
        for header in ("Severity", "Sheet", "Row", "Column", "Value", "Message"):
            table.add_column(render(header, lang), overflow="fold")
        for problem in report.in_order():
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


def _print_report(context: Context, report: ImportReport, done: str) -> None:
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
            done,
            credit_code=report.credit_code,
            created=report.created,
            updated=report.updated,
            warnings=warnings,
        )
