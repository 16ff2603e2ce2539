"""Commands that set up and check a database: init, check."""

from __future__ import annotations

import datetime as dt
import sys

import click
from sqlalchemy import select

from coopcore.commands.base import CREDIT_CODE, DAY, EXIT_FINDINGS, Context, pass_context
from coopcore.i18n import render
from coopcore.models import Cooperative
from coopcore.rules.findings import Severity
from coopcore.services import checks
from coopcore.services.lookups import cooperative_by_code


@click.command()
@pass_context
def init(context: Context) -> None:
    """Create or upgrade the database schema to the newest version."""
    engine = context.upgrade()
    context.say("Database ready: {url}", url=engine.url.render_as_string(hide_password=True))


@click.command()
@click.option("--coop", "credit_code", type=CREDIT_CODE, help="Only this cooperative (default: all).")
@click.option("--on", "day", type=DAY, help="Check the roster and the books at the end of this day (default: today).")
@pass_context
def check(context: Context, credit_code: str | None, day: dt.date | None) -> None:
    """Check the membership rules of the law, and the member accounts against the books, for one or all cooperatives."""
    on = day or dt.date.today()
    with context.transaction() as session:
        if credit_code:
            cooperative = cooperative_by_code(session, credit_code)
            results = {cooperative.id: checks.check_cooperative(session, cooperative, on=on)}
        else:
            results = checks.check_all(session, on=on)
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
