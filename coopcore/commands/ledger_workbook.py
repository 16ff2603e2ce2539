"""`coop vouchers-template`, `coop vouchers-import`, `coop vouchers-export`: the books in and out of Excel (issue 15).

The voucher sheets (账套, 科目, 期初余额, 凭证) on the one workbook mechanism; the commands of `coop ledger` are
coopcore.commands.ledger, under which these three are to move.
"""

from __future__ import annotations

from pathlib import Path

import click

from coopcore.commands.base import CREDIT_CODE, Context, pass_context
from coopcore.commands.workbook import LANG_OPTION, import_command_for, template_command_for
from coopcore.i18n import Lang
from coopcore.services import imports

template = template_command_for(
    imports.VOUCHERS, "Write an empty workbook of the books: detail accounts, opening balances and vouchers."
)
import_command = import_command_for(
    imports.VOUCHERS,
    "Imported the books of {credit_code}: {created} created, {updated} updated; {warnings} warnings.",
    "Check a workbook of the books, report every problem at once, and write it in one transaction if nothing blocks.",
)


@click.command("export")
@click.option("--coop", "credit_code", required=True, type=CREDIT_CODE, help="The cooperative to export.")
@click.option(
    "--year", type=click.IntRange(1990, 2200), required=True, help="The year: its opening balances and vouchers."
)
@click.argument("path", metavar="FILE.xlsx", type=click.Path(dir_okay=False, path_type=Path))
@LANG_OPTION
@pass_context
def export(context: Context, credit_code: str, year: int, path: Path, lang: Lang | None) -> None:
    """Write a cooperative's books of a year as the voucher sheets (export, edit, import again)."""
    with context.transaction() as session:
        imports.export_vouchers(session, credit_code, year, path, lang=lang or context.lang)
    context.say("Exported the books of {credit_code} for {year} to {path}", credit_code=credit_code, year=year,
                path=str(path))  # fmt: skip
