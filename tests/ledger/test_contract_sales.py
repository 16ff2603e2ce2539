"""Sales under order contracts in the books, from the contract records, for a cooperative that books them so
(ledger_books_sales): the advance, each delivery at its settled amount, each payment; following the records, once.
Every backend."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from coopcore.errors import PeriodClosed
from coopcore.i18n import render_error
from coopcore.models import Contract, Cooperative, Delivery, PriceRule, Voucher, VoucherOrigin, VoucherState
from coopcore.services import ledger
from coopcore.services.ledger.errors import SalesSwitchRefused
from coopcore.services.ledger.sync import DELIVERIES, SOURCES, book_record, sync_events, unbook_record
from coopcore.services.year_end import year_surplus
from tests.ledger.builders import AUDITOR, cr, dr, make_books
from tests.township.builders import deliver, make_contract

D = Decimal
Line = tuple[str, str, str, str]


def contract_with_deliveries(session: Session, cooperative: Cooperative) -> tuple[Contract, list[Delivery]]:
    """4.00 yuan/kg with a 5,000.00 advance: 1,000 kg 一级 (4,000.00), 300 kg 等外 (rejected), 2,000 kg 特级 at
    4.60 (9,200.00: 1,000.00 of the advance left, 8,200.00 owed, paid on 1 November)."""
    contract = make_contract(session, cooperative, rule=PriceRule.FIXED, fixed="4.00", advance="5000.00")
    first = deliver(session, contract, dt.date(2024, 9, 10), "一级", "1000")
    rejected = deliver(session, contract, dt.date(2024, 9, 20), "等外", "300", accepted="0")
    best = deliver(session, contract, dt.date(2024, 10, 5), "特级", "2000", paid="8200.00",
                   paid_on=dt.date(2024, 11, 1))  # fmt: skip
    return contract, [first, rejected, best]


def lines(session: Session, cooperative: Cooperative, ref: str) -> list[Line] | None:
    voucher = ledger.event_voucher(session, cooperative, ref)
    if voucher is None:
        return None
    return [(line.account.code, str(line.debit), str(line.credit), line.counterparty) for line in voucher.lines]


def booked(session: Session, cooperative: Cooperative) -> list[str]:
    """The references of the cooperative's contract vouchers, reversals left out."""
    query = select(Voucher.source_ref).where(Voucher.cooperative_id == cooperative.id,
                                             Voucher.source_ref.startswith("contract:"))  # fmt: skip
    return sorted(str(ref) for ref in session.scalars(query))


def test_with_the_setting_off_no_contract_is_booked(session: Session) -> None:
    cooperative = make_books(session)
    contract_with_deliveries(session, cooperative)
    assert sync_events(session, cooperative, SOURCES) == 0
    assert session.scalars(select(Voucher).where(Voucher.cooperative_id == cooperative.id)).all() == []
    assert year_surplus(session, cooperative.id, 2024) == D("0.00")


def test_the_advance_each_accepted_delivery_and_the_payment_book_their_lines_and_profit_is_the_settled_amounts(
    session: Session,
) -> None:
    cooperative = make_books(session, ledger_books_sales=True)
    contract, (first, rejected, best) = contract_with_deliveries(session, cooperative)
    enterprise = contract.enterprise.name

    assert sync_events(session, cooperative, [DELIVERIES]) == 4
    assert lines(session, cooperative, f"contract:{contract.id}:advance") == [
        ("102", "5000.00", "0.00", ""),
        ("211", "0.00", "5000.00", enterprise),
    ]
    assert lines(session, cooperative, f"contract:{contract.id}:delivery:{first.id}") == [
        ("211", "4000.00", "0.00", enterprise),
        ("501", "0.00", "4000.00", ""),
    ]
    assert lines(session, cooperative, f"contract:{contract.id}:delivery:{rejected.id}") is None
    assert lines(session, cooperative, f"contract:{contract.id}:delivery:{best.id}") == [
        ("211", "1000.00", "0.00", enterprise),
        ("113", "8200.00", "0.00", enterprise),
        ("501", "0.00", "9200.00", ""),
    ]
    assert lines(session, cooperative, f"contract:{contract.id}:paid:{best.id}") == [
        ("102", "8200.00", "0.00", ""),
        ("113", "0.00", "8200.00", enterprise),
    ]
    advance = ledger.event_voucher(session, cooperative, f"contract:{contract.id}:advance")
    assert advance is not None and advance.voucher_date == dt.date(2024, 6, 1)
    assert advance.origin is VoucherOrigin.TRADE and advance.summary == f"收到{enterprise}订单预付款（合同DD2024-01）"
    paid = ledger.event_voucher(session, cooperative, f"contract:{contract.id}:paid:{best.id}")
    assert paid is not None and paid.voucher_date == dt.date(2024, 11, 1)

    assert year_surplus(session, cooperative.id, 2024) == D("13200.00")  # 4,000.00 + 9,200.00 settled
    balance = ledger.trial_balance(session, cooperative, 2024, include_unposted=True)
    assert balance.balanced
    assert balance.row("102").columns.closing_debit == D("13200.00")
    assert not balance.row("211").columns.closing_credit and not balance.row("113").columns.closing_debit

    assert sync_events(session, cooperative, SOURCES) == 4  # once: booking again changes nothing
    assert len(booked(session, cooperative)) == 4


def test_editing_a_delivery_rebooks_its_contract_and_deleting_one_takes_its_vouchers_out(session: Session) -> None:
    cooperative = make_books(session, ledger_books_sales=True)
    contract, (first, _, best) = contract_with_deliveries(session, cooperative)
    enterprise = contract.enterprise.name
    sync_events(session, cooperative, [DELIVERIES])

    first.grade = "特级"  # 4,600.00: the advance left for the later delivery falls to 400.00
    book_record(session, first)
    assert lines(session, cooperative, f"contract:{contract.id}:delivery:{first.id}") == [
        ("211", "4600.00", "0.00", enterprise),
        ("501", "0.00", "4600.00", ""),
    ]
    assert lines(session, cooperative, f"contract:{contract.id}:delivery:{best.id}") == [
        ("211", "400.00", "0.00", enterprise),
        ("113", "8800.00", "0.00", enterprise),
        ("501", "0.00", "9200.00", ""),
    ]
    assert year_surplus(session, cooperative.id, 2024) == D("13800.00")

    unbook_record(session, best)  # as the admin deletes it: the contract is booked again before the commit
    session.delete(best)
    session.commit()
    assert booked(session, cooperative) == [f"contract:{contract.id}:advance",
                                            f"contract:{contract.id}:delivery:{first.id}"]  # fmt: skip
    assert year_surplus(session, cooperative.id, 2024) == D("4600.00")


def test_a_posted_delivery_edited_is_reversed_and_rebooked_and_a_closed_month_refuses(session: Session) -> None:
    cooperative = make_books(session, ledger_books_sales=True)
    contract, (first, _, _) = contract_with_deliveries(session, cooperative)
    sync_events(session, cooperative, [DELIVERIES])
    ref = f"contract:{contract.id}:delivery:{first.id}"
    ledger.close_period(session, cooperative, 2024, 9, by=AUDITOR)
    posted = ledger.event_voucher(session, cooperative, ref)
    assert posted is not None and posted.state is VoucherState.POSTED

    with pytest.raises(PeriodClosed) as refused, session.begin_nested():  # the form's save is refused whole
        first.accepted_quantity = D("900")
        book_record(session, first)
    assert "已结账" in render_error(refused.value, "zh")

    ledger.reopen_period(session, cooperative, 2024, 9, by=AUDITOR)  # the month open again, its vouchers posted
    first = session.get_one(Delivery, first.id)
    first.accepted_quantity = D("900")  # 3,600.00
    book_record(session, first)
    assert lines(session, cooperative, ref) == [("211", "3600.00", "0.00", contract.enterprise.name),
                                                ("501", "0.00", "3600.00", "")]  # fmt: skip
    reversal = session.scalar(select(Voucher).where(Voucher.reverses_id == posted.id))
    assert reversal is not None and reversal.voucher_date == dt.date(2024, 9, 10)
    assert ref + "#2" in booked(session, cooperative)
    assert year_surplus(session, cooperative.id, 2024) == D("3600.00") + D("9200.00")


def test_switching_the_setting_books_the_contracts_and_switching_it_off_takes_them_out(session: Session) -> None:
    cooperative = make_books(session)
    contract, _ = contract_with_deliveries(session, cooperative)
    cooperative.ledger_books_sales = True
    book_record(session, cooperative)  # as the cooperative's form saves it
    assert len(booked(session, cooperative)) == 4
    assert year_surplus(session, cooperative.id, 2024) == D("13200.00")

    ledger.close_period(session, cooperative, 2024, 6, by=AUDITOR)  # the advance posted in a closed month
    with pytest.raises(SalesSwitchRefused), session.begin_nested():
        cooperative.ledger_books_sales = False
        book_record(session, cooperative)

    ledger.reopen_period(session, cooperative, 2024, 6, by=AUDITOR)
    cooperative = session.get_one(Cooperative, cooperative.id)
    cooperative.ledger_books_sales = False
    book_record(session, cooperative)
    advance = f"contract:{contract.id}:advance"
    assert booked(session, cooperative) == [advance]  # posted: kept, with its reversal; the drafts are gone
    assert ledger.event_voucher(session, cooperative, advance) is None
    assert year_surplus(session, cooperative.id, 2024) == D("0.00")


def count_vouchers(session: Session, cooperative: Cooperative) -> int:
    return len(session.scalars(select(Voucher.id).where(Voucher.cooperative_id == cooperative.id)).all())


def close_through(session: Session, cooperative: Cooperative, on: str) -> None:
    """Close the books through a month, with a manual voucher of that month audited and posted first."""
    day = dt.date.fromisoformat(on)
    voucher = ledger.add_voucher(session, cooperative, on=day, summary="取现", by="张会计",
                                 lines=[dr("101", "5.00"), cr("102", "5.00")])  # fmt: skip
    ledger.audit_voucher(session, voucher, by=AUDITOR)
    ledger.post_voucher(session, voucher, by=AUDITOR)
    ledger.close_period(session, cooperative, day.year, day.month, by=AUDITOR)


def test_switching_contract_sales_that_fall_in_closed_months_is_refused_whole_naming_each_event_and_month(
    session: Session,
) -> None:
    cooperative = make_books(session)
    contract, (first, _, best) = contract_with_deliveries(session, cooperative)
    enterprise = contract.enterprise.name
    close_through(session, cooperative, "2024-06-15")  # the advance (1 June) falls in a closed month
    before = count_vouchers(session, cooperative)

    cooperative.ledger_books_sales = True
    with pytest.raises(SalesSwitchRefused) as refused:
        book_record(session, cooperative)  # as the cooperative's form saves it
    message = render_error(refused.value, "zh")
    assert message.startswith(
        f"{cooperative.name}未开启“订单销售按合同记账”，账簿未作任何改动：其中1笔业务要记入已结账期间（2024-06）"
    )
    assert f"日期2024-06-01：收到{enterprise}订单预付款（合同DD2024-01）（所在期间2024-06已结账）" in message
    assert "2024-09" not in message  # the deliveries' months are open: only what cannot be booked is named
    assert count_vouchers(session, cooperative) == before  # not half of it: the open months' events neither
    cooperative.ledger_books_sales = False  # the form's save refused

    # Reopened, the switch books every event of the contract; closed again through September, switching off
    # would reverse the advance and the first delivery in their closed months: refused, naming both.
    ledger.reopen_period(session, cooperative, 2024, 6, by=AUDITOR)
    cooperative.ledger_books_sales = True
    book_record(session, cooperative)
    assert len(booked(session, cooperative)) == 4
    close_through(session, cooperative, "2024-09-30")
    before = count_vouchers(session, cooperative)
    cooperative.ledger_books_sales = False
    with pytest.raises(SalesSwitchRefused) as refused:
        book_record(session, cooperative)
    assert [finding.fields["on"] for finding in refused.value.findings] == [dt.date(2024, 6, 1), first.delivered_on]
    message = render_error(refused.value, "zh")
    assert "未关闭“订单销售按合同记账”" in message and "其中2张合同凭证在已结账期间（2024-06, 2024-09）" in message
    assert f"向{enterprise}交售" in message and best.delivered_on.isoformat() not in message
    assert count_vouchers(session, cooperative) == before
