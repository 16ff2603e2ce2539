"""`coop demo`: load the illustrative demo data set into the group's database (plugged in by an entry point)."""

from __future__ import annotations

from dataclasses import asdict

import click

from coopcore.commands.base import Context, pass_context
from coopcore.i18n import format_money


@click.command("demo")
@pass_context
def demo_command(context: Context) -> None:
    """Load the illustrative demo data set (a district of Yantai) into the database."""
    from demo import load_demo  # the generators load only when asked for, not for every `coop` command

    context.upgrade()  # like `coop init`: the demo brings its own database
    with context.transaction() as session:
        summary = load_demo(session)
    context.say(
        "Demo data loaded (illustrative, not real): {townships} townships, {villages} villages, "
        "{cooperatives} cooperatives and {federations} federations, {members} members, {land_mu} mu of land shares, "
        "{trades} trades, {enterprises} leading enterprises with {contracts} contracts, {weak_villages} weak villages "
        "with {projects} projects and {funding_total} of funding, {users} users.",
        **{**asdict(summary), "funding_total": format_money(summary.funding_total, context.lang)},
    )
