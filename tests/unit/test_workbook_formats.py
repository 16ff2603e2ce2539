"""What the one workbook mechanism gives every format: a big sheet read row by row, with progress (no database)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from coopcore.services.imports import COOPERATIVE, VILLAGES
from coopcore.services.workbook.format import Format
from coopcore.services.workbook.reader import read_workbook
from coopcore.services.workbook.report import Problems
from tests.workbook.builders import write_sheets

TODAY = dt.date(2025, 6, 30)

BIG = {
    "cooperative": (
        "交易",
        ["成员编号", "日期", "产品", "数量", "单位", "单价"],
        lambda i: [f"M{i % 7:02d}", dt.date(2024, 1, 1), "苹果", 10 + i % 9, "kg", 3.5],
    ),
    "villages": (
        "村集体收入",
        ["乡镇", "村", "年度", "收入类别", "金额", "摘要"],
        lambda i: ["凤鸣街道", f"{i % 40}村", 2024, "经营收入", 1000 + i, ""],
    ),
}


@pytest.mark.parametrize("format", [COOPERATIVE, VILLAGES], ids=lambda f: f.key)
def test_a_big_sheet_is_read_row_by_row_reporting_progress_in_every_format(format: Format, tmp_path: Path) -> None:
    name, header, row = BIG[format.key]
    path = write_sheets(tmp_path / "big.xlsx", {name: [header, *(row(i) for i in range(12_000))]})
    calls: list[tuple[str, str, int, int]] = []

    book = read_workbook(path, format, Problems(), today=TODAY, progress=lambda *call: calls.append(call))

    key = next(sheet.key for sheet in format.sheets if sheet.zh == name)
    assert calls == [("read", key, 5000, 12_001), ("read", key, 10_000, 12_001), ("read", key, 12_001, 12_001)]
    assert len(book.sheets[key].rows) == 12_000
