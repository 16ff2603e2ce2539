"""What the one workbook mechanism gives every format: problems in workbook order, as `coop` prints them (rows
streamed with progress: tests/unit/test_workbook_formats.py)."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
from pathlib import Path

import pytest

from coopcore.services.imports import COOPERATIVE, VILLAGES
from coopcore.services.workbook.format import Format
from tests.workbook.builders import write_book, write_sheets
from tests.workbook.test_broken_workbook import broken_book

COOP = str(Path(sys.executable).with_name("coop"))
# The first line of a row of the problem table: severity, sheet, row, column (messages may wrap below it).
TABLE_ROW = re.compile(r"^│ (ERROR|WARNING)\s*│ (\S*)\s*│ (\d*)\s*│ (\S*)\s*│", re.MULTILINE)


def broken_villages(path: Path) -> Path:
    # The income tab comes first and the reader's cell problems before the planner's: the table still sorts.
    income = [["乡镇", "村", "年度", "收入类别", "金额"], ["无此镇", "无此村", 2024, "经营收入", "三千"]]
    income.append(["无此镇", "无此村", "明年", "经营收入", 1])
    plans = [["乡镇", "村", "基期年度", "基期经营性收入", "目标收入", "目标年度", "建档日期"]]
    plans.append(["无此镇", "无此村", 2022, 21000, 90000, 2020, dt.date(2022, 3, 1)])
    return write_sheets(path, {"村集体收入": income, "提升方案": plans})


@pytest.mark.parametrize("format", [COOPERATIVE, VILLAGES], ids=lambda f: f.key)
def test_the_problem_table_lists_problems_by_sheet_then_row_then_column_in_every_format(
    format: Format, tmp_path: Path
) -> None:
    if format is COOPERATIVE:
        path, command = write_book(broken_book(), tmp_path / "bad.xlsx"), ["import"]
    else:
        path, command = broken_villages(tmp_path / "bad.xlsx"), ["villages", "import"]
    database = f"sqlite:///{tmp_path / 'coop.sqlite3'}"

    run = subprocess.run(
        [COOP, "--db", database, "--lang", "en", *command, "--dry-run", str(path)],
        capture_output=True,
        text=True,
        timeout=300,
    )

    assert run.returncode == 2, run.stdout[-2000:] + run.stderr[-2000:]
    places = []
    for _, sheet_key, row, column_key in TABLE_ROW.findall(run.stdout):
        sheet = next((s for s in format.sheets if s.key == sheet_key), None)
        columns = [column.key for column in sheet.columns] if sheet else []
        places.append(
            (
                format.sheets.index(sheet) if sheet else -1,
                int(row or 0),
                columns.index(column_key) if column_key in columns else -1,
            )
        )
    assert len(places) >= 6 and len({sheet for sheet, _, _ in places}) >= 2
    assert places == sorted(places)
