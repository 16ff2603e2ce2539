"""The member page shows the household's statement (对账单) of a period beside its 成员账户, what is still owed,
and builds the statement's PDF; a user of another cooperative gets neither (issue #17)."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from admin.i18n import money
from coopcore.db.engine import make_engine
from coopcore.models import Cooperative, Member
from coopcore.services.ledger.owed import member_statement
from coopcore.services.member_account import member_account
from tests.admin.demo import csrf_token, sign_in
from tests.admin.test_report_jobs import finished

CHENLIANG = "93370671MA3H6XFL2R"


def _member(url: str, credit_code: str, code: str) -> Member:
    engine = make_engine(url)
    with Session(engine, expire_on_commit=False) as session:
        cooperative = session.scalars(select(Cooperative).where(Cooperative.credit_code == credit_code)).one()
        found = session.scalars(
            select(Member).where(Member.cooperative_id == cooperative.id, Member.code == code)
        ).one()
    engine.dispose()
    return found


def _text(html: str, element_id: str) -> str:
    match = re.search(rf'id="{element_id}"[^>]*>(.*?)</', html, re.S)
    assert match, element_id
    return match.group(1).strip()


def test_the_member_page_shows_the_year_s_statement_its_lines_and_what_is_still_owed(
    reader: FlaskClient, shared_app: Flask
) -> None:
    url = shared_app.config["COOP_DATABASE_URL"]
    member = _member(url, CHENLIANG, "M002")
    sign_in(reader, "supervisor")
    page = reader.get(f"/admin/member-account/?id={member.id}&year=2023").text
    engine = make_engine(url)
    with shared_app.test_request_context(), Session(engine) as session:
        found = session.get_one(Member, member.id)
        statement = member_statement(session, found.cooperative, found, dt.date(2023, 1, 1), dt.date(2023, 12, 31))
        account = member_account(session, found, 2023)
        closing, owed = money(statement.total.closing), money(account.still_owed)
    engine.dispose()
    assert statement.lines and all(line.voucher in page for line in statement.lines)
    assert _text(page, "member-statement-closing") == closing
    assert _text(page, "still-owed-total") == owed == closing  # the year's statement closes at the form's 尚欠
    assert 'name="from" id="from" value="2023-01-01"' in page and 'value="2023-12-31"' in page
    # The paid 2022 dividend is a dated line of the form, not a balance that reads as owed.
    assert "支付盈余返还及剩余盈余：盈余返还 ¥3,963.27" in page and "2022年度分配" in page
    assert "成员对账单" in page and "对账单 PDF" in page

    spring = reader.get(f"/admin/member-account/?id={member.id}&year=2023&from=2023-04-01&to=2023-04-30").text
    table = spring[spring.index('id="member-statement-lines"') :]
    assert table.count("2023-04 记-3") == 2 and "2023-10 记-1" not in table
    assert (
        reader.get(f"/admin/member-account/?id={member.id}&year=2023&from=2023-05-01&to=2023-04-30").status_code == 404
    )
    assert reader.get(f"/admin/member-account/?id={member.id}&year=2023&from=2023-02-30").status_code == 404


def test_a_user_of_another_cooperative_gets_neither_the_page_nor_the_pdf(
    reader: FlaskClient, shared_app: Flask
) -> None:
    url = shared_app.config["COOP_DATABASE_URL"]
    engine = make_engine(url)
    with Session(engine) as session:
        other = session.scalars(
            select(Member)
            .join(Cooperative, Cooperative.id == Member.cooperative_id)
            .where(Cooperative.credit_code != CHENLIANG)
            .order_by(Member.id)
        ).first()
        assert other is not None
        other_id, other_code, other_coop = other.id, other.code, other.cooperative_id
    engine.dispose()
    sign_in(reader, "supervisor")  # reads 晨靓 only
    assert reader.get(f"/admin/member-account/?id={other_id}").status_code == 404
    form = reader.get("/admin/reports/").text
    refused = reader.post("/admin/reports/build", data={
        "csrf_token": csrf_token(form), "report": "member-statements", "cooperative": str(other_coop),
        "year": "2023", "member": other_code, "format": "pdf",
    })  # fmt: skip
    assert refused.status_code == 404


def test_the_statement_pdf_is_built_for_the_member_and_the_period(
    client: FlaskClient, app: Flask, tmp_path: Path
) -> None:
    member = _member(app.config["COOP_DATABASE_URL"], CHENLIANG, "M002")
    sign_in(client, "accountant")
    page = client.get(f"/admin/member-account/?id={member.id}&year=2023").text
    form = re.search(r'<form[^>]*id="member-statement-pdf".*?</form>', page, re.S)
    assert form is not None
    fields = dict(re.findall(r'name="([a-z_]+)" value="([^"]*)"', form.group(0)))
    assert fields["member"] == "M002" and fields["first_on"] == "2023-01-01" and fields["last_on"] == "2023-12-31"
    fields["csrf_token"] = csrf_token(page)
    response = client.post("/admin/reports/build", data=fields)
    assert response.status_code == 302
    done = finished(client, response.headers["Location"])
    link = re.search(r'href="(/admin/reports/job/[\w-]+/file)"', done)
    assert link is not None
    pdf = client.get(link.group(1))
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    path = tmp_path / "statement.pdf"
    path.write_bytes(pdf.data)
    content = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "孙长春" in content and "M002" in content and "2023" in content
    pages = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"Pages:\s+1\n", pages)  # one household


def test_the_page_s_statement_is_the_books_on_every_backend(example_app: tuple[Flask, Engine]) -> None:
    app, engine = example_app
    with Session(engine) as session:
        member = session.scalars(select(Member).where(Member.code == "M03")).one()
        statement = member_statement(session, member.cooperative, member, dt.date(2024, 1, 1), dt.date(2024, 12, 31))
        member_id = member.id
    client = app.test_client()
    sign_in(client, "clerk")
    page = client.get(f"/admin/member-account/?id={member_id}&year=2024").text
    with app.test_request_context():
        expected = money(statement.total.closing)
    assert _text(page, "member-statement-closing") == expected
    assert all(line.voucher in page for line in statement.lines)
    sign_in(client, "chief")
    assert client.get(f"/admin/member-account/?id={member_id}&year=2024").status_code == 200
