"""Unit tests of cell conversion (no database): floats through their shortest repr, dates, identifiers, choices."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from coopcore.i18n import translate
from coopcore.services import imports
from coopcore.services.workbook import cells, newer, plan, plan_books, plan_members, reader, validate, validate_books
from coopcore.services.workbook.cells import CellError, to_date, to_decimal, to_flag, to_identifier, to_month, to_text
from coopcore.services.workbook.reader import normal
from coopcore.services.workbook.schema import MEMBERS, SHEETS

ALL_TEMPLATES = (
    *cells.TEMPLATES,
    *reader.TEMPLATES,
    *validate.TEMPLATES,
    *validate_books.TEMPLATES,
    *plan.TEMPLATES,
    *plan_books.TEMPLATES,
    *plan_members.TEMPLATES,
    *imports.TEMPLATES,
    *newer.TEMPLATES,
)
PLACEHOLDER = re.compile(r"\{(\w+)[^}]*\}")


@pytest.mark.parametrize(
    ("cell", "places", "expected"),
    [
        (0.1, 2, "0.10"),
        (1234.5, 2, "1234.50"),
        (5000.0, 2, "5000.00"),
        (5000, 2, "5000.00"),
        ("1,234.56", 2, "1234.56"),
        (" 12.3456 ", 4, "12.3456"),
        (-500.0, 2, "-500.00"),
        (1e-4, 4, "0.0001"),
        (999999999999.99, 2, "999999999999.99"),
    ],
)
def test_numbers_become_the_decimal_excel_showed(cell: object, places: int, expected: str) -> None:
    assert to_decimal(cell, places) == Decimal(expected)
    assert str(to_decimal(cell, places)) == expected


@pytest.mark.parametrize(
    ("cell", "places", "template"),
    [
        (0.1 + 0.2, 2, cells.TOO_MANY_PLACES),  # 0.30000000000000004: the sum's binary residue is refused
        (12.345, 2, cells.TOO_MANY_PLACES),
        (1.23456, 4, cells.TOO_MANY_PLACES),
        ("五千", 2, cells.NOT_A_NUMBER),
        ("12元", 2, cells.NOT_A_NUMBER),
        (True, 2, cells.NOT_A_NUMBER),
        (float("nan"), 2, cells.NOT_A_NUMBER),
        (dt.date(2024, 1, 1), 2, cells.NOT_A_NUMBER),
        (1e12, 2, cells.TOO_LARGE),
    ],
)
def test_numbers_that_would_need_rounding_or_are_not_numbers_are_refused(
    cell: object, places: int, template: str
) -> None:
    with pytest.raises(CellError) as caught:
        to_decimal(cell, places)
    assert caught.value.template == template


def test_a_float_never_reaches_the_result() -> None:
    assert type(to_decimal(0.1, 2)) is Decimal


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        (dt.date(2024, 3, 5), dt.date(2024, 3, 5)),
        (dt.datetime(2024, 3, 5, 0, 0), dt.date(2024, 3, 5)),
        ("2024-03-05", dt.date(2024, 3, 5)),
        ("2024/3/5", dt.date(2024, 3, 5)),
        ("2024年3月5日", dt.date(2024, 3, 5)),
    ],
)
def test_dates_come_as_date_cells_or_text(cell: object, expected: dt.date) -> None:
    assert to_date(cell, dt.date(2025, 1, 1)) == expected


@pytest.mark.parametrize(
    ("cell", "template"),
    [
        ("2024-02-30", cells.NOT_A_REAL_DATE),
        ("05/03/2024", cells.NOT_A_DATE),
        (45356.0, cells.NOT_A_DATE),
        ("2026-01-01", cells.DATE_OUT_OF_RANGE),
        (dt.date(1989, 12, 31), cells.DATE_OUT_OF_RANGE),
    ],
)
def test_impossible_ambiguous_and_out_of_range_dates_are_refused(cell: object, template: str) -> None:
    with pytest.raises(CellError) as caught:
        to_date(cell, dt.date(2025, 1, 1))
    assert caught.value.template == template


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("2024-07", dt.date(2024, 7, 1)),
        ("2024/7", dt.date(2024, 7, 1)),
        ("2024年7月", dt.date(2024, 7, 1)),
        (" 2024.07 ", dt.date(2024, 7, 1)),
        ("2024-07-15", dt.date(2024, 7, 1)),
        (dt.datetime(2024, 7, 1), dt.date(2024, 7, 1)),  # Excel made the typed 2024-07 a date
        (dt.date(2025, 1, 31), dt.date(2025, 1, 1)),
    ],
)
def test_a_month_is_text_or_a_date_cell_and_reads_as_its_first_day(cell: object, expected: dt.date) -> None:
    assert to_month(cell, dt.date(2025, 1, 15)) == expected


@pytest.mark.parametrize(
    ("cell", "template"),
    [
        ("2024-13", cells.NOT_A_MONTH),
        ("七月", cells.NOT_A_MONTH),
        (202407, cells.NOT_A_MONTH),
        ("2025-02", cells.DATE_OUT_OF_RANGE),
        ("1989-12", cells.DATE_OUT_OF_RANGE),
    ],
)
def test_a_month_that_is_none_or_after_this_month_is_refused(cell: object, template: str) -> None:
    with pytest.raises(CellError) as caught:
        to_month(cell, dt.date(2025, 1, 15))
    assert caught.value.template == template


def test_identifiers_typed_as_numbers_are_refused_because_excel_has_dropped_digits() -> None:
    with pytest.raises(CellError) as caught:
        to_identifier(3.706021970010100e17, 18)
    assert caught.value.template == cells.NUMBER_AS_IDENTIFIER
    assert to_identifier(" 3706 0219 7001 0100 1X ", 18) == "37060219700101001X"


def test_codes_typed_as_whole_numbers_lose_the_point_zero_and_text_is_bounded() -> None:
    assert to_text(7.0, 20) == "7"
    assert to_text(1.5, 20) == "1.5"
    with pytest.raises(CellError):
        to_text("长" * 21, 20)


def test_flags_read_chinese_english_and_checkboxes() -> None:
    assert [to_flag(v) for v in ("是", "否", "Yes", "no", True, 0.0)] == [True, False, True, False, True, False]
    with pytest.raises(CellError):
        to_flag("也许")


def test_headers_match_in_chinese_english_full_width_and_with_the_alias_in_brackets() -> None:
    known = reader.column_names(MEMBERS)
    for header in ("成员编号*", "member_code", "Member_Code *", "成员编号 [member_code]", "成员编号【member_code】"):
        assert any(name in known for name in reader._names(header)), header
    assert normal("面积（亩）") == normal("面积(亩)")


def test_every_sheet_and_column_has_a_unique_chinese_and_english_name() -> None:
    assert len({s.zh for s in SHEETS}) == len({s.key for s in SHEETS}) == len(SHEETS)
    for sheet in SHEETS:
        assert len({c.zh for c in sheet.columns}) == len({c.key for c in sheet.columns}) == len(sheet.columns)


@pytest.mark.parametrize("template", ALL_TEMPLATES)
def test_every_workbook_message_has_a_chinese_translation_with_the_same_placeholders(template: str) -> None:
    chinese = translate(template, "zh")
    assert chinese != template
    assert set(PLACEHOLDER.findall(chinese)) == set(PLACEHOLDER.findall(template))


def test_the_workbook_catalog_is_a_standard_po_file() -> None:
    path = Path(imports.__file__).parents[1] / "i18n" / "locale" / "zh_CN" / "LC_MESSAGES" / "workbook.po"
    with path.open("rb") as handle:
        catalog = read_po(handle)
    assert catalog.locale is not None and catalog.locale.language == "zh"
    assert set(ALL_TEMPLATES) <= {message.id for message in catalog if message.id}
