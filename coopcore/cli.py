"""The `coop` command: parse arguments, open a transaction, call a service, print the outcome."""

from __future__ import annotations

import click

from coopcore import __version__
from coopcore.commands.group import CoopGroup
from coopcore.i18n import LANGS, Lang, default_lang

# Each command is imported when it is used (see coopcore.commands.group), so `coop --help` stays fast.
COMMANDS = {
    "init": "coopcore.commands.setup:init",
    "check": "coopcore.commands.setup:check",
    "distribution": "coopcore.commands.distribution:distribution_group",
    "members": "coopcore.commands.members:members_group",
    "land": "coopcore.commands.land:land_group",
    "ledger": "coopcore.commands.ledger:ledger_group",
    "statements": "coopcore.commands.statements:statements_command",
    "villages": "coopcore.commands.villages:villages_group",
    "contracts": "coopcore.commands.contracts:contracts_group",
    "payments": "coopcore.commands.payments:payments_group",
    "users": "coopcore.commands.users:users_group",
    "template": "coopcore.commands.workbook:template",
    "import": "coopcore.commands.workbook:import_command",
    "export": "coopcore.commands.workbook:export",
    # The books in and out of Excel: to move under `coop ledger` (template, import, export) once both are merged.
    "vouchers-template": "coopcore.commands.ledger_workbook:template",
    "vouchers-import": "coopcore.commands.ledger_workbook:import_command",
    "vouchers-export": "coopcore.commands.ledger_workbook:export",
}


# The web admin and the reports live outside the library (they use Flask, pandas, matplotlib); they plug their
# commands in through the entry-point group "coopcore.commands", declared in pyproject.toml.
@click.group(cls=CoopGroup, lazy=COMMANDS, plugins="coopcore.commands")
@click.version_option(__version__, prog_name="coop")
@click.option("--db", "url", metavar="URL", help="Database URL (default: $COOP_DATABASE_URL or ./coopcore.sqlite3).")
@click.option("--lang", type=click.Choice(LANGS), help="Language of messages (default: from the locale).")
@click.option(
    "--user",
    metavar="USERNAME",
    envvar="COOP_USER",
    help="The user the audit trail names as the author of the command's changes (default: $COOP_USER); the system "
    "login that runs the command is recorded as well.",
)
@click.pass_context
def main(ctx: click.Context, url: str | None, lang: Lang | None, user: str | None) -> None:
    """coopcore: farmer cooperatives and village collectives, exact to the fen."""
    # Here, not at the top: the database and the subcommands' shared parts are loaded once a command runs.
    from coopcore.commands.base import Context
    from coopcore.db.engine import default_url

    ctx.obj = Context(url=url or default_url(), lang=lang or default_lang(), user=user or None)


if __name__ == "__main__":
    main()
