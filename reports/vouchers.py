"""Vouchers (记账凭证) of a year or a month: the customary form, two to an A4 page, and every line in a workbook.

python -m reports.vouchers --db URL --coop CREDIT_CODE --year 2024 [--month 3] [--out DIR] [--lang zh|en]
coop report vouchers --coop CREDIT_CODE --year 2024 [--month 3]
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, PageBreak
from sqlalchemy.orm import Session

from coopcore.i18n import Lang
from coopcore.labels import label
from coopcore.models import Cooperative
from reports import base, pdf, text, xlsx
from reports.cli import Progress, cooperative_command, standalone
from reports.ledger_text import MONTH, output
from reports.voucher_form import HALF_PAGE, MARGIN_Y, FormPage, draw_form, form_pages
from reports.voucher_rows import PrintedVoucher, count_vouchers, period_name, printed_vouchers

PER_PAGE = 2  # half an A4 page each, the customary size of a 记账凭证


def build_vouchers(
    session: Session,
    cooperative: Cooperative,
    year: int,
    out_dir: Path,
    lang: Lang = "zh",
    *,
    month: int | None = None,
    progress: Progress | None = None,
) -> list[Path]:
    """Write the vouchers of a year, or of one month, as forms (PDF) and as a list of lines (XLSX).

    A voucher prepared and audited by the same person says so, and names the cooperative's setting that lets one
    person do both (ledger_single_person) while it is on.
    """
    pdf_path = output(out_dir, cooperative, year, month, "vouchers", "pdf", lang)
    xlsx_path = output(out_dir, cooperative, year, month, "vouchers", "xlsx", lang)
    named = period_name(year, month, lang)
    title = text.tr("Vouchers {period}", lang, period=named)
    book = xlsx.new_book()
    sheet = xlsx.Sheet(book, text.tr("Voucher lines", lang), _columns(lang), f"{cooperative.name} {title}", lang)
    letterhead = pdf.Letterhead(title, base.issuer(cooperative, lang), lang)
    width, height = pdf.frame_size(pdf.PORTRAIT, HALF_PAGE)
    slot = height / PER_PAGE
    total = count_vouchers(session, cooperative, year, month)
    single_person = cooperative.ledger_single_person

    def story() -> Iterator[Flowable]:
        forms = 0
        for done, voucher in enumerate(printed_vouchers(session, cooperative, year, month, lang), start=1):
            _write_lines(sheet, voucher, lang)
            for form in form_pages(voucher):
                if forms % PER_PAGE == 0 and forms:
                    yield PageBreak()  # a document written in parts ends a part only at a page break
                upper = forms % PER_PAGE < PER_PAGE - 1

                def draw(canvas: Canvas, form: FormPage = form, upper: bool = upper) -> None:
                    draw_form(canvas, form, cooperative.name, lang, width, slot, single_person=single_person)
                    if upper:
                        pdf.cut_line(canvas, lang, HALF_PAGE.margin_x)

                yield pdf.Drawn(slot, draw)
                forms += 1
            if progress is not None:
                progress(done, total)
        if forms == 0:
            note = text.tr("No vouchers in {period}.", lang, period=named)
            yield pdf.Drawn(height, lambda canvas: _no_vouchers(canvas, note))

    pdf.ReportDoc(pdf_path, letterhead, layout=HALF_PAGE).build_from(story())
    sheet.total_row()
    return [pdf_path, xlsx.save(book, xlsx_path)]


def _no_vouchers(canvas: Canvas, note: str) -> None:
    """The note half way down the page (the canvas's origin is MARGIN_Y above the page's bottom edge)."""
    canvas.setFont(pdf.font(), 11)
    canvas.drawString(0, A4[1] / 2 - MARGIN_Y, note)


def _columns(lang: Lang) -> list[pdf.Column]:
    def column(header: str, width: float, kind: pdf.Kind = "text", total: bool = False) -> pdf.Column:
        return pdf.Column(text.tr(header, lang), 0, kind, total=total, xlsx_width=width)

    return [
        column("Date", 11, "date"),
        column("Voucher No.", 10),
        column("State", 9),
        column("Summary", 28),
        column("Account code", 9),
        column("Account name", 16),
        column("General ledger account", 18),
        column("Detail account", 24),
        column("Member code", 10),
        column("Member name", 14),
        column("Counterparty", 18),
        column("Amount debited", 15, "money", total=True),
        column("Amount credited", 15, "money", total=True),
        column("Reverses voucher", 18),
    ]


def _write_lines(sheet: xlsx.Sheet, voucher: PrintedVoucher, lang: Lang) -> None:
    """One row per line; a reversal's amounts negative on the side they cancel, as on the form."""
    for line in voucher.lines:
        sheet.row(
            [
                voucher.voucher_date,
                voucher.number,
                label(voucher.state, lang),
                line.summary or voucher.summary,
                line.account.code,
                line.account.name,
                line.account.top_label,
                line.detail,
                line.member_code,
                line.member_name,
                line.counterparty,
                line.debit,
                line.credit,
                voucher.reverses or "",
            ]
        )


command = cooperative_command(
    "vouchers",
    build_vouchers,
    "Vouchers (记账凭证) of the year or a month, two to an A4 page, with the total in Chinese capitals (PDF and XLSX).",
    options=(MONTH,),
    progress="Vouchers",
)

if __name__ == "__main__":
    standalone(command, "reports.vouchers")
