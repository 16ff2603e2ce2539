"""`coop land guarantees`: the year's guaranteed rent per member, and booking it as a cost."""

from __future__ import annotations

import click
from rich.console import Console
from rich.table import Table

from coopcore.commands.base import CREDIT_CODE, Context, pass_context
from coopcore.commands.distribution import member_names
from coopcore.i18n import format_money, render
from coopcore.money import ZERO
from coopcore.services.land import book_land_guarantees, land_guarantees
from coopcore.services.lookups import cooperative_by_code


@click.group("land")
def land_group() -> None:
    """Land-management-right shares (土地经营权入股)."""


@land_group.command()
@click.option("--coop", "credit_code", required=True, type=CREDIT_CODE, help="The cooperative.")
@click.option("--year", type=int, required=True, help="Fiscal year.")
@click.option("--book", is_flag=True, help="Record them as operating expenses (once; booking again changes nothing).")
@pass_context
def guarantees(context: Context, credit_code: str, year: int, book: bool) -> None:
    """Compute each member's guaranteed rent (保底) for the year from area, rent per mu and days active."""
    lang = context.lang
    with context.transaction() as session:
        cooperative = cooperative_by_code(session, credit_code)
        booking = book_land_guarantees(session, cooperative, year) if book else None
        rows = booking.guarantees if booking else land_guarantees(session, cooperative, year)
        names = member_names(session, cooperative.id)
        table = Table(title=render("Guaranteed land rent {year}", lang, year=year))
        for header in ("code", "name", "Area (mu)", "Guaranteed rent"):
            table.add_column(render(header, lang), justify="left" if header in ("code", "name") else "right")
        for row in rows:
            table.add_row(row.member_code, names.get(row.member_code, ""), f"{row.area_mu.normalize():f}",
                          format_money(row.amount, lang))  # fmt: skip
        total = sum((row.amount for row in rows), ZERO)
        table.add_row(render("total", lang), "", "", format_money(total, lang))
        Console(width=120).print(table)
        if booking is None:
            return
        if booking.changed_nothing:
            context.say("The guarantees of {year} were already booked ({total}); nothing changed.", year=year,
                        total=format_money(total, lang))  # fmt: skip
        else:
            context.say("Booked as operating expenses of {year}: {total}.", year=year, total=format_money(total, lang))
