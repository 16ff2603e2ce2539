"""`coop land guarantees`: the year's guaranteed rent per member, and booking it as a cost."""

from __future__ import annotations

import click
from rich.console import Console
from rich.table import Table

from coopcore.commands.base import CREDIT_CODE, Context, pass_context
from coopcore.commands.distribution import cooperative_by_code
from coopcore.i18n import format_money, render
from coopcore.money import ZERO
from coopcore.services.land import book_land_guarantees, land_guarantees


@click.group("land")
def land_group() -> None:
    """Land-management-right shares (土地经营权入股)."""


@land_group.command()
@click.option("--coop", "credit_code", required=True, type=CREDIT_CODE, help="The cooperative.")
@click.option("--year", type=int, required=True)
@click.option("--book", is_flag=True, help="Record them as operating expenses (once; booking again changes nothing).")
@pass_context
def guarantees(context: Context, credit_code: str, year: int, book: bool) -> None:
    """Compute each member's guaranteed rent (保底) for the year from area, rent per mu and days active."""
    lang = context.lang
    with context.transaction() as session:
        cooperative = cooperative_by_code(session, credit_code)
        rows = (book_land_guarantees if book else land_guarantees)(session, cooperative, year)
        table = Table(title=render("Guaranteed land rent {year}", lang, year=year))
        for header in ("code", "Area (mu)", "Guaranteed rent"):
            table.add_column(render(header, lang), justify="left" if header == "code" else "right")
        for row in rows:
            table.add_row(row.member_code, f"{row.area_mu.normalize():f}", format_money(row.amount, lang))
        total = sum((row.amount for row in rows), ZERO)
        table.add_row(render("total", lang), "", format_money(total, lang))
        Console(width=120).print(table)
        if book:
            context.say("Booked as operating expenses of {year}: {total}.", year=year, total=format_money(total, lang))
