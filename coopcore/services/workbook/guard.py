"""The checks an .xlsx file passes before any reader opens it: a plain zip of bounded size with small sheets.

calamine loads a sheet as a dense grid from its first to its last cell, so one value at XFD1048576 asks for
17 billion cells (512 GiB) and the process aborts in native code, where nothing can catch it; a compression
bomb makes any XML reader churn through gigabytes. So the zip directory, the bytes each part really inflates
to and the farthest cell of every sheet are checked here first, streaming with a fixed memory budget, and
`open_workbook` is the only way the reader (every workbook format's) and the sandbox's child get to calamine.
"""

from __future__ import annotations

import html
import re
import struct
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO, Protocol

from python_calamine import CalamineSheet, CalamineWorkbook

MB = 1024 * 1024
# The largest books the format was built for (200,000 tickets) inflate to about 70 MB of XML: three times that.
MAX_UNCOMPRESSED_BYTES = 200 * MB
# Spreadsheet XML deflates 5 to 30 times; a bomb of repeated bytes about 1000 times. Small parts are exempt.
MAX_RATIO = 100
RATIO_FROM_BYTES = 1 * MB
MAX_PARTS = 10_000  # Excel writes a few dozen parts; the zip directory itself must stay small
# A sheet's used range is allocated densely (calamine keeps 32 bytes a cell): at most 256 MB of grid.
MAX_ROWS = 500_000  # 2.5 times the 200,000 tickets of the largest books
MAX_COLUMNS = 200  # the widest sheet has 17 columns; room for the accountant's own
MAX_CELLS = 8_000_000
MAX_TAG_BYTES = 1 * MB  # no spreadsheet writes an element start tag this long
CHUNK = 1 * MB

CANNOT_OPEN = "The file cannot be read as an .xlsx workbook: {reason}"
TOO_BIG = (
    "The workbook unpacks to more than {limit} MB, far more than any workbook of the format needs: "
    "remove pictures and sheets that are not part of the format, or split the data."
)
BOMB = (
    "The part {part} of the file is compressed {ratio} times, while a real workbook compresses at most about "
    "{limit} times: the file is refused as a compression bomb."
)
TOO_MANY_PARTS = (
    "The file has {count} parts, while a workbook has a few dozen: save it again in Excel as an .xlsx workbook."
)
FORGED = "The part {part} of the file is not what the zip directory says; the file is damaged or forged."
UNKNOWN_METHOD = "The part {part} uses a compression method that Excel does not write; save the file again in Excel."
MACROS = (
    "The workbook contains macros (an .xlsm file renamed to .xlsx?): save it in Excel as "
    "“Excel Workbook (*.xlsx)” and import that file; macros are never run."
)
FAR_CELL = (
    "The sheet {sheet_name} has a cell at {cell}, which spreads it over {rows:,} rows and {columns:,} columns; "
    "at most {max_rows:,} rows, {max_columns} columns and {max_cells:,} cells in all are read. Delete the rows "
    "and columns beyond the data (Ctrl+End shows the last cell Excel keeps) and save again."
)
TEMPLATES = (TOO_BIG, BOMB, TOO_MANY_PARTS, FORGED, UNKNOWN_METHOD, MACROS, FAR_CELL)  # CANNOT_OPEN: reader

_END_OF_DIRECTORY = struct.Struct("<4s4H2LH")
_LOCAL_HEADER = struct.Struct("<4s22xHH")
# Start tags of rows and cells and end tags of rows, in the order calamine meets them ([^<>]: never backtracks far).
_TAG = re.compile(rb"<(/?)(?:[A-Za-z_][\w.-]*:)?(row|c)(?=[\s/>])([^<>]*)>")
_REF = re.compile(rb"""\br\s*=\s*["']([A-Za-z]*)(\d*)["']""")
# The way Excel, WPS, LibreOffice and openpyxl write every cell: no prefix, its reference first.
_PLAIN_REF = re.compile(rb'<c r="([A-Z]{1,3})(\d{1,7})"')
_PREFIXED_CELL = re.compile(rb"<[A-Za-z_][\w.-]*:c[\s/>]")
_SHEET = re.compile(rb"<(?:[\w.-]+:)?sheet\s([^<>]*)>")
_RELATIONSHIP = re.compile(rb"<(?:[\w.-]+:)?Relationship\s([^<>]*)>")
_ATTRIBUTE = re.compile(rb"""([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")


class Problems(Protocol):
    """Where a refusal goes: report.Problems (not imported, so that the sandbox's child starts fast)."""

    def error(self, template: str, **fields: Any) -> None: ...


class Refused(Exception):
    """A file that no reader may open; carries the problem's template and fields."""

    def __init__(self, template: str, **fields: object) -> None:
        super().__init__(template)
        self.template = template
        self.fields = fields


def open_workbook(path: Path, problems: Problems) -> CalamineWorkbook | None:
    """Check the file, then open it with calamine; None (and one problem) if it is refused or unreadable."""
    try:
        check_workbook(path)
        return CalamineWorkbook.from_path(str(path))
    except Refused as refusal:
        problems.error(refusal.template, **refusal.fields)
    except Exception as error:  # calamine and zipfile raise their own error types for every kind of bad file
        problems.error(CANNOT_OPEN, reason=str(error) or type(error).__name__)
    return None


def load_sheet(workbook: CalamineWorkbook, name: str, problems: Problems) -> CalamineSheet | None:
    """Load one sheet of an opened workbook; None (and one problem) if calamine cannot read its XML."""
    try:
        return workbook.get_sheet_by_name(name)
    except Exception as error:  # calamine's own error types
        problems.error(CANNOT_OPEN, reason=str(error) or type(error).__name__)
        return None


def check_workbook(path: Path) -> None:
    """Raise Refused unless the file is a plain .xlsx whose parts and sheets stay within the limits above."""
    with path.open("rb") as handle:
        count = _count_parts(handle)
        if count > MAX_PARTS:
            raise Refused(TOO_MANY_PARTS, count=count)
        with zipfile.ZipFile(handle) as archive:
            parts = archive.infolist()
            _check_directory(archive, parts)
            names = _sheet_names(archive)
            total = 0
            for part in parts:
                scan = _Extent() if part.filename.lower().endswith(".xml") else None
                total += _check_part(handle, part, scan, MAX_UNCOMPRESSED_BYTES - total)
                if scan is not None and scan.implicit:
                    # Cells without their own reference are placed by calamine one after another: follow it.
                    scan = _Extent(sequential=True)
                    _check_part(handle, part, scan, MAX_UNCOMPRESSED_BYTES)
                if scan is not None:
                    scan.check(names.get(part.filename, part.filename))


def _count_parts(handle: BinaryIO) -> int:
    # Read from the end-of-directory record, before zipfile builds an object for every entry.
    size = handle.seek(0, 2)
    handle.seek(max(0, size - 65_557))
    tail = handle.read()
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) - at < _END_OF_DIRECTORY.size:
        return 0  # not a zip: zipfile says so in a moment
    return int(_END_OF_DIRECTORY.unpack_from(tail, at)[4])


def _check_directory(archive: zipfile.ZipFile, parts: list[zipfile.ZipInfo]) -> None:
    if sum(part.file_size for part in parts) > MAX_UNCOMPRESSED_BYTES:
        raise Refused(TOO_BIG, limit=MAX_UNCOMPRESSED_BYTES // MB)
    for part in parts:
        ratio = part.file_size / max(part.compress_size, 1)
        if part.file_size > RATIO_FROM_BYTES and ratio > MAX_RATIO:
            raise Refused(BOMB, part=part.filename, ratio=int(ratio), limit=MAX_RATIO)
        if part.filename.lower().endswith("vbaproject.bin"):
            raise Refused(MACROS)
    if "[Content_Types].xml" in archive.namelist():
        with archive.open("[Content_Types].xml") as types:
            declared = types.read(MB)
            if b"macroEnabled" in declared or b"vbaProject" in declared:
                raise Refused(MACROS)


def _check_part(handle: BinaryIO, part: zipfile.ZipInfo, scan: _Extent | None, budget: int) -> int:
    """Inflate one part chunk by chunk (never trusting its declared size) and return how many bytes it has."""
    size = 0
    for chunk in _inflate(handle, part):
        size += len(chunk)
        if size > part.file_size:
            raise Refused(FORGED, part=part.filename)
        if size > budget:
            raise Refused(TOO_BIG, limit=MAX_UNCOMPRESSED_BYTES // MB)
        if scan is not None:
            scan.feed(chunk)
    return size


def _inflate(handle: BinaryIO, part: zipfile.ZipInfo) -> Iterator[bytes]:
    handle.seek(part.header_offset)
    signature, name_length, extra_length = _LOCAL_HEADER.unpack(handle.read(_LOCAL_HEADER.size))
    if signature != b"PK\x03\x04":
        raise Refused(FORGED, part=part.filename)
    handle.seek(part.header_offset + _LOCAL_HEADER.size + name_length + extra_length)
    left = part.compress_size
    if part.compress_type == zipfile.ZIP_STORED:
        while left > 0 and (data := handle.read(min(left, CHUNK))):
            left -= len(data)
            yield data
        return
    if part.compress_type != zipfile.ZIP_DEFLATED:
        raise Refused(UNKNOWN_METHOD, part=part.filename)
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    while left > 0 and (data := handle.read(min(left, CHUNK))):
        left -= len(data)
        while data:
            yield inflater.decompress(data, CHUNK)  # at most CHUNK bytes out per call, however dense the input
            data = inflater.unconsumed_tail


class _Extent:
    """The farthest cell of a sheet's XML, found as calamine places cells, fed one chunk at a time."""

    def __init__(self, *, sequential: bool = False) -> None:
        self.sequential = sequential
        self.implicit = False  # a cell without its own r="A1" reference was seen
        self.rows = self.columns = 0  # 1-based: the extent of the grid calamine would allocate
        self.row = self.column = 0  # sequential mode: 0-based position of the next cell, as calamine counts
        self.rest = b""

    def feed(self, chunk: bytes) -> None:
        data = self.rest + chunk
        # Keep an unfinished tag for the next chunk; text between tags does not matter.
        start = data.rfind(b"<")
        cut = start if start >= 0 and data.find(b">", start) < 0 else len(data)
        data, self.rest = data[:cut], data[cut:]
        if len(self.rest) > MAX_TAG_BYTES:
            raise Refused(CANNOT_OPEN, reason="XML")
        if self.sequential:
            self._follow(data)
        else:
            self._skim(data)

    def _skim(self, data: bytes) -> None:
        # When every cell is written the plain way, the largest references are the extent (a fast C-level
        # search); any other cell (no reference, a prefix, another attribute first) needs the sequential pass.
        references = _PLAIN_REF.findall(data)
        if len(references) != data.count(b"<c ") + data.count(b"<c>") or _PREFIXED_CELL.search(data):
            self.implicit = True
        elif references:
            self.rows = max(self.rows, max(int(digits) for _, digits in references))
            self.columns = max(self.columns, max(_column_number(letters) for letters in {r[0] for r in references}))

    def _follow(self, data: bytes) -> None:
        for match in _TAG.finditer(data):
            end, name, attributes = match.groups()
            self_closing = attributes.endswith(b"/")  # an empty element: calamine skips it entirely
            reference = _REF.search(attributes)
            if name == b"row":
                if end:
                    self.row, self.column = self.row + 1, 0
                elif not self_closing and reference and reference[2]:
                    self.row = _bounded(reference[2]) - 1
            elif not end and not self_closing:
                if reference:
                    self.column = _column_number(reference[1]) - 1
                    row = _bounded(reference[2]) - 1 if reference[2] else self.row
                else:
                    row = self.row
                self.rows, self.columns = max(self.rows, row + 1), max(self.columns, self.column + 1)
                self.column += 1

    def check(self, sheet_name: str) -> None:
        if self.rows > MAX_ROWS or self.columns > MAX_COLUMNS or self.rows * self.columns > MAX_CELLS:
            raise Refused(
                FAR_CELL,
                sheet_name=sheet_name,
                cell=f"{column_letters(self.columns)}{self.rows}",
                rows=self.rows,
                columns=self.columns,
                max_rows=MAX_ROWS,
                max_columns=MAX_COLUMNS,
                max_cells=MAX_CELLS,
            )


def _bounded(digits: bytes) -> int:
    # More digits than any sheet has rows (Excel: 1,048,576) count as just beyond that.
    return int(digits) if len(digits) <= 8 else 100_000_000


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters.upper()[:4]:
        number = number * 26 + letter - 64
    return number


def column_letters(number: int) -> str:
    """Return Excel's letters of a 1-based column number: 1 → A, 27 → AA."""
    letters = ""
    while number > 0:
        number, remainder = divmod(number - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters or "A"


def _sheet_names(archive: zipfile.ZipFile) -> dict[str, str]:
    """Map each worksheet part to the sheet name the accountant sees, for the messages (best effort)."""
    try:
        with archive.open("xl/workbook.xml") as book, archive.open("xl/_rels/workbook.xml.rels") as links:
            sheets, relationships = book.read(MB), links.read(MB)
    except KeyError:
        return {}
    targets: dict[str, str] = {}
    for match in _RELATIONSHIP.finditer(relationships):
        attributes = _attributes(match[1])
        target = attributes.get("Target", "")
        targets[attributes.get("Id", "")] = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    names: dict[str, str] = {}
    for match in _SHEET.finditer(sheets):
        attributes = _attributes(match[1])
        part = targets.get(attributes.get("r:id", ""))
        if part and "name" in attributes:
            names[part] = attributes["name"]
    return names


def _attributes(text: bytes) -> dict[str, str]:
    return {
        name.decode(errors="replace"): html.unescape((double or single).decode(errors="replace"))
        for name, double, single in _ATTRIBUTE.findall(text)
    }
