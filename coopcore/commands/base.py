"""What every subcommand shares: the database, the language, one transaction, translated errors."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, NoReturn

import click
from sqlalchemy import Engine, exc
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from coopcore.db.engine import make_engine
from coopcore.errors import ConcurrentChange, CoopError
from coopcore.i18n import Lang, default_lang, render, render_error

# Exit codes: 2 for input the user can fix, 1 for findings or an unreachable database.
EXIT_FINDINGS = 1
EXIT_USER_ERROR = 2


@dataclass
class Context:
    """What every subcommand needs: where the database is and which language to speak."""

    url: str
    lang: Lang
    _engine: Engine | None = None

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            self._engine = make_engine(self.url)
        return self._engine

    def say(self, template: str, **fields: Any) -> None:
        click.echo(render(template, self.lang, **fields))

    def fail(self, template: str, code: int = EXIT_USER_ERROR, **fields: Any) -> NoReturn:
        click.echo(render(template, self.lang, **fields), err=True)
        sys.exit(code)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One transaction per command: all of its work lands, or none of it."""
        with Session(self.engine) as session, session.begin():
            yield session


pass_context = click.make_pass_decorator(Context)


class CoopGroup(click.Group):
    """Turn coopcore's errors into translated one-line messages instead of tracebacks."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            try:
                return super().invoke(ctx)
            except StaleDataError:
                raise ConcurrentChange() from None  # a row changed by someone else since this command read it
        except CoopError as error:
            lang = ctx.obj.lang if isinstance(ctx.obj, Context) else default_lang()
            click.echo(render("Error: {message}", lang, message=render_error(error, lang)), err=True)
            sys.exit(EXIT_USER_ERROR)
        except exc.IntegrityError as error:
            lang = ctx.obj.lang if isinstance(ctx.obj, Context) else default_lang()
            reason = str(error.orig).splitlines()[0]
            message = render("The database refused the change: {reason}", lang, reason=reason)
            click.echo(render("Error: {message}", lang, message=message), err=True)
            sys.exit(EXIT_USER_ERROR)
        except exc.OperationalError as error:
            lang = ctx.obj.lang if isinstance(ctx.obj, Context) else default_lang()
            click.echo(render("Cannot use the database: {reason}", lang, reason=error.orig), err=True)
            sys.exit(EXIT_FINDINGS)
