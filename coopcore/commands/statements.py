"""`coop statements`: a cooperative's statements (会计报表) of a year or to a month's end, as tables or JSON.

Public contract (outside checks call it so): `coop statements --coop C --year Y --json` prints statements_json:
{"year": Y, "balance_sheet": {"lines": {"1": {"closing": "…", "opening": "…"}, …}},
 "surplus_statement": {"lines": {"1": {"this_year": "…", "last_year": "…"}, …}},
 "equity_changes": {"columns": [...], "rows": {"opening": {…}, "increase": {…}, "decrease": {…}, "closing": {…}}}}
with every line number of domain.md §2.3 and amounts as strings with two decimals; "month" follows "year" when
--month is given, and equity_changes also carries its "sub_items".
"""

from __future__ import annotations

import json

import click

from coopcore.commands.base import Context, pass_context
from coopcore.commands.ledger_input import coop_option
from coopcore.commands.statements_tables import print_statements, statements_json
from coopcore.services.lookups import cooperative_by_code
from coopcore.services.statements import statements


@click.command("statements")
@coop_option
@click.option("--year", type=int, required=True, help="Fiscal year.")
@click.option("--month", type=click.IntRange(1, 12), help="The balance sheet at this month's end (1-12).")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@click.option("--unposted", is_flag=True, help="Preview: count drafts and audited vouchers as if posted.")
@pass_context
def statements_command(
    context: Context, credit_code: str, year: int, month: int | None, as_json: bool, unposted: bool
) -> None:
    """Print the statements (会计报表): balance sheet, surplus statement, changes in member equity."""
    with context.transaction() as session:
        cooperative = cooperative_by_code(session, credit_code)
        found = statements(session, cooperative, year, month or 12, include_unposted=unposted)
        name = cooperative.name
    if as_json:
        click.echo(json.dumps(statements_json(found, month is not None), ensure_ascii=False, indent=2))
    else:
        print_statements(found, name, context.lang, unposted=unposted)
