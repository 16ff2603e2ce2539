"""Hostile workbooks, made by rewriting the parts of a real one: a far cell, zip bombs, control characters, macros.

Each maker takes an .xlsx written by `write_book` (or the village template) and writes a changed copy with
zipfile and hand-written XML, the way an attacker would; nothing binary is kept in the repository.
"""

from __future__ import annotations

import struct
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

import openpyxl

Change = Callable[[str, bytes], bytes]
INLINE = '<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def sheet_part(path: Path, sheet_name: str) -> str:
    """The zip part of a sheet: openpyxl numbers the parts in the order of the sheets."""
    with zipfile.ZipFile(path) as archive:
        names = openpyxl.load_workbook(path, read_only=True).sheetnames
        part = f"xl/worksheets/sheet{names.index(sheet_name) + 1}.xml"
        assert part in archive.namelist()
        return part


def rewrite(source: Path, target: Path, change: Change, extra: dict[str, bytes] | None = None) -> Path:
    """Copy a workbook part by part through change(name, data), adding the extra parts."""
    with zipfile.ZipFile(source) as archive, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for info in archive.infolist():
            out.writestr(info.filename, change(info.filename, archive.read(info)))
        for name, data in (extra or {}).items():
            out.writestr(name, data)
    return target


def in_sheet(part: str, before_end: bytes) -> Change:
    """A change that adds XML at the end of one sheet's data."""
    return lambda name, data: data.replace(b"</sheetData>", before_end + b"</sheetData>") if name == part else data


def far_cell(source: Path, target: Path, sheet_name: str, ref: str = "XFD1048576") -> Path:
    """One more cell, far away: calamine would allocate the whole grid up to it."""
    row = "".join(ch for ch in ref if ch.isdigit())
    cell = INLINE.format(ref=ref, text="x")
    return rewrite(source, target, in_sheet(sheet_part(source, sheet_name), f'<row r="{row}">{cell}</row>'.encode()))


def zip_bomb(source: Path, target: Path, sheet_name: str, spaces: int, *, lie: bool = False) -> Path:
    """Spaces between the rows of a sheet, compressed about 1000 times; with lie, the directory says 1 KB."""
    part = sheet_part(source, sheet_name)
    with zipfile.ZipFile(source) as archive, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for info in archive.infolist():
            data = archive.read(info)
            if info.filename != part:
                out.writestr(info.filename, data)
                continue
            head, tail = data.split(b"</sheetData>")
            with out.open(info.filename, "w") as stream:
                stream.write(head)
                block = b" " * (1 << 20)
                for _ in range(spaces >> 20):
                    stream.write(block)
                stream.write(b"</sheetData>" + tail)
    if lie:
        _declare_size(target, part, 1024)
    return target


def _declare_size(path: Path, part: str, size: int) -> None:
    # Overwrite the part's uncompressed size in its local header and in the central directory.
    data = bytearray(path.read_bytes())
    name = part.encode()
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        at = data.find(signature)
        while at >= 0:
            name_at = at + (30 if signature == b"PK\x03\x04" else 46)
            if data[name_at : name_at + len(name)] == name:
                struct.pack_into("<L", data, at + offset, size)
            at = data.find(signature, at + 4)
    path.write_bytes(bytes(data))


def text_in_cell(source: Path, target: Path, sheet_name: str, old: str, new: str, *more: tuple[str, str]) -> Path:
    """Replace cells' text as raw XML: control characters go in as they are (openpyxl would refuse them)."""
    part = sheet_part(source, sheet_name)

    def change(name: str, data: bytes) -> bytes:
        if name != part:
            return data
        for before, after in ((old, new), *more):
            needle = f"<t>{before}</t>".encode()
            assert needle in data, before
            data = data.replace(needle, f"<t>{after}</t>".encode(), 1)
        return data

    return rewrite(source, target, change)


def as_xlsm(source: Path, target: Path) -> Path:
    """An .xlsm (macro-enabled) workbook saved under the name .xlsx: its content type and a VBA project."""
    main = b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
    macro = b"application/vnd.ms-excel.sheet.macroEnabled.main+xml"
    vba = b'<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>'
    relationship = (
        b'<Relationship Id="rIdVba" Type="http://schemas.microsoft.com/office/2006/relationships/vbaProject" '
        b'Target="vbaProject.bin"/>'
    )

    def change(name: str, data: bytes) -> bytes:
        if name == "[Content_Types].xml":
            assert main in data
            return data.replace(main, macro).replace(b"<Default ", vba + b"<Default ", 1)
        if name == "xl/_rels/workbook.xml.rels":
            return data.replace(b"</Relationships>", relationship + b"</Relationships>")
        return data

    project = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + zlib.compress(b'Attribute VB_Name = "ThisWorkbook"') * 8
    return rewrite(source, target, change, {"xl/vbaProject.bin": project})


def merged(source: Path, target: Path, sheet_name: str, cells: str) -> Path:
    """Merge cells the way Excel does: only the first keeps its value."""
    book = openpyxl.load_workbook(source)
    book[sheet_name].merge_cells(cells)
    book.save(target)
    return target


def set_cell(source: Path, target: Path, sheet_name: str, ref: str, value: object) -> Path:
    book = openpyxl.load_workbook(source)
    book[sheet_name][ref] = value
    book.save(target)
    return target
