"""Every report of a year at once: each cooperative's statements and four distribution reports, each township's
progress report and statements roll-up, and the contract fulfilment report (what `make demo` writes to ./reports-out/).

    python -m reports.bundle --db URL --year 2024 [--coop CREDIT_CODE …] [--township NAME …] [--out DIR]
    coop report all --year 2024
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import click
from sqlalchemy.orm import Session

from coopcore.commands.base import CREDIT_CODE, Context, pass_context
from coopcore.i18n import Lang, render
from coopcore.models import Cooperative
from coopcore.services import lookups
from reports import queries
from reports.accounts import build_member_accounts
from reports.cli import LANG, OUT, YEAR, Progress, announce, progress_bar, read_only, standalone
from reports.contracts import build_contract_report
from reports.distribution import build_distribution_report
from reports.notice import build_publicity_notice
from reports.slips import build_dividend_slips
from reports.statements import build_statements
from reports.township import build_township_report
from reports.township_statements import build_township_statements


def build_cooperative_reports(
    session: Session,
    cooperative: Cooperative,
    year: int,
    out_dir: Path,
    lang: Lang = "zh",
    *,
    progress: Progress | None = None,
) -> list[Path]:
    """Write a cooperative's statements, distribution report, dividend slips, publicity notice and member accounts."""
    return [
        *build_statements(session, cooperative, year, out_dir, lang),
        *build_distribution_report(session, cooperative, year, out_dir, lang),
        *build_dividend_slips(session, cooperative, year, out_dir, lang, progress=progress),
        *build_publicity_notice(session, cooperative, year, out_dir, lang),
        *build_member_accounts(session, cooperative, year, out_dir, lang, progress=progress),
    ]


def build_all_reports(
    session: Session,
    year: int,
    out_dir: Path,
    lang: Lang = "zh",
    *,
    cooperatives: Sequence[Cooperative] | None = None,
    townships: Sequence[str] | None = None,
    progress: Progress | None = None,
) -> list[Path]:
    """Write every report of the year: by default for each cooperative with a plan and each township."""
    paths: list[Path] = []
    for cooperative in queries.cooperatives_with_plans(session, year) if cooperatives is None else cooperatives:
        paths += build_cooperative_reports(session, cooperative, year, out_dir, lang, progress=progress)
    for name in queries.township_names(session) if townships is None else townships:
        township = lookups.township_by_name(session, name)
        paths += build_township_report(session, township, year, out_dir, lang)
        paths += build_township_statements(session, township, year, out_dir, lang)
    paths += build_contract_report(session, year, out_dir, lang)
    return paths


@click.command(
    "all", help="Every report of a year: statements, distribution reports, townships and their roll-ups, contracts."
)
@YEAR
@click.option(
    "--coop",
    "credit_codes",
    multiple=True,
    type=CREDIT_CODE,
    help="Only these cooperatives (repeatable; default: every one with a plan for the year).",
)
@click.option(
    "--township", "townships", multiple=True, metavar="NAME", help="Only these townships (repeatable; default: all)."
)
@OUT
@LANG
@pass_context
def command(
    context: Context,
    year: int,
    credit_codes: tuple[str, ...],
    townships: tuple[str, ...],
    out_dir: Path,
    report_lang: Lang | None,
) -> None:
    lang = report_lang or context.lang
    with read_only(context.engine) as session, progress_bar(render("Reports", lang)) as advance:
        cooperatives = [lookups.cooperative_by_code(session, code) for code in credit_codes] or None
        paths = build_all_reports(
            session, year, out_dir, lang, cooperatives=cooperatives, townships=list(townships) or None, progress=advance
        )
    announce(context, lang, paths)


if __name__ == "__main__":
    standalone(command, "reports.bundle")
