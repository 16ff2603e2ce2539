"""Annual distribution report (年度盈余分配报告): the year's statements (01表, 02表, 03表), bylaws, statutory checks,
charts, every member.

python -m reports.distribution --db URL --coop CREDIT_CODE --year 2024 [--out DIR] [--lang zh|en]
coop report distribution --coop CREDIT_CODE --year 2024
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from reportlab.lib import colors
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table, TableStyle
from sqlalchemy.orm import Session

from coopcore.i18n import Lang
from coopcore.labels import label, msgid
from coopcore.models import Cooperative, Distribution, DistributionState, PatronageMeasure
from coopcore.rules.distribution import STATUTORY_PATRONAGE_FLOOR
from coopcore.rules.plan_review import review
from coopcore.rules.statements import Statements
from coopcore.services import lookups
from coopcore.services.statements import statements
from reports import base, charts, pdf, queries, text, xlsx
from reports.cli import cooperative_command, standalone
from reports.statements import Heading, sheets, story

GREEN, RED, GREY = colors.HexColor("#1e7b34"), colors.HexColor("#b00000"), colors.HexColor("#666666")
FIT = "Complies"
BOOKED = "From the books as they stand, vouchers not yet posted included; lines 14-19 of form 02 hold the distribution."
NOT_BOOKED = (
    "From the books as they stand, vouchers not yet posted included. The plan is booked once the member assembly "
    "approves it: until then lines 14-19 of form 02 hold no distribution, and the plan is in the sections below."
)


@dataclass(frozen=True)
class Check:
    """A statutory check: passed (True), failed (False) or not applicable yet (None), with what it compared."""

    ok: bool | None
    label: str
    detail: str


def statutory_checks(distribution: Distribution, sums: queries.PlanSums, lang: Lang) -> list[Check]:
    """The law's checks on the plan (coopcore.rules.plan_review), each with the figures it compared."""
    d = distribution
    lines = sums.lines
    result = review(d, lines, d.published_on, d.assembly_on)
    floor = text.tr("Returns by patronage at least 60% of distributable surplus (Art. 44)", lang)
    if result.patronage_share is not None:
        detail = text.tr(
            "{pool} of {distributable}: {share}",
            lang,
            pool=text.amount(d.patronage_pool, lang),
            distributable=text.amount(d.distributable, lang),
            share=text.percent(result.patronage_share, lang),
        )
    else:
        detail = text.tr("No distributable surplus this year.", lang)
    checks = [Check(result.patronage_floor_met, floor, detail)]
    checks.append(
        Check(
            result.reconciles,
            text.tr("Members' amounts add up to the pools to the fen", lang),
            text.tr(
                "returns {patronage} = {patronage_pool}; residual {residual} = {residual_pool}; provident fund "
                "quantified {provident} = {provident_fund}",
                lang,
                patronage=text.amount(lines.patronage_return, lang),
                patronage_pool=text.amount(d.patronage_pool, lang),
                residual=text.amount(lines.residual_distribution, lang),
                residual_pool=text.amount(d.residual_pool, lang),
                provident=text.amount(lines.provident_share_added, lang),
                provident_fund=text.amount(d.provident_fund, lang),
            ),
        )
    )
    checks.append(
        Check(
            result.farmers_enough,
            text.tr("Farmers at least 80% of members (Art. 20)", lang),
            text.tr(
                "{farmers} of {members} members: {share}",
                lang,
                farmers=lines.farmers,
                members=lines.members,
                share=text.percent(result.farmer_share or Decimal("0.00"), lang),
            ),
        )
    )
    if result.notice_days is not None:
        detail = text.tr(
            "published {published}, assembly {assembly}: {days} days",
            lang,
            published=text.day(d.published_on, lang),
            assembly=text.day(d.assembly_on, lang),
            days=result.notice_days,
        )
    else:
        detail = text.tr("Not yet published with an assembly date.", lang)
    checks.append(
        Check(
            result.notice_enough,
            text.tr("Published at least 15 days before the member assembly (Art. 40)", lang),
            detail,
        )
    )
    approved = base.is_final(d)
    checks.append(
        Check(
            True if approved else None,
            text.tr("Approved by the member assembly (Art. 29)", lang),
            base.state_sentence(d, lang) if approved else text.tr("Awaiting the member assembly.", lang),
        )
    )
    return checks


def member_columns(distribution: Distribution, lang: Lang) -> list[pdf.Column]:
    """The per-member table, the same in the PDF and the workbook."""
    measure = msgid(distribution.patronage_measure)
    kind: pdf.Kind = "money" if distribution.patronage_measure is PatronageMeasure.AMOUNT else "quantity"
    return [
        pdf.Column(text.tr("Member code", lang), 40, xlsx_width=9),
        pdf.Column(text.tr("Member", lang), 88, xlsx_width=24),
        pdf.Column(text.tr("Member kind", lang), 64, xlsx_width=14),
        pdf.Column(text.tr(measure, lang), 66, kind, total=True, xlsx_width=15),
        pdf.Column(text.tr("Contribution", lang), 62, "money", total=True),
        pdf.Column(text.tr("Provident fund share", lang), 58, "money", total=True),
        pdf.Column(text.tr("Subsidy share", lang), 58, "money", total=True),
        pdf.Column(text.tr("Donation share", lang), 50, "money", total=True),
        pdf.Column(text.tr("Residual basis", lang), 66, "money", total=True),
        pdf.Column(text.tr("Patronage return", lang), 64, "money", total=True),
        pdf.Column(text.tr("Residual distribution", lang), 64, "money", total=True),
        pdf.Column(text.tr("Dividend total", lang), 70, "money", total=True),
    ]


def member_row(line: queries.PlanLine, lang: Lang) -> list[pdf.Cell]:
    return [
        line.code,
        line.name,
        label(line.kind, lang),
        line.patronage,
        line.contribution,
        line.provident_share,
        line.subsidy_share,
        line.donation_share,
        line.residual_weight,
        line.patronage_return,
        line.residual_distribution,
        line.total,
    ]


def build_distribution_report(
    session: Session, cooperative: Cooperative, year: int, out_dir: Path, lang: Lang = "zh"
) -> list[Path]:
    """Write the year's distribution report as PDF and XLSX into out_dir and return both paths."""
    distribution = lookups.live_distribution(session, cooperative, year)
    sums = queries.plan_sums(session, distribution)
    checks = statutory_checks(distribution, sums, lang)
    pdf_path = base.output_path(out_dir, year, cooperative.credit_code, "distribution report", "pdf", lang)
    title = text.tr("{year} surplus distribution report", lang, year=year)
    doc = pdf.ReportDoc(pdf_path, base.letterhead(title, cooperative, distribution, lang))
    found = statements(session, cooperative, year, include_unposted=True)
    doc.build_from(_story(session, cooperative, distribution, sums, checks, found, lang))
    return [pdf_path, _workbook(session, cooperative, distribution, checks, found, out_dir, lang)]


def _story(
    session: Session,
    cooperative: Cooperative,
    distribution: Distribution,
    sums: queries.PlanSums,
    checks: list[Check],
    found: Statements,
    lang: Lang,
) -> Iterator[Flowable]:
    width, _ = pdf.frame_size(pdf.PORTRAIT)
    year = distribution.year
    yield pdf.title(f"{cooperative.name}\n" + text.tr("{year} surplus distribution report", lang, year=year))
    yield Spacer(1, 8)
    yield _banner(distribution, lang, width)
    yield Spacer(1, 8)
    village = cooperative.village.name if cooperative.village else ""
    yield pdf.info_grid(
        [
            (text.tr("Cooperative", lang), cooperative.name),
            (text.tr("Unified social credit code", lang), cooperative.credit_code),
            (text.tr("Village", lang), village),
            (text.tr("Fiscal year", lang), text.tr("{year} (1 January to 31 December)", lang, year=year)),
            (text.tr("Members on the roster at year end", lang), str(sums.lines.members)),
            (
                text.tr("Plan revision, computed at", lang),
                f"{distribution.revision} · {distribution.planned_at:%Y-%m-%d %H:%M}",
            ),
        ],
        width,
    )
    yield Spacer(1, 10)
    # [L-40] the year's financial report goes to the office with the plan: the statements as reports.statements
    # prints them, from the books as they stand (every voucher, posted or not).
    yield pdf.heading(text.tr("1. The statements of the year (forms 01, 02 and 03)", lang))
    posted = distribution.state in (DistributionState.POSTED, DistributionState.PAID)
    yield pdf.para(text.tr(BOOKED if posted else NOT_BOOKED, lang), 9)
    yield from pdf.to_landscape()
    yield from story(found, Heading(cooperative.name), lang)
    yield from pdf.to_portrait()
    if sums.converted:
        yield pdf.para(
            text.tr(
                "Of lines 17 and 18, {amount} was paid by conversion into contributions.",
                lang,
                amount=text.amount(sums.converted, lang),
            ),
            8.5,
        )
    yield Spacer(1, 10)
    yield KeepTogether(
        [
            pdf.heading(text.tr("2. Bylaws applied", lang)),
            _bylaws_table(session, cooperative, distribution, lang, width),
        ]
    )
    yield Spacer(1, 10)
    yield KeepTogether([pdf.heading(text.tr("3. Statutory checks", lang)), _checks_table(checks, lang, width)])
    yield Spacer(1, 10)
    if distribution.distributable > 0:
        charts_ = list(_charts(session, distribution, sums, lang, width))
        yield KeepTogether([pdf.heading(text.tr("4. Charts", lang)), charts_[0]])
        yield from charts_[1:]
    else:  # a loss or a year that only covers past losses: nothing is shared out, nothing to draw
        yield pdf.heading(text.tr("4. Charts", lang))
        yield pdf.para(text.tr("No distributable surplus this year.", lang))
    yield from pdf.to_landscape()
    table = pdf.PagedTable(
        member_columns(distribution, lang),
        lang,
        caption=text.tr("5. Distribution to each member (amounts in yuan)", lang),
    )
    yield from table.flowables(member_row(line, lang) for line in queries.plan_lines(session, distribution.id))
    yield Spacer(1, 18)
    yield pdf.signatures(
        [text.tr(label, lang) for label in ("Prepared by", "Accountant", "Chair", "Chief supervisor")],
        pdf.frame_size(pdf.LANDSCAPE)[0],
        lang,
    )


def _banner(distribution: Distribution, lang: Lang, width: float) -> Table:
    final = base.is_final(distribution)
    colour = GREEN if final else RED
    table = Table([[pdf.para(base.state_sentence(distribution, lang), 10.5, color=colour)]], colWidths=[width])
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), pdf.font(), 10.5),  # else reportlab names Helvetica, unembedded
                ("BOX", (0, 0), (-1, -1), 1.5, colour),
                ("TOPPADDING", (0, 0), (-1, -1), 6),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
            ]
        )
    )
    return table


def _bylaws_table(
    session: Session, cooperative: Cooperative, distribution: Distribution, lang: Lang, width: float
) -> Table:
    d = distribution
    bylaws = queries.bylaws_of(session, cooperative, d.year)
    adopted = text.tr("in force from {day}", lang, day=text.day(bylaws.effective_on, lang)) if bylaws else text.DASH
    if bylaws and bylaws.resolution:
        adopted += f" · {bylaws.resolution}"
    pairs: list[tuple[str, str | Decimal]] = [
        (text.tr("Provident fund rate", lang), text.rate(d.provident_fund_rate, lang)),
        (
            text.tr("Share returned by patronage", lang),
            text.tr("{ratio} (the law: at least 60%)", lang, ratio=text.rate(d.patronage_ratio, lang)),
        ),
        (text.tr("Patronage measured by", lang), label(d.patronage_measure, lang)),
        (text.tr("Provident fund quantified", lang), label(d.provident_basis, lang)),
        (text.tr("Subsidy-formed property, quantified equally", lang), d.subsidy_property),
        (text.tr("Donation-formed property, quantified equally", lang), d.donation_property),
        (
            text.tr("Residual surplus divided by", lang),
            text.tr("contribution + provident fund share + subsidy and donation shares", lang),
        ),
        (text.tr("Bylaws", lang), adopted),
    ]
    return pdf.key_values(pairs, (width * 0.4, width * 0.6), lang)


def _checks_table(checks: list[Check], lang: Lang, width: float) -> Table:
    rows: list[list[object]] = [[text.tr("Check", lang), text.tr("Result", lang), text.tr("Figures", lang)]]
    commands: list[tuple[object, ...]] = []
    for index, check in enumerate(checks, start=1):
        result = {True: FIT, False: "Does not comply", None: "Pending"}[check.ok]
        colour = {True: GREEN, False: RED, None: GREY}[check.ok]
        rows.append([pdf.para(check.label, 8.5), text.tr(result, lang), pdf.para(check.detail, 8)])
        commands.append(("TEXTCOLOR", (1, index), (1, index), colour))
    table = Table(rows, colWidths=[width * 0.38, width * 0.12, width * 0.5])
    table.setStyle(
        pdf.table_style([pdf.Column("", 0)] * 3, 1, 8.5, [("ALIGN", (1, 0), (1, -1), "CENTER"), *commands], 2)
    )
    return table


def _charts(
    session: Session, distribution: Distribution, sums: queries.PlanSums, lang: Lang, width: float
) -> Iterator[Flowable]:
    kinds = [k for k in sums.by_kind if k.members]
    yield pdf.chart(
        charts.horizontal_bars(
            [text.tr("{kind} ({count})", lang, kind=label(k.kind, lang), count=k.members) for k in kinds],
            [
                (text.tr("Patronage return", lang), [k.patronage_return for k in kinds], charts.BLUE),
                (text.tr("Residual distribution", lang), [k.residual_distribution for k in kinds], charts.ORANGE),
            ],
            [text.amount(k.total, lang) for k in kinds],
            text.tr("Dividends by kind of member (number of members)", lang),
            text.tr("yuan", lang),
            size=(7.0, 0.9 + 0.42 * max(len(kinds), 1)),
        ),
        width,
    )
    yield Spacer(1, 8)
    yield pdf.chart(
        charts.share_bar(
            [
                (text.tr("Patronage return", lang), distribution.patronage_pool, charts.BLUE),
                (text.tr("Residual distribution", lang), distribution.residual_pool, charts.ORANGE),
            ],
            STATUTORY_PATRONAGE_FLOOR,
            text.tr("legal floor 60%", lang),
            text.tr("Patronage return and residual distribution, share of distributable surplus", lang),
        ),
        width,
    )
    yield Spacer(1, 8)
    top = queries.largest_recipients(session, distribution.id)
    yield pdf.chart(
        charts.horizontal_bars(
            [label for label, _, _ in top],
            [
                (text.tr("Patronage return", lang), [p for _, p, _ in top], charts.BLUE),
                (text.tr("Residual distribution", lang), [r for _, _, r in top], charts.ORANGE),
            ],
            [text.amount(p + r, lang) for _, p, r in top],
            text.tr("The {count} largest dividends", lang, count=len(top)),
            text.tr("yuan", lang),
            size=(7.0, 0.9 + 0.3 * max(len(top), 1)),
        ),
        width,
    )


def _workbook(
    session: Session,
    cooperative: Cooperative,
    distribution: Distribution,
    checks: list[Check],
    found: Statements,
    out_dir: Path,
    lang: Lang,
) -> Path:
    year = distribution.year
    book = xlsx.new_book()
    state = base.state_label(distribution, lang)
    caption = f"{cooperative.name} " + text.tr("{year} surplus distribution report", lang, year=year) + f"（{state}）"
    sheets(book, found, Heading(cooperative.name), lang)
    rules = xlsx.Sheet(
        book,
        text.tr("Bylaws and checks", lang),
        [
            pdf.Column(text.tr("Item", lang), 0, xlsx_width=46),
            pdf.Column(text.tr("Result", lang), 0, xlsx_width=16),
            pdf.Column(text.tr("Figures", lang), 0, xlsx_width=80),
        ],
        caption,
        lang,
    )
    d = distribution
    rules.row([text.tr("Plan state", lang), state, base.state_sentence(d, lang)])
    rules.row([text.tr("Provident fund rate", lang), text.rate(d.provident_fund_rate, lang), ""])
    rules.row([text.tr("Share returned by patronage", lang), text.rate(d.patronage_ratio, lang), ""])
    rules.row([text.tr("Patronage measured by", lang), label(d.patronage_measure, lang), ""])
    rules.row([text.tr("Provident fund quantified", lang), label(d.provident_basis, lang), ""])
    for check in checks:
        result = {True: FIT, False: "Does not comply", None: "Pending"}[check.ok]
        rules.row([check.label, text.tr(result, lang), check.detail])
    members = xlsx.Sheet(
        book,
        text.tr("Members' amounts", lang),
        member_columns(distribution, lang),
        caption + " · " + text.tr("Distribution to each member (amounts in yuan)", lang),
        lang,
    )
    for plan_line in queries.plan_lines(session, distribution.id):
        members.row(member_row(plan_line, lang))
    members.total_row()
    path = base.output_path(out_dir, year, cooperative.credit_code, "distribution report", "xlsx", lang)
    return xlsx.save(book, path)


command = cooperative_command("distribution", build_distribution_report, "Annual distribution report (PDF and XLSX).")

if __name__ == "__main__":
    standalone(command, "reports.distribution")
