"""The `coop` command: parse arguments, open a transaction, call a service, print the outcome."""

from __future__ import annotations

import click

from coopcore import __version__
from coopcore.commands import distribution, land, members, setup
from coopcore.commands.base import Context, CoopGroup
from coopcore.db.engine import default_url
from coopcore.i18n import LANGS, Lang, default_lang


@click.group(cls=CoopGroup)
@click.version_option(__version__, prog_name="coop")
@click.option("--db", "url", metavar="URL", help="Database URL (default: $COOP_DATABASE_URL or ./coopcore.sqlite3).")
@click.option("--lang", type=click.Choice(LANGS), help="Language of messages (default: from the locale).")
@click.pass_context
def main(ctx: click.Context, url: str | None, lang: Lang | None) -> None:
    """coopcore: farmer cooperatives and village collectives, exact to the fen."""
    ctx.obj = Context(url=url or default_url(), lang=lang or default_lang())


for command in (
    setup.init,
    setup.load_demo,
    setup.check,
    distribution.distribution_group,
    members.members_group,
    land.land_group,
):
    main.add_command(command)

if __name__ == "__main__":
    main()
