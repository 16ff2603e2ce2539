"""A member cooperative's contribution to its federation books its investment (Dr 131 / Cr 102) in its own books,
from the federation's member-account entry that books the federation's 股金: once, following corrections by
reversal, and in the investor's first open month when the contribution's month is closed there."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from coopcore.models import (
    AccountEntryKind,
    Cooperative,
    Member,
    MemberAccountEntry,
    MemberKind,
    Voucher,
    VoucherOrigin,
    VoucherState,
)
from coopcore.rules.ledger import EntryLine
from coopcore.services import ledger
from coopcore.services.ledger.books import entry_lines
from coopcore.services.ledger.sync import book_record, sync_events
from tests.ledger.builders import AUDITOR, day, make_books
from tests.workbook.builders import cooperative_code

D = Decimal
CASH = AccountEntryKind.CONTRIBUTION_CASH


def make_federation(session: Session, investor: Cooperative, *, account: str | None = None) -> Member:
    """A federation in the investor's village with the investor as its member S01; return that member."""
    federation = Cooperative(name="账簿联合社", credit_code=cooperative_code(703), village=investor.village,
                             is_federation=True)  # fmt: skip
    session.add(federation)
    session.flush()
    member = Member(cooperative_id=federation.id, code="S01", name=investor.name, kind=MemberKind.COOPERATIVE,
                    id_number=investor.credit_code, joined_on=dt.date(2023, 1, 1), member_cooperative_id=investor.id,
                    investment_account=account)  # fmt: skip
    session.add(member)
    session.flush()
    return member


def contribute(
    session: Session, member: Member, on: str, amount: str, kind: AccountEntryKind = CASH, **more: object
) -> MemberAccountEntry:
    """Record a contribution in the federation's member account as its admin form does (book_record)."""
    values: dict[str, object] = {"memo": "成员社出资", **more}
    entry = MemberAccountEntry(member_id=member.id, entry_on=day(on), kind=kind, amount=D(amount), **values)
    session.add(entry)
    book_record(session, entry)
    session.flush()
    return entry


def booked(session: Session, cooperative: Cooperative) -> list[tuple[dt.date, list[tuple[str, str, str, str]]]]:
    """The cooperative's vouchers booked from federation contributions: date and lines (account, Dr/Cr, amount,
    counterparty), reversals included."""
    session.expire_all()
    query = select(Voucher).where(Voucher.cooperative_id == cooperative.id, Voucher.origin == VoucherOrigin.FEDERATION)
    return [(voucher.voucher_date, [_shown(line) for line in entry_lines(session, voucher)])
            for voucher in session.scalars(query.order_by(Voucher.id))]  # fmt: skip


def _shown(line: EntryLine) -> tuple[str, str, str, str]:
    return line.account, "Dr" if line.debit else "Cr", str(line.debit or line.credit), line.counterparty


def share_capital(session: Session, federation_id: int) -> list[tuple[str, str, str]]:
    query = select(Voucher).where(Voucher.cooperative_id == federation_id, Voucher.origin == VoucherOrigin.CONTRIBUTION)
    return [(line.account, str(line.debit or line.credit), line.member or "")
            for voucher in session.scalars(query.order_by(Voucher.id))
            for line in entry_lines(session, voucher)]  # fmt: skip


def test_a_contribution_to_a_federation_is_the_investor_s_131_and_the_federation_s_301_booked_once(
    session: Session,
) -> None:
    investor = make_books(session)
    member = make_federation(session, investor)
    contribute(session, member, "2024-03-01", "30000.00")
    invested = [(day("2024-03-01"), [("131", "Dr", "30000.00", "账簿联合社"), ("102", "Cr", "30000.00", "")])]
    assert booked(session, investor) == invested
    assert share_capital(session, member.cooperative_id) == [("102", "30000.00", ""), ("301", "30000.00", "S01")]
    # Every path books again (an import of either cooperative, the demo): nothing more is written.
    sync_events(session, investor)
    sync_events(session, session.get_one(Cooperative, member.cooperative_id))
    assert booked(session, investor) == invested
    voucher = session.scalars(select(Voucher).where(Voucher.cooperative_id == investor.id)).one()
    summary, reference = "向联合社出资：账簿联合社", f"federation_investment:{member.entries[0].id}"
    assert (voucher.summary, voucher.prepared_by, voucher.source_ref) == (summary, ledger.SYSTEM, reference)


def test_the_investor_s_chosen_account_is_credited_and_assets_leave_from_their_own_account(session: Session) -> None:
    investor = make_books(session)
    member = make_federation(session, investor, account="101")
    contribute(session, member, "2024-03-01", "1000.00")
    contribute(session, member, "2024-03-02", "5000.00", AccountEntryKind.CONTRIBUTION_IN_KIND, premium=D("500.00"))
    # The asset leaves at the value the federation takes it in at: its share and its premium.
    assert [lines for _, lines in booked(session, investor)] == [
        [("131", "Dr", "1000.00", "账簿联合社"), ("101", "Cr", "1000.00", "")],
        [("131", "Dr", "5500.00", "账簿联合社"), ("151", "Cr", "5500.00", "")],
    ]


def test_a_corrected_contribution_is_taken_out_while_unposted_and_reversed_once_posted(session: Session) -> None:
    investor = make_books(session)
    member = make_federation(session, investor)
    first = contribute(session, member, "2024-03-01", "30000.00")
    contribute(session, member, "2024-03-01", "-30000.00", reverses_id=first.id, memo="冲销：成员社出资")
    assert booked(session, investor) == []  # a draft in an open month goes with its contribution
    second = contribute(session, member, "2024-03-05", "20000.00")
    ledger.close_period(session, investor, 2024, 3, by=AUDITOR)  # the close posts it
    contribute(session, member, "2024-03-05", "-20000.00", reverses_id=second.id, memo="冲销：成员社出资")
    contribute(session, member, "2024-03-05", "25000.00")
    # The posted voucher stays; its reversal and the new investment fall in April, the investor's first open month.
    assert booked(session, investor) == [
        (day("2024-03-05"), [("131", "Dr", "20000.00", "账簿联合社"), ("102", "Cr", "20000.00", "")]),
        (day("2024-04-01"), [("131", "Cr", "20000.00", "账簿联合社"), ("102", "Dr", "20000.00", "")]),
        (day("2024-04-01"), [("131", "Dr", "25000.00", "账簿联合社"), ("102", "Cr", "25000.00", "")]),
    ]
    states = select(Voucher.state).where(Voucher.cooperative_id == investor.id).order_by(Voucher.id)
    assert session.scalars(states).first() is VoucherState.POSTED
    sync_events(session, investor)
    assert len(booked(session, investor)) == 3


def test_a_contribution_in_the_investor_s_closed_month_is_booked_in_its_first_open_month_and_stays_there(
    session: Session,
) -> None:
    investor = make_books(session)
    member = make_federation(session, investor)
    ledger.close_period(session, investor, 2024, 3, by=AUDITOR)
    contribute(session, member, "2024-02-10", "30000.00")  # the federation's February is open
    invested = [(day("2024-04-01"), [("131", "Dr", "30000.00", "账簿联合社"), ("102", "Cr", "30000.00", "")])]
    assert booked(session, investor) == invested
    ledger.close_period(session, investor, 2024, 4, by=AUDITOR)
    sync_events(session, investor)  # April closed too: the investment keeps its date, nothing is written
    assert booked(session, investor) == invested


def test_choosing_another_account_for_the_investor_rebooks_it_and_a_posted_one_is_reversed(session: Session) -> None:
    investor = make_books(session)
    member = make_federation(session, investor)
    contribute(session, member, "2024-03-01", "30000.00")
    member.investment_account = "101"
    book_record(session, member)  # the federation's member form
    assert [lines for _, lines in booked(session, investor)] == [
        [("131", "Dr", "30000.00", "账簿联合社"), ("101", "Cr", "30000.00", "")]
    ]
    ledger.close_period(session, investor, 2024, 3, by=AUDITOR)
    member.investment_account = "102"
    book_record(session, member)
    assert [(on, lines[1]) for on, lines in booked(session, investor)] == [
        (day("2024-03-01"), ("101", "Cr", "30000.00", "")),
        (day("2024-04-01"), ("101", "Dr", "30000.00", "")),
        (day("2024-04-01"), ("102", "Cr", "30000.00", "")),
    ]
