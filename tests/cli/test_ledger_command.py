"""`coop ledger`: vouchers typed on the command line, refusals in Chinese with nothing written, and the two public
contracts (`close --period`, `trial-balance --json`)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from coopcore.db.engine import make_engine
from coopcore.models import Period, PeriodState, Voucher, VoucherState
from tests.backends import sqlite_copy
from tests.cli.conftest import coop, run
from tests.ledger.builders import AUDITOR, PREPARER, make_books


@pytest.fixture
def books(tmp_path: Path) -> tuple[str, str]:
    """A SQLite database with one cooperative whose books are not used yet: (url, credit code)."""
    url = sqlite_copy("schema", tmp_path)
    engine = make_engine(url)
    with Session(engine) as session, session.begin():
        credit_code = make_books(session).credit_code
    engine.dispose()
    return url, credit_code


def voucher_rows(url: str) -> list[tuple[int, int, VoucherState, str, str]]:
    engine = make_engine(url)
    with Session(engine) as session:
        rows = session.execute(select(Voucher.month, Voucher.number, Voucher.state, Voucher.prepared_by,
                                      Voucher.audited_by).order_by(Voucher.id))  # fmt: skip
        found = [(m, n, state, prepared, audited) for m, n, state, prepared, audited in rows]
    engine.dispose()
    return found


def add(url: str, credit_code: str, on: str, *lines: str, lang: str = "zh") -> subprocess.CompletedProcess[str]:
    args = ["voucher", "add", "--coop", credit_code, "--on", on, "--summary", "收款", "--user", PREPARER]
    for line in lines:
        args += ["--line", line]
    return run("--db", url, "ledger", *args, lang=lang)


def step(
    url: str, credit_code: str, action: str, period: str, number: int, user: str
) -> subprocess.CompletedProcess[str]:
    return run("--db", url, "ledger", "voucher", action, "--coop", credit_code, "--period", period, "--number",
               str(number), "--user", user)  # fmt: skip


def test_a_voucher_is_typed_audited_by_another_person_and_posted(books: tuple[str, str]) -> None:
    url, code = books
    added = add(url, code, "2024-03-05", "102:借:1,000.00", "301：贷：1000.00：M001：收到出资")
    assert added.returncode == 0, added.stderr
    assert added.stdout.strip() == "凭证2024-03 记-1已保存（未审核）。"
    self_audit = step(url, code, "audit", "2024-03", 1, PREPARER)
    assert self_audit.returncode == 2
    assert "凭证2024-03 记-1由张会计制单，须由他人审核" in self_audit.stderr
    assert step(url, code, "audit", "2024年3月", 1, AUDITOR).returncode == 0
    posted = step(url, code, "post", "2024-03", 1, AUDITOR)
    assert posted.stdout.strip() == "凭证2024-03 记-1已记账。"
    assert voucher_rows(url) == [(3, 1, VoucherState.POSTED, PREPARER, AUDITOR)]
    reversed_ = run("--db", url, "ledger", "voucher", "reverse", "--coop", code, "--period", "2024-03", "--number",
                    "1", "--on", "2024-03-31", "--user", AUDITOR)  # fmt: skip
    assert "已由红字冲销凭证2024-03 记-2冲销" in reversed_.stdout


@pytest.mark.parametrize(
    ("lines", "chinese"),
    [
        (("102:借:1000.00", "501:贷:999.00"), "借方合计1000.00不等于贷方合计999.00"),
        (("102:借:1000.00", "521:借:1000.00"), "借方合计2000.00不等于贷方合计0.00"),
        (("102:借:1000.00", "301:贷:1000.00"), "第2行：科目301按成员明细核算，请填写成员"),
    ],
)
def test_a_wrong_voucher_is_refused_in_chinese_and_nothing_is_written(
    books: tuple[str, str], lines: tuple[str, ...], chinese: str
) -> None:
    url, code = books
    refused = add(url, code, "2024-03-05", *lines)
    assert refused.returncode == 2
    assert refused.stderr.startswith("错误：凭证未保存：\n- ") and chinese in refused.stderr
    assert voucher_rows(url) == []
    english = add(url, code, "2024-03-05", *lines, lang="en")
    assert "The voucher was not saved:" in english.stderr


def test_a_line_that_cannot_be_read_is_a_usage_error_in_chinese(books: tuple[str, str]) -> None:
    url, code = books
    refused = add(url, code, "2024-03-05", "102:左:1000.00", "501:贷:1000.00")
    assert refused.returncode == 2
    assert "102:左:1000.00不是凭证分录" in refused.stderr and "用法" in refused.stderr
    bad_period = step(url, code, "audit", "2024-13", 1, AUDITOR)
    assert "2024-13不是会计期间：请写成 2024-03。" in bad_period.stderr


def test_close_closes_every_open_month_in_order_or_stops_at_the_first_that_cannot(books: tuple[str, str]) -> None:
    url, code = books
    for on, number in (("2024-02-10", 1), ("2024-04-10", 1)):
        add(url, code, on, "101:借:5.00", "102:贷:5.00")
        step(url, code, "audit", on[:7], number, AUDITOR)
        if on.startswith("2024-02"):
            step(url, code, "post", on[:7], number, AUDITOR)
    stopped = coop("--db", url, "ledger", "close", "--coop", code, "--period", "2024-06", "--user", AUDITOR)
    assert stopped.returncode == 1
    assert stopped.stdout.strip() == "已结账的月份：2024-02, 2024-03。"
    assert stopped.stderr.strip() == "错误：2024-04不能结账：\n- 凭证2024-04 记-1已审核但未记账：请记账。"
    step(url, code, "post", "2024-04", 1, AUDITOR)
    closed = coop("--db", url, "ledger", "close", "--coop", code, "--period", "2024-06", "--user", AUDITOR)
    assert closed.returncode == 0, closed.stderr
    assert closed.stdout.strip() == "已结账：2024-04, 2024-05, 2024-06。"
    engine = make_engine(url)
    with Session(engine) as session:
        count = session.scalar(select(func.count()).select_from(Period).where(Period.state == PeriodState.CLOSED))
    engine.dispose()
    assert count == 5
    refused = run("--db", url, "ledger", "voucher", "add", "--coop", code, "--on", "2024-05-01", "--summary", "补",
                  "--line", "101:借:1.00", "--line", "102:贷:1.00")  # fmt: skip
    assert refused.returncode == 2 and "2024-05期间已结账" in refused.stderr
    reopen = run("--db", url, "ledger", "reopen", "--coop", code, "--period", "2024-05")
    assert reopen.returncode == 2 and "只能反结账最近一个已结账的期间（2024-06）" in reopen.stderr


def test_the_trial_balance_json_is_the_public_contract(books: tuple[str, str]) -> None:
    url, code = books
    assert run("--db", url, "ledger", "accounts", "--coop", code, "--add", "50101", "--name", "苹果销售",
               "--parent", "501").returncode == 0  # fmt: skip
    for on, lines in (("2023-12-20", ("102:借:1000.00", "301:贷:1000.00:M001")),
                      ("2024-03-05", ("102:借:300.00", "50101:贷:300.00")),
                      ("2024-04-05", ("521:借:120.50", "102:贷:120.50"))):  # fmt: skip
        add(url, code, on, *lines)
        step(url, code, "audit", on[:7], 1, AUDITOR)
        step(url, code, "post", on[:7], 1, AUDITOR)
    result = coop("--db", url, "ledger", "trial-balance", "--coop", code, "--year", "2024", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert list(data) == ["year", "accounts", "totals"] and data["year"] == 2024
    keys = ["opening_debit", "opening_credit", "debit", "credit", "closing_debit", "closing_credit"]
    assert all(list(account) == ["code", "name", *keys] for account in data["accounts"])
    codes = [account["code"] for account in data["accounts"]]
    assert codes == sorted(codes) and len(codes) == 53
    by_code = {account["code"]: account for account in data["accounts"]}
    assert by_code["102"] == {"code": "102", "name": "银行存款", "opening_debit": "1000.00", "opening_credit": "0.00",
                              "debit": "300.00", "credit": "120.50", "closing_debit": "1179.50",
                              "closing_credit": "0.00"}  # fmt: skip
    assert by_code["501"]["credit"] == by_code["50101"]["credit"] == "300.00"
    assert by_code["501"]["name"] == "经营收入" and by_code["50101"]["name"] == "苹果销售"
    assert by_code["121"]["closing_debit"] == "0.00"
    assert data["totals"] == {"opening_debit": "1000.00", "opening_credit": "1000.00", "debit": "420.50",
                              "credit": "420.50", "closing_debit": "1300.00", "closing_credit": "1300.00"}  # fmt: skip
    table = run("--db", url, "ledger", "trial-balance", "--coop", code, "--period", "2024-03")
    assert "科目余额表" not in table.stdout and "苹果销售" in table.stdout and "本期贷方" in table.stdout
    both = run("--db", url, "ledger", "trial-balance", "--coop", code)
    assert both.returncode == 2 and "请给出 --year 或 --period" in both.stderr


def test_detail_ledger_journal_and_lists_print_in_chinese(books: tuple[str, str]) -> None:
    url, code = books
    add(url, code, "2024-03-05", "102:借:500.00", "114:贷:500.00:M002:收回欠款")
    step(url, code, "audit", "2024-03", 1, AUDITOR)
    step(url, code, "post", "2024-03", 1, AUDITOR)
    detail = run("--db", url, "ledger", "detail", "--coop", code, "--account", "114", "--year", "2024",
                 "--member", "M002")  # fmt: skip
    assert detail.returncode == 0 and "收回欠款" in detail.stdout and "贷" in detail.stdout
    journal = run("--db", url, "ledger", "journal", "--coop", code, "--year", "2024")
    assert journal.returncode == 0 and "114" in journal.stdout and "对方科目" in journal.stdout
    listed = run("--db", url, "ledger", "vouchers", "--coop", code, "--year", "2024")
    assert "2024-03 记-1" in listed.stdout and "已记账" in listed.stdout
    accounts = run("--db", url, "ledger", "accounts", "--coop", code)
    assert "未分配盈余" in accounts.stdout and "科目代码" in accounts.stdout


def test_close_and_check_say_where_the_member_accounts_and_the_books_differ(books: tuple[str, str]) -> None:
    url, code = books
    add(url, code, "2024-03-05", "102:借:1000.00", "301:贷:1000.00:M001")  # M001's member account has no contribution
    step(url, code, "audit", "2024-03", 1, AUDITOR)
    step(url, code, "post", "2024-03", 1, AUDITOR)
    difference = (
        "2024-03-31：成员 M001 成员1 的 301 股金 账簿余额为 1,000.00，成员账户的出资（加转为出资、减退还）为 0.00；"
        "账簿减成员账户差额 1,000.00。"
    )
    closed = coop("--db", url, "ledger", "close", "--coop", code, "--period", "2024-03", "--user", AUDITOR)
    assert closed.returncode == 0, closed.stderr  # the month closes: the difference is said, not a refusal
    assert closed.stdout.splitlines() == ["已结账：2024-03。", "2024-03 期末成员账户与账簿不符：", f"- {difference}"]
    checked = coop("--db", url, "check", "--coop", code, "--on", "2024-03-31")
    assert checked.returncode == 1 and f"[错误] 账簿1号合作社: {difference}" in checked.stdout.splitlines()
