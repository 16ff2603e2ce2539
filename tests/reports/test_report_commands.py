"""`coop report …` and `python -m reports.…` end to end, and the read-only guard (the reports' Chinese words:
tests/unit/test_report_catalog.py)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import Engine, delete, select
from sqlalchemy.orm import Session

from coopcore.db.engine import make_engine
from coopcore.models import Distribution, Member
from reports import bundle
from reports.cli import ReportsWrite, guard, read_only
from tests.backends import sqlite_copy
from tests.cli.conftest import COOP
from tests.reports import builders


@pytest.fixture
def example_file(tmp_path: Path) -> str:
    """A SQLite file with Example 1 planned for 2024, committed, as a URL."""
    url = sqlite_copy("schema", tmp_path)
    engine = make_engine(url)
    with Session(engine) as session, session.begin():
        builders.example(session)
    engine.dispose()
    return url


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(list(args), capture_output=True, text=True, timeout=300)


def test_coop_report_all_writes_every_report_and_says_where(example_file: str, tmp_path: Path) -> None:
    out = tmp_path / "reports-out"
    done = run(COOP, "--lang", "zh", "--db", example_file, "report", "all", "--year", "2024", "--out", str(out))
    assert done.returncode == 0, done.stderr
    names = sorted(path.name for path in out.iterdir())
    assert names == sorted(
        [
            "2024-93370602MA3EXMPL1X-会计报表.pdf",
            "2024-93370602MA3EXMPL1X-会计报表.xlsx",
            "2024-93370602MA3EXMPL1X-盈余分配报告.pdf",
            "2024-93370602MA3EXMPL1X-盈余分配报告.xlsx",
            "2024-93370602MA3EXMPL1X-分红明细单.pdf",
            "2024-93370602MA3EXMPL1X-分配方案公示.pdf",
            "2024-93370602MA3EXMPL1X-成员账户.pdf",
            "2024-93370602MA3EXMPL1X-成员账户.xlsx",
            "2024-示例街道-薄弱村提升进展.pdf",
            "2024-示例街道-薄弱村提升进展.xlsx",
            "2024-示例街道-会计报表汇总表.pdf",
            "2024-示例街道-会计报表汇总表.xlsx",
            "2024-全部企业-订单履约报告.pdf",
            "2024-全部企业-订单履约报告.xlsx",
        ]
    )
    assert f"已生成 14 个报表文件，位于 {out.resolve()}" in done.stdout


def test_each_report_runs_as_a_module_too(example_file: str, tmp_path: Path) -> None:
    done = run(
        sys.executable,
        "-m",
        "reports.slips",
        "--db",
        example_file,
        "--coop",
        "93370602MA3EXMPL1X",
        "--year",
        "2024",
        "--per-page",
        "1",
        "--out",
        str(tmp_path),
        "--lang",
        "en",
    )
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "2024-93370602MA3EXMPL1X-dividend-slips.pdf").exists()
    assert "1 report files written" in done.stdout


def test_an_unknown_cooperative_or_year_is_a_clear_error(example_file: str, tmp_path: Path) -> None:
    done = run(
        COOP,
        "--lang",
        "zh",
        "--db",
        example_file,
        "report",
        "distribution",
        "--coop",
        "93370602MA3EXMPL1X",
        "--year",
        "2023",
        "--out",
        str(tmp_path),
    )
    assert done.returncode == 2 and "年度还没有编制盈余分配方案" in done.stderr and "Traceback" not in done.stderr
    done = run(
        sys.executable,
        "-m",
        "reports.distribution",
        "--db",
        example_file,
        "--coop",
        "NOPE",
        "--year",
        "2024",
        "--lang",
        "en",
    )
    assert done.returncode == 2 and "Cooperative 'NOPE' was not found" in done.stderr


def test_reports_refuse_to_write(engine: Engine) -> None:
    with read_only(engine) as session:
        session.scalars(select(Member)).all()  # reading is fine
        session.add(Distribution())
        with pytest.raises(ReportsWrite):
            session.flush()
        session.rollback()
        with pytest.raises(ReportsWrite):
            session.execute(delete(Member))


def test_the_report_builders_leave_the_database_as_they_found_it(session: Session, tmp_path: Path) -> None:
    cooperative, _ = builders.example(session, "published")
    guard(session)  # any flush or INSERT/UPDATE/DELETE while reporting raises ReportsWrite
    paths = bundle.build_all_reports(session, 2024, tmp_path, "zh", cooperatives=[cooperative], townships=["示例街道"])
    assert len(paths) == 14 and all(path.stat().st_size > 1000 for path in paths)
