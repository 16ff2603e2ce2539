"""Member dividend slips (分红明细单): one per household, three (or two, or one) to an A4 page, cut apart.

Each slip shows the member, the patronage return with its basis and the plan's return per unit (the pool, the
bylaws' ratio), the residual distribution with its basis and the residual per yuan of weight, the total in figures
and in Chinese capitals (大写), the year's guaranteed rent and what of it was paid, the payment, what the
cooperative still owes the household after it (from the books), and a box for the signature or thumbprint.
A slip of an unapproved plan carries a red 草案 stamp of its own, since it is cut from the page.

    python -m reports.slips --db URL --coop CREDIT_CODE --year 2024 [--per-page 1|2|3] [--out DIR] [--lang zh|en]
    coop report slips --coop CREDIT_CODE --year 2024
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import click
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, PageBreak, Paragraph, Table, TableStyle
from sqlalchemy.orm import Session

from coopcore.i18n import Lang
from coopcore.i18n.capitals import amount_in_capitals
from coopcore.labels import label
from coopcore.models import Cooperative, Distribution, PatronageMeasure
from coopcore.services import lookups
from coopcore.services.dividend_slips import RATE_PLACES, HouseholdOwed, PlanRates, households_owed, plan_rates
from coopcore.services.ledger import chart_accounts
from coopcore.services.ledger.owed import OWED_ACCOUNTS
from coopcore.services.plan_review import line_sums
from reports import base, pdf, queries, text
from reports.cli import Progress, cooperative_command, standalone

MARGIN_X, MARGIN_Y = 16 * mm, 10 * mm
# The slips fill the page to near its edges and are cut apart: no running header or footer to cut through.
SLIP_PAGE = pdf.PageLayout(margin_x=MARGIN_X, margin_top=MARGIN_Y, margin_bottom=MARGIN_Y, running=False)


def build_dividend_slips(
    session: Session,
    cooperative: Cooperative,
    year: int,
    out_dir: Path,
    lang: Lang = "zh",
    *,
    per_page: int = 3,
    progress: Progress | None = None,
    today: dt.date | None = None,
) -> list[Path]:
    """Write one slip per member of the year's distribution, per_page to an A4 page; return the PDF's path."""
    if per_page not in (1, 2, 3):
        raise ValueError("per_page must be 1, 2 or 3")
    distribution = lookups.live_distribution(session, cooperative, year)
    total = line_sums(session, distribution).members
    path = base.output_path(out_dir, year, cooperative.credit_code, "dividend slips", "pdf", lang)
    letterhead = pdf.Letterhead(text.tr("{year} dividend slips", lang, year=year), base.issuer(cooperative, lang), lang)
    width, height = pdf.frame_size(pdf.PORTRAIT, SLIP_PAGE)
    slot = height / per_page
    # What every slip explains: the plan's rates, and each household's rent and what is owed, read once for all.
    explained = Explained(plan_rates(session, distribution), households_owed(session, distribution, today or
                          dt.date.today()), _account_names(session, cooperative, lang))  # fmt: skip

    def story() -> Iterator[Flowable]:
        done = 0
        for done, line in enumerate(queries.plan_lines(session, distribution.id), start=1):
            position = (done - 1) % per_page
            if position == 0 and done > 1:
                yield PageBreak()  # a document written in parts ends a part only at a page break
            cut = position < per_page - 1  # a dashed line under each slip but the page's last

            def draw(canvas: Canvas, line: queries.PlanLine = line, cut: bool = cut, done: int = done) -> None:
                _slip(canvas, cooperative, distribution, line, explained, lang, slot, width)
                if cut:
                    pdf.cut_line(canvas, lang, MARGIN_X)
                if progress is not None:
                    progress(done, total)

            yield pdf.Drawn(slot, draw)
        if done == 0:
            note = text.tr("The distribution has no members.", lang)
            yield pdf.Drawn(height, lambda canvas: _no_members(canvas, note))

    pdf.ReportDoc(path, letterhead, layout=SLIP_PAGE).build_from(story())
    return [path]


@dataclass(frozen=True)
class Explained:
    """What the slips explain beside each line: the plan's rates, each household's rent and owed amounts."""

    rates: PlanRates
    owed: dict[str, HouseholdOwed]
    accounts: dict[str, str]  # the names of 114, 221 and 222


def _account_names(session: Session, cooperative: Cooperative, lang: Lang) -> dict[str, str]:
    chart = chart_accounts(session, cooperative)
    return {code: chart[code].name if lang == "zh" else chart[code].name_en for code in OWED_ACCOUNTS}


def _no_members(canvas: Canvas, note: str) -> None:
    """The note half way down the page (the canvas's origin is MARGIN_Y above the page's bottom edge)."""
    canvas.setFont(pdf.font(), 11)
    canvas.drawString(0, A4[1] / 2 - MARGIN_Y, note)


def _slip(
    canvas: Canvas,
    cooperative: Cooperative,
    distribution: Distribution,
    line: queries.PlanLine,
    explained: Explained,
    lang: Lang,
    slot: float,
    width: float,
) -> None:
    """One slip in its slot, the canvas's origin at the slot's bottom left."""
    x, top = 0.0, slot
    head = Paragraph(
        pdf.escape(cooperative.name)
        + "&nbsp;&nbsp;"  # one line: the slip's explanations take the room a second line had
        + pdf.escape(text.tr("{year} dividend slip (surplus distribution detail)", lang, year=distribution.year)),
        pdf.style(11.5, align=TA_CENTER, leading=14.5, cjk=True),
    )
    _, head_height = head.wrapOn(canvas, width - 50 * mm, 60)
    y = top - 3 * mm - head_height
    head.drawOn(canvas, x + 25 * mm, y)
    if not base.is_final(distribution):
        _stamp(canvas, x + width - 27 * mm, top - 5 * mm, base.state_label(distribution, lang), lang)
    who = [
        (text.tr("Member code", lang), line.code),
        (text.tr("Member name", lang), line.name),
        (text.tr("Head of household", lang), line.household_head or ""),
        (text.tr("Slip No.", lang), f"{distribution.year}-{line.code}"),
    ]
    colon = "：" if lang == "zh" else ": "
    canvas.setFont(pdf.font(), 9.5)
    y -= 4.5 * mm
    left = x
    for share, (caption, value) in zip((0.18, 0.44, 0.2, 0.18), who, strict=True):
        content, size = pdf.shrink(caption + colon + value, width * share - 4, 9.5, smallest=7)
        canvas.setFont(pdf.font(), size)
        canvas.drawString(left, y, content)
        left += width * share
    table = _amounts(distribution, line, explained, lang, width)
    _, table_height = table.wrapOn(canvas, width, slot)
    y -= 2 * mm + table_height
    table.drawOn(canvas, x, y)
    note = pdf.para(_rounding_note(lang), 6.8, color=pdf.GRID)
    _, note_height = note.wrapOn(canvas, width, 20 * mm)
    y -= 0.8 * mm + note_height
    note.drawOn(canvas, x, y)
    _signature_row(canvas, lang, x, y - 1.5 * mm, width)


def _amounts(
    distribution: Distribution, line: queries.PlanLine, explained: Explained, lang: Lang, width: float
) -> Table:
    small = 7.4
    rates = explained.rates
    if distribution.patronage_measure is PatronageMeasure.AMOUNT:
        basis = text.tr("transactions {amount} yuan", lang, amount=text.amount(line.patronage, lang))
    else:
        measure = label(distribution.patronage_measure, lang)
        basis = f"{measure} {text.quantity(line.patronage, lang)}"
    if rates.patronage_rate is not None:
        basis += text.tr(
            "; {rate} yuan returned per {unit} (pool {pool} = {ratio} of distributable surplus {distributable} by "
            "the bylaws, over members' total {total})",
            lang,
            rate=str(rates.patronage_rate),  # quantized to RATE_PLACES: every place shown, 0.0700
            unit=text.tr(UNITS[distribution.patronage_measure], lang),
            pool=text.amount(rates.patronage_pool, lang),
            ratio=text.rate(rates.patronage_ratio, lang),
            distributable=text.amount(rates.distributable, lang),
            total=text.quantity(rates.total_patronage, lang),
        )
    residual_basis = text.tr(
        "contribution {contribution} + provident fund share {provident} + quantified shares {shares} = {weight}",
        lang,
        contribution=text.amount(line.contribution, lang),
        provident=text.amount(line.provident_share, lang),
        shares=text.amount(line.subsidy_share + line.donation_share, lang),
        weight=text.amount(line.residual_weight, lang),
    )
    if rates.residual_rate is not None:
        residual_basis += text.tr(
            "; {rate} yuan per yuan of weight (residual pool {pool} over members' total weight {total})",
            lang,
            rate=str(rates.residual_rate),
            pool=text.amount(rates.residual_pool, lang),
            total=text.amount(rates.total_weight, lang),
        )
    owed = explained.owed.get(line.code)
    rows: list[list[str | Paragraph]] = [
        [text.tr("Item", lang), text.tr("Basis", lang), text.tr("Amount (yuan)", lang)],
        [text.tr("Patronage return", lang), pdf.para(basis, small), text.amount(line.patronage_return, lang)],
        [
            text.tr("Residual distribution", lang),
            pdf.para(residual_basis, small),
            text.amount(line.residual_distribution, lang),
        ],
        [text.tr("Total in figures", lang), "", "¥" + text.amount(line.total, lang)],
        [text.tr("Total in words", lang), amount_in_capitals(line.total), ""],
    ]
    if line.converted:  # §15 rule 25b: part of the share became contribution by the assembly's resolution
        # In the total's empty cell: a row more would not fit three slips to a page.
        rows[3][1] = pdf.para(
            text.tr("of which {converted} converted into contribution ({resolution}); left to pay ¥{amount}", lang,
                    converted=text.amount(line.converted, lang), resolution=distribution.resolution,
                    amount=text.amount(line.payable, lang)),
            small,
        )  # fmt: skip
    rows.append([text.tr("Guaranteed rent", lang), pdf.para(_rent(distribution.year, owed, lang), small), ""])
    rows.append([text.tr("Payment", lang), pdf.para(_payment(line, distribution.resolution, lang), small), ""])
    rows.append([pdf.para(text.tr("Still owed after this payment", lang), 8.5, leading=9.5),
                 pdf.para(_after(owed, explained, lang), small), ""])  # fmt: skip
    table = Table(rows, colWidths=[width * 0.17, width * 0.64, width * 0.19])
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), pdf.font(), 9),
                ("FONT", (0, 1), (0, -1), pdf.font(), 8.5),
                ("FONT", (2, 3), (2, 3), pdf.font(), 11.5),
                ("FONT", (1, 4), (1, 4), pdf.font(), 11.5),
                ("GRID", (0, 0), (-1, -1), 0.5, pdf.GRID),
                ("BOX", (0, 0), (-1, -1), 1.0, colors.black),
                ("BACKGROUND", (0, 0), (-1, 0), pdf.SHADE),
                ("BACKGROUND", (0, 3), (-1, 4), pdf.TOTAL_SHADE),
                ("ALIGN", (2, 0), (2, -1), "RIGHT"),
                ("ALIGN", (0, 0), (-1, 0), "CENTER"),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("SPAN", (1, 4), (2, 4)),
                *(("SPAN", (1, row), (2, row)) for row in range(5, len(rows))),
                ("TOPPADDING", (0, 0), (-1, -1), 1.8),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2.2),
            ]
        )
    )
    return table


# What the return per unit is per, for each patronage measure.
UNITS = {PatronageMeasure.AMOUNT: "yuan of transactions", PatronageMeasure.QUANTITY: "unit of quantity",
         PatronageMeasure.MU: "mu"}  # fmt: skip


def _rounding_note(lang: Lang) -> str:
    return text.tr(
        "Rates: {places} decimals, rounded half up, to explain; each amount is its pool split to the fen by the "
        "largest-remainder method, not rate × basis.",
        lang,
        places=RATE_PLACES,
    )


def _rent(year: int, owed: HouseholdOwed | None, lang: Lang) -> str:
    """The year's guaranteed land rent from the books, what of it was paid, and what 114 paid in the year."""
    if owed is None or not owed.rent_credited:
        return text.tr("No guaranteed land rent in {year}.", lang, year=year)
    return text.tr(
        "{year}: {credited} credited to the member's current account, {paid} of it paid by the year end "
        "(the current account paid {account_paid} in the year)",
        lang,
        year=year,
        credited=text.amount(owed.rent_credited, lang),
        paid=text.amount(owed.rent_paid, lang),
        account_paid=text.amount(owed.current_account_paid, lang),
    )


def _after(owed: HouseholdOwed | None, explained: Explained, lang: Lang) -> str:
    """What the books owe the household once this dividend is paid, per account and in total."""
    if owed is None:
        return ""
    parts = [f"{code} {explained.accounts[code]} {text.amount(owed.after[code], lang)}" for code in OWED_ACCOUNTS]
    comma = "，" if lang == "zh" else ", "
    return text.tr("On {day}: {accounts}; total ¥{total}", lang, day=text.day(owed.after_on, lang),
                   accounts=comma.join(parts), total=text.amount(owed.total_after, lang))  # fmt: skip


def _payment(line: queries.PlanLine, resolution: str, lang: Lang) -> str:
    if line.paid_on is not None and line.payment_method is not None:
        return text.tr(
            "{method} on {day}",
            lang,
            method=label(line.payment_method, lang),
            day=text.day(line.paid_on, lang),
        )
    if line.converted and not line.payable:  # the assembly converted the whole share: there is nothing to pay
        return text.tr("Nothing to pay: all converted into contribution ({resolution})", lang, resolution=resolution)
    return text.tr("Not paid yet:  □ cash   □ converted into contribution (needs the assembly's resolution)", lang)


def _signature_row(canvas: Canvas, lang: Lang, x: float, top: float, width: float) -> None:
    """The member's signature and thumbprint box, then the clerk, the date and the cooperative's seal."""
    box_width, box_height = width * 0.42, 12.5 * mm
    canvas.setLineWidth(0.8)
    canvas.rect(x, top - box_height, box_width, box_height)
    canvas.setFont(pdf.font(), 8.5)
    canvas.drawString(x + 2 * mm, top - 4 * mm, text.tr("Member's signature (thumbprint)", lang))
    colon = "：" if lang == "zh" else ": "
    right = x + box_width + 6 * mm
    canvas.setFont(pdf.font(), 9.5)
    canvas.drawString(right, top - 5 * mm, text.tr("Paid by", lang) + colon + "_" * 12)
    canvas.drawString(right, top - 10.5 * mm, text.tr("Date", lang) + colon + text.BLANK_DAY[lang])
    canvas.drawRightString(x + width, top - 5 * mm, text.tr("Cooperative (seal)", lang))


def _stamp(canvas: Canvas, x: float, top: float, label: str, lang: Lang) -> None:
    """A red framed word (草案) at the slip's corner, the way an office stamps a draft."""
    canvas.saveState()
    canvas.setStrokeColor(pdf.RED)
    canvas.setFillColor(pdf.RED)
    canvas.setLineWidth(1.4)
    size = 15 if lang == "zh" else 11
    label_width = max(canvas.stringWidth(label, pdf.font(), size) + 6 * mm, 22 * mm)
    canvas.rect(x + 25 * mm - label_width, top - 9 * mm, label_width, 9 * mm)
    canvas.setFont(pdf.font(), size)
    canvas.drawCentredString(x + 25 * mm - label_width / 2, top - 6.6 * mm, label)
    canvas.restoreState()


PER_PAGE = click.option(
    "--per-page",
    type=click.Choice(["1", "2", "3"]),
    default="3",
    show_default=True,
    callback=lambda _ctx, _param, value: int(value),
    help="Slips on each A4 page.",
)
command = cooperative_command(
    "slips",
    build_dividend_slips,
    "Member dividend slips (分红明细单), with the total in Chinese capitals and a signature box.",
    options=(PER_PAGE,),
    progress="Dividend slips",
)

if __name__ == "__main__":
    standalone(command, "reports.slips")
