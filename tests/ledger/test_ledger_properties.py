"""Properties of the books under any sequence of vouchers, drafts, reversals, business events, closes and reopens:
every trial balance balances, every month and year opens with the closing balances of the one before, a closed
December leaves profit and loss and 331 at zero, and undoing everything returns every account to zero."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from coopcore.errors import CoopError
from coopcore.models import Cooperative, Voucher, VoucherOrigin, VoucherState
from coopcore.rules.ledger import EntryLine
from coopcore.services import ledger
from tests.ledger.builders import AUDITOR, PREPARER, make_books

PLAIN = ("101", "102", "113", "121", "201", "311", "501", "502", "511", "521", "523", "531")
PER_MEMBER = ("114", "301", "221")
MEMBERS = ("M001", "M002", "M003")
PROFIT_AND_LOSS = ("501", "502", "511", "521", "522", "523", "524", "529", "531", "331")
MONTHS = [(year, month) for year in (2024, 2025) for month in range(1, 13)]

accounts = st.one_of(
    st.tuples(st.sampled_from(PLAIN), st.none()), st.tuples(st.sampled_from(PER_MEMBER), st.sampled_from(MEMBERS))
)
pairs = st.lists(st.tuples(accounts, accounts, st.integers(1, 10**7)), min_size=1, max_size=3)
month = st.integers(0, len(MONTHS) - 1)
operations = st.lists(
    st.one_of(
        st.tuples(st.just("post"), month, pairs),
        st.tuples(st.just("draft"), month, pairs),
        st.tuples(st.just("event"), month, st.integers(1, 4), pairs | st.just([])),
        st.tuples(st.just("reverse"), st.integers(0, 50), month),
        st.tuples(st.just("delete_drafts")),
        st.tuples(st.just("post_events")),
        st.tuples(st.just("close"), month),
        st.tuples(st.just("reopen")),
    ),
    max_size=14,
)


def lines_of(drawn: list[Any]) -> list[EntryLine]:
    lines = []
    for (debit, debit_member), (credit, credit_member), cents in drawn:
        amount = Decimal(cents).scaleb(-2)
        lines += [EntryLine(debit, debit=amount, member=debit_member),
                  EntryLine(credit, credit=amount, member=credit_member)]  # fmt: skip
    return lines


def day_in(index: int, day: int = 15) -> dt.date:
    year, number = MONTHS[index]
    return dt.date(year, number, day)


def apply(session: Session, cooperative: Cooperative, operation: tuple[Any, ...]) -> None:
    """One step; a refusal (a closed month, a voucher in the wrong state, a close that cannot go) changes nothing."""
    kind = operation[0]
    try:
        with session.begin_nested():
            if kind in ("post", "draft"):
                voucher = ledger.add_voucher(session, cooperative, on=day_in(operation[1]), summary=kind,
                                             lines=lines_of(operation[2]), by=PREPARER)  # fmt: skip
                if kind == "post":
                    ledger.audit_voucher(session, voucher, by=AUDITOR)
                    ledger.post_voucher(session, voucher, by=AUDITOR)
            elif kind == "event":
                ledger.book_event(session, cooperative, origin=VoucherOrigin.TRADE, source_ref=f"trade:{operation[2]}",
                                  on=day_in(operation[1]), summary="交易", lines=lines_of(operation[3]))  # fmt: skip
            elif kind == "reverse":
                live = _posted(session, cooperative)
                if live:
                    voucher = live[operation[1] % len(live)]
                    on = max(voucher.voucher_date, day_in(operation[2], 28))
                    ledger.reverse_voucher(session, voucher, on=on, by=AUDITOR)
            elif kind == "delete_drafts":
                for voucher in _unposted(session, cooperative):
                    if not voucher.origin.is_event and voucher.state is VoucherState.DRAFT:
                        ledger.delete_voucher(session, voucher)
            elif kind == "post_events":
                for voucher in _unposted(session, cooperative):
                    if voucher.origin.is_event:
                        ledger.post_voucher(session, voucher, by=AUDITOR)
            elif kind == "close":
                ledger.close_period(session, cooperative, *MONTHS[operation[1]], by=AUDITOR)
            else:
                latest = ledger.latest_closed(session, cooperative)
                if latest is not None:
                    ledger.reopen_period(session, cooperative, latest.year, latest.month, by=AUDITOR)
    except CoopError as refusal:
        event(f"{kind} refused: {type(refusal).__name__}")  # refused: the savepoint took back what the step began
    else:
        event(f"{kind} done")


def _unposted(session: Session, cooperative: Cooperative) -> list[Voucher]:
    query = select(Voucher).where(Voucher.cooperative_id == cooperative.id, Voucher.state != VoucherState.POSTED)
    return list(session.scalars(query.order_by(Voucher.id)))


def _posted(session: Session, cooperative: Cooperative) -> list[Voucher]:
    """Posted vouchers that are not reversals and not reversed yet."""
    reversed_ids = set(session.scalars(select(Voucher.reverses_id).where(Voucher.reverses_id.is_not(None))))
    query = select(Voucher).where(Voucher.cooperative_id == cooperative.id, Voucher.state == VoucherState.POSTED,
                                  Voucher.reverses_id.is_(None))  # fmt: skip
    return [voucher for voucher in session.scalars(query.order_by(Voucher.id)) if voucher.id not in reversed_ids]


def assert_books_hold(session: Session, cooperative: Cooperative) -> None:
    balances = [ledger.trial_balance(session, cooperative, *period) for period in [*MONTHS, (2026, 1)]]
    for before, after in itertools.pairwise(balances):
        assert before.balanced, (before.year, before.month, before.totals)
        assert [row.columns.closing for row in before.rows] == [row.columns.opening for row in after.rows]
    for year in (2024, 2025):
        whole = ledger.trial_balance(session, cooperative, year)
        assert whole.balanced
        assert [row.columns.opening for row in whole.rows] == [
            row.columns.opening for row in balances[(year - 2024) * 12].rows
        ]
        latest = ledger.latest_closed(session, cooperative)
        if latest is not None and (latest.year, latest.month) >= (year, 12):
            assert all(whole.row(code).columns.closing == 0 for code in PROFIT_AND_LOSS)


def undo_everything(session: Session, cooperative: Cooperative) -> None:
    """Delete what is unposted and reverse what is posted, in a month no close has reached."""
    for voucher in _unposted(session, cooperative):
        if voucher.origin.is_event:
            event = (voucher.source_ref or "").split("#")[0]
            ledger.book_event(session, cooperative, origin=voucher.origin, source_ref=event, on=voucher.voucher_date,
                              summary="", lines=[])  # fmt: skip
        else:
            if voucher.state is VoucherState.AUDITED:
                ledger.unaudit_voucher(session, voucher, by=AUDITOR)
            ledger.delete_voucher(session, voucher)
    for voucher in _posted(session, cooperative):
        ledger.reverse_voucher(session, voucher, on=dt.date(2026, 6, 30), by=AUDITOR)
    final = ledger.trial_balance(session, cooperative, 2026)
    assert final.balanced
    assert all(row.columns.closing == 0 for row in final.rows)


def test_any_sequence_of_bookings_closes_and_reopens_keeps_the_books_balanced_and_carried(
    engine: Engine, backend: str
) -> None:
    examples = {"sqlite": 30, "postgresql": 12, "mysql": 8}[backend]  # backend: the dialect name
    numbers = itertools.count(1)

    @settings(max_examples=examples, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(steps=operations)
    def check(steps: list[tuple[Any, ...]]) -> None:
        with engine.connect() as connection:
            outer = connection.begin()
            with Session(bind=connection, join_transaction_mode="create_savepoint") as session:
                cooperative = make_books(session, next(numbers))
                for step in steps:
                    apply(session, cooperative, step)
                assert_books_hold(session, cooperative)
                undo_everything(session, cooperative)
            outer.rollback()

    check()
