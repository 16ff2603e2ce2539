"""A4 pages for printing: running header and footer, a watermark on unapproved plans, tables page by page.

Reports hand ReportDoc an iterator of flowables; it pulls a few at a time (filterFlowables), so a table of
2,000 members is built one page at a time and never held whole in memory, and it writes the pages in parts
(reports/parts.py), so that reportlab never holds more than one part's finished pages either.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from io import BytesIO
from pathlib import Path
from typing import Any, Literal

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    Image,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from coopcore.i18n import Lang
from reports import parts, text
from reports.fonts import register_pdf_font

Kind = Literal["text", "money", "wan", "quantity", "percent", "count", "date"]  # wan: 万元 to 0.01
MARGIN = 14 * mm
HEADER_SPACE = 13 * mm  # above the frame: the running header
FOOTER_SPACE = 10 * mm
GRID = colors.HexColor("#555555")
SHADE = colors.HexColor("#eeeeee")
TOTAL_SHADE = colors.HexColor("#dddddd")
RED = colors.HexColor("#b00000")
PORTRAIT, LANDSCAPE = "portrait", "landscape"


def font() -> str:
    """The registered Chinese font's name (registering it on first use)."""
    return register_pdf_font()


Align = Literal[0, 1, 2, 4]  # reportlab's TA_LEFT, TA_CENTER, TA_RIGHT, TA_JUSTIFY


def style(
    size: float = 9.5,
    *,
    leading: float | None = None,
    align: Align = TA_LEFT,
    color: Any = colors.black,
    cjk: bool = True,
) -> ParagraphStyle:
    """A paragraph style in the Chinese font; CJK wrap breaks between any two characters, else between words."""
    return ParagraphStyle(
        f"s{size}-{align}-{cjk}",
        fontName=font(),
        fontSize=size,
        leading=leading or size * 1.35,
        alignment=align,
        textColor=color,
        wordWrap="CJK" if cjk else None,
    )


def has_cjk(content: str) -> bool:
    """True if the text has Chinese characters (and so wraps between characters, not words)."""
    return any("\u3000" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef" for ch in content)


def para(content: str, size: float = 9.5, **options: Any) -> Paragraph:
    """A paragraph of plain text (escaped) in the Chinese font; tick boxes (□) drawn large enough to tick."""
    marked = escape(content).replace("□", f'<font size="{size * 1.4:.1f}">□</font>')
    paragraph_style = style(size, cjk=has_cjk(content), **options)
    if "□" in content:
        paragraph_style.autoLeading = "max"  # the line makes room for the bigger box
    return Paragraph(marked, paragraph_style)


def escape(content: str) -> str:
    """Escape text for reportlab's paragraph mark-up."""
    return content.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\n", "<br/>")


def title(content: str, size: float = 16) -> Paragraph:
    """A document title, centred (a line break splits issuer and title)."""
    return Paragraph(escape(content), style(size, align=TA_CENTER, leading=size * 1.3, cjk=has_cjk(content)))


def heading(content: str, size: float = 11.5) -> Paragraph:
    """A section heading."""
    return Paragraph(escape(content), style(size, leading=size * 1.6, cjk=has_cjk(content)))


@dataclass(frozen=True)
class Letterhead:
    """What the running header and footer of every page say."""

    title: str
    issuer: str  # the cooperative or township, with its code
    lang: Lang
    watermark: str | None = None  # e.g. "草案" across the pages of an unapproved plan
    status_line: str | None = None  # e.g. "草案——未经成员大会审议通过" in the footer
    generated_on: dt.date = field(default_factory=dt.date.today)


@dataclass(frozen=True)
class PageLayout:
    """Where the content of a page goes, and whether the letterhead's running header and footer frame it."""

    margin_x: float = MARGIN  # left and right
    margin_top: float = MARGIN + HEADER_SPACE
    margin_bottom: float = MARGIN + FOOTER_SPACE
    running: bool = True  # header, footer and watermark; off for pages that are cut apart (dividend slips)


LETTERHEAD = PageLayout()


class ReportDoc:
    """An A4 document with portrait and landscape pages, filled from an iterator of flowables, written in parts."""

    def __init__(
        self, path: Path, letterhead: Letterhead, *, first: str = PORTRAIT, layout: PageLayout = LETTERHEAD
    ) -> None:
        self.path = path
        self.letterhead = letterhead
        self.first = first
        self.layout = layout

    def build_from(self, story: Iterable[Flowable]) -> None:
        """Lay out and write the document, pulling flowables from the story as pages fill."""
        pending = iter(story)
        first = next(pending, None)
        flowable: Flowable | None = first if first is not None else Spacer(1, 1)  # an empty story: one page
        template, pages = self.first, 0
        with parts.parts(self.path) as new_part:
            limit = parts.pages_per_part()
            while flowable is not None:
                part = _Part(new_part(), self.letterhead, self.layout, first=template, pages_before=pages, limit=limit)
                part.build_from(flowable, pending)
                pages += part.page
                # The page after the part's last page break: every page template is one of these two.
                template = PORTRAIT if part.pageTemplate.id == PORTRAIT else LANDSCAPE
                del part  # let it go before the next part (parts.parts)
                flowable = next(pending, None)


class _Part(BaseDocTemplate):
    """Consecutive pages of a ReportDoc in a file of their own, ended at the first page break after `limit` pages.

    A part ends only at a page break of the story, so no flowable is ever cut between parts: the next part starts
    on a new page with the template that break chose, and numbers its pages on from this one's.
    """

    def __init__(
        self, path: Path, letterhead: Letterhead, layout: PageLayout, *, first: str, pages_before: int, limit: int
    ) -> None:
        super().__init__(
            str(path),
            pagesize=A4,
            leftMargin=layout.margin_x,
            rightMargin=layout.margin_x,
            topMargin=layout.margin_top,
            bottomMargin=layout.margin_bottom,
            title=letterhead.title,
            author=letterhead.issuer,
            creator="coopcore reports",
            invariant=True,  # the same data gives the same bytes (no timestamps, fixed IDs)
            initialFontName=font(),  # no unembedded Helvetica left in the file
        )
        self.letterhead = letterhead
        self.layout = layout
        self.pages_before = pages_before
        self.limit = limit
        templates = [self._template(PORTRAIT, A4), self._template(LANDSCAPE, landscape(A4))]
        self.addPageTemplates(templates if first == PORTRAIT else templates[::-1])
        self._pending: Iterator[Flowable] = iter(())
        self._work: list[Flowable] = []
        self._full = False

    def _template(self, name: str, size: tuple[float, float]) -> PageTemplate:
        layout = self.layout
        frame = Frame(
            layout.margin_x,
            layout.margin_bottom,
            size[0] - 2 * layout.margin_x,
            size[1] - layout.margin_top - layout.margin_bottom,
            id=name,
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
        )
        if not layout.running:
            return PageTemplate(id=name, frames=[frame], pagesize=size)
        return PageTemplate(id=name, frames=[frame], onPage=self._decorate, pagesize=size)

    def _decorate(self, canvas: Canvas, doc: BaseDocTemplate) -> None:
        """Header, footer and watermark; drawn before the page's content, so the watermark lies beneath it."""
        width, height = doc.pageTemplate.pagesize  # the page's own size: checkPageSize set the canvas to it
        head = self.letterhead
        canvas.saveState()
        if head.watermark:
            canvas.setFillColor(colors.Color(0.8, 0.1, 0.1, alpha=0.13))
            canvas.setFont(font(), 110 if has_cjk(head.watermark) else 90)
            canvas.translate(width / 2, height / 2)
            canvas.rotate(30)
            canvas.drawCentredString(0, 0, head.watermark)
            canvas.rotate(-30)
            canvas.translate(-width / 2, -height / 2)
        canvas.setFillColor(colors.black)
        canvas.setFont(font(), 8.5)
        top = height - MARGIN - 4 * mm
        title_width = min(stringWidth(head.title, font(), 8.5), (width - 2 * MARGIN) * 0.45)
        canvas.drawString(MARGIN, top, fit(head.issuer, width - 2 * MARGIN - title_width - 8 * mm, 8.5))
        canvas.drawRightString(width - MARGIN, top, fit(head.title, title_width, 8.5))
        canvas.setStrokeColor(GRID)
        canvas.setLineWidth(0.5)
        canvas.line(MARGIN, top - 2.5 * mm, width - MARGIN, top - 2.5 * mm)
        bottom = MARGIN + 3 * mm
        canvas.line(MARGIN, bottom + 4 * mm, width - MARGIN, bottom + 4 * mm)
        canvas.setFont(font(), 8)
        made = text.tr("Printed {day}", head.lang, day=text.day(head.generated_on, head.lang))
        canvas.drawString(MARGIN, bottom, made)
        if head.status_line:
            canvas.setFillColor(RED)
            canvas.drawCentredString(width / 2, bottom, head.status_line)
            canvas.setFillColor(colors.black)
        canvas.drawRightString(
            width - MARGIN, bottom, text.tr("Page {page}", head.lang, page=self.pages_before + doc.page)
        )
        canvas.restoreState()

    def filterFlowables(self, flowables: list[Flowable]) -> None:  # noqa: N802 - reportlab's hook
        # Refill the work list from the report's iterator: a few flowables at a time, never the whole story.
        # reportlab also passes its own list of page-top leftovers here; only the story's list is refilled.
        # Once the part has its pages, it takes no more after the next page break: that break ends the part.
        while flowables is self._work and len(flowables) < 4 and not self._full:
            try:
                flowable = next(self._pending)
            except StopIteration:
                break
            flowables.append(flowable)
            self._full = isinstance(flowable, PageBreak) and self.page >= self.limit

    def build_from(self, first: Flowable, pending: Iterator[Flowable]) -> None:
        """Lay out the first flowable and the story's next ones up to the page break that ends the part."""
        self._pending = pending
        self._work = [first]
        self.build(self._work)


class Drawn(Flowable):
    """A block of a fixed height drawn by a function on the canvas, whose origin is the block's bottom left."""

    def __init__(self, height: float, draw: Callable[[Canvas], None]) -> None:
        super().__init__()
        self.height = height
        self._draw = draw

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width = available_width
        return available_width, self.height

    def draw(self) -> None:
        self._draw(self.canv)


def to_landscape() -> list[Flowable]:
    """Start the next page in landscape."""
    return [NextPageTemplate(LANDSCAPE), PageBreak()]


def to_portrait() -> list[Flowable]:
    """Start the next page in portrait."""
    return [NextPageTemplate(PORTRAIT), PageBreak()]


def frame_size(orientation: str, layout: PageLayout = LETTERHEAD) -> tuple[float, float]:
    """Width and height of the content frame of a page template."""
    size = A4 if orientation == PORTRAIT else landscape(A4)
    return size[0] - 2 * layout.margin_x, size[1] - layout.margin_top - layout.margin_bottom


def fitted(
    rows: Sequence[Sequence[str]], columns: Sequence[Column], size: float, *, first_row: int = 0
) -> tuple[list[list[str]], list[tuple[Any, ...]]]:
    """Fit every cell to its column: the table style commands that shrink long ones, and the cut text."""
    body: list[list[str]] = []
    commands: list[tuple[Any, ...]] = []
    for index, row in enumerate(rows, start=first_row):
        cells = []
        for col, (content, column) in enumerate(zip(row, columns, strict=True)):
            fitted_content, fitted_size = shrink(content, column.width - 5, size)
            cells.append(fitted_content)
            if fitted_size != size:  # a long name or a big number in a smaller font rather than cut off
                commands.append(("FONTSIZE", (col, index), (col, index), fitted_size))
        body.append(cells)
    return body, commands


def shrink(content: str, width: float, size: float, smallest: float = 5.5) -> tuple[str, float]:
    """Fit text to a width: a smaller font down to `smallest` first, then shortened with …."""
    while size > smallest and stringWidth(content, font(), size) > width:
        size = max(smallest, size - 0.5)
    return fit(content, width, size), size


def fit(content: str, width: float, size: float) -> str:
    """Shorten text with … so that it fits a width at a font size."""
    if stringWidth(content, font(), size) <= width:
        return content
    while content and stringWidth(content + "…", font(), size) > width:
        content = content[:-1]
    return content + "…"


@dataclass(frozen=True)
class Column:
    """A column of a report table, the same for the PDF and the XLSX: header, widths and what it holds."""

    header: str
    width: float  # points in the PDF
    kind: Kind = "text"
    total: bool = False  # summed in the totals row
    xlsx_width: float | None = None  # characters in Excel (default: from the PDF width)

    @property
    def numeric(self) -> bool:
        """Numbers are right-aligned; text and dates are not."""
        return self.kind not in ("text", "date")


Cell = str | Decimal | int | dt.date | None


def cell_text(value: Cell, kind: Kind, lang: Lang) -> str:
    """Format a cell for print: amounts to the fen, quantities as recorded, percentages with %."""
    if value is None or isinstance(value, str):
        return value or ""
    if isinstance(value, dt.date):
        return value.isoformat()
    if kind in ("money", "wan"):
        return text.amount(Decimal(value), lang)
    if kind == "quantity":
        return text.quantity(Decimal(value), lang)
    if kind == "percent":
        return text.percent(Decimal(value), lang)
    return str(value)


def header_cell(content: str, size: float = 7.5) -> Paragraph:
    """A header cell that wraps inside its column."""
    return Paragraph(escape(content), style(size, align=TA_CENTER, leading=size * 1.2, cjk=has_cjk(content)))


def table_style(
    columns: Sequence[Column], header_rows: int, size: float, extra: Iterable[tuple[Any, ...]] = (), padding: float = 1
) -> TableStyle:
    """Grid, shaded and centred header, numbers right-aligned; extra commands last."""
    commands: list[tuple[Any, ...]] = [
        ("FONT", (0, 0), (-1, -1), font(), size),
        ("GRID", (0, 0), (-1, -1), 0.4, GRID),
        ("BOX", (0, 0), (-1, -1), 0.9, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), 2.5),
        ("RIGHTPADDING", (0, 0), (-1, -1), 2.5),
        ("TOPPADDING", (0, 0), (-1, -1), padding),
        ("BOTTOMPADDING", (0, 0), (-1, -1), padding + 0.5),
    ]
    if header_rows:
        commands += [
            ("BACKGROUND", (0, 0), (-1, header_rows - 1), SHADE),
            ("ALIGN", (0, 0), (-1, header_rows - 1), "CENTER"),
        ]
    for index, column in enumerate(columns):
        if column.numeric:
            commands.append(("ALIGN", (index, header_rows), (index, -1), "RIGHT"))
    commands.extend(extra)
    return TableStyle(commands)


@dataclass
class PagedTable:
    """A long table laid out page by page: the header on each page, a page subtotal, the total on the last."""

    columns: Sequence[Column]
    lang: Lang
    caption: str = ""
    size: float = 8
    row_height: float = 13.5
    header_height: float = 26
    header: Sequence[list[Any]] | None = None  # rows of header cells (default: one row of column headers)
    header_style: Sequence[tuple[Any, ...]] = ()  # spans of a multi-row header
    orientation: str = LANDSCAPE
    subtotals: bool = True
    totals_label: str = "Total"
    on_row: Callable[[], None] | None = None  # called after each row is laid out (a progress bar)
    colours: Callable[[Sequence[Cell]], dict[int, Any]] | None = None  # text colour of some cells of a row

    def rows_per_page(self) -> int:
        _, height = frame_size(self.orientation)
        caption = 26 if self.caption else 0
        header = self.header_height * (len(self.header) if self.header else 1)
        return int((height - caption - header - 2 * self.row_height - 4) // self.row_height)

    def flowables(self, rows: Iterable[Sequence[Cell]], totals_row: Sequence[Cell] | None = None) -> Iterator[Flowable]:
        """Yield one table per page (page breaks between), the last with the totals row at its bottom.

        The totals row sums the total columns, unless the caller gives it: a trial balance totals its first-level
        accounts only, since each carries its detail accounts; a ledger closes on its balance, not a sum.
        """
        capacity = max(self.rows_per_page(), 1)
        totals: list[Decimal | None] = [Decimal(0) if c.total else None for c in self.columns]
        chunk: list[Sequence[Cell]] = []
        pending = iter(rows)
        current = next(pending, None)
        page = 0
        while current is not None:
            chunk.append(current)
            self._add(totals, current)
            if self.on_row is not None:
                self.on_row()
            current = next(pending, None)
            if len(chunk) == capacity or current is None:
                page += 1
                last = current is None
                yield from self._page(chunk, (totals_row or totals) if last else None, page, last)
                chunk = []
        if page == 0:  # no rows at all: still show the header and a zero total
            yield from self._page([], totals_row or totals, 1, True)

    def _add(self, totals: list[Decimal | None], row: Sequence[Cell]) -> None:
        for index, value in enumerate(row):
            subtotal = totals[index]
            if subtotal is not None and isinstance(value, Decimal | int):
                totals[index] = subtotal + value

    def _page(
        self, chunk: list[Sequence[Cell]], totals: Sequence[Cell] | None, page: int, last: bool
    ) -> Iterator[Flowable]:
        if self.caption:
            continued = "" if page == 1 else text.tr(" (continued)", self.lang)
            yield heading(self.caption + continued)
            yield Spacer(1, 4)
        header = self.header or [[header_cell(c.header) for c in self.columns]]
        texts = [
            [cell_text(value, column.kind, self.lang) for value, column in zip(row, self.columns, strict=True)]
            for row in chunk
        ]
        body, extra = fitted(texts, self.columns, self.size, first_row=len(header))
        extra = [*self.header_style, *extra]
        footer: list[list[str]] = []
        if self.subtotals and any(c.total for c in self.columns) and not (last and page == 1):
            page_totals: list[Decimal | None] = [Decimal(0) if c.total else None for c in self.columns]
            for row in chunk:
                self._add(page_totals, row)
            footer.append(self._total_row(page_totals, text.tr("Page subtotal", self.lang)))
        if totals is not None and any(c.total for c in self.columns):
            footer.append(self._total_row(totals, text.tr(self.totals_label, self.lang)))
        rows = [*header, *body, *footer]
        first_footer = len(header) + len(body)
        if footer:
            label_span = next((i for i, c in enumerate(self.columns) if c.total), 1) - 1
            extra += [
                ("BACKGROUND", (0, first_footer), (-1, -1), TOTAL_SHADE),
                ("LINEABOVE", (0, first_footer), (-1, first_footer), 1.0, colors.black),
            ]
            extra += [("SPAN", (0, row), (max(label_span, 0), row)) for row in range(first_footer, len(rows))]
        if self.colours is not None:
            for index, row in enumerate(chunk, start=len(header)):
                extra += [("TEXTCOLOR", (col, index), (col, index), c) for col, c in self.colours(row).items()]
        heights = [self.header_height] * len(header) + [self.row_height] * (len(body) + len(footer))
        table = Table(rows, colWidths=[c.width for c in self.columns], rowHeights=heights, repeatRows=0, hAlign="LEFT")
        table.setStyle(table_style(self.columns, len(header), self.size, extra))
        yield table
        if not last:
            yield PageBreak()

    def _total_row(self, totals: Sequence[Cell], label: str) -> list[str]:
        row = [
            cell_text(total, column.kind, self.lang) if total is not None else ""
            for total, column in zip(totals, self.columns, strict=True)
        ]
        row[0] = label
        return row


def key_values(
    pairs: Sequence[tuple[str, str | Decimal]], widths: tuple[float, float], lang: Lang, size: float = 9
) -> Table:
    """A two-column table of labels and values: amounts (Decimal) right-aligned, text wrapped on the left."""
    rows: list[list[Any]] = []
    commands: list[tuple[Any, ...]] = [
        ("FONT", (0, 0), (-1, -1), font(), size),
        ("GRID", (0, 0), (-1, -1), 0.4, GRID),
        ("BOX", (0, 0), (-1, -1), 0.9, colors.black),
        ("BACKGROUND", (0, 0), (0, -1), SHADE),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ]
    for index, (label, value) in enumerate(pairs):
        if isinstance(value, Decimal):
            rows.append([label, text.amount(value, lang)])
            commands.append(("ALIGN", (1, index), (1, index), "RIGHT"))
        else:
            rows.append([label, para(value, size)])
    table = Table(rows, colWidths=list(widths))
    table.setStyle(TableStyle(commands))
    return table


def info_grid(pairs: Sequence[tuple[str, str]], width: float, size: float = 9) -> Table:
    """Label-value pairs two to a row: label, value, label, value."""
    rows = []
    for start in range(0, len(pairs), 2):
        row: list[Any] = []
        for label, value in pairs[start : start + 2]:
            row += [label, para(value, size)]
        rows.append(row + [""] * (4 - len(row)))
    table = Table(rows, colWidths=[width * 0.19, width * 0.31, width * 0.19, width * 0.31])
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), font(), size),
                ("GRID", (0, 0), (-1, -1), 0.4, GRID),
                ("BOX", (0, 0), (-1, -1), 0.9, colors.black),
                ("BACKGROUND", (0, 0), (0, -1), SHADE),
                ("BACKGROUND", (2, 0), (2, -1), SHADE),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ]
        )
    )
    return table


def chart(png: bytes, width: float) -> Image:
    """A chart drawn by matplotlib (PNG bytes), scaled to a width with its aspect kept."""
    image = Image(BytesIO(png))
    scale = width / image.imageWidth
    image.drawWidth, image.drawHeight = width, image.imageHeight * scale
    return image


def signatures(labels: Sequence[str], width: float, lang: Lang, size: float = 9.5) -> Table:
    """A row of "label: ________" fields for hand signatures at the end of a document."""
    colon = "：" if lang == "zh" else ": "
    cells = [label + colon + "_" * 14 for label in labels]
    table = Table([cells], colWidths=[width / len(labels)] * len(labels))
    table.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), font(), size), ("TOPPADDING", (0, 0), (-1, -1), 14)]))
    return table


def cut_line(canvas: Canvas, lang: Lang, margin_x: float) -> None:
    """A dashed line along a slot's bottom edge, 8 mm short of the page's edges, for forms cut from the page."""
    page_width = A4[0]
    canvas.saveState()
    canvas.setDash(4, 3)
    canvas.setStrokeColor(colors.HexColor("#999999"))
    canvas.line(8 * mm - margin_x, 0, page_width - 8 * mm - margin_x, 0)
    canvas.setFont(font(), 7)
    canvas.setFillColor(colors.HexColor("#999999"))
    canvas.drawString(9 * mm - margin_x, 1.5 * mm, text.tr("cut here", lang))
    canvas.restoreState()
