"""Publicity notice (公示) of the year's distribution plan for the village board: the plan, every member's amount,
the objection period and contact, the publication and assembly dates ([L-40]: at the office at least 15 days
before the member assembly), and where members read the year's statements.

    python -m reports.notice --db URL --coop CREDIT_CODE --year 2024 [--contact "王会计 138…"] [--out DIR]
    coop report notice --coop CREDIT_CODE --year 2024
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import click
from reportlab.lib.enums import TA_RIGHT
from reportlab.platypus import Flowable, KeepTogether, Spacer
from sqlalchemy.orm import Session

from coopcore.i18n import Lang
from coopcore.labels import label
from coopcore.models import Cooperative, Distribution, PatronageMeasure
from coopcore.rules.plan_review import NOTICE_DAYS
from coopcore.services import lookups
from reports import base, pdf, queries, text
from reports.cli import cooperative_command, standalone


def objection_period(distribution: Distribution) -> tuple[dt.date | None, dt.date | None]:
    """From publication to the day before the assembly (at least 15 days); 15 days when no assembly is set."""
    start = distribution.published_on
    if start is None:
        return None, None
    if distribution.assembly_on is not None:
        return start, distribution.assembly_on - dt.timedelta(days=1)
    return start, start + dt.timedelta(days=NOTICE_DAYS - 1)


def build_publicity_notice(
    session: Session, cooperative: Cooperative, year: int, out_dir: Path, lang: Lang = "zh", *, contact: str = ""
) -> list[Path]:
    """Write the publicity notice of the year's plan (PDF, A4 portrait) and return its path."""
    distribution = lookups.live_distribution(session, cooperative, year)
    path = base.output_path(out_dir, year, cooperative.credit_code, "publicity notice", "pdf", lang)
    title = text.tr("Publicity notice of the {year} surplus distribution plan", lang, year=year)
    doc = pdf.ReportDoc(path, base.letterhead(title, cooperative, distribution, lang))
    doc.build_from(_story(session, cooperative, distribution, contact, lang))
    return [path]


def _story(
    session: Session, cooperative: Cooperative, distribution: Distribution, contact: str, lang: Lang
) -> Iterator[Flowable]:
    d, year = distribution, distribution.year
    width, _ = pdf.frame_size(pdf.PORTRAIT)
    yield pdf.title(
        cooperative.name + "\n" + text.tr("Publicity notice of the {year} surplus distribution plan", lang, year=year),
        17,
    )
    yield Spacer(1, 12)
    yield pdf.para(
        text.tr(
            "Under Article 44 of the Farmer Cooperatives Law and our bylaws, the board has drawn up the {year} surplus "
            "distribution plan. The plan and every member's amount are published here for all members to examine.",
            lang,
            year=year,
        ),
        11,
        leading=19,
    )
    yield Spacer(1, 8)
    yield pdf.heading(text.tr("1. The plan", lang), 12.5)
    pairs: list[tuple[str, str | Decimal]] = [
        (text.tr("Surplus of the year", lang), d.surplus),
        (text.tr("Undistributed surplus at the start of the year", lang), d.opening_undistributed),
        (
            text.tr("Provident fund extracted ({rate})", lang, rate=text.rate(d.provident_fund_rate, lang)),
            d.provident_fund,
        ),
        (text.tr("Distributable surplus", lang), d.distributable),
        (
            text.tr(
                "Returned by patronage ({share} of distributable surplus)",
                lang,
                share=text.rate(d.patronage_ratio, lang),
            ),
            d.patronage_pool,
        ),
        (text.tr("Residual surplus distributed", lang), d.residual_pool),
    ]
    yield pdf.key_values(pairs, (width * 0.62, width * 0.38), lang, 10.5)
    measure = label(d.patronage_measure, lang)
    yield Spacer(1, 4)
    in_sentence = measure if lang == "zh" else measure.lower()
    yield pdf.para(
        text.tr(
            "Returns are divided by each member's {measure} with the cooperative in {year}; the residual surplus by "
            "each member's contribution, provident fund share and equal shares of the subsidy-formed ({subsidy} yuan) "
            "and donation-formed ({donation} yuan) property. Amounts are in yuan, to the fen.",
            lang,
            measure=in_sentence,
            year=year,
            subsidy=text.amount(d.subsidy_property, lang),
            donation=text.amount(d.donation_property, lang),
        ),
        10,
        leading=16,
    )
    yield Spacer(1, 8)
    start, end = objection_period(d)
    days = (end - start).days + 1 if start and end else NOTICE_DAYS
    yield pdf.heading(text.tr("2. Objection period and contact", lang), 12.5)
    blank = "_" * 24
    yield pdf.para(
        text.tr(
            "The notice runs from {start} to {end} ({days} days). A member who objects to the plan may say so to the "
            "board or the board of supervisors, in writing or in person, within this period. Contact: {contact}.",
            lang,
            start=text.day(start, lang),
            end=text.day(end, lang),
            days=days,
            contact=contact or blank,
        ),
        11,
        leading=19,
    )
    yield Spacer(1, 8)
    yield pdf.heading(text.tr("3. Member assembly", lang), 12.5)
    yield pdf.para(
        text.tr(
            "After the notice period the plan goes to the member assembly on {assembly} for its vote; nothing is paid "
            "before the assembly approves it.",
            lang,
            assembly=text.day(d.assembly_on, lang),
        ),
        11,
        leading=19,
    )
    yield Spacer(1, 8)
    # [L-40]: the financial report is at the office with the plan; the statements go out when the plan does.
    yield pdf.para(
        text.tr(
            "The cooperative's {year} statements (balance sheet, statement of surplus and its distribution, statement "
            "of changes in member equity) are at the cooperative's office with this plan from {day}, for every "
            "member to read.",
            lang,
            year=year,
            day=text.day(d.published_on, lang),
        ),
        11,
        leading=19,
    )
    yield pdf.para(text.tr("The amount of every member is listed in the attached table.", lang), 11, leading=19)
    yield Spacer(1, 26)
    yield KeepTogether(
        [
            pdf.para(
                text.tr("Board of {cooperative} (seal)", lang, cooperative=cooperative.name), 11.5, align=TA_RIGHT
            ),
            Spacer(1, 8),
            pdf.para(text.tr("Published on {day}", lang, day=text.day(d.published_on, lang)), 11.5, align=TA_RIGHT),
        ]
    )
    yield from pdf.to_portrait()
    amount_kind: pdf.Kind = "money" if d.patronage_measure is PatronageMeasure.AMOUNT else "quantity"
    columns = [
        pdf.Column(text.tr("Member code", lang), 46),
        pdf.Column(text.tr("Member", lang), 130),
        pdf.Column(measure, 86, amount_kind, total=True),
        pdf.Column(text.tr("Patronage return", lang), 84, "money", total=True),
        pdf.Column(text.tr("Residual distribution", lang), 84, "money", total=True),
        pdf.Column(text.tr("Dividend total", lang), width - 430, "money", total=True),
    ]
    table = pdf.PagedTable(
        columns,
        lang,
        caption=text.tr("Attached table: {year} distribution to each member (yuan)", lang, year=year),
        size=9,
        row_height=15,
        orientation=pdf.PORTRAIT,
    )
    lines = queries.plan_lines(session, d.id)
    yield from table.flowables(
        [line.code, line.name, line.patronage, line.patronage_return, line.residual_distribution, line.total]
        for line in lines
    )


CONTACT = click.option("--contact", default="", help="Who takes objections, with a phone number (default: a blank).")
command = cooperative_command(
    "notice", build_publicity_notice, "Publicity notice (公示) of the plan for the village board.", options=(CONTACT,)
)

if __name__ == "__main__":
    standalone(command, "reports.notice")
