"""`coop template`, `coop import` and `coop export` run as processes; an import killed half-way leaves nothing."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from coopcore.db.engine import make_engine
from coopcore.models import Cooperative, Member, Trade
from tests.backends import scratch_engine
from tests.workbook.builders import add_ticket, add_trades, cooperative_code, valid_book, write_book

COOP = str(Path(sys.executable).with_name("coop"))


def coop(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([COOP, *args], capture_output=True, text=True, timeout=600)


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'coop.sqlite3'}"


def test_the_template_language_is_the_group_option_or_the_command_option(tmp_path: Path, db_url: str) -> None:
    assert coop("--db", db_url, "--lang", "en", "template", str(tmp_path / "a.xlsx")).returncode == 0
    assert coop("--db", db_url, "--lang", "zh", "template", str(tmp_path / "b.xlsx"), "--lang", "en").returncode == 0
    assert coop("--db", db_url, "--lang", "en", "template", str(tmp_path / "c.xlsx"), "--lang", "zh").returncode == 0
    assert load_workbook(tmp_path / "a.xlsx").sheetnames[1] == "cooperative"
    assert load_workbook(tmp_path / "b.xlsx").sheetnames[1] == "cooperative"
    assert load_workbook(tmp_path / "c.xlsx").sheetnames[1] == "合作社"


def test_import_prints_every_problem_in_chinese_and_exits_2_writing_nothing(tmp_path: Path, db_url: str) -> None:
    book = valid_book()
    book["交易"].set(3, "金额", 1.0)
    book["成员"].set(2, "证件号码*", "370602197001010010")

    result = coop("--db", db_url, "--lang", "zh", "import", str(write_book(book, tmp_path / "bad.xlsx")))

    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert "金额1.00不等于 数量×单价" in result.stdout
    assert "370602197001010010的校验码不对" in result.stdout
    assert "未写入任何数据：请改正以上2个错误后重新导入。" in result.stdout
    with make_engine(db_url).connect() as connection:
        assert connection.scalar(select(func.count()).select_from(Cooperative)) == 0


def test_dry_run_then_import_then_export_from_the_command_line(tmp_path: Path, db_url: str) -> None:
    path = write_book(valid_book(), tmp_path / "book.xlsx")

    dry = coop("--db", db_url, "--lang", "en", "import", str(path), "--dry-run")
    real = coop("--db", db_url, "--lang", "en", "import", str(path), "--quiet")
    exported = coop("--db", db_url, "export", "--coop", cooperative_code(1), str(tmp_path / "out.xlsx"))
    again = coop("--db", db_url, "--lang", "en", "import", str(tmp_path / "out.xlsx"))

    assert dry.returncode == 0 and "Dry run: nothing was written." in dry.stdout
    assert real.returncode == 0 and "created" in real.stdout, real.stdout + real.stderr
    assert exported.returncode == 0, exported.stderr
    assert again.returncode == 0 and "0 created, 0 updated" in again.stdout, again.stdout


def test_a_stale_export_stops_the_import_unless_newer_rows_are_replaced(tmp_path: Path, db_url: str) -> None:
    assert (
        coop("--db", db_url, "import", str(write_book(valid_book(), tmp_path / "book.xlsx")), "--quiet").returncode == 0
    )
    stale = tmp_path / "stale.xlsx"
    assert coop("--db", db_url, "export", "--coop", cooperative_code(1), str(stale)).returncode == 0
    another = write_book(add_ticket(valid_book(), "RK2024-A001"), tmp_path / "another.xlsx")
    assert coop("--db", db_url, "import", str(another), "--quiet").returncode == 0

    refused = coop("--db", db_url, "--lang", "zh", "import", str(stale), "--quiet")
    replaced = coop("--db", db_url, "--lang", "en", "import", str(stale), "--quiet", "--replace-newer")

    assert refused.returncode == 2 and "RK2024-A001" in refused.stdout and "未写入任何数据" in refused.stdout
    assert replaced.returncode == 0 and "as asked (replace newer rows)" in replaced.stdout, replaced.stdout
    with make_engine(db_url).connect() as connection:
        assert connection.scalar(select(func.count()).where(Trade.ticket_no == "RK2024-A001")) == 0
    help_text = coop("--lang", "zh", "import", "--help").stdout
    assert "有意删除或修改工作簿导出之后" in help_text


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    with scratch_engine(request.param, tmp_path) as engine:
        yield engine.url.render_as_string(hide_password=False)


def test_an_import_killed_while_writing_leaves_nothing_behind(tmp_path: Path, empty_database: str) -> None:
    path = write_book(add_trades(valid_book(), 60_000), tmp_path / "big.xlsx")
    process = subprocess.Popen(
        [COOP, "--db", empty_database, "--lang", "en", "import", str(path)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stderr is not None
    lines = []
    for line in process.stderr:  # the first batch of tickets is in; 50,000 are still to go
        lines.append(line)
        if line.startswith("Writing transactions"):
            os.kill(process.pid, signal.SIGKILL)
            break
    process.wait(timeout=60)

    assert process.returncode == -signal.SIGKILL, "".join(lines)
    engine = make_engine(empty_database)
    with Session(engine) as session:
        assert session.scalar(select(func.count()).select_from(Cooperative)) == 0
        assert session.scalar(select(func.count()).select_from(Member)) == 0
        assert session.scalar(select(func.count()).select_from(Trade)) == 0
        if engine.dialect.name == "postgresql":
            # The server has rolled the dead connection's transaction back and holds no lock of it.
            mine = "datname = current_database() AND pid <> pg_backend_pid()"
            idle = session.scalar(text(f"SELECT count(*) FROM pg_stat_activity WHERE {mine} AND state <> 'idle'"))
            assert idle == 0
    engine.dispose()


def test_a_dry_run_prints_the_surplus_before_and_after_for_each_year_it_changes(tmp_path: Path, db_url: str) -> None:
    assert coop("--db", db_url, "import", str(write_book(valid_book(), tmp_path / "book.xlsx"))).returncode == 0
    book = valid_book()
    book["收支"].set(2, "金额*", -800)  # the 2024 investment loss: ¥500 → ¥800

    dry = coop("--db", db_url, "--lang", "zh", "import", str(write_book(book, tmp_path / "b.xlsx")), "--dry-run")

    assert dry.returncode == 0, dry.stdout + dry.stderr
    assert "本年盈余" in dry.stdout and "导入前" in dry.stdout and "导入后" in dry.stdout
    assert "│ 2024 │ -¥500.00 │ -¥800.00 │" in dry.stdout  # 2024 has only that row
    assert "2023" not in dry.stdout.split("本年盈余")[1]  # 2023 does not change: not listed
