"""The statements of any books: whatever vouchers, red reversals and closes the books hold, every statement keeps
the identities of issue 16, at each year's end and at a month's end, and each year opens where the last closed."""

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
from coopcore.models import Cooperative, Voucher, VoucherState
from coopcore.rules.ledger import EntryLine
from coopcore.services import ledger
from coopcore.services.statements import statements
from tests.ledger.builders import AUDITOR, PREPARER, make_books
from tests.statements.identities import assert_identities

# Every account a line of the statements reads (181 待处理财产损溢 aside: no line shows it), 332 apart.
PLAIN = ("101", "102", "109", "113", "121", "122", "124", "128", "131", "143", "144", "152", "153", "154", "162",
         "171", "201", "211", "212", "214", "231", "235", "311", "321", "322", "401", "501", "502", "511", "521",
         "522", "523", "524", "529", "531")  # fmt: skip
PER_MEMBER = ("114", "221", "222", "301")
MEMBERS = ("M001", "M002", "M003")
MONTHS = [(year, month) for year in (2024, 2025) for month in range(1, 13)]

plain = st.one_of(
    st.tuples(st.sampled_from(PLAIN), st.none()),
    st.tuples(st.sampled_from(PER_MEMBER), st.sampled_from(MEMBERS)),
    st.tuples(st.just("151"), st.none()),
)
member = st.sampled_from(MEMBERS)
# What a distribution books against 332 (domain.md §2.4): 各项分配 to 322, 221, 222, 301; a loss covered by 322;
# 各项分配 closed into 未分配盈余.
distribution = st.one_of(
    st.tuples(
        st.just(("33201", None)),
        st.one_of(st.just(("322", None)), st.tuples(st.sampled_from(("221", "222", "301")), member)),
    ),
    st.just((("322", None), ("33202", None))),
    st.just((("33202", None), ("33201", None))),
)
amount = st.integers(1, 10**7)
# A voucher books either ordinary movements or a distribution's entries, as the distribution's vouchers do (a
# distribution entry on the same voucher as a payment of 221 is read as the distribution's: unplaced says so).
pairs = st.one_of(
    st.lists(st.tuples(plain, plain, amount), min_size=1, max_size=3),
    st.lists(st.tuples(distribution, amount).map(lambda d: (*d[0], d[1])), min_size=1, max_size=3),
)
month = st.integers(0, len(MONTHS) - 1)
operations = st.lists(
    st.one_of(
        st.tuples(st.just("post"), month, pairs),
        st.tuples(st.just("reverse"), st.integers(0, 50), month),
        st.tuples(st.just("close"), month),
    ),
    max_size=12,
)


def lines_of(drawn: list[Any]) -> list[EntryLine]:
    lines = []
    for (debit, debit_member), (credit, credit_member), cents in drawn:
        value = Decimal(cents).scaleb(-2)
        lines += [EntryLine(debit, debit=value, member=debit_member, poverty_asset=_poverty(debit)),
                  EntryLine(credit, credit=value, member=credit_member, poverty_asset=_poverty(credit))]  # fmt: skip
    return lines


def _poverty(code: str) -> bool | None:
    return False if code in ("141", "142", "151", "161") else None


def apply(session: Session, cooperative: Cooperative, operation: tuple[Any, ...]) -> None:
    """One step; a refusal (a closed month, a close that cannot go) changes nothing."""
    kind = operation[0]
    try:
        with session.begin_nested():
            if kind == "post":
                year, number = MONTHS[operation[1]]
                voucher = ledger.add_voucher(session, cooperative, on=dt.date(year, number, 15), summary="随机",
                                             lines=lines_of(operation[2]), by=PREPARER)  # fmt: skip
                ledger.audit_voucher(session, voucher, by=AUDITOR)
                ledger.post_voucher(session, voucher, by=AUDITOR)
            elif kind == "reverse":
                live = _reversible(session, cooperative)
                if live:
                    voucher = live[operation[1] % len(live)]
                    year, number = MONTHS[operation[2]]
                    on = max(voucher.voucher_date, dt.date(year, number, 28))
                    ledger.reverse_voucher(session, voucher, on=on, by=AUDITOR)
            else:
                ledger.close_period(session, cooperative, *MONTHS[operation[1]], by=AUDITOR)
    except CoopError as refusal:
        event(f"{kind} refused: {type(refusal).__name__}")
    else:
        event(f"{kind} done")


def _reversible(session: Session, cooperative: Cooperative) -> list[Voucher]:
    reversed_ids = set(session.scalars(select(Voucher.reverses_id).where(Voucher.reverses_id.is_not(None))))
    query = select(Voucher).where(Voucher.cooperative_id == cooperative.id, Voucher.state == VoucherState.POSTED,
                                  Voucher.reverses_id.is_(None), Voucher.summary == "随机")  # fmt: skip
    return [voucher for voucher in session.scalars(query.order_by(Voucher.id)) if voucher.id not in reversed_ids]


def assert_statements_hold(session: Session, cooperative: Cooperative) -> None:
    years = {year: statements(session, cooperative, year) for year in (2023, 2024, 2025)}
    assert_identities(years[2024], years[2023])
    assert_identities(years[2025], years[2024])
    assert years[2025].opening == years[2024].closing
    for year, number in ((2024, 6), (2025, 3)):
        assert_identities(statements(session, cooperative, year, number), statements(session, cooperative,
                                                                                     year - 1, number))  # fmt: skip


def test_any_books_give_statements_that_keep_their_identities(engine: Engine, backend: str) -> None:
    examples = {"sqlite": 25, "postgresql": 10, "mysql": 6}[backend]  # backend: the dialect name
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
                assert_statements_hold(session, cooperative)
            outer.rollback()

    check()
