"""The village workbook's template, in Chinese and in English: every sheet, headers, drop-down lists, an example."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook  # type: ignore[import-untyped]

from coopcore.services.imports import VILLAGES, write_template


def test_the_template_has_every_sheet_with_headers_drop_downs_and_an_example(tmp_path: Path) -> None:
    path = tmp_path / "template.xlsx"
    write_template(path, VILLAGES, "zh")
    book = load_workbook(path)
    assert book.sheetnames == ["说明", "提升方案", "产业项目", "资金", "村集体收入"]
    header = [cell.value for cell in book["资金"][1]]
    assert header[:5] == ["乡镇*", "村*", "方案基期年度", "项目名称", "资金来源*"]
    assert book["资金"].data_validations.dataValidation  # drop-down lists for the choices
    assert book["提升方案"]["A2"].value == "凤鸣街道"


def test_the_english_template_names_its_sheets_and_headers_in_english(tmp_path: Path) -> None:
    path = tmp_path / "template.xlsx"
    write_template(path, VILLAGES, "en")
    book = load_workbook(path)
    assert book.sheetnames == ["instructions", "plans", "projects", "funding", "income"]
    assert [cell.value for cell in book["funding"][1]][:5] == [
        "township*",
        "village*",
        "baseline_year",
        "project",
        "source*",
    ]
    assert book["instructions"]["A1"].value == VILLAGES.instructions["en"][0]
