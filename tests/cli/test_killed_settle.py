"""A `coop payments settle` killed (SIGKILL) inside its transaction leaves nothing of the settlement recorded, and
settling again then pays the run once, with the books matching (issue #17: "a killed run leaves nothing
half-recorded").

The real binary runs against a private, committed database. The test stops it where it has written and not yet
committed, kills it there, and then looks at the database from a fresh connection:
- SQLite: the test holds a read transaction, so the settlement can write but its COMMIT waits for the reader.
  /proc/locks shows the process holding SQLite's RESERVED lock (it has written: its rollback journal exists) and
  its PENDING lock (it has reached COMMIT and waits for the reader): the test kills it there, the last moment
  before the commit, and only then ends its read.
- PostgreSQL: the test holds `LOCK TABLE voucher IN EXCLUSIVE MODE`; the settlement updates the run and its
  lines, then waits to book its voucher. pg_locks shows it holding the row locks of its updates on payment_run and
  payment_run_line while waiting for voucher; the test kills it there, then lets the lock go.
- MariaDB: the test holds M03's distribution line (SELECT … FOR UPDATE); the settlement updates the run and its
  lines, then waits to mark that line paid. innodb_trx shows it waiting there with the rows it had modified.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, func, or_, select, text
from sqlalchemy.orm import Session

from coopcore.models import Cooperative, Distribution, DistributionLine, PaymentRun, Voucher, VoucherLine
from coopcore.services import ledger, payouts
from coopcore.services.ledger.books import entry_lines
from coopcore.services.ledger.events import VERSION
from coopcore.services.ledger.payment_run_events import PAYMENT_RUNS
from coopcore.terms import PaymentRunState, PayoutResult
from tests.backends import BACKENDS
from tests.cli.conftest import COOP
from tests.concurrency import committed_engine, wait_until
from tests.payouts.builders import assert_owed_equals_books, make_owing, post_all

# Transfer 2 (序号 in the file) is M02's: its returns, residual and rent come back; M03's transfer is paid.
SETTLE = ("payments", "settle", "1", "--on", "2025-04-08", "--returned", "2=账号不存在")


@pytest.fixture(params=BACKENDS)
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    yield from committed_engine(request.param, tmp_path)


def sent_run(engine: Engine) -> tuple[int, str]:
    """Commit tests.payouts.builders' cooperative with a bank run of its dividends and rent, sent to the bank."""
    with Session(engine) as session, session.begin():
        cooperative, _ = make_owing(session)
        run = payouts.choose_run(session, cooperative, made_on=dt.date(2025, 4, 1), channel="bank",
                                 purpose="2024年分红及租金", kinds=("returns", "residual", "rent"))  # fmt: skip
        payouts.mark_sent(session, run, dt.date(2025, 4, 2))
        return cooperative.id, cooperative.credit_code


def start(url: str, code: str) -> subprocess.Popen[str]:
    command = [COOP, "--lang", "zh", "--db", url, *SETTLE[:3], "--coop", code, *SETTLE[3:]]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def kill(process: subprocess.Popen[str]) -> None:
    assert process.poll() is None, process.communicate()  # still inside its transaction
    process.kill()  # SIGKILL: no rollback, no clean-up, no atexit
    process.wait(timeout=30)
    assert process.returncode == -9


def recorded(engine: Engine, cooperative_id: int) -> dict[str, Any]:
    """Everything a settlement writes, as a fresh connection reads it."""
    mine = Voucher.cooperative_id == cooperative_id
    with Session(engine) as session:
        run = session.scalars(select(PaymentRun).where(PaymentRun.cooperative_id == cooperative_id)).one()
        distribution = session.scalars(select(Distribution).where(Distribution.cooperative_id == cooperative_id)).one()
        shares = [(line.member_code, line.paid_on, line.payment_method) for line in distribution.lines]
        count = select(func.count()).select_from(Voucher).where(mine)
        lines = select(func.count()).select_from(VoucherLine).where(VoucherLine.cooperative_id == cooperative_id)
        ref = PAYMENT_RUNS.ref(run.id)
        booked = or_(Voucher.source_ref == ref, Voucher.source_ref.like(ref + VERSION + "%"))  # or a later version
        return {
            "run": (run.state, run.sent_on, run.settled_on),
            "lines": [(line.line_no, line.result, line.claim, line.return_reason) for line in run.lines],
            "distribution": (distribution.state, shares),
            "vouchers": session.scalar(count),
            "voucher lines": session.scalar(lines),
            "run voucher": session.scalar(select(Voucher.id).where(mine, booked)),
        }


def kill_while_committing_on_sqlite(engine: Engine, code: str) -> None:
    path = engine.url.database or ""
    # The settlement may wait a minute for the reader at its commit: time enough to see it wait and kill it.
    url = f"sqlite:///{path}?timeout=60"
    reader = sqlite3.connect(path, isolation_level=None)
    try:
        reader.execute("BEGIN")
        reader.execute("SELECT count(*) FROM payment_run").fetchone()
        process = start(url, code)
        wait_until(lambda: process.poll() is not None or sqlite_locks(path, process.pid) >= {"reserved", "pending"})
        assert Path(path + "-journal").exists()  # it has written: the journal holds the pages it changed
        kill(process)
    finally:
        reader.execute("ROLLBACK")
        reader.close()


# SQLite's locks are POSIX locks on bytes of the file (os_unix.c): RESERVED, held from a transaction's first write,
# and PENDING, taken at its commit while it waits for the readers to finish.
LOCK_BYTES = {"pending": 0x40000000, "reserved": 0x40000001}


def sqlite_locks(path: str, pid: int) -> set[str]:
    """Which of SQLite's RESERVED and PENDING locks a process holds on a database file (/proc/locks, Linux)."""
    inode = os.stat(path).st_ino
    held: set[str] = set()
    for line in Path("/proc/locks").read_text().splitlines():
        # "7: POSIX  ADVISORY  WRITE 4242 00:2d:1234 1073741824 1073741825"; "->" marks a lock waited for.
        fields = line.split()
        if "->" in fields or len(fields) < 8 or fields[1] != "POSIX" or fields[3] != "WRITE":
            continue
        owner, device, first, last = fields[4], fields[5], fields[6], fields[7]
        if int(owner) == pid and int(device.rsplit(":", 1)[1]) == inode:
            # Adjacent locks of a process merge into one range; "EOF" ends a range at the end of the file.
            held |= {name for name, byte in LOCK_BYTES.items()
                     if int(first) <= byte and (last == "EOF" or byte <= int(last))}  # fmt: skip
    return held


def kill_while_booking_on_postgresql(engine: Engine, code: str) -> None:
    url = engine.url.render_as_string(hide_password=False)
    # pg_stat_activity is read once per transaction: the watcher reads it afresh each time, in autocommit.
    with engine.connect() as holder, engine.connect().execution_options(isolation_level="AUTOCOMMIT") as watcher:
        transaction = holder.begin()
        holder.execute(text("LOCK TABLE voucher IN EXCLUSIVE MODE"))
        process = start(url, code)
        waiting = "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
        wait_until(lambda: process.poll() is not None or watcher.execute(text(waiting)).first() is not None)
        pid = watcher.execute(text(waiting)).scalar_one()
        locks = watcher.execute(text("SELECT relation::regclass::text, mode, granted FROM pg_locks"
                                     " WHERE pid = :pid AND locktype = 'relation'"), {"pid": pid}).all()  # fmt: skip
        held = {(table, mode) for table, mode, granted in locks if granted}
        # It has updated the run and its lines (RowExclusiveLock: a write), and waits to write its voucher.
        assert {("payment_run", "RowExclusiveLock"), ("payment_run_line", "RowExclusiveLock")} <= held, locks
        assert [(table, mode) for table, mode, granted in locks if not granted] == [("voucher", "RowExclusiveLock")]
        kill(process)
        transaction.rollback()
        # Its server process finds the client gone and rolls back: wait until it has.
        gone = "SELECT count(*) FROM pg_stat_activity WHERE pid = :pid"
        wait_until(lambda: watcher.execute(text(gone), {"pid": pid}).scalar_one() == 0)


def kill_while_marking_paid_on_mariadb(engine: Engine, code: str) -> None:
    url = engine.url.render_as_string(hide_password=False)
    with Session(engine) as session:  # M03's returns and residual are both paid: its line is marked paid
        share = session.scalars(select(DistributionLine.id).where(DistributionLine.member_code == "M03")).one()
    with engine.connect() as holder, engine.connect().execution_options(isolation_level="AUTOCOMMIT") as watcher:
        transaction = holder.begin()
        # LOCK TABLES would lock the tables voucher refers to as well (cooperative): the run could not even start.
        holder.execute(text("SELECT id FROM distribution_line WHERE id = :id FOR UPDATE"), {"id": share})
        process = start(url, code)
        waiting = ("SELECT id FROM information_schema.processlist WHERE db = DATABASE()"
                   " AND info LIKE 'UPDATE distribution_line%' AND time_ms > 300")  # fmt: skip
        wait_until(lambda: process.poll() is not None or watcher.execute(text(waiting)).first() is not None)
        thread = watcher.execute(text(waiting)).scalar_one()
        time.sleep(0.2)  # innodb_trx is a cache, refreshed only once nobody has read it for 0.1 s
        trx = "SELECT trx_state, trx_rows_modified FROM information_schema.innodb_trx WHERE trx_mysql_thread_id = :id"
        state, modified = watcher.execute(text(trx), {"id": thread}).one()
        # It has updated the run and its lines, and waits to mark M03's distribution line paid.
        assert state == "LOCK WAIT" and modified > 0, (state, modified)
        kill(process)
        transaction.rollback()
        gone = "SELECT count(*) FROM information_schema.processlist WHERE id = :id"
        wait_until(lambda: watcher.execute(text(gone), {"id": thread}).scalar_one() == 0)


KILLERS = {
    "sqlite": kill_while_committing_on_sqlite,
    "postgresql": kill_while_booking_on_postgresql,
    "mysql": kill_while_marking_paid_on_mariadb,
}


def test_a_settlement_killed_inside_its_transaction_records_nothing_and_settling_again_pays_once(db: Engine) -> None:
    cooperative_id, code = sent_run(db)
    before = recorded(db, cooperative_id)
    assert before["run"][0] is PaymentRunState.SENT and before["run voucher"] is None

    KILLERS[db.dialect.name](db, code)

    assert recorded(db, cooperative_id) == before  # still sent, every claim held, no voucher, nothing paid
    if db.dialect.name == "sqlite":
        with sqlite3.connect(db.url.database or "") as check:
            assert check.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    url = db.url.render_as_string(hide_password=False)
    again = subprocess.run([COOP, "--lang", "zh", "--db", url, *SETTLE[:3], "--coop", code, *SETTLE[3:]],
                           capture_output=True, text=True, timeout=300)  # fmt: skip
    assert again.returncode == 0, again.stderr
    assert "付款批次 1 已确认结果" in again.stdout

    with Session(db) as session, session.begin():
        cooperative = session.get_one(Cooperative, cooperative_id)
        run = session.scalars(select(PaymentRun).where(PaymentRun.cooperative_id == cooperative_id)).one()
        assert run.state is PaymentRunState.SETTLED and run.settled_on == dt.date(2025, 4, 8)
        returned = [line for line in run.lines if line.result is PayoutResult.RETURNED]
        assert [(line.member.code, line.kind.value) for line in returned] == [
            ("M02", "returns"),
            ("M02", "residual"),
            ("M02", "rent"),
        ]
        assert {line.claim for line in returned} == {None}  # returned: owed again, free for the next run
        voucher = ledger.event_voucher(session, cooperative, PAYMENT_RUNS.ref(run.id))
        assert voucher is not None and voucher.voucher_date == dt.date(2025, 4, 8)
        paid = sum((line.amount for line in run.lines if line.result is PayoutResult.PAID), start=0)
        assert sum((line.credit for line in entry_lines(session, voucher) if line.account == "102"), start=0) == paid
        assert recorded(db, cooperative_id)["vouchers"] == before["vouchers"] + 1  # booked once
        post_all(session, cooperative)
        assert_owed_equals_books(session, cooperative, 2025)
