"""A workbook for a cooperative beyond the accountant's reach: the problems still shown, and who must act."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from coopcore.db.engine import make_engine
from coopcore.models import Cooperative
from coopcore.services import imports
from coopcore.validation import credit_code
from tests.admin.demo import csrf_token, sign_in

CHENLIANG = "93370671MA3H6XFL2R"  # the accountant's
WANGJIAKUANG = "王家夼红富士苹果专业合作社"  # not the accountant's
NEW_CODE = "93370671MA3N0W0E1" + credit_code.calc_check_digit("93370671MA3N0W0E1")


def _export(url: str, code: str, path: Path) -> Path:
    engine = make_engine(url)
    with Session(engine) as session:
        imports.export_workbook(session, code, path, lang="zh")
    engine.dispose()
    return path


def _check(client: FlaskClient, path: Path) -> tuple[int, str]:
    page = client.get("/admin/workbook/")
    response = client.post(
        "/admin/workbook/check",
        data={"csrf_token": csrf_token(page.text), "workbook": (io.BytesIO(path.read_bytes()), path.name)},
        content_type="multipart/form-data",
    )
    return response.status_code, response.text


def _cooperatives(url: str) -> int:
    engine = make_engine(url)
    with Session(engine) as session:
        count = session.scalar(select(func.count(Cooperative.id)))
    engine.dispose()
    return int(count or 0)


def test_a_workbook_of_a_cooperative_not_created_yet_shows_its_problems_and_says_the_administrator_creates_it(
    client: FlaskClient, demo_url: str, tmp_path: Path
) -> None:
    path = _export(demo_url, CHENLIANG, tmp_path / "new.xlsx")
    book = openpyxl.load_workbook(path)
    sheet = book["合作社"]
    header = [cell.value for cell in sheet[1]]
    sheet.cell(row=2, column=header.index("名称*") + 1).value = "新河果品专业合作社"
    sheet.cell(row=2, column=header.index("统一社会信用代码*") + 1).value = NEW_CODE
    members = book["成员"]
    id_column = [cell.value for cell in members[1]].index("证件号码*") + 1
    wrong = str(members.cell(row=3, column=id_column).value)
    members.cell(row=3, column=id_column).value = wrong[:-1] + ("0" if wrong[-1] != "0" else "1")
    book.save(path)
    before = _cooperatives(demo_url)

    sign_in(client, "accountant")
    status, page = _check(client, path)

    assert status == 403
    assert 'id="problems"' in page and 'id="report-blocked"' in page  # the dry run's problems, as for any workbook
    assert "证件号码" in page and ">3<" in page  # the wrong check digit, at its column and row
    reach = page.split('id="reach-refused"', 1)[1].split("</div>", 1)[0]
    assert NEW_CODE in reach and "还没有建立" in reach and "系统管理员" in reach and "创建" in reach
    assert 'id="apply-workbook"' not in page
    assert _cooperatives(demo_url) == before  # the dry run wrote nothing


def test_a_workbook_of_a_cooperative_assigned_to_others_says_the_administrator_must_assign_it(
    client: FlaskClient, demo_url: str, tmp_path: Path
) -> None:
    engine = make_engine(demo_url)
    with Session(engine) as session:
        code = session.scalars(select(Cooperative.credit_code).where(Cooperative.name == WANGJIAKUANG)).one()
    engine.dispose()
    path = _export(demo_url, code, tmp_path / "foreign.xlsx")

    sign_in(client, "accountant")
    status, page = _check(client, path)

    assert status == 403
    reach = page.split('id="reach-refused"', 1)[1].split("</div>", 1)[0]
    assert code in reach and "没有分配给你" in reach and "系统管理员" in reach
    # Its problems would compare the workbook with that cooperative's stored records, which are not the user's.
    assert 'id="problems"' not in page and 'id="counts"' not in page and 'id="apply-workbook"' not in page
    assert client.post("/admin/workbook/apply", data={"csrf_token": csrf_token(page)}).status_code == 302


def test_the_refusal_is_in_english_after_the_switch(client: FlaskClient, demo_url: str, tmp_path: Path) -> None:
    path = _export(demo_url, CHENLIANG, tmp_path / "new.xlsx")
    book = openpyxl.load_workbook(path)
    sheet = book["合作社"]
    sheet.cell(row=2, column=[cell.value for cell in sheet[1]].index("统一社会信用代码*") + 1).value = NEW_CODE
    book.save(path)
    sign_in(client, "accountant")
    page = client.get("/admin/")
    client.post("/lang", data={"csrf_token": csrf_token(page.text), "lang": "en"})
    status, text = _check(client, path)
    assert status == 403
    assert "is not created yet" in text and "administrator" in text
