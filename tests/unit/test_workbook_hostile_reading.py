"""The reading layer under attack: the guard's limits one by one, which control characters are refused, long values
cut where a problem is shown, every new message in Chinese (the import on every backend: tests/workbook/)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from coopcore.i18n import translate
from coopcore.rules.findings import show
from coopcore.services.imports import COOPERATIVE
from coopcore.services.workbook import cells, guard, reader, sandbox
from coopcore.services.workbook.guard import Refused, check_workbook
from coopcore.services.workbook.report import Problems
from tests.workbook import hostile
from tests.workbook.builders import valid_book, write_book

TODAY = dt.date(2025, 6, 30)


@pytest.fixture
def base(tmp_path: Path) -> Path:
    return write_book(valid_book(), tmp_path / "valid.xlsx")


def refusal(path: Path) -> Refused:
    with pytest.raises(Refused) as raised:
        check_workbook(path)
    return raised.value


def test_a_valid_workbook_passes_the_guard(base: Path) -> None:
    check_workbook(base)


def test_a_far_cell_is_found_however_the_sheet_writes_its_cells(base: Path, tmp_path: Path) -> None:
    part = hostile.sheet_part(base, "成员")
    plain = hostile.far_cell(base, tmp_path / "plain.xlsx", "成员")
    # A namespace prefix, the reference not first, and cells without a reference (placed one after another):
    # each sends the guard down the sequential path, which follows calamine's placing of cells.
    prefixed = hostile.rewrite(
        base,
        tmp_path / "prefixed.xlsx",
        hostile.in_sheet(part, b'<x:row xmlns:x="urn:x" r="600001"><x:c t="n" r="B600001"><x:v>1</x:v></x:c></x:row>'),
    )
    implicit = hostile.rewrite(
        base, tmp_path / "implicit.xlsx", hostile.in_sheet(part, b'<row r="20">' + b"<c><v>1</v></c>" * 300 + b"</row>")
    )

    assert refusal(plain).fields["cell"] == "XFD1048576"
    assert (refusal(prefixed).fields["rows"], refusal(prefixed).fields["cell"]) == (600_001, "G600001")
    assert refusal(implicit).fields["columns"] == 300
    assert refusal(implicit).fields["sheet_name"] == "成员"


def test_the_grid_is_bounded_by_its_cells_too(base: Path, tmp_path: Path) -> None:
    wide = hostile.far_cell(base, tmp_path / "wide.xlsx", "交易", "EA60000")  # 7.9 million cells: allowed
    wider = hostile.far_cell(base, tmp_path / "wider.xlsx", "交易", "EA62000")  # 8.1 million: refused

    check_workbook(wide)
    assert refusal(wider).template == guard.FAR_CELL


def test_a_bomb_under_the_size_limit_is_refused_by_its_ratio(base: Path, tmp_path: Path) -> None:
    bomb = hostile.zip_bomb(base, tmp_path / "bomb.xlsx", "交易", 150 << 20)

    found = refusal(bomb)

    assert found.template == guard.BOMB and int(str(found.fields["ratio"])) > 500


def test_a_part_that_inflates_beyond_its_declared_size_is_refused_without_inflating_it_all(
    base: Path, tmp_path: Path
) -> None:
    liar = hostile.zip_bomb(base, tmp_path / "liar.xlsx", "交易", 300 << 20, lie=True)

    assert refusal(liar).template == guard.FORGED


def test_too_many_parts_are_refused_before_the_directory_is_read(base: Path, tmp_path: Path) -> None:
    crowded = hostile.rewrite(
        base, tmp_path / "crowded.xlsx", lambda _, data: data, {f"x/{n}": b"" for n in range(10_001)}
    )

    assert refusal(crowded).template == guard.TOO_MANY_PARTS


def test_a_macro_workbook_named_xlsx_is_refused(base: Path, tmp_path: Path) -> None:
    assert refusal(hostile.as_xlsm(base, tmp_path / "macro.xlsx")).template == guard.MACROS


def test_a_file_that_is_not_a_zip_is_one_clear_problem(tmp_path: Path) -> None:
    path = tmp_path / "not.xlsx"
    path.write_bytes(b"\xd0\xcf\x11\xe0 an old .xls file")
    problems = Problems()

    reader.read_workbook(path, COOPERATIVE, problems, today=TODAY)

    assert [p.template for p in problems.items] == [reader.CANNOT_OPEN]


def test_the_child_reads_a_normal_workbook_through(base: Path) -> None:
    assert sandbox.read_in_child(base) == []


@pytest.mark.parametrize(
    ("text", "allowed"),
    [("a\tb\nc\r", True), ("a\x00b", False), ("a\x1fb", False), ("\x0b", True), ("a\x7fb", True), ("　", True)],
)
def test_only_the_control_characters_xml_forbids_are_refused(text: str, allowed: bool) -> None:
    if allowed:
        assert cells.to_text(text + "x", 0).endswith("x")
    else:
        with pytest.raises(cells.CellError) as raised:
            cells.to_text(text + "x", 0)
        assert raised.value.template == cells.CONTROL_CHARACTER


def test_a_text_cell_holds_at_most_what_excel_holds() -> None:
    assert cells.to_text("长" * 32_767, 0) == "长" * 32_767
    with pytest.raises(cells.CellError) as raised:
        cells.to_text("长" * 32_768, 0)
    assert raised.value.fields["max_length"] == 32_767


def test_long_values_are_cut_where_a_problem_is_shown() -> None:
    problems = Problems()
    problems.error(cells.TOO_LONG, value="长" * 205_000, max_length=100)

    problem = problems.items[0]

    assert problem.value_text() == "长" * 100 + "…"
    assert problem.message("zh") == "长" * 100 + "…超过100个字符。"
    assert show("short") == "short"


NEW_TEMPLATES = (*guard.TEMPLATES, reader.MERGED, cells.CONTROL_CHARACTER, *sandbox.TEMPLATES)


@pytest.mark.parametrize("template", NEW_TEMPLATES)
def test_every_new_message_has_its_chinese_translation(template: str) -> None:
    assert translate(template, "zh") != template
    assert set(re.findall(r"\{\w+", template)) == set(re.findall(r"\{\w+", translate(template, "zh")))
