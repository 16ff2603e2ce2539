"""The template, and the demo data set exported and imported again into an identical database."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from coopcore.db import migrate
from coopcore.models import Cooperative
from coopcore.rules import membership
from coopcore.services.imports import COOPERATIVE, export_workbook, run_import, write_template
from coopcore.services.workbook.schema import SHEETS
from demo import load_demo
from tests.backends import scratch_engine
from tests.workbook.dump import dump_cooperative

TODAY = dt.date(2025, 6, 30)


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


def test_the_template_example_rows_are_valid_input(session: Session, tmp_path: Path) -> None:
    path = tmp_path / "template.xlsx"
    write_template(path, COOPERATIVE, "zh")

    report = run_import(session, path, COOPERATIVE, dry_run=True, today=TODAY)

    # One example member cannot found a cooperative; every cell and row of the examples is fine.
    assert {p.template for p in report.problems} == {membership.FOUNDERS, membership.INDIVIDUAL_CAP}
    assert all(counts.created == 1 for counts in report.counts.values())


def _demo_codes(session: Session) -> list[str]:
    # Member cooperatives first: a federation links to its members by their credit codes.
    query = select(Cooperative.credit_code).where(Cooperative.is_demo.is_(True))
    return list(session.scalars(query.order_by(Cooperative.is_federation, Cooperative.id)))


def test_the_demo_data_set_exports_and_imports_into_an_identical_database(
    session: Session, engine: Engine, tmp_path: Path
) -> None:
    load_demo(session)
    codes = _demo_codes(session)
    expected = {}
    for code in codes:
        export_workbook(session, code, tmp_path / f"{code}.xlsx")
        expected[code] = dump_cooperative(session, code)

    with scratch_engine(engine.dialect.name.replace("mysql", "mariadb"), tmp_path) as other:
        migrate.upgrade(other)
        with Session(other) as fresh, fresh.begin():
            for code in codes:
                report = run_import(fresh, tmp_path / f"{code}.xlsx", COOPERATIVE, today=TODAY)
                assert report.written and not report.errors, report.messages()
            for code in codes:
                assert dump_cooperative(fresh, code) == expected[code], code
    assert len(codes) == 24


def test_an_export_imported_into_its_own_database_changes_nothing(session: Session, tmp_path: Path) -> None:
    load_demo(session)
    code = _demo_codes(session)[11]  # 晨靓, the largest, with land shares
    before = dump_cooperative(session, code)
    export_workbook(session, code, tmp_path / "chenliang.xlsx")

    report = run_import(session, tmp_path / "chenliang.xlsx", COOPERATIVE, today=TODAY)

    assert report.written
    assert (report.created, report.updated) == (0, 0)
    assert all(counts.removed == 0 for counts in report.counts.values())
    assert dump_cooperative(session, code) == before
