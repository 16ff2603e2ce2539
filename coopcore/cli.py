"""The `coop` command: parse arguments, open a transaction, call a service, print the outcome."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, NoReturn

import click
from sqlalchemy import Engine, exc, select
from sqlalchemy.orm import Session

from coopcore import __version__
from coopcore.db import migrate
from coopcore.db.engine import default_url, make_engine
from coopcore.errors import CoopError, NotFound
from coopcore.i18n import LANGS, Lang, default_lang, render, render_error
from coopcore.models import Cooperative
from coopcore.rules.findings import Severity
from coopcore.services import demo, membership

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
            return super().invoke(ctx)
        except CoopError as error:
            lang = ctx.obj.lang if isinstance(ctx.obj, Context) else default_lang()
            click.echo(render("Error: {message}", lang, message=render_error(error, lang)), err=True)
            sys.exit(EXIT_USER_ERROR)
        except exc.OperationalError as error:
            lang = ctx.obj.lang if isinstance(ctx.obj, Context) else default_lang()
            click.echo(render("Cannot use the database: {reason}", lang, reason=error.orig), err=True)
            sys.exit(EXIT_FINDINGS)


@click.group(cls=CoopGroup)
@click.version_option(__version__, prog_name="coop")
@click.option("--db", "url", metavar="URL", help="Database URL (default: $COOP_DATABASE_URL or ./coopcore.sqlite3).")
@click.option("--lang", type=click.Choice(LANGS), help="Language of messages (default: from the locale).")
@click.pass_context
def main(ctx: click.Context, url: str | None, lang: Lang | None) -> None:
    """coopcore: farmer cooperatives and village collectives, exact to the fen."""
    ctx.obj = Context(url=url or default_url(), lang=lang or default_lang())


@main.command()
@pass_context
def init(context: Context) -> None:
    """Create or upgrade the database schema to the newest version."""
    migrate.upgrade(context.engine)
    context.say("Database ready: {url}", url=context.engine.url.render_as_string(hide_password=True))


@main.command("demo")
@pass_context
def load_demo(context: Context) -> None:
    """Load the illustrative demo data set (a district of Yantai) into the database."""
    migrate.upgrade(context.engine)
    with context.transaction() as session:
        summary = demo.load_demo(session)
    context.say(
        "Demo data loaded (illustrative, not real): {townships} townships, {villages} villages, "
        "{cooperatives} cooperatives ({federations} federations), {members} members, {land_mu} mu of land shares, "
        "{trades} trades, {enterprises} leading enterprises with {contracts} contracts, {weak_villages} weak villages "
        "with {projects} projects and {funding_total} yuan of funding, {users} users.",
        **vars(summary),
    )


@main.command()
@click.option("--coop", "credit_code", metavar="CREDIT_CODE", help="Only this cooperative (default: all).")
@click.option("--on", "day", type=click.DateTime(["%Y-%m-%d"]), help="Check the roster of this day (default: today).")
@pass_context
def check(context: Context, credit_code: str | None, day: dt.datetime | None) -> None:
    """Check the membership rules of the law for one or all cooperatives."""
    on = day.date() if day else dt.date.today()
    with context.transaction() as session:
        if credit_code:
            cooperative = session.scalar(select(Cooperative).where(Cooperative.credit_code == credit_code))
            if cooperative is None:
                raise NotFound(what="Cooperative", key=credit_code)
            results = {cooperative.id: membership.check_cooperative(session, cooperative, on=on)}
        else:
            results = membership.check_all(session, on=on)
        named = select(Cooperative.id, Cooperative.name).where(Cooperative.id.in_(results))
        names: dict[int, str] = {row.id: row.name for row in session.execute(named)}
    errors = warnings = 0
    for cooperative_id, findings in sorted(results.items(), key=lambda item: names[item[0]]):
        for finding in findings:
            label = render("ERROR" if finding.severity is Severity.ERROR else "WARNING", context.lang)
            click.echo(f"[{label}] {names[cooperative_id]}: {finding.message(context.lang)}")
            errors += finding.severity is Severity.ERROR
            warnings += finding.severity is Severity.WARNING
    context.say(
        "Checked {cooperatives} cooperatives on {day}: {errors} errors, {warnings} warnings.",
        cooperatives=len(results),
        day=on.isoformat(),
        errors=errors,
        warnings=warnings,
    )
    if errors:
        sys.exit(EXIT_FINDINGS)
