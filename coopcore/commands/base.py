"""What every subcommand shares: the database, the language, one transaction, translated errors, typed days."""

from __future__ import annotations

import datetime as dt
import getpass
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, NoReturn

import click
from sqlalchemy import Engine, exc, inspect, make_url, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from coopcore.commands.language import current_lang
from coopcore.db import migrate
from coopcore.db.audit import act_as
from coopcore.db.engine import make_engine
from coopcore.errors import ConcurrentChange, CoopError
from coopcore.i18n import Lang, default_lang, render, render_error
from coopcore.models import User
from coopcore.services.ledger.sync import BOOKS_ARRIVED, book_registers
from coopcore.services.workbook.cells import LAST_DAY, NOT_A_DATE, CellError, to_date
from coopcore.validation import credit_code

# Exit codes: 2 for input the user can fix, 1 for findings or an unreachable database.
EXIT_FINDINGS = 1
EXIT_USER_ERROR = 2


NO_SUCH_USER = "There is no user {username} (named by coop --user or $COOP_USER): coop users add creates one."
USER_DISABLED = "The user {username} is disabled: coop --user names an active user."


@dataclass
class Context:
    """What every subcommand needs: where the database is, which language to speak, and who acts.

    Every change a command makes is recorded in the audit trail (coopcore.db.audit) with the operating-system
    login that ran `coop`, and with the user `coop --user` names, checked before anything is read or written.
    """

    url: str
    lang: Lang
    user: str | None = None  # the username of `coop --user` (or $COOP_USER)
    _engine: Engine | None = None
    _held: list[str] | None = None  # what `say` was given inside the open transaction
    _user_id: int | None = None  # the id of `user`, once checked

    @property
    def engine(self) -> Engine:
        """The database `coop init` made; where there is none, a refusal naming it (never a new empty file)."""
        if self._engine is None:
            engine = self._made_by_init()
            if engine is None:
                raise NoDatabase(self.lang, make_url(self.url).render_as_string(hide_password=True))
            self._engine = self._check_user(engine)
        return self._engine

    def upgrade(self) -> Engine:
        """Create or upgrade the schema, creating the database file if need be (init, and the loading commands).

        A database from before the books has the rest of its register booked at once, in one transaction: its
        member accounts and its books agree from the first `coop check`.
        """
        engine = self._engine
        if engine is None:
            existing = self._made_by_init()
            if existing is None and self.user is not None:
                self._refuse_user(NO_SUCH_USER)  # no schema, no users
            engine = self._check_user(existing) if existing is not None else make_engine(self.url)
        self._engine = engine
        if BOOKS_ARRIVED in migrate.upgrade(engine):
            with self.transaction() as session:
                book_registers(session)
        return engine

    def _made_by_init(self) -> Engine | None:
        """An engine of the database if it has coopcore's schema; None, creating nothing, if it has not."""
        url = make_url(self.url)
        # Connecting creates a missing SQLite file, which would then have no tables: look first.
        database = url.database or ""
        in_a_file = url.get_backend_name() == "sqlite" and database not in ("", ":memory:")
        if in_a_file and "uri" not in url.query and not Path(database).exists():
            return None
        engine = make_engine(self.url)
        if not inspect(engine).has_table("alembic_version"):
            engine.dispose()
            return None
        return engine

    def _check_user(self, engine: Engine) -> Engine:
        """Check that the user of `coop --user` exists and is active, before the command reads or writes anything."""
        if self.user is None:
            return engine
        with engine.connect() as connection:
            # Two columns every version of the schema has: an old database is checked before it is upgraded.
            found = connection.execute(select(User.id, User.is_active).where(User.username == self.user)).first()
        if found is None or not found.is_active:
            engine.dispose()
            if found is None:
                self._refuse_user(NO_SUCH_USER)
            self._refuse_user(USER_DISABLED)
        self._user_id = found.id
        return engine

    def _refuse_user(self, template: str) -> NoReturn:
        self.fail(template, username=self.user)

    def say(self, template: str, **fields: Any) -> None:
        """Print a message; inside a transaction, once it has committed (a failed commit is not a success)."""
        message = render(template, self.lang, **fields)
        if self._held is None:
            click.echo(message)
        else:
            self._held.append(message)

    def fail(self, template: str, code: int = EXIT_USER_ERROR, **fields: Any) -> NoReturn:
        click.echo(render(template, self.lang, **fields), err=True)
        sys.exit(code)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One transaction per command: all of its work lands, or none of it; what it said is printed after."""
        held: list[str] = []
        self._held = held
        try:
            with Session(self.engine) as session, session.begin():
                act_as(session, self._user_id, cli_login=os_login())
                yield session
        finally:
            self._held = None
        for message in held:  # reached only when the commit succeeded
            click.echo(message)


pass_context = click.make_pass_decorator(Context)


@cache
def os_login() -> str:
    """The operating-system account running `coop`, as the system names it (not as $USER or $LOGNAME claim)."""
    try:
        import pwd
    except ImportError:  # Windows: no account database to ask
        return getpass.getuser()
    try:
        return pwd.getpwuid(os.getuid()).pw_name
    except KeyError:  # a user id with no account (a container's): its number is what there is
        return str(os.getuid())


class NoDatabase(click.ClickException):
    """The database of `coop --db` does not exist yet, or has no coopcore schema."""

    exit_code = EXIT_FINDINGS

    def __init__(self, lang: Lang, url: str) -> None:
        super().__init__(render("There is no coopcore database at {url} yet: run coop init first.", lang, url=url))


NOT_A_DAY = "{value} is not a date: write it as 2026-03-01, 2026/3/1 or 2026年3月1日."


class DayType(click.ParamType[dt.date, Any]):
    """A day as people type it: 2026-03-01, 2026/3/1 or 2026年3月1日 (the workbook's reading of a date)."""

    name = "date"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> dt.date:
        if isinstance(value, dt.date):
            return value
        try:
            return to_date(str(value), LAST_DAY)
        except CellError as error:
            template = NOT_A_DAY if error.template == NOT_A_DATE else error.template
            self.fail(render(template, current_lang(), **{**error.fields, "value": value}), param, ctx)


DAY = DayType()


class CreditCodeType(click.types.StringParamType):
    """A credit code as typed (全角 ９３３７…, spaces, hyphens), folded by the validator's compact()."""

    name = "credit_code"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        return credit_code.compact(super().convert(value, param, ctx))


CREDIT_CODE = CreditCodeType()


@contextmanager
def translated_errors(ctx: click.Context) -> Iterator[None]:
    """Turn coopcore's errors, and the database's refusals, into translated one-line messages and an exit code."""
    try:
        try:
            yield
        except StaleDataError:
            raise ConcurrentChange() from None  # a row changed by someone else since this command read it
    except CoopError as error:
        lang = _lang(ctx)
        click.echo(render("Error: {message}", lang, message=render_error(error, lang)), err=True)
        sys.exit(EXIT_USER_ERROR)
    except exc.IntegrityError as error:
        lang = _lang(ctx)
        reason = str(error.orig).splitlines()[0]
        message = render("The database refused the change: {reason}", lang, reason=reason)
        click.echo(render("Error: {message}", lang, message=message), err=True)
        sys.exit(EXIT_USER_ERROR)
    except exc.OperationalError as error:
        click.echo(render("Cannot use the database: {reason}", _lang(ctx), reason=error.orig), err=True)
        sys.exit(EXIT_FINDINGS)


def _lang(ctx: click.Context) -> Lang:
    """The language of the run: the group's callback has set it, unless the error came before."""
    return ctx.obj.lang if isinstance(ctx.obj, Context) else default_lang()
