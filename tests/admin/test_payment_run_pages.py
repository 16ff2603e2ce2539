"""付款批次 in the admin: an accountant chooses what to pay, takes the bank's file (a row per household: a transfer),
marks it sent and records the bank's result with one transfer returned; readers see masked account numbers and no
buttons; another cooperative's runs are out of reach (issue #17)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from coopcore.models import Cooperative, PaymentRun, Role, Voucher
from coopcore.money import ZERO
from coopcore.rules.transfers import transfers
from coopcore.services import payouts
from coopcore.services.ledger.books import entry_lines
from coopcore.services.ledger.payment_run_events import PAYMENT_RUNS
from coopcore.services.users import create_user
from coopcore.terms import PaymentRunState, PayoutResult
from coopcore.validation.bank_account import format_account, mask_account
from demo import DEMO_PASSWORD
from tests.admin.conftest import make_app
from tests.admin.demo import csrf_token, sign_in
from tests.backends import BACKENDS, scratch_engine
from tests.distribution.builders import make_example_1
from tests.payouts.builders import ACCOUNTS, make_owing

PAGES = "/admin/books/payment-runs"
PURPOSE = "2024年分红"


@pytest.fixture(params=BACKENDS)
def owing_app(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[Flask, Engine, int]]:
    """The admin on Example 1 with its 2024 distribution posted and payees recorded: its accountant "clerk", its
    supervisor "watcher", and "other", the accountant of a second cooperative."""
    with scratch_engine(request.param, tmp_path, "schema") as engine:
        with Session(engine) as session, session.begin():
            cooperative, _ = make_owing(session)
            elsewhere = make_example_1(session, number=1)
            create_user(session, "clerk", DEMO_PASSWORD, Role.ACCOUNTANT, cooperatives=[cooperative])
            create_user(session, "watcher", DEMO_PASSWORD, Role.SUPERVISOR, cooperatives=[cooperative])
            create_user(session, "other", DEMO_PASSWORD, Role.ACCOUNTANT, cooperatives=[elsewhere])
            cooperative_id = cooperative.id
        url = engine.url.render_as_string(hide_password=False)
        app = make_app(url, tmp_path, SECRET_KEY=f"test-secret-runs-{request.param}")
        yield app, engine, cooperative_id
        app.extensions["coop_database"].engine.dispose()


def _post(client: FlaskClient, page: str, action: str, data: dict[str, object]) -> str:
    token = csrf_token(client.get(page).text)
    response = client.post(f"{PAGES}/{action}", data={"csrf_token": token, **data}, follow_redirects=True)
    assert response.status_code == 200, response.text
    return response.text


def _run(engine: Engine, cooperative_id: int, number: int) -> tuple[PaymentRun, Decimal | None]:
    """The run as stored, and the money its voucher credits to 101/102 (None: no voucher)."""
    with Session(engine) as session:
        run = session.scalars(
            select(PaymentRun).where(PaymentRun.cooperative_id == cooperative_id, PaymentRun.number == number)
        ).one()
        for line in run.lines:  # loaded, with their members, before the session goes
            line.member  # noqa: B018
        voucher = session.scalar(select(Voucher).where(Voucher.source_ref == PAYMENT_RUNS.ref(run.id)))
        credited = None
        if voucher is not None:
            credited = sum((line.credit for line in entry_lines(session, voucher) if line.account in ("101", "102")),
                           ZERO)  # fmt: skip
        session.expunge_all()
    return run, credited


def test_an_accountant_walks_a_bank_run_from_choosing_to_the_result_with_one_transfer_returned(
    owing_app: tuple[Flask, Engine, int],
) -> None:
    app, engine, cooperative_id = owing_app
    client = app.test_client()
    sign_in(client, "clerk")
    listing = client.get(f"{PAGES}/?cooperative={cooperative_id}")
    assert listing.status_code == 200 and "新建付款批次" in listing.text and "尚无付款批次。" in listing.text

    choose = f"{PAGES}/choose?cooperative={cooperative_id}&made_on=2025-04-01&channel=bank&kind=returns&kind=residual"
    chosen = client.get(f"{choose}&purpose={PURPOSE}")
    assert chosen.status_code == 200 and "将勾选的款项生成付款批次" in chosen.text
    with Session(engine) as session:
        items = payouts.payable_items(session, session.get_one(Cooperative, cooperative_id),
                                      kinds=("returns", "residual"), on=dt.date(2025, 4, 1))  # fmt: skip
    codes = sorted({item.member_code for item in items})
    assert codes == ["M01", "M02", "M03", "M04", "M05", "M06"]
    for code in codes:
        assert f'value="{code}"' in chosen.text
    # The accountant keeps these books: the whole numbers, in groups of four as on the card.
    assert format_account(ACCOUNTS["M02"][0]) in chosen.text
    # No card was compared with its number yet: each household's row says so, before the file goes to the bank.
    assert chosen.text.count('class="badge badge-warning payee-unchecked">未核对</span>') == len(items)

    paid_codes = [code for code in codes if code != "M06"]  # M06 is paid another day
    page = _post(client, f"{choose}&purpose={PURPOSE}", "choose",
                 {"cooperative": cooperative_id, "made_on": "2025-04-01", "channel": "bank", "purpose": PURPOSE,
                  "kind": ["returns", "residual"], "member": paid_codes})  # fmt: skip
    assert "付款批次 1 已选定：共 5 笔（9 项款项）" in page and "已选定" in page
    run, _ = _run(engine, cooperative_id, 1)
    assert run.state is PaymentRunState.DRAFT and {line.member.code for line in run.lines} == set(paid_codes)
    expected = sum((item.amount for item in items if item.member_code != "M06"), ZERO)
    total = sum((line.amount for line in run.lines), ZERO)
    assert total == expected
    assert format_account(ACCOUNTS["M02"][0]) in page

    first = client.get(f"{PAGES}/file?id={run.id}&format=xlsx")
    again = client.get(f"{PAGES}/file?id={run.id}&format=xlsx")
    assert first.status_code == 200 and first.data == again.data  # re-exporting gives the same file
    assert "filename*=UTF-8''" in first.headers["Content-Disposition"]
    assert client.get(f"{PAGES}/file?id={run.id}&format=cash").status_code == 404  # a bank run has no cash list
    book = openpyxl.load_workbook(__import__("io").BytesIO(first.data))
    rows = [[cell for cell in row] for row in book.active.iter_rows(values_only=True)]
    header = rows[0]
    assert list(header[:6]) == ["序号", "户名", "账号", "开户行", "金额", "用途"]
    body = [row for row in rows[1:] if isinstance(row[0], int)]
    found = transfers(run.lines)
    assert [row[2] for row in body] == [ACCOUNTS[code][0] for code in paid_codes]  # one row per household
    assert [Decimal(str(row[4])) for row in body] == [transfer.amount for transfer in found]
    assert sum((Decimal(str(row[4])) for row in body), ZERO) == total
    assert rows[-1][:2] == ["笔数", 5]

    run_page = f"{PAGES}/run?id={run.id}"
    page = _post(client, run_page, "sent", {"run": run.id, "sent_on": "2025-04-02"})
    assert "付款批次 1 已登记送银行" in page
    # The run's page groups each household's lines under its 序号, the file's row, with one box to tick.
    m03 = next(transfer for transfer in found if transfer.lines[0].member.code == "M03")
    assert len(m03.lines) == 2 and f'id="transfer-{m03.number}"' in page
    assert page.count('name="returned-') == len(found) == 5
    page = _post(client, run_page, "settle", {"run": run.id, "settled_on": "2025-04-08",
                                              f"returned-{m03.number}": "1",
                                              f"reason-{m03.number}": "账号不存在"})  # fmt: skip
    assert "付款批次 1 已登记结果" in page and "退回 1 笔" in page and "账号不存在" in page
    run, credited = _run(engine, cooperative_id, 1)
    assert run.state is PaymentRunState.SETTLED
    assert {line.line_no for line in run.lines if line.result is PayoutResult.RETURNED} == set(m03.line_numbers)
    paid = sum((line.amount for line in run.lines if line.result is PayoutResult.PAID), ZERO)
    assert credited == paid == total - m03.amount  # the Cr to 102 is the paid transfers' total
    listing = client.get(f"{PAGES}/?cooperative={cooperative_id}").text
    assert re.search(r'<tr id="run-1">.*?<td class="num">5</td>.*?<td class="num">1</td></tr>', listing, re.S)

    # Settling again is refused, and nothing changes; the returned line is owed again for the next run.
    page = _post(client, run_page, "settle", {"run": run.id, "settled_on": "2025-04-09"})
    assert "付款批次 1 已登记结果" not in page and re.search(r"alert-danger|alert-error", page)
    assert _run(engine, cooperative_id, 1)[1] == paid
    with Session(engine) as session:
        again_items = payouts.payable_items(session, session.get_one(Cooperative, cooperative_id),
                                            kinds=("returns", "residual"), on=dt.date(2025, 4, 10))  # fmt: skip
    assert sorted({item.member_code for item in again_items}) == ["M03", "M06"]


def test_a_supervisor_reads_runs_with_masked_accounts_and_presses_nothing(owing_app: tuple[Flask, Engine, int]) -> None:
    app, engine, cooperative_id = owing_app
    with Session(engine) as session, session.begin():
        run = payouts.choose_run(session, session.get_one(Cooperative, cooperative_id), made_on=dt.date(2025, 4, 1),
                                 channel="bank", purpose=PURPOSE, kinds=("returns", "residual"))  # fmt: skip
        run_id = run.id
    client = app.test_client()
    sign_in(client, "watcher")
    page = client.get(f"{PAGES}/run?id={run_id}")
    assert page.status_code == 200 and "第 1 批" in page.text
    for account, _, _ in ACCOUNTS.values():
        assert account not in page.text and format_account(account) not in page.text
        assert mask_account(account) in page.text  # masked: the first four and the last four digits
    assert "settle-run" not in page.text and "mark-sent" not in page.text and "file-xlsx" not in page.text
    assert client.get(f"{PAGES}/file?id={run_id}&format=xlsx").status_code == 403
    token = csrf_token(client.get(f"{PAGES}/?cooperative={cooperative_id}").text)
    refused = client.post(f"{PAGES}/settle", data={"csrf_token": token, "run": run_id, "settled_on": "2025-04-08"})
    assert refused.status_code == 403
    assert client.get(f"{PAGES}/choose?cooperative={cooperative_id}&kind=returns").status_code == 403
    # The run's lines in the audit log: the supervisor reads them, with the numbers masked there too.
    audit = client.get("/admin/audit/?table=payment_run_line")
    assert audit.status_code == 200
    assert mask_account(ACCOUNTS["M02"][0]) in audit.text
    for account, _, _ in ACCOUNTS.values():
        assert account not in audit.text and format_account(account) not in audit.text


def test_another_cooperative_s_run_is_out_of_reach(owing_app: tuple[Flask, Engine, int]) -> None:
    app, engine, cooperative_id = owing_app
    with Session(engine) as session, session.begin():
        run = payouts.choose_run(session, session.get_one(Cooperative, cooperative_id), made_on=dt.date(2025, 4, 1),
                                 channel="bank", purpose=PURPOSE, kinds=("returns",))  # fmt: skip
        run_id = run.id
    client = app.test_client()
    sign_in(client, "other")
    assert client.get(f"{PAGES}/run?id={run_id}").status_code == 404
    assert client.get(f"{PAGES}/file?id={run_id}&format=xlsx").status_code == 404
    token = csrf_token(client.get(f"{PAGES}/").text)
    assert client.post(f"{PAGES}/cancel", data={"csrf_token": token, "run": run_id}).status_code == 404
    assert client.get(f"{PAGES}/?cooperative={cooperative_id}").status_code == 404
    with Session(engine) as session:
        assert session.get_one(PaymentRun, run_id).state is PaymentRunState.DRAFT


def test_a_cash_run_asks_which_households_did_not_collect_not_what_a_bank_returned(
    owing_app: tuple[Flask, Engine, int],
) -> None:
    app, engine, cooperative_id = owing_app
    with Session(engine) as session, session.begin():
        run = payouts.choose_run(session, session.get_one(Cooperative, cooperative_id), made_on=dt.date(2025, 4, 1),
                                 channel="cash", purpose=PURPOSE, kinds=("returns",))  # fmt: skip
        run_id = run.id
    client = app.test_client()
    sign_in(client, "clerk")
    page = client.get(f"{PAGES}/run?id={run_id}")
    assert page.status_code == 200 and "settle-run" in page.text
    assert '<th class="coop-noprint">未领取</th>' in page.text and "银行退回" not in page.text
