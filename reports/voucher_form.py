"""The 记账凭证 form, drawn on half an A4 page: title, 核算单位, date, 凭证字号, 附单据, lines, 合计 and signatures.

The layout is the customary one of 《会计基础工作规范》第五十一条: 摘要, 总账科目, 明细科目, 借方金额 and 贷方金额; the
合计 in figures and in capitals; 会计主管, 记账, 审核 and 制单 each in a box. Empty lines of the amount columns are
struck out from the last amount down to the 合计 (第五十一条(五)), so that nothing can be added by hand. A voucher
with more lines than the form holds continues on further forms numbered 第1/2页; each but the last carries its
running total as 过次页. A voucher not posted yet says 未记账 across its form, since it is cut from the page.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph, Table, TableStyle

from coopcore.i18n import Lang
from coopcore.i18n.capitals import amount_in_capitals
from coopcore.labels import label
from coopcore.services.ledger import SYSTEM
from coopcore.terms import VoucherOrigin, VoucherState
from reports import pdf, text
from reports.voucher_rows import PrintedLine, PrintedVoucher

MARGIN_X, MARGIN_Y = 16 * mm, 10 * mm
# Two forms to a page, cut apart: no running header or footer to cut through.
HALF_PAGE = pdf.PageLayout(margin_x=MARGIN_X, margin_top=MARGIN_Y, margin_bottom=MARGIN_Y, running=False)
LINES = 7  # lines of one form
HEAD_ROW, LINE_ROW, TOTAL_ROW = 7.5 * mm, 10 * mm, 9 * mm
SHARES = (0.25, 0.19, 0.22, 0.17, 0.17)  # 摘要, 总账科目, 明细科目, 借方金额, 贷方金额
WATERMARK = colors.Color(0.75, 0.1, 0.1, alpha=0.16)


@dataclass(frozen=True)
class FormPage:
    """One form of a voucher: its lines on this page, the page's place, and the amounts so far."""

    voucher: PrintedVoucher
    lines: tuple[PrintedLine, ...]
    page: int
    pages: int
    debit_so_far: Decimal
    credit_so_far: Decimal

    @property
    def last(self) -> bool:
        return self.page == self.pages


def form_pages(voucher: PrintedVoucher) -> list[FormPage]:
    """Split a voucher into forms of LINES lines (one form for an empty voucher)."""
    chunks = [voucher.lines[i : i + LINES] for i in range(0, len(voucher.lines), LINES)] or [()]
    pages, debit, credit = [], Decimal(0), Decimal(0)
    for number, chunk in enumerate(chunks, start=1):
        debit += sum((line.debit for line in chunk if line.debit is not None), Decimal(0))
        credit += sum((line.credit for line in chunk if line.credit is not None), Decimal(0))
        pages.append(FormPage(voucher, tuple(chunk), number, len(chunks), debit, credit))
    return pages


def draw_form(
    canvas: Canvas, form: FormPage, unit: str, lang: Lang, width: float, slot: float, *, single_person: bool
) -> None:
    """Draw one form in its slot, the canvas's origin at the slot's bottom left."""
    voucher = form.voucher
    colon = "：" if lang == "zh" else ": "
    if voucher.state is not VoucherState.POSTED:
        _watermark(canvas, text.tr("Not posted", lang), width, slot)
    top = slot - 4 * mm
    title = text.tr("Accounting voucher", lang)
    size = 17
    canvas.setFont(pdf.font(), size)
    spaced = " ".join(title) if lang == "zh" else title  # 记 账 凭 证, as the form prints it
    canvas.drawCentredString(width / 2, top - 7 * mm, spaced)
    title_width = canvas.stringWidth(spaced, pdf.font(), size) + 8 * mm
    canvas.setLineWidth(0.8)
    for drop in (8.6 * mm, 9.4 * mm):  # the title's double rule
        canvas.line((width - title_width) / 2, top - drop, (width + title_width) / 2, top - drop)
    canvas.setFont(pdf.font(), 10)
    canvas.drawRightString(width, top - 6 * mm, text.tr("Voucher No.", lang) + colon + voucher.number)
    if form.pages > 1:
        canvas.drawRightString(
            width, top - 11 * mm, text.tr("Page {page}/{pages}", lang, page=form.page, pages=form.pages)
        )
    info = top - 17 * mm
    canvas.setFont(pdf.font(), 9.5)
    unit_line, unit_size = pdf.shrink(text.tr("Accounting unit", lang) + colon + unit, width * 0.42, 9.5, smallest=7)
    canvas.setFont(pdf.font(), unit_size)
    canvas.drawString(0, info, unit_line)
    canvas.setFont(pdf.font(), 9.5)
    canvas.drawCentredString(width * 0.56, info, text.day(voucher.voucher_date, lang))
    canvas.drawRightString(width, info, text.tr("Attachments: {count}", lang, count=voucher.attachments))
    table, heights = _table(form, lang, width)
    table.wrapOn(canvas, width, slot)
    bottom = info - 3 * mm - sum(heights)
    table.drawOn(canvas, 0, bottom)
    _strike_empty(canvas, form, width, bottom + TOTAL_ROW, heights)
    _signatures(canvas, voucher, lang, width, bottom - 6 * mm)
    y = bottom - 12 * mm
    for note, colour in _notes(voucher, lang, single_person=single_person):
        canvas.setFillColor(colour)
        canvas.setFont(pdf.font(), 8.5)
        canvas.drawString(0, y, pdf.fit(note, width, 8.5))
        y -= 4.5 * mm
    canvas.setFillColor(colors.black)


def _table(form: FormPage, lang: Lang, width: float) -> tuple[Table, list[float]]:
    voucher = form.voucher
    widths = [width * share for share in SHARES]
    headers = ("Summary", "General ledger account", "Detail account", "Amount debited", "Amount credited")
    rows: list[list[Any]] = [[pdf.header_cell(text.tr(h, lang), 9.5) for h in headers]]
    for line in form.lines:
        rows.append(
            [
                _fitted(line.summary or voucher.summary, widths[0]),
                _fitted(line.account.top_label, widths[1]),
                _fitted(line.detail, widths[2]),
                _money(line.debit, lang),
                _money(line.credit, lang),
            ]
        )
    rows += [["", "", "", "", ""] for _ in range(LINES - len(form.lines))]
    if form.last:
        words = amount_in_capitals(form.debit_so_far)
        caption = text.tr("Total", lang) + ("：" if lang == "zh" else ": ") + words
    else:
        caption = text.tr("Carried to next page", lang)
    rows.append([caption, "", "", _money(form.debit_so_far, lang, "¥"), _money(form.credit_so_far, lang, "¥")])
    heights = [HEAD_ROW] + [LINE_ROW] * LINES + [TOTAL_ROW]
    commands: list[tuple[Any, ...]] = [
        ("FONT", (0, 0), (-1, -1), pdf.font(), 9.5),
        ("FONT", (0, -1), (-1, -1), pdf.font(), 10.5),
        ("GRID", (0, 0), (-1, -1), 0.5, pdf.GRID),
        ("BOX", (0, 0), (-1, -1), 1.2, colors.black),
        ("LINEABOVE", (0, -1), (-1, -1), 1.0, colors.black),
        ("BACKGROUND", (0, 0), (-1, 0), pdf.SHADE),
        ("SPAN", (0, -1), (2, -1)),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("ALIGN", (3, 1), (4, -1), "RIGHT"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]
    if voucher.is_reversal:  # red ink: every amount and the total
        commands.append(("TEXTCOLOR", (3, 1), (4, -1), pdf.RED))
        commands.append(("TEXTCOLOR", (0, -1), (0, -1), pdf.RED))
    table = Table(rows, colWidths=widths, rowHeights=heights)
    table.setStyle(TableStyle(commands))
    return table, heights


def _fitted(content: str, width: float, size: float = 9.5, smallest: float = 6.5) -> Paragraph:
    """A cell of at most two lines: a smaller font first, then cut with … (a 摘要 is never silently dropped)."""
    inner = width - 6
    while True:
        paragraph = pdf.para(content, size, leading=size * 1.15)
        _, height = paragraph.wrap(inner, 1000)
        if height <= 2 * size * 1.15 + 0.1 or size <= smallest:
            break
        size -= 0.5
    while height > 2 * size * 1.15 + 0.1 and content:
        content = content[:-2] + "…"
        paragraph = pdf.para(content, size, leading=size * 1.15)
        _, height = paragraph.wrap(inner, 1000)
    return paragraph


def _money(value: Decimal | None, lang: Lang, sign: str = "") -> str:
    if value is None:
        return ""
    return ("-" + sign + text.amount(-value, lang)) if value < 0 else sign + text.amount(value, lang)


def _strike_empty(canvas: Canvas, form: FormPage, width: float, lines_bottom: float, heights: list[float]) -> None:
    """Strike out the empty lines of the amount columns: from under the last amount to above the 合计."""
    empty = LINES - len(form.lines)
    if empty == 0:
        return
    left = width * sum(SHARES[:3])
    canvas.saveState()
    canvas.setLineWidth(0.7)
    canvas.line(left, lines_bottom + empty * LINE_ROW, width, lines_bottom)
    canvas.restoreState()


def _signatures(canvas: Canvas, voucher: PrintedVoucher, lang: Lang, width: float, y: float) -> None:
    """会计主管, 记账, 审核, 制单: the names the books hold, a line to sign on where there is none."""
    colon = "：" if lang == "zh" else ": "
    people = (
        ("Chief accountant", ""),
        ("Posted by", voucher.posted_by),
        ("Audited by", voucher.audited_by),
        ("Voucher prepared by", voucher.prepared_by),
    )
    share = width / len(people)
    for index, (caption, name) in enumerate(people):
        shown = text.tr("System", lang) if name == SYSTEM else name
        words = text.tr(caption, lang) + colon
        x = index * share
        if shown:  # the name the books hold, in a smaller font rather than cut where the label is long
            content, size = pdf.shrink(words + shown, share - 3 * mm, 9.5, smallest=7)
            canvas.setFont(pdf.font(), size)
            canvas.drawString(x, y, content)
        else:  # a line to sign on
            canvas.setFont(pdf.font(), 9.5)
            canvas.drawString(x, y, words)
            canvas.line(x + canvas.stringWidth(words, pdf.font(), 9.5), y - 1, x + share - 4 * mm, y - 1)


def _notes(voucher: PrintedVoucher, lang: Lang, *, single_person: bool) -> list[tuple[str, Any]]:
    """What the form must say besides its lines: the voucher a reversal cancels, a self-audit, its origin."""
    notes: list[tuple[str, Any]] = []
    if voucher.reverses is not None:
        notes.append((text.tr("Red reversal: cancels voucher {voucher}", lang, voucher=voucher.reverses), pdf.RED))
    if voucher.self_audited:
        sentence = (
            "Prepared and audited by the same person, as the cooperative's setting allows"
            if single_person
            else "Prepared and audited by the same person"
        )
        notes.append((text.tr(sentence, lang), colors.black))
    if voucher.origin is not VoucherOrigin.MANUAL:
        notes.append(
            (text.tr("Origin: {origin}", lang, origin=label(voucher.origin, lang)), colors.HexColor("#555555"))
        )
    return notes


def _watermark(canvas: Canvas, word: str, width: float, slot: float) -> None:
    """未记账 across the form, beneath its content."""
    canvas.saveState()
    canvas.setFillColor(WATERMARK)
    canvas.setFont(pdf.font(), 64 if pdf.has_cjk(word) else 44)
    canvas.translate(width / 2, slot / 2 - 8 * mm)
    canvas.rotate(18)
    canvas.drawCentredString(0, 0, word)
    canvas.restoreState()
