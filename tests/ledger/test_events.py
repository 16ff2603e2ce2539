"""Business events book their voucher once, through book_event: it follows the event while unposted, and a posted
one is corrected by a reversal and a new voucher (issue 15, "every business event posts, once, from one place")."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from coopcore.errors import InvalidValue, PeriodClosed
from coopcore.models import Voucher, VoucherOrigin, VoucherState
from coopcore.rules.ledger import EntryLine
from coopcore.services import ledger
from tests.ledger.builders import AUDITOR, cr, day, dr, make_books

TRADE = VoucherOrigin.TRADE


def intake(amount: str, member: str = "M001") -> list[EntryLine]:
    return [dr("121", amount), cr("114", amount, member)]


def vouchers(session: Session, cooperative_id: int) -> list[tuple[str | None, int, int, VoucherState, bool]]:
    session.expire_all()
    rows = session.scalars(select(Voucher).where(Voucher.cooperative_id == cooperative_id).order_by(Voucher.id))
    return [(v.source_ref, v.month, v.number, v.state, v.reverses_id is not None) for v in rows]


def test_booking_an_event_twice_leaves_one_voucher(session: Session) -> None:
    cooperative = make_books(session)
    first = ledger.book_event(session, cooperative, origin=TRADE, source_ref="trade:7", on=day("2024-03-02"),
                              summary="交售苹果", lines=intake("300.00"))  # fmt: skip
    again = ledger.book_event(session, cooperative, origin=TRADE, source_ref="trade:7", on=day("2024-03-02"),
                              summary="交售苹果", lines=intake("300"))  # fmt: skip
    assert first is again and first is not None
    assert vouchers(session, cooperative.id) == [("trade:7", 3, 1, VoucherState.DRAFT, False)]
    assert ledger.event_voucher(session, cooperative, "trade:7") is first


def test_an_unposted_event_voucher_follows_its_event_and_goes_with_it(session: Session) -> None:
    cooperative = make_books(session)
    ledger.book_event(session, cooperative, origin=TRADE, source_ref="trade:1", on=day("2024-03-01"), summary="一",
                      lines=intake("100.00"))  # fmt: skip
    voucher = ledger.book_event(session, cooperative, origin=TRADE, source_ref="trade:2", on=day("2024-03-02"),
                                summary="二", lines=intake("200.00"))  # fmt: skip
    ledger.book_event(session, cooperative, origin=TRADE, source_ref="trade:3", on=day("2024-03-03"), summary="三",
                      lines=intake("300.00"))  # fmt: skip
    edited = ledger.book_event(session, cooperative, origin=TRADE, source_ref="trade:2", on=day("2024-04-09"),
                               summary="二改", lines=intake("250.00", "M002"))  # fmt: skip
    assert edited is voucher and edited is not None
    assert (edited.month, edited.number, edited.summary) == (4, 1, "二改")
    assert [(line.debit, line.credit) for line in edited.lines] == [(Decimal("250.00"), 0), (0, Decimal("250.00"))]
    assert vouchers(session, cooperative.id) == [
        ("trade:1", 3, 1, VoucherState.DRAFT, False),
        ("trade:2", 4, 1, VoucherState.DRAFT, False),
        ("trade:3", 3, 2, VoucherState.DRAFT, False),
    ]
    assert ledger.book_event(session, cooperative, origin=TRADE, source_ref="trade:1", on=day("2024-03-01"),
                             summary="一", lines=[]) is None  # fmt: skip
    assert vouchers(session, cooperative.id) == [
        ("trade:2", 4, 1, VoucherState.DRAFT, False),
        ("trade:3", 3, 1, VoucherState.DRAFT, False),
    ]


def test_a_posted_event_voucher_is_reversed_and_booked_anew_when_the_event_changes(session: Session) -> None:
    cooperative = make_books(session)
    first = ledger.book_event(session, cooperative, origin=TRADE, source_ref="trade:9", on=day("2024-03-02"),
                              summary="交售", lines=intake("300.00"))  # fmt: skip
    assert first is not None
    ledger.post_voucher(session, first, by=AUDITOR)
    second = ledger.book_event(session, cooperative, origin=TRADE, source_ref="trade:9", on=day("2024-03-05"),
                               summary="交售（更正）", lines=intake("320.00"))  # fmt: skip
    assert second is not None and second is not first
    assert ledger.event_voucher(session, cooperative, "trade:9") is second
    assert vouchers(session, cooperative.id) == [
        ("trade:9", 3, 1, VoucherState.POSTED, False),
        (None, 3, 2, VoucherState.POSTED, True),
        ("trade:9#2", 3, 3, VoucherState.DRAFT, False),
    ]
    ledger.post_voucher(session, second, by=AUDITOR)
    assert ledger.book_event(session, cooperative, origin=TRADE, source_ref="trade:9", on=day("2024-03-06"),
                             summary="删除", lines=[]) is None  # fmt: skip
    assert ledger.event_voucher(session, cooperative, "trade:9") is None
    third = ledger.book_event(session, cooperative, origin=TRADE, source_ref="trade:9", on=day("2024-03-07"),
                              summary="恢复", lines=intake("10.00"))  # fmt: skip
    assert third is not None and third.source_ref == "trade:9#3"
    balance = ledger.trial_balance(session, cooperative, 2024, include_unposted=True)
    assert balance.row("114").columns.closing == Decimal("-10.00") and balance.balanced


def test_an_event_in_a_closed_month_is_refused_and_its_posted_voucher_stays(session: Session) -> None:
    cooperative = make_books(session)
    voucher = ledger.book_event(session, cooperative, origin=TRADE, source_ref="trade:1", on=day("2024-03-02"),
                                summary="交售", lines=intake("300.00"))  # fmt: skip
    ledger.close_period(session, cooperative, 2024, 3, by=AUDITOR)
    assert voucher is not None and voucher.state is VoucherState.POSTED and voucher.posted_by == AUDITOR
    for on, lines in ((day("2024-03-02"), intake("1.00")), (day("2024-03-02"), []), (day("2024-02-28"), [])):
        with pytest.raises(PeriodClosed):
            ledger.book_event(session, cooperative, origin=TRADE, source_ref="trade:1", on=on, summary="改",
                              lines=lines)  # fmt: skip
    with pytest.raises(PeriodClosed):
        ledger.book_event(session, cooperative, origin=TRADE, source_ref="trade:2", on=day("2024-03-31"),
                          summary="补", lines=intake("1.00"))  # fmt: skip
    # Later than the closed month: reversed there, booked there.
    ledger.book_event(session, cooperative, origin=TRADE, source_ref="trade:1", on=day("2024-04-03"), summary="改",
                      lines=intake("1.00"))  # fmt: skip
    assert [row[:3] for row in vouchers(session, cooperative.id)] == [
        ("trade:1", 3, 1), (None, 4, 1), ("trade:1#2", 4, 2)]  # fmt: skip


@pytest.mark.parametrize(
    ("origin", "reference"),
    [(VoucherOrigin.MANUAL, "trade:1"), (TRADE, ""), (TRADE, "trade:1#2"), (TRADE, "x" * 77)],
)
def test_only_events_with_a_proper_reference_are_booked(
    session: Session, origin: VoucherOrigin, reference: str
) -> None:
    cooperative = make_books(session)
    with pytest.raises(InvalidValue):
        ledger.book_event(session, cooperative, origin=origin, source_ref=reference, on=day("2024-03-01"),
                          summary="", lines=intake("1.00"))  # fmt: skip


def test_an_audited_event_voucher_goes_back_to_draft_when_its_event_changes(session: Session) -> None:
    cooperative = make_books(session, ledger_review_events=True)
    voucher = ledger.book_event(session, cooperative, origin=TRADE, source_ref="land:1", on=day("2024-03-02"),
                                summary="保底", lines=intake("300.00"))  # fmt: skip
    assert voucher is not None
    ledger.audit_voucher(session, voucher, by=AUDITOR)
    ledger.book_event(session, cooperative, origin=TRADE, source_ref="land:1", on=day("2024-03-02"),
                      summary="保底", lines=intake("310.00"))  # fmt: skip
    assert (voucher.state, voucher.audited_by) == (VoucherState.DRAFT, "")
