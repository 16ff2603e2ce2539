"""Member exits (退社) through the admin as an accountant uses them: apply, see the estimate, post, pay out.

The walk runs on SQLite, PostgreSQL and MariaDB (docs/domain.md Example 1, built in a scratch database); the
reading rights run on the demo.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from coopcore.db.engine import make_engine
from coopcore.models import Cooperative, CooperativeStatus, Member, MemberAccountEntry
from tests.admin.demo import csrf_token, distribution_step, sign_in

CHENLIANG = "晨靓果业专业合作社"


def text_of(html: str) -> str:
    """The page's text without tags, on one line."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def post(client: FlaskClient, path: str, member: int, **fields: str) -> str:
    """Press a button of the member's exit page; return the page it leads to."""
    page = client.get(f"/admin/member-exit/?id={member}")
    response = client.post(path, data={"csrf_token": csrf_token(page.text), "id": str(member), **fields})
    assert response.status_code == 302
    return text_of(client.get(response.headers["Location"]).text)


def exit_entries(engine: Engine, member: int) -> list[tuple[str, Decimal]]:
    with Session(engine) as session:
        rows = session.execute(
            select(MemberAccountEntry.kind, MemberAccountEntry.amount)
            .where(MemberAccountEntry.source == f"exit:{member}")
            .order_by(MemberAccountEntry.id)
        ).all()
    return [(str(kind), amount) for kind, amount in rows]


def test_an_accountant_records_an_exit_sees_the_estimate_and_pays_the_leaver_back_once_the_year_is_posted(
    example_app: tuple[Flask, Engine],
) -> None:
    app, engine = example_app
    with Session(engine) as session:
        cooperative = session.scalars(select(Cooperative)).one()
        leaver, stayer = (
            session.scalars(select(Member.id).where(Member.code == code)).one() for code in ("M06", "M05")
        )
    client = app.test_client()
    sign_in(client, "clerk", fresh=True)
    assert f"/admin/member-exit/?id={leaver}" in client.get(f"/admin/member-account/?id={leaver}").text

    page = post(client, "/admin/member-exit/apply", leaver, applied_on="2024-09-30")
    assert "已登记 M06 陈志强 的退社申请，成员资格于 2024年12月31日 终止。" in page
    assert "预计数 2024年度盈余分配记账前，以下为预计数。" in page
    # Before the year is posted the leaver holds the opening provident share only: 8,000.00 + 320.00.
    assert "出资额 ¥8,000.00 公积金份额 ¥320.00 分担亏损 ¥0.00 应退还金额 ¥8,320.00" in page
    assert "2024年度盈余分配记账后方可办理退还。" in page

    page = post(client, "/admin/member-exit/pay-out", leaver, paid_on="2025-01-10")  # a guessed early POST
    assert "2024年度盈余分配记账后才能为成员 M06 办理退社结算。" in page
    assert exit_entries(engine, leaver) == []

    distribution_step(client, cooperative.id, "plan")
    distribution_step(client, cooperative.id, "publish", published_on="2025-03-05", assembly_on="2025-03-20")
    distribution_step(client, cooperative.id, "approve", assembly_on="2025-03-20", members_present="6", votes_for="6")
    assert "已记账" in text_of(distribution_step(client, cooperative.id, "post"))

    page = text_of(client.get(f"/admin/member-exit/?id={leaver}").text)
    assert "确定数 2024年度盈余分配已记账，以下为退社结算确定数。" in page
    # Example 1: the year adds 1,801.77 to the leaver's provident share.
    assert "公积金份额 ¥2,121.77 分担亏损 ¥0.00 应退还金额 ¥10,121.77" in page
    assert "退还 ¥10,121.77" in page  # the button

    page = post(client, "/admin/member-exit/pay-out", leaver, paid_on="2025-04-01")
    assert "已向 M06 陈志强 退还 ¥10,121.77。" in page and "已于 2025年4月1日 退还。" in page
    paid = [("refund", Decimal("-8000.00")), ("provident_share", Decimal("-2121.77"))]
    assert exit_entries(engine, leaver) == paid

    page = post(client, "/admin/member-exit/pay-out", leaver, paid_on="2025-04-02")
    assert "成员 M06 已于 2024-12-31 退社。" in page
    page = post(client, "/admin/member-exit/apply", leaver, applied_on="2024-09-01")  # would move a settled exit
    assert "成员 M06 已于 2024-12-31 退社。" in page
    assert exit_entries(engine, leaver) == paid

    account = text_of(client.get(f"/admin/member-account/?id={leaver}&year=2025").text)
    assert "退社结算：退还10121.77，分担亏损0.00" in account
    assert "-¥8,000.00" in account and "-¥2,121.77" in account
    closing = account[account.index("年末余额") :]
    assert closing.startswith("年末余额 ¥0.00 ¥0.00 ¥0.00")  # contributions and provident share paid back

    with Session(engine) as session, session.begin():
        session.get(Cooperative, cooperative.id).status = CooperativeStatus.DISSOLVED  # type: ignore[union-attr]
    page = post(client, "/admin/member-exit/apply", stayer, applied_on="2025-05-01")
    assert "示例果业专业合作社 已解散，不再办理退社" in page
    with Session(engine) as session:
        assert session.get(Member, stayer).left_on is None  # type: ignore[union-attr]


def demo_member(url: str, code: str) -> int:
    engine = make_engine(url)
    with Session(engine) as session:
        member = session.scalar(
            select(Member.id).join(Cooperative, Cooperative.id == Member.cooperative_id)
            .where(Cooperative.name == CHENLIANG, Member.code == code)
        )  # fmt: skip
    engine.dispose()
    assert member is not None
    return member


def test_a_wrong_date_is_refused_with_its_reason_and_nothing_is_written(client: FlaskClient, demo_url: str) -> None:
    member = demo_member(demo_url, "M005")
    sign_in(client, "accountant")
    future = (dt.date.today() + dt.timedelta(days=3)).isoformat()
    assert "收到书面申请日期: 日期不能晚于今天" in post(client, "/admin/member-exit/apply", member, applied_on=future)
    assert "申请日期 2001-01-01 早于入社日期" in post(
        client, "/admin/member-exit/apply", member, applied_on="2001-01-01"
    )
    page = client.get(f"/admin/member-exit/?id={member}")
    response = client.post("/admin/member-exit/apply", data={"id": str(member), "applied_on": "2024-05-01"})
    assert response.status_code == 400  # no CSRF token
    assert 'id="exit-apply-form"' in page.text
    engine = make_engine(demo_url)
    with Session(engine) as session:
        assert session.execute(select(Member.exit_applied_on, Member.left_on).where(Member.id == member)).one() == (
            None,
            None,
        )
        assert session.scalar(select(func.count()).where(MemberAccountEntry.source == f"exit:{member}")) == 0
    engine.dispose()


def test_a_supervisor_sees_a_leavers_settlement_without_the_buttons(reader: FlaskClient, demo_url: str) -> None:
    leaver = demo_member(demo_url, "M035")  # left at the end of 2023, a posted year
    sign_in(reader, "supervisor")
    page = reader.get(f"/admin/member-exit/?id={leaver}").text
    assert 'id="exit-settlement"' in page and "确定数" in page
    assert 'id="exit-pay-form"' not in page and 'id="exit-apply-form"' not in page
    assert 'id="no-exit"' in reader.get(f"/admin/member-exit/?id={demo_member(demo_url, 'M005')}").text
    sign_in(reader, "accountant")
    assert 'id="exit-pay-form"' in reader.get(f"/admin/member-exit/?id={leaver}").text


def test_the_exit_page_reads_in_english_too(reader: FlaskClient, demo_url: str) -> None:
    leaver = demo_member(demo_url, "M035")
    sign_in(reader, "accountant")
    page = reader.get("/admin/")
    reader.post("/lang", data={"csrf_token": csrf_token(page.text), "lang": "en"})
    text = text_of(reader.get(f"/admin/member-exit/?id={leaver}").text)
    assert "Final The 2023 distribution is posted; these figures are final." in text
    assert re.search(r"Refund CN¥[\d,]+\.\d{2}", text)
