"""Vouchers (记账凭证) from draft to posted: written, changed and deleted while drafts, audited by another person,
posted, and corrected once posted only by a red reversal (红字冲销) that references them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from coopcore.errors import InvalidValue, Term
from coopcore.labels import term
from coopcore.models import Cooperative, Voucher, VoucherLine, VoucherOrigin, VoucherState
from coopcore.rules.ledger import EntryLine, swapped
from coopcore.services.ledger.books import (
    close_up,
    entry_lines,
    hold_books,
    next_number,
    require_open,
    stored_lines,
    voucher_name,
)
from coopcore.services.ledger.errors import (
    ACTIONS,
    AlreadyReversed,
    EventVoucher,
    NoSuchVoucher,
    ReversalOfReversal,
    ReversalTooEarly,
    ReviewFirst,
    SelfAudit,
    WrongVoucherState,
    period_name,
)

SUMMARY_LENGTH = 200
REVERSAL = "冲销："  # the 摘要 of a red reversal: 冲销：<what the reversed voucher said>


def add_voucher(
    session: Session,
    cooperative: Cooperative,
    *,
    on: dt.date,
    summary: str,
    lines: Sequence[EntryLine],
    by: str,
    word: str = "记",
    attachments: int = 0,
    origin: VoucherOrigin = VoucherOrigin.MANUAL,
    source_ref: str | None = None,
    number: int | None = None,
) -> Voucher:
    """Write a draft voucher, numbered next in its month; every problem of its lines is refused at once.

    `number` keeps the number a voucher already has on paper (the voucher sheets of a workbook): the caller has
    checked that it is free and leaves no gap in its month; the database refuses a number taken.
    """
    hold_books(session, cooperative)
    require_open(session, cooperative, on.year, on.month)
    if attachments < 0:
        raise InvalidValue(value=attachments)
    stored = stored_lines(session, cooperative, lines)
    voucher = Voucher(
        cooperative_id=cooperative.id,
        year=on.year,
        month=on.month,
        word=word.strip() or "记",
        number=number or next_number(session, cooperative.id, on.year, on.month),
        voucher_date=on,
        summary=summary.strip()[:SUMMARY_LENGTH],
        attachments=attachments,
        state=VoucherState.DRAFT,
        prepared_by=by,
        origin=origin,
        source_ref=source_ref,
        lines=_placed(stored, on),
    )
    session.add(voucher)
    session.flush()
    return voucher


def change_voucher(
    session: Session,
    voucher: Voucher,
    *,
    by: str,
    on: dt.date | None = None,
    summary: str | None = None,
    lines: Sequence[EntryLine] | None = None,
    word: str | None = None,
    attachments: int | None = None,
) -> Voucher:
    """Change a manual draft; a new date in another month moves it there, and both months' numbers close up."""
    _manual(voucher)
    cooperative = _held(session, voucher)
    _require_state(voucher, VoucherState.DRAFT, "changed")
    return rewrite(
        session, cooperative, voucher, by=by, on=on, summary=summary, lines=lines, word=word, attachments=attachments
    )


def delete_voucher(session: Session, voucher: Voucher) -> None:
    """Delete a manual draft; the month's later vouchers close up the number it leaves."""
    _manual(voucher)
    cooperative = _held(session, voucher)
    _require_state(voucher, VoucherState.DRAFT, "deleted")
    remove(session, cooperative, voucher)


def audit_voucher(session: Session, voucher: Voucher, *, by: str) -> Voucher:
    """Audit (审核) a draft: by another person than its preparer, unless the cooperative allows one person.

    The lines are checked again: an account may have been put out of use since the draft was written. One
    person both preparing and auditing is recorded as it is, prepared_by == audited_by, and printed so.
    """
    cooperative = _held(session, voucher)
    _require_state(voucher, VoucherState.DRAFT, "audited")
    require_open(session, cooperative, voucher.year, voucher.month)
    if by == voucher.prepared_by and not cooperative.ledger_single_person:
        raise SelfAudit(user=by, voucher=voucher_name(voucher))
    stored_lines(session, cooperative, entry_lines(session, voucher))
    voucher.state, voucher.audited_by = VoucherState.AUDITED, by
    session.flush()
    return voucher


def unaudit_voucher(session: Session, voucher: Voucher, *, by: str) -> Voucher:
    """Send an audited voucher back to draft (取消审核), so that it can be changed."""
    cooperative = _held(session, voucher)
    _require_state(voucher, VoucherState.AUDITED, "sent back")
    require_open(session, cooperative, voucher.year, voucher.month)
    voucher.state, voucher.audited_by = VoucherState.DRAFT, ""
    session.flush()
    return voucher


def post_voucher(session: Session, voucher: Voucher, *, by: str) -> Voucher:
    """Post (记账) an audited voucher; a voucher booked from a business event may go straight from draft,
    unless the cooperative has its event vouchers reviewed first."""
    cooperative = _held(session, voucher)
    straight = voucher.origin.is_event and not cooperative.ledger_review_events
    if voucher.state is VoucherState.DRAFT and voucher.origin.is_event and not straight:
        raise ReviewFirst(voucher=voucher_name(voucher))
    if not (voucher.state is VoucherState.AUDITED or (straight and voucher.state is VoucherState.DRAFT)):
        _refuse(voucher, "posted")
    require_open(session, cooperative, voucher.year, voucher.month)
    stored_lines(session, cooperative, entry_lines(session, voucher))
    voucher.state, voucher.posted_by, voucher.posted_at = VoucherState.POSTED, by, dt.datetime.now()
    session.flush()
    return voucher


def reverse_voucher(session: Session, voucher: Voucher, *, on: dt.date, by: str) -> Voucher:
    """Correct a posted voucher by a red reversal (红字冲销): a posted voucher dated `on`, in an open month, with
    the same lines on the other side, that names the voucher it reverses (once: reverses_id is unique)."""
    cooperative = _held(session, voucher)
    _require_state(voucher, VoucherState.POSTED, "reversed")
    if voucher.reverses_id is not None:
        raise ReversalOfReversal(voucher=voucher_name(voucher))
    earlier = session.scalar(select(Voucher).where(Voucher.reverses_id == voucher.id))
    if earlier is not None:
        raise AlreadyReversed(voucher=voucher_name(voucher), reversal=voucher_name(earlier))
    if on < voucher.voucher_date:
        raise ReversalTooEarly(on=on, voucher_on=voucher.voucher_date)
    require_open(session, cooperative, on.year, on.month)
    lines = swapped(entry_lines(session, voucher))
    reversal = Voucher(
        cooperative_id=cooperative.id,
        year=on.year,
        month=on.month,
        word=voucher.word,
        number=next_number(session, cooperative.id, on.year, on.month),
        voucher_date=on,
        summary=(REVERSAL + voucher.summary)[:SUMMARY_LENGTH],
        state=VoucherState.DRAFT,
        prepared_by=by,
        origin=voucher.origin,
        reverses_id=voucher.id,
        lines=_placed(stored_lines(session, cooperative, lines), on),
    )
    session.add(reversal)
    session.flush()  # written as a draft, then posted: the database checks it balances as it becomes posted
    reversal.state, reversal.posted_by, reversal.posted_at = VoucherState.POSTED, by, dt.datetime.now()
    session.flush()
    return reversal


def voucher_by_number(session: Session, cooperative: Cooperative, year: int, month: int, number: int) -> Voucher:
    """The voucher of a month by its number, as the accountant names it; NoSuchVoucher if there is none."""
    voucher = session.scalar(
        select(Voucher).where(
            Voucher.cooperative_id == cooperative.id, Voucher.year == year, Voucher.month == month,
            Voucher.number == number,
        )
    )  # fmt: skip
    if voucher is None:
        raise NoSuchVoucher(number=number, period=period_name(year, month))
    return voucher


# ----- shared with the event bookings (coopcore.services.ledger.events) ------------------------------------------
def rewrite(
    session: Session,
    cooperative: Cooperative,
    voucher: Voucher,
    *,
    by: str,
    on: dt.date | None = None,
    summary: str | None = None,
    lines: Sequence[EntryLine] | None = None,
    word: str | None = None,
    attachments: int | None = None,
) -> Voucher:
    """Change an unposted voucher in place; an audited one goes back to draft (its audit was of other lines)."""
    old_year, old_month, old_number = voucher.year, voucher.month, voucher.number
    require_open(session, cooperative, old_year, old_month)
    day = on or voucher.voucher_date
    require_open(session, cooperative, day.year, day.month)
    if attachments is not None and attachments < 0:
        raise InvalidValue(value=attachments)
    new_lines = stored_lines(session, cooperative, lines) if lines is not None else None
    moved = (day.year, day.month) != (old_year, old_month)
    if moved:
        voucher.number = next_number(session, cooperative.id, day.year, day.month)
        voucher.year, voucher.month = day.year, day.month
    voucher.voucher_date = day
    if summary is not None:
        voucher.summary = summary.strip()[:SUMMARY_LENGTH]
    if word is not None:
        voucher.word = word.strip() or "记"
    if attachments is not None:
        voucher.attachments = attachments
    voucher.state, voucher.audited_by, voucher.prepared_by = VoucherState.DRAFT, "", by
    if new_lines is not None:
        voucher.lines = _placed(new_lines, day)
    else:
        _placed(voucher.lines, day)
    session.flush()
    if moved:
        close_up(session, cooperative.id, old_year, old_month, old_number)
    return voucher


def remove(session: Session, cooperative: Cooperative, voucher: Voucher) -> None:
    """Delete an unposted voucher and close up its month's numbers."""
    require_open(session, cooperative, voucher.year, voucher.month)
    year, month, number = voucher.year, voucher.month, voucher.number
    session.delete(voucher)
    session.flush()
    close_up(session, cooperative.id, year, month, number)


def _placed(lines: list[VoucherLine], on: dt.date) -> list[VoucherLine]:
    """The lines carry their voucher's period, so that balances read one table."""
    for line in lines:
        line.year, line.month = on.year, on.month
    return lines


def _held(session: Session, voucher: Voucher) -> Cooperative:
    """Take the cooperative's turn at its books, then read the voucher as the last writer left it."""
    cooperative = session.get_one(Cooperative, voucher.cooperative_id)
    hold_books(session, cooperative)
    session.refresh(voucher)
    return cooperative


def _manual(voucher: Voucher) -> None:
    # A voucher booked from an event follows it (coopcore.services.ledger.events); a hand-made change would be
    # undone the next time the event is booked.
    if voucher.origin.is_event:
        raise EventVoucher(voucher=voucher_name(voucher), origin=term(voucher.origin))


def _require_state(voucher: Voucher, state: VoucherState, action: str) -> None:
    if voucher.state is not state:
        _refuse(voucher, action)


def _refuse(voucher: Voucher, action: str) -> None:
    raise WrongVoucherState(voucher=voucher_name(voucher), state=term(voucher.state), action=Term(ACTIONS[action]))
