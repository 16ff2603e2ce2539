"""`coop vouchers-template`, `coop vouchers-import` and `coop vouchers-export` run as processes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from openpyxl import load_workbook
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from coopcore.db.engine import make_engine
from coopcore.models import Cooperative, Voucher
from tests.backends import sqlite_copy
from tests.ledger.builders import make_books
from tests.workbook.voucher_books import opening_rows, voucher_book

COOP = str(Path(sys.executable).with_name("coop"))


def coop(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([COOP, *args], capture_output=True, text=True, timeout=600)


def test_template_dry_run_import_and_export_of_the_books_from_the_command_line(tmp_path: Path) -> None:
    url = sqlite_copy("schema", tmp_path)
    engine = make_engine(url)
    with Session(engine) as session, session.begin():
        cooperative = make_books(session)
        code = cooperative.credit_code
        good = voucher_book(tmp_path / "books.xlsx", cooperative)
        unbalanced = opening_rows()
        unbalanced[0][4] = 600
        bad = voucher_book(tmp_path / "bad.xlsx", cooperative, opening=unbalanced)

    def vouchers() -> int:
        with Session(engine) as session:
            return session.scalar(select(func.count()).select_from(Voucher)) or 0

    assert coop("--db", url, "--lang", "en", "vouchers-template", str(tmp_path / "t.xlsx")).returncode == 0
    assert load_workbook(tmp_path / "t.xlsx").sheetnames == ["instructions", "books", "accounts", "opening", "vouchers"]

    refused = coop("--db", url, "vouchers-import", str(bad))
    assert refused.returncode == 2, refused.stderr
    assert "期初余额试算不平衡：借方合计97400.00，贷方合计97300.00，差额100.00。" in refused.stdout
    assert "未写入任何数据" in refused.stdout and vouchers() == 0

    checked = coop("--db", url, "vouchers-import", str(good), "--dry-run")
    assert checked.returncode == 0 and "试导入检查完成" in checked.stdout and vouchers() == 0
    imported = coop("--db", url, "vouchers-import", str(good))
    assert imported.returncode == 0, imported.stdout + imported.stderr
    assert f"已导入 {code} 的账簿：新增6项" in imported.stdout and vouchers() == 4

    out = tmp_path / "out.xlsx"
    exported = coop("--db", url, "vouchers-export", "--coop", code, "--year", "2024", str(out))
    assert exported.returncode == 0 and f"已把 {code} 2024 年的账簿导出到 {out}" in exported.stdout
    again = coop("--db", url, "vouchers-import", str(out))
    assert "新增0项，更新0项" in again.stdout and vouchers() == 4
    with Session(engine) as session:
        assert session.scalar(select(func.count()).select_from(Cooperative)) == 1
    engine.dispose()
