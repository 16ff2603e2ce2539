"""`coop statements`: a cooperative's statements (会计报表) of a year or to a month's end, as tables or JSON.

Public contract (outside checks call it so): `coop statements --coop C --year Y --json` prints statements_json:
{"year": Y, "balance_sheet": {"lines": {"1": {"closing": "…", "opening": "…"}, …}},
 "surplus_statement": {"lines": {"1": {"this_year": "…", "last_year": "…"}, …}},
 "equity_changes": {"columns": [...], "rows": {"opening": {…}, "increase": {…}, "decrease": {…}, "closing": {…}}}}
with every line number of domain.md §2.3 and amounts as strings with two decimals; "month" follows "year" when
--month is given, and equity_changes also carries its "sub_items". A cooperative's year (no --month) ends with
"notes", the 附注 by item number (coopcore.commands.statements_notes.notes_json); `coop statements notes` writes
an item's text. `--township NAME` prints the township's
roll-up the same way, with "township" first and, after the statements, the cooperatives in it, those whose
period is not closed, and every amount again in 万元 ("in_wan", with the rounding rule it states).
"""

from __future__ import annotations

import json

import click

from coopcore.commands.base import CREDIT_CODE, Context, pass_context
from coopcore.commands.statements_notes import notes_command, notes_json, print_notes
from coopcore.commands.statements_tables import (
    COOP_OR_TOWNSHIP,
    print_statements,
    print_township,
    statements_json,
    township_json,
)
from coopcore.i18n import render
from coopcore.services.lookups import cooperative_by_code, township_by_name
from coopcore.services.statements import closed_cooperatives, statements
from coopcore.services.statements.notes import statement_notes
from coopcore.services.statements.township import township_statements


# A group that is also a command: `coop statements --coop C --year Y` prints, `coop statements notes …` writes an
# item of the notes. --year is required of the printing only, so it is checked here rather than by click.
@click.group("statements", invoke_without_command=True)
@click.option("--coop", "credit_code", type=CREDIT_CODE, help="The cooperative.")
@click.option("--township", metavar="NAME", help="A township's roll-up of its cooperatives instead.")
@click.option("--year", type=int, help="Fiscal year.")
@click.option("--month", type=click.IntRange(1, 12), help="The balance sheet at this month's end (1-12).")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@click.option("--unposted", is_flag=True, help="Preview: count drafts and audited vouchers as if posted.")
@pass_context
def statements_command(
    context: Context,
    credit_code: str | None,
    township: str | None,
    year: int | None,
    month: int | None,
    as_json: bool,
    unposted: bool,
) -> None:
    """Print the statements (会计报表): balance sheet, surplus statement, changes in member equity, notes."""
    ctx = click.get_current_context()
    if ctx.invoked_subcommand is not None:
        return
    if year is None:
        raise click.MissingParameter(ctx=ctx, param=next(p for p in ctx.command.params if p.name == "year"))
    if (credit_code is None) == (township is None):
        raise click.UsageError(render(COOP_OR_TOWNSHIP, context.lang))
    with context.transaction() as session:
        if township is not None:
            rolled = township_statements(session, township_by_name(session, township), year, month or 12,
                                         include_unposted=unposted)  # fmt: skip
            found, name, notes, unaudited = rolled.statements, rolled.township, None, not rolled.final
        else:
            assert credit_code is not None  # one of the two was given
            cooperative = cooperative_by_code(session, credit_code)
            found = statements(session, cooperative, year, month or 12, include_unposted=unposted)
            name, rolled = cooperative.name, None
            # The notes go with the year's statements (a month's end has none).
            notes = None if month is not None else statement_notes(session, cooperative, year, found)
            unaudited = cooperative.id not in closed_cooperatives(session, [cooperative.id], year, month or 12)
    if as_json:
        data = statements_json(found, month is not None)
        if rolled is not None:
            data = {"township": rolled.township, **data, **township_json(rolled, month is not None)}
        elif notes is not None:
            data["notes"] = notes_json(notes)
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    print_statements(found, name, context.lang, unposted=unposted, unaudited=unaudited)
    if rolled is not None:
        print_township(rolled, context.lang)
    elif notes is not None:
        print_notes(notes, context.lang)


statements_command.add_command(notes_command)
