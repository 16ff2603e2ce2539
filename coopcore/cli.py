"""The `coop` command: parse arguments, open a transaction, call a service, print the outcome."""

from __future__ import annotations

from importlib.metadata import entry_points

import click

from coopcore import __version__
from coopcore.commands import contracts, distribution, land, members, setup, villages, workbook
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
    setup.check,
    distribution.distribution_group,
    members.members_group,
    land.land_group,
    villages.villages_group,
    contracts.contracts_group,
    *(workbook.template, workbook.import_command, workbook.export),
):
    main.add_command(command)


# The web admin, the reports (they use Flask, pandas, matplotlib) and the demo data set live outside the library;
# they plug their commands in through this entry-point group, declared in pyproject.toml.
def _unavailable(name: str, error: ImportError) -> click.Command:
    @click.command(name, context_settings={"ignore_unknown_options": True, "allow_extra_args": True})
    def command() -> None:
        """Not available: its optional dependencies are not installed."""
        raise click.ClickException(f"`coop {name}` needs more packages ({error}); install coopcore[dev].")

    return command


for entry_point in entry_points(group="coopcore.commands"):
    try:
        main.add_command(entry_point.load(), entry_point.name)
    except ImportError as error:
        main.add_command(_unavailable(entry_point.name, error))

if __name__ == "__main__":
    main()
