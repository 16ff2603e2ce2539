"""会计报表附注 after the three statements: on portrait A4 pages of the statements' PDF (a member table runs on over
as many pages as it needs, its header on each), and as sheets of their workbook. The words and figures are
coopcore.rules.statements.note_sections', as `coop statements` prints them."""

from __future__ import annotations

from collections.abc import Iterator

from openpyxl import Workbook
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table

from coopcore.i18n import Lang
from coopcore.rules.statements.note_sections import TITLE, Grid, note_sections
from coopcore.rules.statements.notes import Notes
from reports import pdf, text, xlsx

SIZE = 8.5
# Points each kind of column takes in the PDF; text columns share what is left of the page's width.
WIDTHS = {"money": 88.0, "count": 40.0, "percent": 62.0, "date": 64.0}
XLSX_WIDTHS = {"money": 16.0, "count": 8.0, "percent": 10.0, "date": 12.0, "text": 24.0}


def notes_story(notes: Notes, lang: Lang) -> Iterator[Flowable]:
    """The notes on portrait pages: a title, then each item's heading, sentences and tables."""
    width, _ = pdf.frame_size(pdf.PORTRAIT)
    yield pdf.title(text.tr(TITLE, lang), 15)
    yield Spacer(1, 6)
    for section in note_sections(notes, lang):
        heading = pdf.heading(section.title)
        first, *rest = section.blocks
        # A heading never ends a page alone: it stays with what it heads.
        yield KeepTogether([heading, *_block(first, width, lang)])
        for block in rest:
            yield from _block(block, width, lang)
        yield Spacer(1, 4)


def _block(block: str | Grid, width: float, lang: Lang) -> list[Flowable]:
    if isinstance(block, str):
        return [pdf.para(block, 9.5), Spacer(1, 2)]
    return [Spacer(1, 2), pdf.para(block.caption, 9), Spacer(1, 2), _table(block, width, lang), Spacer(1, 4)]


def _columns(grid: Grid, width: float) -> list[pdf.Column]:
    fixed = sum(WIDTHS.get(kind, 0.0) for kind in grid.kinds)
    texts = sum(kind == "text" for kind in grid.kinds) or 1
    flexible = (width - fixed) / texts
    return [
        pdf.Column(header, WIDTHS.get(kind, flexible), kind, xlsx_width=XLSX_WIDTHS[kind])
        for header, kind in zip(grid.headers, grid.kinds, strict=True)
    ]


def _table(grid: Grid, width: float, lang: Lang) -> Table:
    """The grid, its header repeated on each page it runs over, its totals row shaded."""
    columns = _columns(grid, width)
    rows = [*grid.rows, *((grid.total,) if grid.total else ())]
    texts = [[pdf.cell_text(value, column.kind, lang) for value, column in zip(row, columns, strict=True)]
             for row in rows]  # fmt: skip
    body, extra = pdf.fitted(texts, columns, SIZE, first_row=1)
    if grid.total:
        extra.append(("BACKGROUND", (0, len(body)), (-1, len(body)), pdf.TOTAL_SHADE))
    header = [pdf.header_cell(column.header, SIZE) for column in columns]
    table = Table([header, *body], colWidths=[c.width for c in columns], repeatRows=1, hAlign="LEFT")
    table.setStyle(pdf.table_style(columns, 1, SIZE, extra))
    return table


def notes_sheets(book: Workbook, notes: Notes, lang: Lang) -> None:
    """The notes as sheets: 附注 with every item's sentences in order, and each table on a sheet of its own
    (附注3-1 …) that the sentences name where the table stands."""
    width, _ = pdf.frame_size(pdf.PORTRAIT)
    short = text.tr("Notes to the statements, in short", lang) if lang == "zh" else "Notes"
    columns = [pdf.Column(text.tr("Item", lang), 60, xlsx_width=34),
               pdf.Column(text.tr("Content", lang), 400, xlsx_width=100)]  # fmt: skip
    sheet = xlsx.Sheet(book, short, columns, text.tr(TITLE, lang), lang)
    tables: list[tuple[str, Grid]] = []
    for section in note_sections(notes, lang):
        sheet.row([section.title, None])
        grids = [block for block in section.blocks if isinstance(block, Grid)]
        names = [f"{short}{section.number}-{number}" for number in range(1, len(grids) + 1)]
        tables.extend(zip(names, grids, strict=True))
        named = iter(names)
        for block in section.blocks:
            said = text.tr("{caption} (sheet {sheet})", lang, caption=block.caption, sheet=next(named)) if isinstance(
                block, Grid) else block  # fmt: skip
            sheet.row([None, said])
    for name, grid in tables:
        page = xlsx.Sheet(book, name, _columns(grid, width), grid.caption, lang)
        for row in grid.rows:
            page.row(list(row))
        if grid.total:
            page.row(list(grid.total), total=True)
