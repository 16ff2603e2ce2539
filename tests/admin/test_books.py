"""The books' screens (admin/views/books): every page for each role and reach, every step, every refusal in
Chinese with nothing written."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from html import unescape
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from coopcore.db.engine import make_engine
from coopcore.models import Account, Cooperative, Role, Voucher, VoucherOrigin, VoucherState
from coopcore.services.users import create_user
from demo import DEMO_PASSWORD
from tests.admin.demo import csrf_token, sign_in

CHENLIANG = "晨靓果业专业合作社"
PAGES = ("chart", "vouchers", "periods", "trial-balance", "general-ledger", "detail-ledger", "cash-journal",
         "bank-journal")  # fmt: skip


@dataclass
class Books:
    url: str
    coop: int  # 晨靓: the accountant's and the supervisor's
    other: int  # a cooperative of neither
    event_voucher: int  # a draft 晨靓's contributions booked

    def session(self) -> Iterator[Session]:
        engine = make_engine(self.url)
        with Session(engine) as session:
            yield session
        engine.dispose()

    def scalar(self, query: Any) -> Any:
        return next(iter([s.scalar(query) for s in self.session()]))

    def vouchers(self) -> int:
        return int(self.scalar(select(func.count(Voucher.id)).where(Voucher.cooperative_id == self.coop)))

    def voucher(self, voucher_id: int) -> Voucher:
        for session in self.session():
            found = session.get_one(Voucher, voucher_id)
            session.expunge(found)
            return found
        raise AssertionError


@pytest.fixture
def books(demo_url: str) -> Books:
    engine = make_engine(demo_url)
    with Session(engine) as session, session.begin():
        coop = session.scalars(select(Cooperative).where(Cooperative.name == CHENLIANG)).one()
        other = session.scalar(select(Cooperative.id).where(Cooperative.id != coop.id).order_by(Cooperative.id))
        event = session.scalar(
            select(Voucher.id).where(
                Voucher.cooperative_id == coop.id,
                Voucher.origin == VoucherOrigin.CONTRIBUTION,
                Voucher.state == VoucherState.DRAFT,  # 2024's: the demo closed 2022 and 2023
            )
        )
        create_user(session, "checker", DEMO_PASSWORD, Role.ACCOUNTANT, cooperatives=[coop])
        found = Books(demo_url, coop.id, int(other or 0), int(event or 0))
    engine.dispose()
    return found


def text_of(html: str) -> str:
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)))


def save(client: FlaskClient, coop: int, lines: list[tuple[str, str, str, str]], **fields: str) -> Any:
    """Send the entry screen's form: lines of (account, member, debit, credit)."""
    token = csrf_token(client.get("/admin/books/entry/").text)
    data: dict[str, Any] = {"csrf_token": token, "cooperative": str(coop), "date": "2024-06-15", "word": "记",
                            "attachments": "1", **fields}  # fmt: skip
    data["summary"] = ["交来股金"] * len(lines)
    data["account"] = [line[0] for line in lines]
    data["member"] = [line[1] for line in lines]
    data["poverty"] = [""] * len(lines)
    data["debit"] = [line[2] for line in lines]
    data["credit"] = [line[3] for line in lines]
    data["keep"] = [""] * len(lines)
    return client.post("/admin/books/entry/save", data=data)


BALANCED = [("101", "", "1,500.00", ""), ("301", "M003", "", "1500")]


def step(client: FlaskClient, voucher_id: int, action: str, **fields: str) -> str:
    """Press a voucher's button on its page and return the page it leads to."""
    page = client.get(f"/admin/books/vouchers/show?id={voucher_id}")
    url = "/admin/books/vouchers/reverse" if action == "reverse" else "/admin/books/vouchers/step"
    data = {"csrf_token": csrf_token(page.text), "id": str(voucher_id), "action": action, **fields}
    response = client.post(url, data=data)
    assert response.status_code == 302, response.text
    return text_of(client.get(response.headers["Location"]).text)


def latest_manual(books: Books) -> int:
    return int(
        books.scalar(
            select(func.max(Voucher.id)).where(
                Voucher.cooperative_id == books.coop, Voucher.origin == VoucherOrigin.MANUAL
            )
        )
    )


def test_every_books_page_opens_for_the_accountant_in_chinese(client: FlaskClient, books: Books) -> None:
    sign_in(client, "accountant")
    for page in (*PAGES, "entry"):
        response = client.get(f"/admin/books/{page}/?cooperative={books.coop}&year=2024")
        assert response.status_code == 200, page
    shown = text_of(client.get(f"/admin/books/chart/?cooperative={books.coop}").text)
    assert "会计科目表" in shown and "33202 未分配盈余 所有者权益类 贷" in shown and "增设明细科目" in shown
    entry = client.get(f"/admin/books/entry/?cooperative={books.coop}").text
    assert '"code": "101"' in entry and '"initials": "kcxj"' in entry  # 库存现金's initials, shipped with the list
    assert "jml" in entry  # 姜明亮, for the member picker
    assert "借贷差额" in text_of(entry)
    detail = text_of(client.get(f"/admin/books/detail-ledger/?cooperative={books.coop}&year=2024&account=301").text)
    assert "明细账" in detail and "期初余额" in detail
    # The demo's vouchers are drafts: the journal shows them only as a preview, with their counter accounts.
    posted = client.get(f"/admin/books/bank-journal/?cooperative={books.coop}&year=2024").text
    preview = client.get(f"/admin/books/bank-journal/?cooperative={books.coop}&year=2024&unposted=1").text
    assert "2024-03 记-1" not in posted and "2024-03 记-1" in preview and 'id="preview-note"' in preview


def test_a_balanced_voucher_is_saved_and_another_accountant_audits_and_posts_it(
    client: FlaskClient, books: Books
) -> None:
    sign_in(client, "accountant")
    before = books.vouchers()
    response = save(client, books.coop, [*BALANCED, ("", "", "", "")])  # a blank line is no line
    assert response.status_code == 302
    page = text_of(client.get(response.headers["Location"]).text)
    assert "已保存（未审核）" in page and "2024-06 记-" in page
    assert books.vouchers() == before + 1
    voucher_id = latest_manual(books)
    saved = books.voucher(voucher_id)
    assert saved.state is VoucherState.DRAFT and saved.prepared_by == "accountant" and saved.attachments == 1

    assert "须由他人审核" in step(client, voucher_id, "audit")  # the preparer may not audit their own
    assert books.voucher(voucher_id).state is VoucherState.DRAFT

    sign_in(client, "checker")
    assert "已审核" in step(client, voucher_id, "audit")
    assert "已记账" in step(client, voucher_id, "post")
    posted = books.voucher(voucher_id)
    assert (posted.state, posted.audited_by, posted.posted_by) == (VoucherState.POSTED, "checker", "checker")
    balance = client.get(f"/admin/books/trial-balance/?cooperative={books.coop}&year=2024&month=6").text
    assert re.search(r'id="row-101".*?¥1,500\.00', balance, re.S)
    assert 'id="balanced" class="text-success"' in balance
    ledger = client.get(f"/admin/books/detail-ledger/?cooperative={books.coop}&year=2024&account=301&member=M003")
    assert "姜明亮" in ledger.text and "¥1,500.00" in ledger.text
    journal = text_of(client.get(f"/admin/books/cash-journal/?cooperative={books.coop}&year=2024").text)
    assert "现金日记账" in journal and "301 股金" in journal  # the counter account
    general = text_of(client.get(f"/admin/books/general-ledger/?cooperative={books.coop}&year=2024").text)
    assert "本月合计" in general and "本年累计" in general and "¥1,500.00" in general


def test_the_preparer_audits_their_own_voucher_when_the_cooperative_allows_one_person(
    client: FlaskClient, books: Books
) -> None:
    engine = make_engine(books.url)
    with Session(engine) as session, session.begin():
        session.get_one(Cooperative, books.coop).ledger_single_person = True
    engine.dispose()
    sign_in(client, "accountant")
    save(client, books.coop, BALANCED)
    assert "已审核" in step(client, latest_manual(books), "audit")


def test_an_unbalanced_voucher_is_refused_in_chinese_as_typed_and_nothing_is_written(
    client: FlaskClient, books: Books
) -> None:
    sign_in(client, "accountant")
    before = books.vouchers()
    response = save(client, books.coop, [("101", "", "1500", ""), ("301", "", "", "1400")])
    shown = text_of(response.text)
    assert response.status_code == 422
    assert "凭证未保存" in shown and "借贷不平衡" in shown and "第2行：科目301按成员明细核算，请填写成员。" in shown
    assert 'value="1400"' in response.text  # the voucher comes back as it was typed
    assert books.vouchers() == before
    wrong = save(client, books.coop, [("101", "", "1五00", ""), ("301", "M003", "", "1500")])
    assert wrong.status_code == 422 and "1五00" in text_of(wrong.text) and books.vouchers() == before


def test_a_closed_month_refuses_a_voucher_and_a_posted_voucher_is_never_edited(
    client: FlaskClient, books: Books
) -> None:
    sign_in(client, "accountant")
    save(client, books.coop, BALANCED, date="2024-01-10")
    voucher_id = latest_manual(books)
    sign_in(client, "checker")
    step(client, voucher_id, "audit")
    step(client, voucher_id, "post")
    page = client.get(f"/admin/books/entry/?id={voucher_id}")
    assert page.status_code == 302 and "show" in page.headers["Location"]  # a posted voucher opens to read
    changed = save(client, books.coop, BALANCED, voucher=str(voucher_id), date="2024-01-11")
    assert changed.status_code == 422 and "不能修改" in text_of(changed.text)
    assert books.voucher(voucher_id).voucher_date.isoformat() == "2024-01-10"

    periods = client.get(f"/admin/books/periods/?cooperative={books.coop}&year=2024")
    # Closing January: the demo's event vouchers of January are posted by the close, so it closes.
    closed = client.post(
        "/admin/books/periods/close",
        data={"csrf_token": csrf_token(periods.text), "cooperative": books.coop, "year": 2024, "month": 1},
    )
    assert closed.status_code == 302
    page = client.get(closed.headers["Location"]).text
    shown = text_of(page)
    assert "2024-01" in shown and "已结账" in shown
    # The voucher typed on 301 for M003 is not in M003's member account: the close says so, and closes.
    assert "2024-01 期末成员账户与账簿不符" in shown and "成员 M003 姜明亮 的 301 股金" in shown
    assert "账簿减成员账户差额 1,500.00" in shown and "alert-warning" in page
    before = books.vouchers()
    refused = save(client, books.coop, BALANCED, date="2024-01-20")
    assert refused.status_code == 422 and "已结账" in text_of(refused.text) and books.vouchers() == before
    reopened = client.post(
        "/admin/books/periods/reopen",
        data={"csrf_token": csrf_token(periods.text), "cooperative": books.coop, "year": 2024, "month": 1},
    )
    assert "2024-01" in text_of(client.get(reopened.headers["Location"]).text)


def test_a_posted_voucher_is_corrected_by_a_red_reversal(client: FlaskClient, books: Books) -> None:
    sign_in(client, "accountant")
    save(client, books.coop, BALANCED)
    voucher_id = latest_manual(books)
    sign_in(client, "checker")
    step(client, voucher_id, "audit")
    step(client, voucher_id, "post")
    too_early = step(client, voucher_id, "reverse", on="2024-06-01")
    assert (
        "不能早于被冲销凭证的日期" in too_early
        and books.scalar(select(func.count()).where(Voucher.reverses_id == voucher_id)) == 0
    )
    shown = step(client, voucher_id, "reverse", on="2024-06-30")
    assert "红字" in shown
    assert books.scalar(select(func.count()).where(Voucher.reverses_id == voucher_id)) == 1
    assert "已由凭证" in text_of(client.get(f"/admin/books/vouchers/show?id={voucher_id}").text)


def test_an_event_voucher_cannot_be_changed_or_deleted_by_hand(client: FlaskClient, books: Books) -> None:
    sign_in(client, "accountant")
    page = client.get(f"/admin/books/entry/?id={books.event_voucher}")
    assert page.status_code == 302 and "show" in page.headers["Location"]
    assert "修改或删除其来源业务记录" in step(client, books.event_voucher, "delete")
    changed = save(client, books.coop, BALANCED, voucher=str(books.event_voucher))
    assert changed.status_code == 422 and "来源业务记录" in text_of(changed.text)
    assert books.scalar(select(func.count()).where(Voucher.id == books.event_voucher)) == 1


def test_an_event_voucher_names_the_system_as_its_preparer_in_the_reader_s_language(
    client: FlaskClient, books: Books
) -> None:
    sign_in(client, "accountant")
    assert books.voucher(books.event_voucher).prepared_by == "system"
    shown = text_of(client.get(f"/admin/books/vouchers/show?id={books.event_voucher}").text)
    assert "制表: 系统" in shown and "system" not in shown
    listed = client.get(f"/admin/books/vouchers/?cooperative={books.coop}&year=2024").text
    assert "<td>系统</td>" in listed and "<td>system</td>" not in listed


def test_ticked_vouchers_are_audited_together_or_not_at_all(client: FlaskClient, books: Books) -> None:
    sign_in(client, "accountant")
    save(client, books.coop, BALANCED)
    first = latest_manual(books)
    save(client, books.coop, BALANCED)
    second = latest_manual(books)
    page = client.get(f"/admin/books/vouchers/?cooperative={books.coop}&year=2024&month=6")
    token = csrf_token(page.text)
    refused = client.post(
        "/admin/books/vouchers/mass", data={"csrf_token": token, "action": "audit", "ids": [str(first), str(second)]}
    )
    assert "须由他人审核" in text_of(client.get(refused.headers["Location"]).text)
    sign_in(client, "checker")
    page = client.get(f"/admin/books/vouchers/?cooperative={books.coop}&year=2024&month=6")
    assert 'id="mass-audit"' in page.text
    done = client.post(
        "/admin/books/vouchers/mass",
        data={"csrf_token": csrf_token(page.text), "action": "audit", "ids": [str(first), str(second)]},
    )
    assert "已审核2张凭证" in text_of(client.get(done.headers["Location"]).text)
    assert {books.voucher(i).state for i in (first, second)} == {VoucherState.AUDITED}
    # One voucher that cannot be posted (a draft) among audited ones: none of them is posted.
    save(client, books.coop, BALANCED)
    third = latest_manual(books)
    mixed = client.post(
        "/admin/books/vouchers/mass",
        data={"csrf_token": csrf_token(page.text), "action": "post", "ids": [str(first), str(third)]},
    )
    assert "不能记账" in text_of(client.get(mixed.headers["Location"]).text)
    assert books.voucher(first).state is VoucherState.AUDITED


def test_a_detail_account_is_added_under_any_account_and_a_wrong_code_is_refused(
    client: FlaskClient, books: Books
) -> None:
    sign_in(client, "accountant")
    page = client.get(f"/admin/books/chart/?cooperative={books.coop}")
    token = csrf_token(page.text)
    wrong = client.post(
        "/admin/books/chart/add",
        data={"csrf_token": token, "cooperative": books.coop, "parent": "501", "code": "60101", "name": "苹果销售"},
    )
    assert "须以上级科目代码501开头" in text_of(client.get(wrong.headers["Location"]).text)
    nameless = client.post(
        "/admin/books/chart/add",
        data={"csrf_token": token, "cooperative": books.coop, "parent": "501", "code": "50101", "name": ""},
    )
    assert "须填写名称" in text_of(client.get(nameless.headers["Location"]).text)
    added = client.post(
        "/admin/books/chart/add",
        data={"csrf_token": token, "cooperative": books.coop, "parent": "501", "code": "50101", "name": "苹果销售"},
    )
    shown = text_of(client.get(added.headers["Location"]).text)
    assert "苹果销售" in shown, shown
    account = books.scalar(select(Account).where(Account.cooperative_id == books.coop, Account.code == "50101"))
    assert account is not None and account.chart == ""
    entry = client.get(f"/admin/books/entry/?cooperative={books.coop}").text
    assert '{"code": "50101", "initials": "pgxs' in entry  # 苹果销售, pinyin initials with it


def test_a_supervisor_reads_the_books_and_presses_no_button(client: FlaskClient, books: Books) -> None:
    sign_in(client, "supervisor")
    for page in PAGES:
        response = client.get(f"/admin/books/{page}/?cooperative={books.coop}&year=2024")
        assert response.status_code == 200, page
        assert "step-audit" not in response.text and 'id="add-account"' not in response.text
        assert 'id="close-' not in response.text
    assert client.get(f"/admin/books/entry/?cooperative={books.coop}").status_code == 403
    token = csrf_token(client.get(f"/admin/books/vouchers/?cooperative={books.coop}").text)
    sent = client.post(
        "/admin/books/vouchers/step", data={"csrf_token": token, "id": books.event_voucher, "action": "audit"}
    )
    assert sent.status_code == 403
    assert books.voucher(books.event_voucher).state is VoucherState.DRAFT
    closing = client.post(
        "/admin/books/periods/close", data={"csrf_token": token, "cooperative": books.coop, "year": 2024, "month": 1}
    )
    assert closing.status_code == 403
    added = client.post("/admin/books/chart/add", data={"csrf_token": token, "cooperative": books.coop,
                                                        "parent": "501", "code": "50101", "name": "x"})  # fmt: skip
    assert added.status_code == 403


def test_another_cooperatives_books_look_like_nothing_at_all(client: FlaskClient, books: Books) -> None:
    sign_in(client, "accountant")
    for page in (*PAGES, "entry"):
        assert client.get(f"/admin/books/{page}/?cooperative={books.other}").status_code == 404, page
    other_voucher = books.scalar(select(func.min(Voucher.id)).where(Voucher.cooperative_id == books.other))
    assert client.get(f"/admin/books/vouchers/show?id={other_voucher}").status_code == 404
    token = csrf_token(client.get(f"/admin/books/vouchers/?cooperative={books.coop}").text)
    sent = client.post("/admin/books/vouchers/step", data={"csrf_token": token, "id": other_voucher, "action": "audit"})
    assert sent.status_code == 404
    assert save(client, books.other, BALANCED).status_code == 404


def test_an_official_reads_the_books_of_their_township_only(client: FlaskClient, books: Books) -> None:
    sign_in(client, "official1")
    cooperatives = [
        row for s in books.session() for row in s.execute(select(Cooperative.id, Cooperative.village_id)).all()
    ]
    seen = [c for c, _ in cooperatives if client.get(f"/admin/books/vouchers/?cooperative={c}").status_code == 200]
    assert seen and len(seen) < len(cooperatives)
    assert client.get(f"/admin/books/entry/?cooperative={seen[0]}").status_code == 403
    page = client.get(f"/admin/books/trial-balance/?cooperative={seen[0]}&year=2024")
    assert page.status_code == 200 and "step-" not in page.text


def test_every_books_form_needs_its_csrf_token(client: FlaskClient, books: Books) -> None:
    sign_in(client, "accountant")
    before = books.vouchers()
    for url, data in (
        ("/admin/books/entry/save", {"cooperative": books.coop, "date": "2024-06-15", "account": ["101", "301"]}),
        ("/admin/books/vouchers/step", {"id": books.event_voucher, "action": "delete"}),
        ("/admin/books/periods/close", {"cooperative": books.coop, "year": 2024, "month": 1}),
        ("/admin/books/chart/add", {"cooperative": books.coop, "parent": "501", "code": "50101", "name": "x"}),
    ):
        assert client.post(url, data=data).status_code == 400, url
    assert books.vouchers() == before


def test_the_books_pages_ask_for_their_reports_with_the_month_and_account(client: FlaskClient, books: Books) -> None:
    sign_in(client, "accountant")
    page = client.get(f"/admin/books/trial-balance/?cooperative={books.coop}&year=2024&month=6")
    assert 'name="report" value="trial-balance"' in page.text and 'name="month" value="6"' in page.text
    sent = client.post(
        "/admin/reports/build",
        data={"csrf_token": csrf_token(page.text), "report": "trial-balance", "cooperative": books.coop,
              "year": 2024, "month": 6, "format": "xlsx"},
    )  # fmt: skip
    assert sent.status_code == 302 and "/admin/reports/job/" in sent.headers["Location"]
    bad = client.post(
        "/admin/reports/build",
        data={"csrf_token": csrf_token(page.text), "report": "trial-balance", "cooperative": books.coop,
              "year": 2024, "month": 13, "format": "xlsx"},
    )  # fmt: skip
    assert bad.status_code == 404


def test_the_books_pages_speak_english_when_asked(client: FlaskClient, books: Books) -> None:
    sign_in(client, "accountant")
    page = client.get("/admin/")
    client.post("/lang", data={"csrf_token": csrf_token(page.text), "lang": "en", "next": "/admin/"})
    shown = text_of(client.get(f"/admin/books/trial-balance/?cooperative={books.coop}&year=2024").text)
    assert "Trial balance" in shown and "2024, month 12" in shown and "The trial balance balances." in shown
