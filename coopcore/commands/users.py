"""`coop users add`: the first administrator of a new installation, and any user, from the command line.

An installation for a county starts from `coop init` and an empty database: without this command nobody could sign
in to the admin to create the others. The password is asked twice and never shown, or read from standard input.
"""

from __future__ import annotations

import sys

import click
from sqlalchemy import select

from coopcore.commands.base import CREDIT_CODE, Context, pass_context
from coopcore.i18n import render
from coopcore.models import Role, User
from coopcore.services.lookups import cooperative_by_code, township_by_name
from coopcore.services.users import create_user

ROLES = {"admin": Role.ADMIN, "official": Role.TOWNSHIP_OFFICIAL, "accountant": Role.ACCOUNTANT,
         "supervisor": Role.SUPERVISOR}  # fmt: skip


@click.group("users")
def users_group() -> None:
    """Users of the web admin."""


@users_group.command("add")
@click.argument("username", metavar="USERNAME")
@click.option(
    "--role", type=click.Choice(list(ROLES)), default="admin", show_default=True, help="What the user may do."
)
@click.option("--name", "display_name", default="", help="The name shown in the admin.")
@click.option("--township", metavar="NAME", help="The township of an official.")
@click.option("--coop", "credit_codes", type=CREDIT_CODE, multiple=True,
              help="A cooperative an accountant or supervisor keeps (repeatable).")  # fmt: skip
@pass_context
def add(
    context: Context, username: str, role: str, display_name: str, township: str | None, credit_codes: tuple[str, ...]
) -> None:
    """Create a user of the web admin; the password is asked twice (or read from standard input)."""
    chosen = ROLES[role]
    if chosen is Role.TOWNSHIP_OFFICIAL and not township:
        raise click.UsageError(render("An official needs --township.", context.lang))
    if chosen in (Role.ACCOUNTANT, Role.SUPERVISOR) and not credit_codes:
        raise click.UsageError(render("An accountant or supervisor needs at least one --coop.", context.lang))
    with context.transaction() as session:
        if session.scalar(select(User.id).where(User.username == username)) is not None:
            context.fail("The user name {username} is taken.", username=username)
        place = township_by_name(session, township) if township else None
        keeps = [cooperative_by_code(session, code) for code in credit_codes]
        password = _password(context)
        create_user(session, username, password, chosen, display_name=display_name, township=place, cooperatives=keeps)
        context.say("User {username} created.", username=username)


def _password(context: Context) -> str:
    """The password typed twice at a terminal; from a pipe or a file (an installer's script), its first line, and a
    second line, if there is one, must repeat it. Read from a pipe, getpass would warn in English that it echoes."""
    if sys.stdin.isatty():
        return str(click.prompt(render("Password", context.lang), hide_input=True, err=True,
                                confirmation_prompt=render("Repeat the password", context.lang)))  # fmt: skip
    lines = sys.stdin.read().splitlines()
    if not lines or not lines[0]:
        context.fail("No password on standard input: give it on the first line.")
    if len(lines) > 1 and lines[1] and lines[1] != lines[0]:
        context.fail("The password on the second line differs from the first.")
    return lines[0]
