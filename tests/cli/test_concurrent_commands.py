"""Two `coop` processes at once against the same database, on every backend (issue 12, items 2 and 3): a plan
posted once, one draft kept, an import refused in a year closed while it ran; every refusal a translated line."""

from __future__ import annotations

import contextlib
import datetime as dt
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import Engine, func, select, text
from sqlalchemy.orm import Session

from coopcore.models import Cooperative, Distribution, DistributionState, Trade
from coopcore.services import distribution as workflow
from coopcore.services import imports, ledger, lookups
from tests.backends import BACKENDS
from tests.cli.conftest import COOP
from tests.concurrency import committed_engine, current, duplicated_entries, lock_waits, new_example, wait_until

# The translated refusals a second writer may get: the plan already posted, or a lock conflict (SQLite).
WRONG_STATE = "年的盈余分配已经记账"
CONCURRENT = "其他人同时修改了相同的记录"


@pytest.fixture(scope="module", params=BACKENDS)
def db(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    yield from committed_engine(request.param, tmp_path_factory.mktemp(request.param))


def start(engine: Engine, *args: str) -> subprocess.Popen[str]:
    url = engine.url.render_as_string(hide_password=False)
    command = [COOP, "--lang", "zh", "--db", url, *args]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def together(engine: Engine, lock_sql: str, key: int, *commands: tuple[str, ...]) -> list[tuple[int, str, str]]:
    """Start the commands while this test holds a row lock (PostgreSQL, MariaDB) so that they meet at it; let go
    once both wait there, or after a while if they do not lock it. SQLite: start them side by side."""
    with engine.connect() as holder:
        transaction = holder.begin()
        if engine.dialect.name != "sqlite":
            holder.execute(text(lock_sql), {"key": key})
        processes = [start(engine, *command) for command in commands]
        if engine.dialect.name != "sqlite":
            # Code that takes no such lock runs on: the race is then theirs.
            with contextlib.suppress(pytest.fail.Exception):
                wait_until(lambda: lock_waits(engine) >= len(processes), timeout=20)
        transaction.rollback()
    outcomes = []
    for process in processes:
        stdout, stderr = process.communicate(timeout=300)
        outcomes.append((process.returncode, stdout, stderr))
    for _code, stdout, stderr in outcomes:
        assert "Traceback" not in stderr + stdout, stderr
    return outcomes


def year_options(engine: Engine, cooperative_id: int) -> tuple[str, ...]:
    with Session(engine) as session:
        cooperative = session.get(Cooperative, cooperative_id)
        assert cooperative is not None
        return ("--coop", cooperative.credit_code, "--year", "2024")


def test_two_posts_at_once_one_succeeds_and_the_other_is_refused_in_chinese(db: Engine) -> None:
    cooperative_id = new_example(db)
    with Session(db) as session:
        distribution_id = current(session, cooperative_id).id
    post = ("distribution", "post", *year_options(db, cooperative_id))
    outcomes = together(db, "SELECT id FROM distribution WHERE id = :key FOR UPDATE", distribution_id, post, post)
    assert sorted(code for code, _, _ in outcomes) == [0, 2]
    refused = next(stderr for code, _, stderr in outcomes if code == 2)
    assert refused.startswith("错误：") and (WRONG_STATE in refused or CONCURRENT in refused), refused
    entries, repeated = duplicated_entries(db, cooperative_id)
    assert entries > 0 and repeated == 0


def test_two_plans_at_once_keep_one_draft_and_neither_prints_a_database_error(db: Engine) -> None:
    cooperative_id = new_example(db, approved=False)
    plan = ("distribution", "plan", *year_options(db, cooperative_id))
    outcomes = together(db, "SELECT id FROM cooperative WHERE id = :key FOR UPDATE", cooperative_id, plan, plan)
    assert 0 in [code for code, _, _ in outcomes]
    for code, stdout, stderr in outcomes:
        if code == 0:
            assert "草案" in stdout  # the plan, as planned or re-planned after the other
        else:
            assert code == 2 and stderr.startswith("错误：") and CONCURRENT in stderr, stderr
    with Session(db) as session:
        states = session.scalars(
            select(Distribution.state).where(
                Distribution.cooperative_id == cooperative_id, Distribution.state.in_(lookups.LIVE_STATES)
            )
        ).all()
    assert states == [DistributionState.DRAFT]


def workbook_with_a_late_trade(engine: Engine, cooperative_id: int, path: Path) -> Path:
    """The cooperative's own export with one more 2024 trade, as an accountant would add it."""
    with Session(engine) as session:
        cooperative = session.get(Cooperative, cooperative_id)
        assert cooperative is not None
        imports.export_workbook(session, cooperative.credit_code, path)
    book = load_workbook(path)
    sheet = book["交易"]
    row = [cell.value for cell in sheet[2]]
    header = [cell.value for cell in sheet[1]]
    row[header.index("单据号")] = "LATE-2024"
    row[header.index("日期*")] = dt.datetime(2024, 11, 30)
    sheet.append(row)
    book.save(path)
    return path


def test_an_import_into_a_year_closed_while_it_ran_is_refused_by_the_database(db: Engine, tmp_path: Path) -> None:
    cooperative_id = new_example(db)
    workbook = workbook_with_a_late_trade(db, cooperative_id, tmp_path / "books.xlsx")
    with Session(db) as session:
        trades = session.scalar(select(func.count()).select_from(Trade).where(Trade.cooperative_id == cooperative_id))
    with Session(db) as closer:
        with closer.begin():
            workflow.post_distribution(closer, current(closer, cooperative_id))
            cooperative = closer.get_one(Cooperative, cooperative_id)
            ledger.close_period(closer, cooperative, 2024, 12, by="会计")  # closes 2024, not yet committed
            importer = start(db, "import", "--quiet", str(workbook))
            # The import reads 2024 as open; its write waits for the close (PostgreSQL, MariaDB) or is refused
            # at once (SQLite lets one writer at a time).
            wait_until(lambda: importer.poll() is not None or lock_waits(db) > 0)
        stdout, stderr = importer.communicate(timeout=300)
    assert importer.returncode == 2, stdout + stderr
    assert "Traceback" not in stderr and stderr.strip().startswith("错误："), stderr
    if db.dialect.name == "sqlite":
        assert CONCURRENT in stderr, stderr
    else:
        assert "的2024会计年度已结账" in stderr, stderr
    with Session(db) as session:
        after = session.scalar(select(func.count()).select_from(Trade).where(Trade.cooperative_id == cooperative_id))
    assert after == trades
