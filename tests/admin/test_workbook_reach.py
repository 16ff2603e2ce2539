"""The admin's workbook upload checks an accountant's workbook with the accountant's rights, on every backend."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
from flask import Flask
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from coopcore.models import Cooperative, Member, Township, Village, VillageCollective
from coopcore.services import imports
from tests.admin.demo import csrf_token, sign_in
from tests.workbook.builders import collective_code

FAR_COLLECTIVE = collective_code(9)


def _far_village(engine: Engine) -> None:
    with Session(engine) as session, session.begin():
        village = Village(township=Township(name="远山镇"), name="远山村")
        session.add(VillageCollective(village=village, name="远山村股份经济合作社", credit_code=FAR_COLLECTIVE))


def _escalating_workbook(engine: Engine, path: Path) -> Path:
    """The clerk's own export, moved to 远山镇远山村 and with M01 re-linked to that village's collective."""
    with Session(engine) as session:
        code = session.scalars(select(Cooperative.credit_code)).one()
        imports.export_workbook(session, code, path, lang="zh")
    book = openpyxl.load_workbook(path)
    sheet = book["合作社"]
    header = [cell.value for cell in sheet[1]]
    sheet.cell(row=2, column=header.index("所在乡镇*") + 1).value = "远山镇"
    sheet.cell(row=2, column=header.index("所在村*") + 1).value = "远山村"
    members = book["成员"]
    header = [cell.value for cell in members[1]]
    rows = list(members.iter_rows(min_row=2))
    m01 = next(row for row in rows if row[header.index("成员编号*")].value == "M01")
    m01[header.index("证件号码*")].value = FAR_COLLECTIVE
    book.save(path)
    return path


def _state(engine: Engine) -> tuple[object, ...]:
    with Session(engine) as session:
        village = session.scalars(select(Cooperative.village_id)).one()
        link = session.scalar(select(Member.village_collective_id).where(Member.code == "M01"))
        return village, link, session.scalar(select(func.count(VillageCollective.id)))


def test_an_accountants_upload_that_moves_the_cooperative_or_relinks_a_collective_needs_an_administrator(
    example_app: tuple[Flask, Engine], tmp_path: Path
) -> None:
    app, engine = example_app
    _far_village(engine)
    path = _escalating_workbook(engine, tmp_path / "escalate.xlsx")
    before = _state(engine)
    client = app.test_client()
    sign_in(client, "clerk")

    page = client.get("/admin/workbook/")
    response = client.post(
        "/admin/workbook/check",
        data={"csrf_token": csrf_token(page.text), "workbook": (io.BytesIO(path.read_bytes()), path.name)},
        content_type="multipart/form-data",
    )

    assert response.status_code == 200
    report = response.text
    assert report.count("这一行需要管理员：") == 2
    assert "把合作社从示例街道东院村迁到远山镇远山村" in report and FAR_COLLECTIVE in report
    assert 'id="report-blocked"' in report and 'id="apply-workbook"' not in report
    applied = client.post("/admin/workbook/apply", data={"csrf_token": csrf_token(report)})
    assert applied.status_code == 302  # nothing was waiting to be applied
    assert _state(engine) == before
