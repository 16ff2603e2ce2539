"""Member statements (对账单) as PDFs a household takes home: one page each, the books' amounts, the closing in
words (issue #17)."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from coopcore.i18n.capitals import amount_in_capitals
from coopcore.models import Cooperative
from coopcore.services.ledger.owed import member_statements
from reports import text
from reports.member_statements import build_member_statements
from tests.cli.conftest import run
from tests.cli.test_distribution_command import chenliang
from tests.reports.conftest import pdf_text

FIRST, LAST = dt.date(2023, 1, 1), dt.date(2023, 12, 31)


def pages(path: Path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    found = re.search(r"^Pages:\s+(\d+)", info, re.MULTILINE)
    assert found is not None
    return int(found.group(1))


def test_every_household_gets_one_page_with_its_lines_totals_and_closing_in_words(
    demo_session: Session, tmp_path: Path
) -> None:
    cooperative = demo_session.scalars(select(Cooperative).where(Cooperative.credit_code == "93370671MA3H6XFL2R")).one()
    statements = member_statements(demo_session, cooperative, FIRST, LAST)
    [path] = build_member_statements(demo_session, cooperative, FIRST, LAST, tmp_path)
    assert path.name == "2023-01-01_2023-12-31-93370671MA3H6XFL2R-成员对账单.pdf"
    assert len(statements) > 10 and pages(path) == len(statements)
    words = pdf_text(path)
    assert words.count("成员对账单") == len(statements) and words.count("成员确认签字（按手印）") == len(statements)
    for statement in statements:
        assert f"对账单号：20231231-{statement.code}" in words
    household = next(s for s in statements if s.code == "M002")
    page = subprocess.run(["pdftotext", "-enc", "UTF-8", "-f", str(statements.index(household) + 1), "-l",
                           str(statements.index(household) + 1), str(path), "-"], capture_output=True, text=True,
                          check=True).stdout  # fmt: skip
    closing = household.total.closing
    assert closing > 0 and f"合作社应付您 ¥{text.amount(closing, 'zh')}" in page
    assert amount_in_capitals(closing) in page.replace("\n", "")
    for line in household.lines:
        assert line.voucher in page and text.amount(line.amount, "zh") in page
    for word in ("114 成员往来", "221 应付盈余返还", "222 应付剩余盈余", "期初余额", "本期合计", "期末余额", "应得",
                 "应扣", "已付"):  # fmt: skip
        assert word in page, word


def test_the_command_prints_one_member_s_statement_and_refuses_a_period_backwards(
    demo_url: str, tmp_path: Path
) -> None:
    code = chenliang(demo_url)
    result = run("--db", demo_url, "report", "member-statements", "--coop", code, "--member", "M002",
                 "--from", "2023-01-01", "--to", "2023-12-31", "--out", str(tmp_path))  # fmt: skip
    assert result.returncode == 0, result.stderr
    [path] = tmp_path.glob("*.pdf")
    assert path.name.endswith("-成员对账单-M002.pdf") and pages(path) == 1
    assert "成员编号：M002" in pdf_text(path)
    english = run("--db", demo_url, "report", "member-statements", "--coop", code, "--member", "M002", "--from",
                  "2023-01-01", "--to", "2023-12-31", "--out", str(tmp_path / "en"), "--lang", "en")  # fmt: skip
    assert english.returncode == 0, english.stderr
    [path] = (tmp_path / "en").glob("*.pdf")
    assert "Member statement" in pdf_text(path) and "Paid out" in pdf_text(path)
    backwards = run("--db", demo_url, "report", "member-statements", "--coop", code, "--from", "2024-01-01",
                    "--to", "2023-12-31", "--out", str(tmp_path / "no"))  # fmt: skip
    assert backwards.returncode == 2 and "晚于截止日" in backwards.stderr and not (tmp_path / "no").exists()
