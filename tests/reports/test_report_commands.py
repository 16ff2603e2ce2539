"""`coop report …` and `python -m reports.…` end to end, the read-only guard, and the reports' Chinese words."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import Engine, delete, select
from sqlalchemy.orm import Session

from coopcore.db import migrate
from coopcore.db.engine import make_engine
from coopcore.i18n import translate
from coopcore.models import Distribution, Member
from reports import bundle, text
from reports.cli import ReportsWrite, guard, read_only
from tests.cli.conftest import COOP
from tests.reports import builders

REPORTS = Path(bundle.__file__).parent


@pytest.fixture
def example_file(tmp_path: Path) -> str:
    """A SQLite file with Example 1 planned for 2024, committed, as a URL."""
    url = f"sqlite:///{tmp_path / 'example.sqlite3'}"
    engine = make_engine(url)
    migrate.upgrade(engine)
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
            "2024-93370602MA3EXMPL1X-盈余分配报告.pdf",
            "2024-93370602MA3EXMPL1X-盈余分配报告.xlsx",
            "2024-93370602MA3EXMPL1X-分红明细单.pdf",
            "2024-93370602MA3EXMPL1X-分配方案公示.pdf",
            "2024-93370602MA3EXMPL1X-成员账户.pdf",
            "2024-93370602MA3EXMPL1X-成员账户.xlsx",
            "2024-示例街道-薄弱村提升进展.pdf",
            "2024-示例街道-薄弱村提升进展.xlsx",
            "2024-全部企业-订单履约报告.pdf",
            "2024-全部企业-订单履约报告.xlsx",
        ]
    )
    assert f"已生成 10 个报表文件，位于 {out.resolve()}" in done.stdout


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
    assert len(paths) == 10 and all(path.stat().st_size > 1000 for path in paths)


def report_msgids() -> set[str]:
    """Every literal label the reports translate, and the tables of sentences in reports/text.py."""
    found: set[str] = set()
    for path in REPORTS.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
                name = getattr(node.func, "attr", getattr(node.func, "id", ""))
                if name in ("tr", "render") and isinstance(node.args[0].value, str):
                    found.add(node.args[0].value)
    for table in (text.WATERMARKS, text.STATUS_LINES):
        found |= set(table.values())
    return found


@pytest.mark.parametrize("msgid", sorted(report_msgids()))
def test_every_word_of_the_reports_has_a_chinese_translation(msgid: str) -> None:
    assert translate(msgid, "zh") != msgid


def test_the_reports_catalog_does_not_change_another_catalog_s_translation() -> None:
    from babel.messages.pofile import read_po

    folder = REPORTS.parent / "coopcore" / "i18n" / "locale" / "zh_CN" / "LC_MESSAGES"
    ours = {m.id: m.string for m in read_po((folder / "reports.po").open("rb")) if m.id}
    for other in folder.glob("*.po"):
        if other.name != "reports.po":
            for message in read_po(other.open("rb")):
                if message.id in ours:
                    assert ours[message.id] == message.string, (other.name, message.id)
