"""How `coop statements` shows the 附注 (its "notes" key in JSON, its text after the three forms), and
`coop statements notes`, which writes an item's text."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import click
from rich.table import Table

from coopcore.commands.base import CREDIT_CODE, Context, pass_context
from coopcore.commands.ledger_tables import print_table
from coopcore.i18n import Lang, format_money, render
from coopcore.money import FEN
from coopcore.rules.statements.note_sections import TITLE, Grid, note_sections
from coopcore.rules.statements.notes import ITEMS, Business, MemberEquity, Notes, Support, support_totals
from coopcore.services.lookups import cooperative_by_code
from coopcore.services.statements.notes import set_note

TEXT_OR_FILE = "Give the text with --text or --file, not both."
WRITTEN = "Item {item} of the notes of {year} is written ({length} characters)."
TEMPLATES = (TEXT_OR_FILE, WRITTEN)


def notes_json(notes: Notes) -> dict[str, Any]:
    """The notes as `coop statements --json` prints them under "notes": every item by its number with its "text",
    items 2, 3 and 7 with their figures too (amounts as strings with two decimals, shares in percent)."""
    items: dict[str, Any] = {str(number): {"text": notes.texts.get(number, "")} for number in range(1, len(ITEMS) + 1)}
    roster = notes.roster
    items["2"].update(share_capital=_money(notes.share_capital), members=roster.members, farmers=roster.farmers,
                      farmer_share=_share(roster.farmer_share))  # fmt: skip
    items["3"].update(
        organisations=roster.organisations,
        organisation_share=_share(roster.organisation_share),
        members=[_equity(m) for m in notes.equity],
        contributions=_money(notes.contributions),
        provident_shares=_money(notes.provident_shares),
        joined=[{"code": c.code, "name": c.name, "kind": c.kind.value, "on": c.on.isoformat()} for c in notes.joined],
        left=[{"code": c.code, "name": c.name, "kind": c.kind.value, "on": c.on.isoformat()} for c in notes.left],
    )
    support = support_totals(notes.support)
    plan = notes.plan
    items["7"].update(
        fiscal_support={"records": [_support(r) for r in notes.support], "received": _money(support.received),
                        "returned": _money(support.returned), "unspent": _money(notes.unspent_subsidy)},
        donations={"records": [_support(r) for r in notes.donations],
                   "received": _money(support_totals(notes.donations).received)},
        business=[_business(b) for b in notes.business],
        provident_fund_rate=None if notes.provident_rate is None else str(notes.provident_rate.normalize()),
        rate_from=None if notes.provident_rate is None else "plan" if notes.rate_from_plan else "bylaws",
        distribution=None if plan is None else {
            "state": plan.state.value, "surplus": _money(plan.surplus), "loss_covered": _money(plan.loss_covered),
            "provident_fund": _money(plan.provident_fund), "distributable": _money(plan.distributable),
            "patronage_pool": _money(plan.patronage_pool), "residual_pool": _money(plan.residual_pool),
            "published_on": _day(plan.published_on), "assembly_on": _day(plan.assembly_on),
            "resolution": plan.resolution,
        },
    )  # fmt: skip
    return items


def print_notes(notes: Notes, lang: Lang) -> None:
    """The nine items after the forms: each title, its sentences, its tables."""
    click.echo()
    click.echo(render(TITLE, lang))
    for section in note_sections(notes, lang):
        click.echo()
        click.echo(section.title)
        for block in section.blocks:
            if isinstance(block, Grid):
                print_table(_table(block, lang))
            else:
                click.echo(block)


def _table(grid: Grid, lang: Lang) -> Table:
    shown = Table(title=grid.caption)
    for header, kind in zip(grid.headers, grid.kinds, strict=True):
        shown.add_column(header, justify="left" if kind in ("text", "date") else "right")
    for row in (*grid.rows, *((grid.total,) if grid.total else ())):
        shown.add_row(*(_cell(value, kind, lang) for value, kind in zip(row, grid.kinds, strict=True)))
    return shown


def _cell(value: object, kind: str, lang: Lang) -> str:
    if value is None:
        return ""
    if kind == "money" and isinstance(value, Decimal):
        return format_money(value, lang)
    if kind == "percent":
        return f"{value}%"
    return str(value)


def _money(value: Any) -> str:
    return str(value.quantize(FEN))


def _share(value: Any) -> str | None:
    return None if value is None else str(value)


def _day(value: Any) -> str | None:
    return None if value is None else str(value.isoformat())


def _equity(member: MemberEquity) -> dict[str, Any]:
    return {"code": member.code, "name": member.name, "kind": member.kind.value,
            "contribution": _money(member.contribution), "provident_share": _money(member.provident_share),
            "left_on": _day(member.left_on)}  # fmt: skip


def _support(record: Support) -> dict[str, Any]:
    return {"on": record.on.isoformat(), "record": record.kind.value, "source": record.source.value,
            "description": record.description, "amount": _money(record.amount)}  # fmt: skip


def _business(row: Business) -> dict[str, Any]:
    return {"kind": row.kind.value if row.kind is not None else "all", "member_amount": _money(row.member_amount),
            "member_tickets": row.member_tickets, "other_amount": _money(row.other_amount),
            "other_tickets": row.other_tickets, "member_share": _share(row.member_share)}  # fmt: skip


@click.command("notes")
@click.option("--coop", "credit_code", type=CREDIT_CODE, required=True, help="The cooperative.")
@click.option("--year", type=int, required=True, help="Fiscal year.")
@click.option("--item", type=click.IntRange(1, len(ITEMS)), required=True, help="The item of the notes (1-9).")
@click.option("--text", "body", help="The item's text (an empty text clears it).")
@click.option("--file", "path", metavar="FILE.txt", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Read the item's text from a UTF-8 text file.")  # fmt: skip
@pass_context
def notes_command(context: Context, credit_code: str, year: int, item: int, body: str | None,
                  path: Path | None) -> None:  # fmt: skip
    """Write an item of the notes to the statements (附注), replacing its text."""
    if (body is None) == (path is None):
        raise click.UsageError(render(TEXT_OR_FILE, context.lang))
    written = body if body is not None else path.read_text(encoding="utf-8-sig") if path is not None else ""
    with context.transaction() as session:
        note = set_note(session, cooperative_by_code(session, credit_code), year, item, written)
        context.say(WRITTEN, item=item, year=year, length=len(note.body))
