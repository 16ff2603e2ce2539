"""Two writers at once, each on its own connection: a distribution is posted once, planned into one draft, and a
closed year refuses every writer, ORM or bulk, on every backend (issue 12, items 2-4)."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlalchemy import Engine, delete, event, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from coopcore.db.bulk import insert_rows
from coopcore.errors import ConcurrentChange, CoopError, PeriodClosed
from coopcore.models import (
    AccountEntryKind,
    Cooperative,
    Distribution,
    DistributionState,
    FiscalYear,
    FiscalYearState,
    IncomeCategory,
    IncomeExpense,
    Member,
    MemberAccountEntry,
    SpecialFund,
    SpecialPayable,
    Trade,
)
from coopcore.services import distribution as workflow
from coopcore.services import imports, lookups
from tests.backends import BACKENDS
from tests.concurrency import committed_engine, current, duplicated_entries, lock_waits, new_example, wait_until

D = Decimal


@pytest.fixture(scope="module", params=BACKENDS)
def db(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    yield from committed_engine(request.param, tmp_path_factory.mktemp(request.param))


def in_thread(work: Any) -> tuple[threading.Thread, dict[str, Any]]:
    """Run work(session) in a thread with its own connection and transaction; keep what it returned or raised."""
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            with Session(work.engine) as session, session.begin():
                outcome["result"] = work(session)
        except Exception as error:  # the test looks at what the second writer got
            outcome["result"] = error

    thread = threading.Thread(target=run)
    thread.start()
    return thread, outcome


class Step:
    """A service call for a thread, bound to the engine its session opens on."""

    def __init__(self, engine: Engine, call: Any) -> None:
        self.engine, self.call = engine, call

    def __call__(self, session: Session) -> Any:
        return self.call(session)


def second_writer_while_first_holds(db: Engine, first: Any, second: Any) -> Any:
    """First runs and keeps its transaction open; second starts; once second waits for a lock (PostgreSQL,
    MariaDB) or has given up (SQLite refuses at once), first commits. Return what second got."""
    with Session(db) as session:
        with session.begin():
            first(session)
            thread, outcome = in_thread(Step(db, second))
            wait_until(lambda: not thread.is_alive() or lock_waits(db) > 0)
        thread.join(60)
    assert not thread.is_alive()
    return outcome["result"]


def test_of_two_posts_at_once_one_writes_the_entries_and_the_other_is_refused(db: Engine) -> None:
    cooperative_id = new_example(db)
    got = second_writer_while_first_holds(
        db,
        lambda s: workflow.post_distribution(s, current(s, cooperative_id)),
        lambda s: workflow.post_distribution(s, current(s, cooperative_id)),
    )
    # PostgreSQL and MariaDB: the second waited for the lock and found the plan posted; SQLite: refused at once.
    assert isinstance(got, workflow.WrongState | ConcurrentChange), repr(got)
    entries, repeated = duplicated_entries(db, cooperative_id)
    assert entries > 0 and repeated == 0
    with Session(db) as session:
        assert current(session, cooperative_id).state is DistributionState.POSTED


def test_a_post_from_an_outdated_read_is_refused_under_the_lock(db: Engine) -> None:
    cooperative_id = new_example(db)
    with Session(db, expire_on_commit=False) as stale:
        with stale.begin():
            distribution = current(stale, cooperative_id)  # read as approved ...
        with Session(db) as other, other.begin():
            workflow.post_distribution(other, current(other, cooperative_id))  # ... and posted by someone else
        with pytest.raises(workflow.WrongState), stale.begin():
            workflow.post_distribution(stale, distribution)
    assert duplicated_entries(db, cooperative_id)[1] == 0


def test_of_two_plans_at_once_one_draft_is_kept_and_neither_fails_with_a_database_error(db: Engine) -> None:
    cooperative_id = new_example(db, approved=False)

    def plan(session: Session) -> Distribution:
        cooperative = session.get(Cooperative, cooperative_id)
        assert cooperative is not None
        return workflow.plan_distribution(session, cooperative, 2024)

    got = second_writer_while_first_holds(db, plan, plan)
    # PostgreSQL and MariaDB: the second waited and re-planned the draft; SQLite: refused, translated.
    assert isinstance(got, Distribution | ConcurrentChange), repr(got)
    with Session(db) as session:
        live = session.scalars(
            select(Distribution).where(
                Distribution.cooperative_id == cooperative_id, Distribution.state.in_(lookups.LIVE_STATES)
            )
        ).all()
        assert [d.state for d in live] == [DistributionState.DRAFT]


def test_the_database_refuses_a_second_set_of_a_distributions_entries(db: Engine) -> None:
    cooperative_id = new_example(db)
    with Session(db) as session:  # never committed
        distribution = current(session, cooperative_id)
        workflow.post_distribution(session, distribution)
        # Even with the year open again (the closed-year trigger would refuse first), the key refuses a copy.
        year = session.scalars(select(FiscalYear).where(FiscalYear.cooperative_id == cooperative_id)).one()
        year.state = FiscalYearState.OPEN
        session.flush()
        entries = session.scalars(select(MemberAccountEntry).where(MemberAccountEntry.source == distribution.source))
        copies = [
            {"member_id": e.member_id, "entry_on": e.entry_on, "kind": e.kind, "amount": e.amount, "memo": e.memo,
             "source": e.source, "distribution_id": distribution.id}
            for e in entries
        ]  # fmt: skip
        assert copies
        with pytest.raises(IntegrityError), session.begin_nested():
            insert_rows(session, MemberAccountEntry, copies[:1])


def close_2024(engine: Engine, cooperative_id: int) -> None:
    with Session(engine) as session, session.begin():
        year = session.scalars(select(FiscalYear).where(FiscalYear.cooperative_id == cooperative_id)).one()
        year.state = FiscalYearState.CLOSED


def assert_refused_as_closed(error: BaseException, engine: Engine) -> None:
    assert isinstance(error, PeriodClosed), repr(error)
    if engine.dialect.name != "sqlite":  # SQLite's RAISE cannot name the year
        assert error.fields["year"] == 2024 and error.fields["cooperative"].startswith("示例果业专业合作社")


def bulk_writes(cooperative_id: int, member_id: int, product_id: int) -> dict[str, Any]:
    """Statements that bypass the ORM (and its guard), one per table and kind of change, into closed 2024."""
    day = dt.date(2024, 6, 1)
    return {
        "insert trade": lambda s: insert_rows(s, Trade, [{
            "cooperative_id": cooperative_id, "member_id": member_id, "traded_on": day, "product_id": product_id,
            "quantity": D("1"), "unit": "kg", "unit_price": D("2.00"), "amount": D("2.00"), "ticket_no": "LATE"}]),
        "insert income": lambda s: s.execute(insert(IncomeExpense).values(
            cooperative_id=cooperative_id, recorded_on=day, category=IncomeCategory.OTHER_INCOME, amount=D("1.00"))),
        "insert fund": lambda s: s.execute(insert(SpecialFund).values(
            cooperative_id=cooperative_id, received_on=day, source="donation", amount=D("1.00"))),
        "insert subsidy money": lambda s: s.execute(insert(SpecialPayable).values(
            cooperative_id=cooperative_id, moved_on=day, kind="received", amount=D("1.00"), project="", memo="")),
        "insert entry": lambda s: insert_rows(s, MemberAccountEntry, [{
            "member_id": member_id, "entry_on": day, "kind": AccountEntryKind.CONTRIBUTION_CASH, "amount": D("1.00"),
            "memo": "", "source": "test"}]),
        "move income out": lambda s: s.execute(update(IncomeExpense).where(
            IncomeExpense.cooperative_id == cooperative_id).values(recorded_on=dt.date(2025, 1, 2))),
        "update trade": lambda s: s.execute(update(Trade).where(
            Trade.cooperative_id == cooperative_id).values(grade="一级")),
        "delete funds": lambda s: s.execute(delete(SpecialFund).where(
            SpecialFund.cooperative_id == cooperative_id, SpecialFund.received_on >= dt.date(2024, 1, 1))),
    }  # fmt: skip


def test_bulk_statements_into_a_closed_year_are_refused_by_the_database(db: Engine) -> None:
    cooperative_id = new_example(db, approved=False)
    with Session(db) as session:
        member_id = session.scalars(select(Member.id).where(Member.cooperative_id == cooperative_id)).first()
        product_id = session.scalars(select(Trade.product_id).where(Trade.cooperative_id == cooperative_id)).first()
        counts = {model: session.scalar(select(func.count()).select_from(model)) for model in (Trade, SpecialFund)}
    assert member_id is not None and product_id is not None
    close_2024(db, cooperative_id)
    for name, write in bulk_writes(cooperative_id, member_id, product_id).items():
        with Session(db) as session:  # never committed
            with pytest.raises(CoopError) as refused:
                write(session)
            assert_refused_as_closed(refused.value, db), name
    with Session(db) as session:
        assert {model: session.scalar(select(func.count()).select_from(model)) for model in counts} == counts


def test_moving_a_record_to_another_cooperative_is_refused_when_its_old_year_is_closed(db: Engine) -> None:
    closed_id, open_id = new_example(db, approved=False), new_example(db, approved=False)
    close_2024(db, closed_id)
    for model, day in ((IncomeExpense, "recorded_on"), (Trade, "traded_on"), (SpecialFund, "received_on")):
        with Session(db) as session:  # never committed
            in_2024 = select(model).where(model.cooperative_id == closed_id, getattr(model, day) >= dt.date(2024, 1, 1))
            record = session.scalars(in_2024).first()
            record.cooperative_id = open_id  # only the owner changes; the new owner's 2024 is open
            with pytest.raises(PeriodClosed) as refused:
                session.flush()
            assert refused.value.fields["year"] == 2024
    # Bypassing the ORM, the trigger checks the old row too.
    with Session(db) as session, pytest.raises(PeriodClosed):
        session.execute(
            update(IncomeExpense).where(IncomeExpense.cooperative_id == closed_id).values(cooperative_id=open_id)
        )


def test_moving_a_member_with_entries_in_a_closed_year_to_another_cooperative_is_refused(db: Engine) -> None:
    closed_id, open_id = new_example(db, approved=False), new_example(db, approved=False)
    with Session(db) as session, session.begin():  # an entry in 2024, the year about to close
        member = session.scalars(select(Member).where(Member.cooperative_id == closed_id)).first()
        session.add(MemberAccountEntry(member=member, entry_on=dt.date(2024, 5, 1),
                                       kind=AccountEntryKind.CONTRIBUTION_CASH, amount=D("10.00")))  # fmt: skip
    close_2024(db, closed_id)
    with Session(db) as session:
        member = session.scalars(select(Member).where(Member.cooperative_id == closed_id)).first()
        member.cooperative_id, member.code = open_id, "M99"
        with pytest.raises(PeriodClosed):
            session.flush()


def workbook_with_a_new_ticket(db: Engine, cooperative_id: int, path: Path, ticket: str) -> Path:
    """The cooperative's workbook as exported, with one more intake ticket (a copy of its first, numbered anew)."""
    with Session(db) as session:
        imports.export_workbook(session, session.get_one(Cooperative, cooperative_id).credit_code, path)
    book = load_workbook(path)
    sheet = book["交易"]
    header = [cell.value for cell in sheet[1]]
    row = [cell.value for cell in sheet[2]]
    row[header.index("单据号")] = ticket
    row[header.index("记录来源")] = None  # a workbook's own row
    sheet.append(row)
    book.save(path)
    return path


def test_two_imports_of_one_cooperative_at_once_both_write_without_a_deadlock(db: Engine, tmp_path: Path) -> None:
    if db.dialect.name == "sqlite":
        pytest.skip("SQLite has no row locks: one writer at a time")
    cooperative_id = new_example(db, approved=False)
    first = workbook_with_a_new_ticket(db, cooperative_id, tmp_path / "first.xlsx", "T-FIRST")
    second = workbook_with_a_new_ticket(db, cooperative_id, tmp_path / "second.xlsx", "T-SECOND")
    with Session(db) as session:
        with session.begin():
            started: list[Any] = []

            def before_the_books_lock(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
                # The first import is about to take the books' lock: the second runs now, up to a lock wait.
                if not started and "FROM cooperative" in statement and "FOR UPDATE" in statement:
                    started.extend(in_thread(Step(db, lambda s: imports.run_import(s, second, imports.COOPERATIVE))))
                    wait_until(lambda: not started[0].is_alive() or lock_waits(db) > 0)

            event.listen(session.connection(), "before_cursor_execute", before_the_books_lock)
            # Before, each had written its rows (their foreign keys share-lock the cooperative's row) and then asked
            # for the books' lock, held back by the other's share: a deadlock, one import refused.
            report = imports.run_import(session, first, imports.COOPERATIVE)
        started[0].join(60)
    assert report.written and not report.blocking
    other = started[1]["result"]
    assert isinstance(other, imports.ImportReport) and other.written, repr(other)
    with Session(db) as session:
        tickets = select(func.count()).where(Trade.ticket_no.in_(["T-FIRST", "T-SECOND"]))
        assert session.scalar(tickets) == 2
