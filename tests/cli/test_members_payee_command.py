"""`coop members payee` and `coop members payees`: where a household is paid, set and listed in Chinese, the card
checked by its check digit and the number shown masked (issue #17)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from coopcore.db.engine import make_engine
from coopcore.services.lookups import cooperative_by_code, member_by_code
from coopcore.services.payees import payees
from tests.cli.conftest import run
from tests.cli.test_distribution_command import chenliang

CARD = "6205500000000000004"  # a UnionPay test card that passes its check digit


def _member(url: str, code: str) -> tuple[str, str | None, str | None, bool]:
    engine = make_engine(url)
    with Session(engine) as session:
        member = member_by_code(session, cooperative_by_code(session, chenliang(url)), code)
        found = (member.name, member.household_head, member.payee_account, member.payee_checked)
    engine.dispose()
    return found


def test_a_payee_is_saved_and_a_holder_other_than_the_head_is_warned_about_in_chinese(demo_url: str) -> None:
    code = chenliang(demo_url)
    _, head, _, _ = _member(demo_url, "M002")
    assert head
    result = run("--db", demo_url, "members", "payee", "--coop", code, "--member", "M002", "--bank",
                 "烟台农商银行福山支行", "--account", "6205 5000 0000 0000 004", "--name", "王小军",
                 "--checked-on", "2025年3月1日")  # fmt: skip
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "已保存成员 M002 的收款账户：烟台农商银行福山支行，账号 6205 **** **** *** 0004，户名 王小军。" in out
    assert f"提示：收款账户的户名是王小军，不是户主{head}" in out
    assert CARD not in out and "6205 5000" not in out  # the command shows the number masked
    assert _member(demo_url, "M002")[2:] == (CARD, True)

    name, head, _, _ = _member(demo_url, "M003")
    same = run("--db", demo_url, "members", "payee", "--coop", code, "--member", "M003", "--bank", "邮储银行",
               "--account", "0200001201001234567", "--name", head or name)  # fmt: skip
    assert same.returncode == 0, same.stderr
    assert "提示" not in same.stdout
    assert "尚未核对：请对照银行卡或存折核对后，用 --checked-on 填写核对日期。" in same.stdout


def test_a_mistyped_card_is_refused_in_chinese_and_nothing_is_saved(demo_url: str) -> None:
    code = chenliang(demo_url)
    args = ("--db", demo_url, "members", "payee", "--coop", code, "--member", "M002", "--bank", "邮储银行",
            "--account", "6205500000000000005", "--name", "王小军")  # fmt: skip
    refused = run(*args)
    assert refused.returncode == 2
    assert "错误：6205 5000 0000 0000 005 不是有效的银行卡号" in refused.stderr and "请核对卡号" in refused.stderr
    assert _member(demo_url, "M002")[2] is None
    english = run(*args, lang="en")
    assert english.returncode == 2 and "is not a card number" in english.stderr
    passbook = run(*args, "--passbook")
    assert passbook.returncode == 0, passbook.stderr
    assert _member(demo_url, "M002")[2:] == ("6205500000000000005", False)


def test_payees_lists_every_member_masked_with_what_is_missing_or_unchecked(demo_url: str) -> None:
    code = chenliang(demo_url)
    assert run("--db", demo_url, "members", "payee", "--coop", code, "--member", "M002", "--bank", "邮储银行",
               "--account", CARD, "--name", "王小军", "--checked-on", "2025-03-01").returncode == 0  # fmt: skip
    result = run("--db", demo_url, "members", "payees", "--coop", code)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    for header in ("成员编号", "开户行", "账号（卡号）", "户名", "账户核对日期", "提示"):
        assert header in out, header
    assert "6205 **** **** *** 0004" in out and CARD not in out and "2025-03-01" in out
    assert "没有收款账户" in out and "王小军" in out
    engine = make_engine(demo_url)
    with Session(engine) as session:
        members = len(payees(session, cooperative_by_code(session, code)))
    engine.dispose()
    assert members > 10 and f"没有收款账户的 {members - 1} 户，未核对的 0 户。" in out
    not_ready = run("--db", demo_url, "members", "payees", "--coop", code, "--not-ready")
    assert "M002" not in not_ready.stdout and "M003" in not_ready.stdout
    english = run("--db", demo_url, "members", "payees", "--coop", code, lang="en")
    assert "Account holder" in english.stdout and "No payee details" in english.stdout
