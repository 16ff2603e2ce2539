"""The member's payee details in the admin: the accountant enters them on the member form (the card checked, the
holder's-name warning flashed) and reads the number whole; officials and supervisors read it masked in
the details, the CSV export and the audit log, and cannot open the form (issue #17)."""

from __future__ import annotations

import csv
import io
import re

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from coopcore.db.audit import act_as
from coopcore.db.engine import make_engine
from coopcore.models import Cooperative, Member, Role, User, Village
from coopcore.services.payees import set_payee
from tests.admin.demo import sign_in
from tests.admin.test_concurrent_edits import edit_form

CHENLIANG = "晨靓果业专业合作社"
CARD = "6205500000000000004"  # a UnionPay test card that passes its check digit
WHOLE, MASKED = "6205 5000 0000 0000 004", "6205 **** **** *** 0004"


def _chenliang_member(url: str) -> tuple[int, str, str]:
    """M002 of 晨靓: its id, its head of household, and the official whose township it is in."""
    engine = make_engine(url)
    with Session(engine) as session:
        cooperative = session.scalars(select(Cooperative).where(Cooperative.name == CHENLIANG)).one()
        member = session.scalars(
            select(Member).where(Member.cooperative_id == cooperative.id, Member.code == "M002")
        ).one()
        township = session.scalars(select(Village.township_id).where(Village.id == cooperative.village_id)).one()
        official = session.scalars(
            select(User.username).where(User.role == Role.TOWNSHIP_OFFICIAL, User.township_id == township)
        ).first()
        found = (member.id, member.household_head or member.name, official)
    engine.dispose()
    assert found[2] is not None
    return found  # type: ignore[return-value]


def _stored(url: str, member_id: int) -> tuple[str | None, str | None, bool]:
    engine = make_engine(url)
    with Session(engine) as session:
        member = session.get_one(Member, member_id)
        found = (member.payee_account, member.payee_name, member.payee_checked)
    engine.dispose()
    return found


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_accountant_enters_a_payee_on_the_member_form_and_reads_the_number_whole(
    client: FlaskClient, demo_url: str
) -> None:
    member_id, head, _ = _chenliang_member(demo_url)
    sign_in(client, "accountant")
    url = f"/admin/member/edit/?id={member_id}"
    form = edit_form(client, url)
    for name in ("payee_bank", "payee_account", "payee_passbook", "payee_name", "payee_checked_on"):
        assert name in form or name == "payee_passbook", name  # an unticked box sends nothing
    page = client.get(url).text
    for label in ("开户行", "账号（卡号）", "存折或一卡通账号（不是银行卡）", "户名", "账户核对日期"):
        assert label in page, label

    payee = {"payee_bank": "烟台农商银行福山支行", "payee_name": "王小军", "payee_checked_on": "2025-03-01"}
    refused = client.post(url, data={**form, **payee, "payee_account": "6205 5000 0000 0000 005"})
    assert refused.status_code == 200  # the form again, the reason under the field
    assert "6205 5000 0000 0000 005 不是有效的银行卡号" in text_of(refused.text)
    assert _stored(demo_url, member_id) == (None, None, False)

    saved = client.post(url, data={**form, **payee, "payee_account": "6205 5000 0000 0000 004"}, follow_redirects=True)
    assert saved.status_code == 200
    assert f"收款账户的户名是王小军，不是户主{head}" in text_of(saved.text)  # saved, with the warning flashed
    assert _stored(demo_url, member_id) == (CARD, "王小军", True)

    details = text_of(client.get(f"/admin/member/details/?id={member_id}").text)
    assert WHOLE in details and "烟台农商银行福山支行" in details
    assert edit_form(client, url)["payee_account"] == CARD
    rows = {row["编号"]: row for row in csv.DictReader(io.StringIO(client.get("/admin/member/export/csv/").text))}
    assert rows["M002"]["账号（卡号）"] == WHOLE and rows["M002"]["户名"] == "王小军"

    # A 62… number that fails the card check is taken once it is ticked as a passbook, and stays ticked.
    passbook = {**edit_form(client, url), "payee_account": "6205500000000000005", "payee_passbook": "y"}
    assert client.post(url, data=passbook).status_code == 302
    assert _stored(demo_url, member_id)[0] == "6205500000000000005"
    again = edit_form(client, url)
    assert again.get("payee_passbook") == "y"
    assert client.post(url, data={**again, "phone": "13953588888"}).status_code == 302


def test_officials_and_supervisors_read_the_number_masked_everywhere(app: Flask, demo_url: str) -> None:
    member_id, _, official = _chenliang_member(demo_url)
    engine = make_engine(demo_url)
    with Session(engine) as session, session.begin():
        act_as(session, session.scalars(select(User.id).where(User.username == "accountant")).one())
        member = session.get_one(Member, member_id)
        set_payee(session, member, bank="邮储银行", account="6200000000000005", name="王小军")
    with Session(engine) as session, session.begin():
        set_payee(session, session.get_one(Member, member_id), bank="邮储银行", account=CARD, name="王小军")
    engine.dispose()

    client = app.test_client()
    for username, whole in ((official, False), ("supervisor", False), ("accountant", True), ("admin", True)):
        sign_in(client, username)
        shown, hidden = (WHOLE, MASKED) if whole else (MASKED, WHOLE)
        listed = client.get(f"/admin/member/?search={_code_of(demo_url, member_id)}").text
        details = client.get(f"/admin/member/details/?id={member_id}").text
        exported = client.get("/admin/member/export/csv/").text
        audit = text_of(client.get(f"/admin/audit/?table=member&record={member_id}").text)
        for page in (details, exported):
            assert shown in page and hidden not in page and CARD not in page, username
        # The list leaves the number out (it must fit a 1366-pixel screen): the details and the export show it.
        assert WHOLE not in listed and MASKED not in listed and CARD not in listed, username
        # The log shows both numbers the member had, old and new, each masked or whole alike.
        old = "6200 0000 0000 0005" if whole else "6200 **** **** 0005"
        assert shown in audit and old in audit and hidden not in audit and CARD not in audit, (username, audit)
        assert (client.get(f"/admin/member/edit/?id={member_id}").status_code == 200) is whole, username
        # Nobody sorts or searches by the number: an official could otherwise find it out digit by digit.
        assert "M002" not in _rows(client.get("/admin/member/?search=0000000000004").text), username


def _code_of(url: str, member_id: int) -> str:
    engine = make_engine(url)
    with Session(engine) as session:
        code = session.get_one(Member, member_id).code
    engine.dispose()
    return code


def _header(page: str, column: str) -> str:
    found = re.search(rf'<th class="column-header col-{column}">(.*?)</th>', page, re.S)
    assert found, column
    return found.group(1)


def _rows(page: str) -> str:
    return page.split("<tbody", 1)[-1] if "<tbody" in page else page.split("</thead>", 1)[-1]
