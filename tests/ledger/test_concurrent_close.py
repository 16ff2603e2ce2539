"""Two writers of one cooperative's books at once, each on its own connection and transaction: two closes of the
year do not both carry it, and a voucher written while a close runs does not slip into the closed month."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from coopcore.errors import ConcurrentChange, PeriodClosed
from coopcore.models import Cooperative, Period, PeriodState, Voucher, VoucherOrigin
from coopcore.services import ledger
from coopcore.services.ledger.errors import AlreadyClosed
from tests.backends import BACKENDS
from tests.concurrency import committed_engine, lock_waits, wait_until
from tests.ledger.builders import AUDITOR, PREPARER, cr, day, dr, make_books

_numbers = iter(range(1, 1000))


@pytest.fixture(scope="module", params=BACKENDS)
def db(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    yield from committed_engine(request.param, tmp_path_factory.mktemp(request.param))


def new_books(engine: Engine) -> int:
    """Commit a cooperative with a posted sale and cost in December 2024; return its id."""
    with Session(engine) as session, session.begin():
        cooperative = make_books(session, next(_numbers))
        for lines in ([dr("102", "900.00"), cr("501", "900.00")], [dr("521", "400.00"), cr("102", "400.00")]):
            voucher = ledger.add_voucher(session, cooperative, on=day("2024-12-10"), summary="业务", lines=lines,
                                         by=PREPARER)  # fmt: skip
            ledger.audit_voucher(session, voucher, by=AUDITOR)
            ledger.post_voucher(session, voucher, by=AUDITOR)
        return cooperative.id


def second_while_first_holds(engine: Engine, first: Callable[[Session], Any], second: Callable[[Session], Any]) -> Any:
    """First runs and keeps its transaction open; second starts on another connection; once second waits for a
    lock (PostgreSQL, MariaDB) or has given up (SQLite refuses at once), first commits. Return what second got."""
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            with Session(engine) as session, session.begin():
                outcome["result"] = second(session)
        except Exception as error:  # the test looks at what the second writer got
            outcome["result"] = error

    with Session(engine) as session:
        with session.begin():
            first(session)
            thread = threading.Thread(target=run)
            thread.start()
            wait_until(lambda: not thread.is_alive() or lock_waits(engine) > 0)
        thread.join(60)
    assert not thread.is_alive()
    return outcome["result"]


def close_december(cooperative_id: int) -> Callable[[Session], Any]:
    def close(session: Session) -> Any:
        return ledger.close_period(session, session.get_one(Cooperative, cooperative_id), 2024, 12, by=AUDITOR)

    return close


def test_of_two_closes_at_once_one_carries_the_year_and_the_other_finds_it_closed(db: Engine) -> None:
    cooperative_id = new_books(db)
    got = second_while_first_holds(db, close_december(cooperative_id), close_december(cooperative_id))
    # PostgreSQL and MariaDB: the second waited for the first, then found December closed; SQLite: refused at once.
    assert isinstance(got, AlreadyClosed | ConcurrentChange), repr(got)
    with Session(db) as session:
        carried = session.scalar(
            select(func.count()).select_from(Voucher)
            .where(Voucher.cooperative_id == cooperative_id, Voucher.origin == VoucherOrigin.YEAR_END)
        )  # fmt: skip
        closed = session.scalar(
            select(func.count()).select_from(Period)
            .where(Period.cooperative_id == cooperative_id, Period.state == PeriodState.CLOSED)
        )  # fmt: skip
        balance = ledger.trial_balance(session, session.get_one(Cooperative, cooperative_id), 2024)
    assert carried == 3 and closed == 1
    assert balance.row("33202").columns.closing_credit == 500 and balance.balanced


def test_a_voucher_written_while_a_close_runs_waits_and_is_refused_once_the_month_is_closed(db: Engine) -> None:
    cooperative_id = new_books(db)

    def write(session: Session) -> Any:
        cooperative = session.get_one(Cooperative, cooperative_id)
        lines = [dr("101", "1.00"), cr("102", "1.00")]
        return ledger.add_voucher(session, cooperative, on=day("2024-12-31"), summary="迟到", lines=lines, by=PREPARER)

    got = second_while_first_holds(db, close_december(cooperative_id), write)
    assert isinstance(got, PeriodClosed | ConcurrentChange), repr(got)
    with Session(db) as session:
        late = session.scalar(select(func.count()).select_from(Voucher).where(Voucher.summary == "迟到"))
    assert late == 0
