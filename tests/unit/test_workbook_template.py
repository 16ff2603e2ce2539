"""The cooperative workbook's template: every sheet with notes, drop-down lists and an example row, in Chinese and
in English."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from coopcore.services.imports import COOPERATIVE, write_template
from coopcore.services.workbook.schema import SHEETS


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_template_has_every_sheet_with_notes_drop_down_lists_and_an_example_row(lang: str, tmp_path: Path) -> None:
    path = tmp_path / "template.xlsx"
    write_template(path, COOPERATIVE, lang)  # type: ignore[arg-type]

    workbook = load_workbook(path)
    assert workbook.sheetnames[0] == ("说明" if lang == "zh" else "instructions")
    assert workbook.sheetnames[1:] == [sheet.label(lang) for sheet in SHEETS]  # type: ignore[arg-type]
    members = workbook[SHEETS[1].label(lang)]  # type: ignore[arg-type]
    headers = [cell.value for cell in members[1]]
    assert headers[:4] == (
        ["成员编号*", "姓名或名称*", "成员类型*", "证件号码*"]
        if lang == "zh"
        else ["member_code*", "name*", "kind*", "id_number*"]
    )
    assert all(cell.comment is not None and "[" in cell.comment.text for cell in members[1])
    lists = {v.formula1 for v in members.data_validations.dataValidation}
    assert (
        '"农民,村集体经济组织,企业,事业单位,社会组织,非农民个人,成员社"'
        if lang == "zh"
        else '"farmer,village_collective,enterprise,institution,social_org,non_farmer,cooperative"'
    ) in lists
    assert members.cell(row=2, column=1).value == "M001"
