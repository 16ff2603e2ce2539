"""The screens beyond the lists: the distribution buttons, the member account, the workbook upload, the audit log."""

from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal
from pathlib import Path

import openpyxl
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from coopcore.db.engine import make_engine
from coopcore.models import (
    Cooperative,
    Distribution,
    DistributionState,
    IncomeExpense,
    Member,
    MemberAccountEntry,
    Origin,
    Trade,
)
from coopcore.services import imports
from tests.admin.demo import csrf_token, distribution_step, sign_in
from tests.admin.test_concurrent_edits import edit_form

CHENLIANG = "晨靓果业专业合作社"


def coop_and_member(url: str, name: str = CHENLIANG) -> tuple[int, int, str]:
    engine = make_engine(url)
    with Session(engine) as session:
        coop = session.scalars(select(Cooperative).where(Cooperative.name == name)).one()
        member = session.scalars(select(Member).where(Member.cooperative_id == coop.id).order_by(Member.code)).all()[1]
        result = (coop.id, member.id, coop.credit_code)
    engine.dispose()
    return result


def test_an_accountant_runs_the_distribution_with_the_buttons_and_sees_each_reason(
    client: FlaskClient, demo_url: str
) -> None:
    coop, member, _ = coop_and_member(demo_url)
    sign_in(client, "accountant")
    before = client.get(f"/admin/member-account/?id={member}&year=2024").text
    assert "盈余返还" in before and ">2024</a>" not in _distributions(before)

    page = distribution_step(client, coop, "plan")
    assert "2024年度分配方案已计算" in page
    checks = re.search(r'<ul class="list-unstyled" id="statutory-checks">(.*?)</ul>', page, re.S)
    assert checks is not None
    assert checks.group(1).count("✓") == 3 and "✗" not in checks.group(1)
    assert "✓ 按交易量（额）返还占可分配盈余的" in checks.group(1)
    page = distribution_step(client, coop, "publish", published_on="2025-03-01", assembly_on="2025-03-10")
    assert "不足15日" in page  # NoticeTooShort, in Chinese
    page = distribution_step(client, coop, "publish", published_on="2025-03-01", assembly_on="2025-03-20")
    assert "已公示" in page
    assert "✓ 成员大会在方案公示后第 19 天召开" in page  # Art. 40, now that the dates are known
    page = distribution_step(client, coop, "approve", assembly_on="2025-03-20", members_present="10", votes_for="10")
    assert "三分之二以上成员出席" in page  # NoQuorum
    page = distribution_step(
        client,
        coop,
        "approve",
        assembly_on="2025-03-20",
        members_present="110",
        votes_for="100",
        resolution="社员大会决议〔2025〕1号",
    )
    assert "已通过" in page
    page = distribution_step(client, coop, "post")
    assert "已记账" in page

    after = client.get(f"/admin/member-account/?id={member}&year=2024").text
    assert ">2024</a>" in _distributions(after) and "已记账" in _distributions(after)  # the line of the year
    assert _closing(after) != _closing(before)  # the returns are in the account
    page = distribution_step(client, coop, "pay", paid_on="2025-04-01", method="cash")
    assert "已支付" in page

    engine = make_engine(demo_url)
    with Session(engine) as session:
        distribution = session.scalars(
            select(Distribution).where(Distribution.cooperative_id == coop, Distribution.year == 2024)
        ).one()
        assert distribution.state is DistributionState.PAID
        entries = session.scalar(
            select(func.count(MemberAccountEntry.id)).where(MemberAccountEntry.source == distribution.source)
        )
        assert entries and entries > 0
    engine.dispose()


def _distributions(page: str) -> str:
    return page[page.index('id="member-distributions"') :]


def _closing(page: str) -> str:
    start = page.index('id="closing-row"')
    return page[start : page.index("</tr>", start)]


def test_a_supervisor_sees_the_distribution_page_without_buttons(reader: FlaskClient, demo_url: str) -> None:
    coop, _, _ = coop_and_member(demo_url)
    sign_in(reader, "supervisor")
    page = reader.get(f"/admin/distribution/?cooperative={coop}&year=2024").text
    assert "尚未编制" in page
    assert 'id="step-plan"' not in page


def _export(url: str, credit_code: str, path: Path) -> Path:
    engine = make_engine(url)
    with Session(engine) as session:
        imports.export_workbook(session, credit_code, path, lang="zh")
    engine.dispose()
    return path


def _upload(client: FlaskClient, path: Path) -> str:
    page = client.get("/admin/workbook/")
    response = client.post(
        "/admin/workbook/check",
        data={"csrf_token": csrf_token(page.text), "workbook": (io.BytesIO(path.read_bytes()), path.name)},
        content_type="multipart/form-data",
    )
    assert response.status_code == 200, response.text[:500]
    return response.text


def test_a_broken_workbook_lists_every_problem_and_a_clean_one_is_imported(
    client: FlaskClient, demo_url: str, tmp_path: Path
) -> None:
    _, _, credit_code = coop_and_member(demo_url)
    clean = _export(demo_url, credit_code, tmp_path / "clean.xlsx")
    book = openpyxl.load_workbook(clean)
    trades = book["交易"]
    header = [cell.value for cell in trades[1]]
    new_row = list(next(trades.iter_rows(min_row=2, max_row=2, values_only=True)))
    new_row[header.index("单据号")] = "WEB-2024-0001"
    new_row[header.index("日期*")] = dt.datetime(2024, 11, 30)  # 2022 and 2023 are closed in the demo
    trades.append(new_row)
    book.save(clean)
    broken = tmp_path / "broken.xlsx"
    book["成员"].cell(row=2, column=header.index("成员编号*") + 4).value = "370602197001010011"  # bad check digit
    trades.cell(row=3, column=header.index("数量*") + 1).value = 0
    book.save(broken)

    sign_in(client, "accountant")
    report = _upload(client, broken)
    assert 'id="report-blocked"' in report and 'id="apply-workbook"' not in report
    assert "交易" in report and "数量" in report and "成员" in report  # sheet and column of each problem
    assert client.post("/admin/workbook/apply", data={"csrf_token": csrf_token(report)}).status_code == 302

    report = _upload(client, clean)
    assert 'id="report-clean"' in report and 'id="apply-workbook"' in report
    done = client.post("/admin/workbook/apply", data={"csrf_token": csrf_token(report)})
    assert done.status_code == 200 and "已导入" in done.text
    engine = make_engine(demo_url)
    with Session(engine) as session:
        assert session.scalar(select(func.count(Trade.id)).where(Trade.ticket_no == "WEB-2024-0001")) == 1
    engine.dispose()


def test_the_check_of_a_workbook_shows_the_surplus_before_and_after_for_a_year_it_changes(
    client: FlaskClient, demo_url: str, tmp_path: Path
) -> None:
    _, _, credit_code = coop_and_member(demo_url)
    path = _export(demo_url, credit_code, tmp_path / "more.xlsx")
    book = openpyxl.load_workbook(path)
    sheet = book["收支"]
    header = [cell.value for cell in sheet[1]]
    row: list[object] = [None] * len(header)
    row[header.index("日期*")] = dt.datetime(2024, 11, 30)  # 2024 is open in the demo
    row[header.index("科目*")] = "其他收入"
    row[header.index("金额*")] = 1234.5
    sheet.append(row)
    book.save(path)

    sign_in(client, "accountant")
    report = _upload(client, path)

    assert 'id="report-clean"' in report
    surplus = re.search(r'<table class="table table-sm" id="surplus">(.*?)</table>', report, re.S)
    assert surplus is not None and "本年盈余" in surplus.group(1) and "导入前" in surplus.group(1)
    cells = re.findall(r'<td class="num">([^<]*)</td>', surplus.group(1))
    before, after = (Decimal(re.sub(r"[^\d.-]", "", cell)) for cell in cells)
    assert "<td>2024</td>" in surplus.group(1) and after - before == Decimal("1234.50")


def test_an_accountant_cannot_import_into_someone_elses_cooperative(
    client: FlaskClient, demo_url: str, tmp_path: Path
) -> None:
    _, _, credit_code = coop_and_member(demo_url, "王家夼红富士苹果专业合作社")
    foreign = _export(demo_url, credit_code, tmp_path / "foreign.xlsx")
    sign_in(client, "accountant")
    page = client.get("/admin/workbook/")
    response = client.post(
        "/admin/workbook/check",
        data={"csrf_token": csrf_token(page.text), "workbook": (io.BytesIO(foreign.read_bytes()), "foreign.xlsx")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 403


def test_the_template_downloads_as_a_workbook(reader: FlaskClient) -> None:
    sign_in(reader, "supervisor")
    response = reader.get("/admin/workbook/template.xlsx")
    assert response.status_code == 200
    assert response.mimetype.endswith("spreadsheetml.sheet")
    assert "成员" in openpyxl.load_workbook(io.BytesIO(response.data)).sheetnames


def test_the_audit_log_shows_who_changed_what_with_old_and_new_values(client: FlaskClient, demo_url: str) -> None:
    sign_in(client, "accountant")
    url = "/admin/cooperative/edit/?id=12"
    changed = {
        "name": CHENLIANG,
        "credit_code": "93370671MA3H6XFL2R",
        "village": "16",
        "party_branch": "16",
        "founded_on": "2019-04-18",
        "business_type": "苹果",
        "brand": "九妹山（新）",
        "status": "active",
    }
    # The form as shown (its CSRF token, the row version it was read at), with the changes typed in.
    assert client.post(url, data={**edit_form(client, url), **changed}).status_code == 302  # a unique column saves
    log = client.get("/admin/audit/?table=cooperative").text
    assert "accountant" in log and "九妹山 → 九妹山（新）" in log  # the demo's master data has its first version
    assert client.post(url, data={**edit_form(client, url), **changed, "brand": "九妹山"}).status_code == 302
    log = client.get("/admin/audit/?table=cooperative").text
    assert "品牌</strong>: 九妹山（新） → 九妹山" in log
    assert "名称</strong>" not in log.split("九妹山（新） → 九妹山")[0].rsplit("<tr>", 1)[-1]  # only what changed
    assert client.get("/admin/audit/?table=user").text.count("<tr>") <= 2  # users' changes: administrators only
    # A dated record loaded in bulk (as a workbook import writes it) has no first version: its old values are unknown.
    engine = make_engine(demo_url)
    with Session(engine) as session:
        row_id = session.scalars(
            select(IncomeExpense.id)
            .join(Cooperative)
            .where(Cooperative.name == CHENLIANG, IncomeExpense.recorded_on >= dt.date(2024, 1, 1))
            .where(IncomeExpense.origin == Origin.MANUAL)
            .order_by(IncomeExpense.id)
        ).first()
    engine.dispose()
    url = f"/admin/income_expense/edit/?id={row_id}"
    assert client.post(url, data={**edit_form(client, url), "memo": "农资销售收入（更正）"}).status_code == 302
    assert "未记录 → 农资销售收入（更正）" in client.get("/admin/audit/?table=income_expense").text
