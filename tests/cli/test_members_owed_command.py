"""`coop members statement` and `coop members owed`: a household's 对账单 and what every member is owed, in Chinese,
with the amounts of the books (issue #17)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from coopcore.db.engine import make_engine
from coopcore.i18n import format_money
from coopcore.services.ledger.owed import member_statement, owed_on
from coopcore.services.lookups import cooperative_by_code, member_by_code
from tests.cli.conftest import run
from tests.cli.test_distribution_command import chenliang


def test_a_household_s_statement_prints_each_line_and_the_closing_the_books_give(demo_url: str) -> None:
    code = chenliang(demo_url)
    engine = make_engine(demo_url)
    with Session(engine) as session:
        cooperative = cooperative_by_code(session, code)
        member = member_by_code(session, cooperative, "M002")
        expected = member_statement(session, cooperative, member, dt.date(2023, 1, 1), dt.date(2023, 12, 31))
    engine.dispose()
    result = run("--db", demo_url, "members", "statement", "--coop", code, "--member", "M002",
                 "--from", "2023-01-01", "--to", "2023年12月31日")  # fmt: skip
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert f"成员对账单：{expected.name}（M002），2023-01-01 至 2023-12-31" in out
    for word in ("凭证号", "摘要", "应得", "应扣", "已付", "应付余额", "期初余额", "本期合计", "期末余额",
                 "114 成员往来", "221 应付盈余返还", "222 应付剩余盈余", "支付盈余返还及剩余盈余"):  # fmt: skip
        assert word in out, word
    assert len(expected.lines) > 5
    for line in expected.lines:
        assert line.voucher in out and format_money(line.amount) in out
    closing = expected.total.closing
    assert closing > 0 and f"截至 2023-12-31，合作社应付 {expected.name} {format_money(closing)}。" in out
    english = run("--db", demo_url, "members", "statement", "--coop", code, "--member", "M002",
                  "--from", "2023-01-01", "--to", "2023-12-31", lang="en")  # fmt: skip
    assert "Statement of" in english.stdout and "Paid out" in english.stdout and "应得" not in english.stdout


def test_a_statement_that_ends_before_it_starts_is_refused_in_plain_words(demo_url: str) -> None:
    result = run("--db", demo_url, "members", "statement", "--coop", chenliang(demo_url), "--member", "M002",
                 "--from", "2024-01-01", "--to", "2023-12-31")  # fmt: skip
    assert result.returncode == 2 and "对账单的起始日 2024-01-01 晚于截止日 2023-12-31。" in result.stderr
    unknown = run("--db", demo_url, "members", "statement", "--coop", chenliang(demo_url), "--member", "M999",
                  "--from", "2024-01-01", "--to", "2024-12-31")  # fmt: skip
    assert unknown.returncode == 2 and "M999" in unknown.stderr


def test_owed_lists_every_member_s_balances_and_the_total_owed_to_members(demo_url: str) -> None:
    code = chenliang(demo_url)
    engine = make_engine(demo_url)
    with Session(engine) as session:
        owed = owed_on(session, cooperative_by_code(session, code), dt.date(2023, 12, 31))
    engine.dispose()
    result = run("--db", demo_url, "members", "owed", "--coop", code, "--on", "2023-12-31")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "截至 2023-12-31 合作社应付成员款项" in out
    assert len(owed.members) > 10 and owed.owed_to_members > 0
    for member in owed.members:
        assert member.code in out and format_money(member.total) in out
    assert f"《农民专业合作社法》第五十五条）：{format_money(owed.owed_to_members)}" in out
    assert f"成员欠合作社合计：{format_money(owed.owed_by_members)}" in out
    preview = run("--db", demo_url, "members", "owed", "--coop", code, "--on", "2024-12-31", "--unposted")
    assert preview.returncode == 0 and "含未记账凭证（预览）。" in preview.stdout


def test_an_open_year_is_read_as_the_books_stand_unless_posted_only_is_asked(demo_url: str) -> None:
    # The demo's 2024 is open: its trades' vouchers are not posted yet. The statement counts them by default, as the
    # member page and the slips do; --posted-only reads what the trial balance reads.
    code = chenliang(demo_url)
    engine = make_engine(demo_url)
    with Session(engine) as session:
        cooperative = cooperative_by_code(session, code)
        standing = owed_on(session, cooperative, dt.date(2024, 12, 31), as_they_stand=True)
        posted = owed_on(session, cooperative, dt.date(2024, 12, 31))
    engine.dispose()
    assert standing.owed_to_members != posted.owed_to_members
    args = ("--db", demo_url, "members", "owed", "--coop", code, "--on", "2024-12-31")
    shown = run(*args)
    assert shown.returncode == 0, shown.stderr
    assert f"第五十五条）：{format_money(standing.owed_to_members)}" in shown.stdout
    assert "由业务记录生成的凭证（交售、盈余分配及其支付）在月末结账记账前即计入。" in shown.stdout
    only_posted = run(*args, "--posted-only")
    assert f"第五十五条）：{format_money(posted.owed_to_members)}" in only_posted.stdout
    assert "月末结账记账前即计入" not in only_posted.stdout
    both = run(*args, "--posted-only", "--unposted")
    assert both.returncode == 2 and "--unposted 与 --posted-only 不能同时使用。" in both.stderr


def test_the_member_account_prints_last_year_s_dividend_as_paid_and_what_is_still_owed(demo_url: str) -> None:
    code = chenliang(demo_url)
    result = run("--db", demo_url, "members", "account", "--coop", code, "--member", "M002", "--year", "2024")
    assert result.returncode == 0, result.stderr
    out = "".join(result.stdout.split())  # rich wraps the memo inside its column
    # The 2023 dividend, paid on 2024-04-15 by the distribution's voucher, is a dated line of the form ...
    assert "2024-04-15│支付盈余返还及剩余盈余：盈余返还" in out and "¥3,487.27，剩余盈余" in out
    assert "¥561.05（2023年度分配，现金支付，凭证" in out
    # ... and what is still owed is the books' at the year end, apart from the history of the columns.
    assert "截至2024-12-31尚欠" in out and "221应付盈余返还│¥3,487.27│¥0.00│¥0.00│¥3,487.27│¥0.00" in out
    assert "两栏是历年分配给成员的累计数" in out
