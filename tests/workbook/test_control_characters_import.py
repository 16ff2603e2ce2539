"""Control characters in a workbook are refused at their cell on every backend, the dry run included, and nothing
is written."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from coopcore.services.imports import COOPERATIVE, run_import
from coopcore.services.workbook import cells
from coopcore.services.workbook.schema import MEMBERS
from tests.workbook import hostile
from tests.workbook.builders import valid_book, write_book
from tests.workbook.test_broken_workbook import totals

TODAY = dt.date(2025, 6, 30)


@pytest.fixture
def base(tmp_path: Path) -> Path:
    return write_book(valid_book(), tmp_path / "valid.xlsx")


def test_control_characters_are_refused_at_their_cell_in_the_dry_run_and_nothing_is_written(
    session: Session, base: Path, tmp_path: Path
) -> None:
    path = hostile.text_in_cell(base, tmp_path / "nul.xlsx", "成员", "张二", "张\x00二", ("张三", "张\x1b三"))
    before = totals(session)

    dry = run_import(session, path, COOPERATIVE, dry_run=True, today=TODAY)
    real = run_import(session, path, COOPERATIVE, today=TODAY)

    for report in (dry, real):
        found = [(p.sheet, p.row, p.column and p.column.key, p.template) for p in report.errors]
        assert found == [
            (MEMBERS, 5, "name", cells.CONTROL_CHARACTER),
            (MEMBERS, 6, "name", cells.CONTROL_CHARACTER),
        ]
        assert report.errors[0].message("zh") == (
            "张␀二含有看不见的控制字符U+0000，无法保存和导出："
            "请删除它（重新输入该内容，或在 Excel 中用 =CLEAN() 清除）后重新导入。"
        )
        assert report.errors[1].value_text() == "张␛三"
    assert not real.written
    assert totals(session) == before
