"""Business events into the books, from one place: each kind of event says which vouchers its records book.

A source reads its records and returns, per event, the voucher it books (coopcore.rules.entries builds the
lines). `sync_events` brings the books up to date with the records through `book_event`, which changes nothing
for an event already booked alike, follows an event while its voucher is unposted and reverses a posted one
that no longer holds. Every path that writes such records calls it for what it touched: the workbook import,
the admin's forms, the services (land guarantees, exits, the distribution) and the demo.

The sources: the years before the books (carried_events), 收支 rows (with the guaranteed land rent and a
federation's returns they carry), contributions and their refunds, trades (trade_events), sales under order
contracts for a cooperative that books them from the contracts (contract_events, ledger_books_sales), exits,
special-fund property, the distribution and its payments (distribution_events), payment runs
(payment_run_events), and a member cooperative's contributions to its federations (federation_events).
A source whose records are also another cooperative's business has followers (FOLLOWERS): a federation's
contributions are its member cooperatives' investments, so booking the one books the others too.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from sqlalchemy import event as orm_event
from sqlalchemy import func, inspect, select
from sqlalchemy.orm import Session

from coopcore.models import (
    Contract,
    Cooperative,
    Delivery,
    IncomeExpense,
    Member,
    MemberAccountEntry,
    SpecialFund,
    SpecialPayable,
    Trade,
    Voucher,
)
from coopcore.rules.findings import Finding, error
from coopcore.rules.ledger import EntryLine
from coopcore.services.ledger.books import is_closed
from coopcore.services.ledger.bulk import Draft, add_vouchers
from coopcore.services.ledger.carried_events import CARRIED_FORWARD
from coopcore.services.ledger.contract_events import DELIVERIES
from coopcore.services.ledger.distribution_events import DISTRIBUTIONS, PAYMENTS
from coopcore.services.ledger.errors import BOOKING_IN_CLOSED, SalesSwitchRefused, period_name
from coopcore.services.ledger.events import VERSION, book_event, event_voucher, months_written
from coopcore.services.ledger.federation_events import FEDERATION_INVESTMENTS, investors
from coopcore.services.ledger.payment_run_events import PAYMENT_RUNS
from coopcore.services.ledger.register_events import (
    CONTRIBUTIONS,
    EXITS,
    INCOME_EXPENSE,
    SPECIAL_FUNDS,
    SPECIAL_PAYABLES,
    day_key,
)
from coopcore.services.ledger.source import Event, Source, covers
from coopcore.services.ledger.trade_events import TRADES

BOOKS_ARRIVED = "5b7d3e9a1c42"  # the migration that brought the books (it books the 收支 rows alone)
BULK_FROM = 50  # new events at once that are written in bulk
BULK_LINES = 1000  # or new lines at once: a distribution's five vouchers over 20,000 members
SOURCES = (
    CARRIED_FORWARD,
    INCOME_EXPENSE,
    CONTRIBUTIONS,
    TRADES,
    DELIVERIES,
    EXITS,
    SPECIAL_FUNDS,
    SPECIAL_PAYABLES,
    DISTRIBUTIONS,
    PAYMENTS,
    PAYMENT_RUNS,
    FEDERATION_INVESTMENTS,
)
# Records one cooperative's source reads that other cooperatives book too, through a source of theirs: whatever
# brings the first up to date (an import, a form, the demo) brings the others' books with it.
FOLLOWERS: dict[Source, tuple[Source, Callable[[Session, Cooperative], list[Cooperative]]]] = {
    CONTRIBUTIONS: (FEDERATION_INVESTMENTS, investors),
}
# The records of each model book through this source (the admin's forms name the model they change).
BY_MODEL: dict[type, Source] = {
    IncomeExpense: INCOME_EXPENSE,
    MemberAccountEntry: CONTRIBUTIONS,
    SpecialFund: SPECIAL_FUNDS,
    SpecialPayable: SPECIAL_PAYABLES,
    Trade: TRADES,
    Contract: DELIVERIES,
    Delivery: DELIVERIES,
}


def sync_events(
    session: Session,
    cooperative: Cooperative,
    sources: Sequence[Source] = SOURCES,
    refs: set[str] | None = None,
) -> int:
    """Bring the cooperative's event vouchers up to date with its records; return how many events were booked.

    `refs` narrows it to some events (a form changed one record); without it every event of the sources is
    read, and vouchers whose record is gone are removed or reversed.
    """
    booked = 0
    for source in sources:
        seen: set[str] = set()
        held = _booked_refs(session, cooperative, source)
        fresh: list[Draft] = []
        for event in source.read(session, cooperative, refs):
            seen.add(event.source_ref)
            summary = _summary(event)
            if event.source_ref not in held and event.lines:
                fresh.append(Draft(event.on, summary, event.lines, source.origin, event.source_ref))
            else:
                book_event(session, cooperative, origin=source.origin, source_ref=event.source_ref, on=event.on,
                           summary=summary, lines=event.lines)  # fmt: skip
            booked += 1
        _book_fresh(session, cooperative, source, fresh)
        if refs is not None:  # the events named, and those of the groups named
            named = set(source_refs(source, refs))
            held = named | {ref for ref in held if covers(ref, named)}
        gone = held - seen
        for ref in sorted(gone):
            _unbook(session, cooperative, source, ref)
        if source in FOLLOWERS:
            follower, others = FOLLOWERS[source]
            for other in others(session, cooperative):
                booked += sync_events(session, other, [follower])
    return booked


def book_registers(session: Session) -> int:
    """Bring every cooperative's books up to date with its records; return how many events were booked.

    A database written before the books (BOOKS_ARRIVED) gets here once, at its upgrade: its contributions,
    trades, distributions … have no vouchers until then, and the register and the books would differ.
    """
    cooperatives = session.scalars(select(Cooperative).order_by(Cooperative.id)).all()
    return sum(sync_events(session, cooperative) for cooperative in cooperatives)


def _summary(event: Event) -> str:
    # A record without a memo: the voucher's 摘要 is its first line's, the builder's standard wording.
    return event.summary or (event.lines[0].summary if event.lines else "")


def _book_fresh(session: Session, cooperative: Cooperative, source: Source, fresh: list[Draft]) -> None:
    """Book events the books have never had: many at once in bulk (an import, a distribution over 20,000 members,
    the demo), a few through book_event; either way each voucher starts its audit trail (coopcore.db.audit)."""
    if len(fresh) >= BULK_FROM or sum(len(draft.lines) for draft in fresh) >= BULK_LINES:
        add_vouchers(session, cooperative, fresh)
        return
    for draft in fresh:
        book_event(session, cooperative, origin=source.origin, source_ref=draft.source_ref or "", on=draft.on,
                   summary=draft.summary, lines=draft.lines)  # fmt: skip


def source_refs(source: Source, refs: Iterable[str]) -> Iterator[str]:
    return (ref for ref in refs if ref.startswith(source.prefix + ":"))


def _booked_refs(session: Session, cooperative: Cooperative, source: Source) -> set[str]:
    query = select(Voucher.source_ref).where(  # two sources may share an origin, never a prefix
        Voucher.cooperative_id == cooperative.id,
        Voucher.origin == source.origin,
        Voucher.source_ref.startswith(source.prefix + ":", autoescape=True),
    )
    return {str(ref).split(VERSION, 1)[0] for ref in session.scalars(query)}


def _unbook(session: Session, cooperative: Cooperative, source: Source, ref: str) -> None:
    """Take out the voucher of a record that is gone: deleted while unposted, reversed in its own month once posted."""
    booked_on = _booked_on(session, cooperative, ref)
    if booked_on is not None:
        book_event(session, cooperative, origin=source.origin, source_ref=ref, on=booked_on, summary="", lines=[])


def _booked_on(session: Session, cooperative: Cooperative, ref: str) -> dt.date | None:
    """The date of the event's latest voucher (None: it has none)."""
    return session.scalar(
        select(func.max(Voucher.voucher_date)).where(
            Voucher.cooperative_id == cooperative.id,
            (Voucher.source_ref == ref) | Voucher.source_ref.like(ref + VERSION + "%"),
        )
    )


def book_record(session: Session, record: object) -> None:
    """Book (or rebook) the vouchers of a record a form is saving, before it is flushed: a record of a kind that
    books nothing is left alone. Its events before and after the change are both brought up to date."""
    if isinstance(record, Cooperative):
        follow_settings(session, record)
        return
    if isinstance(record, Member):
        _follow_membership(session, record)
        return
    if type(record) not in BY_MODEL:
        return
    before = _record_events(session, record)
    session.flush()  # a new record gets its id, which names its event
    after = _record_events(session, record)
    if after is not None:
        source, cooperative, refs = after
        sync_events(session, cooperative, [source], refs | (before[2] if before is not None else set()))


def _follow_membership(session: Session, member: Member) -> None:
    """A federation's member record names the member cooperative and the account its investments leave from: a
    change books the investments of the cooperatives it named and names again (federation_events)."""
    state = inspect(member)
    if not any(state.attrs[name].history.has_changes() for name in ("investment_account", "member_cooperative_id")):
        return
    named = {cooperative_id for cooperative_id in _values(member, "member_cooperative_id") if cooperative_id}
    session.flush()
    for cooperative_id in sorted(named):
        investor = session.get(Cooperative, cooperative_id)
        if investor is not None:
            sync_events(session, investor, [FEDERATION_INVESTMENTS])


def follow_settings(session: Session, cooperative: Cooperative) -> None:
    """Bring the books in step with a change of the cooperative's settings, before it is saved.

    Switching ledger_books_sales on books its contracts' sales; switching it off takes their vouchers out
    (deleted while unposted, reversed once posted). Either is done whole, or refused before anything is written
    (SalesSwitchRefused, naming each event and closed month) when any of it would fall in a closed month.
    """
    if not inspect(cooperative).attrs.ledger_books_sales.history.has_changes():
        return
    # Refused whole rather than booking the open months' events alone. A contract's vouchers book against one
    # another (its advance on 211 is set off by the deliveries, a payment clears a delivery's 113): part of a
    # contract would leave 211 and 113 holding what no contract owes, and 501 would be neither the contracts'
    # settled sales (the register the books are checked against) nor the 收支 rows'. The closed months were
    # certified against the books as they stood (balanced, reconciled); and every later booking of the contracts
    # would try their closed months' events again and be refused. 反结账 back to the first month named, switched
    # then, books every contract whole; until then the setting stays as it was and the books unchanged.
    with session.no_autoflush:  # a refusal writes nothing, not even the setting
        refused = closed_bookings(session, cooperative, DELIVERIES)
    if refused:
        raise SalesSwitchRefused(refused, cooperative=cooperative.name, switching_on=cooperative.ledger_books_sales)
    session.flush()
    sync_events(session, cooperative, [DELIVERIES])


def closed_bookings(session: Session, cooperative: Cooperative, source: Source) -> list[Finding]:
    """What bringing a source's events up to date (sync_events) would write into closed months: a finding per
    event, in date order; none when it can be done whole."""
    found: list[Finding] = []
    seen: set[str] = set()
    for event in source.read(session, cooperative, None):
        seen.add(event.source_ref)
        found += _closed(session, cooperative, event.source_ref, event.on, _summary(event), event.lines)
    for ref in sorted(_booked_refs(session, cooperative, source) - seen):  # taken out, as _unbook does
        live, booked_on = event_voucher(session, cooperative, ref), _booked_on(session, cooperative, ref)
        if live is not None and booked_on is not None:
            found += _closed(session, cooperative, ref, booked_on, live.summary, [])
    return sorted(found, key=lambda finding: str(finding.fields["on"]))


def _closed(
    session: Session, cooperative: Cooperative, ref: str, on: dt.date, summary: str, lines: list[EntryLine]
) -> list[Finding]:
    months = months_written(session, cooperative, source_ref=ref, on=on, summary=summary, lines=lines)
    closed = sorted(month for month in months if is_closed(session, cooperative.id, *month))
    if not closed:
        return []
    period = ", ".join(period_name(*month) for month in closed)
    return error("closed_booking", BOOKING_IN_CLOSED, key="source_ref", on=on, event=summary or ref, period=period)


def unbook_record(session: Session, record: object) -> None:
    """Take out the voucher of a record about to be deleted (a 收支 row, special-fund property, a trade's line of
    its month, a contract's delivery): deleted while unposted, reversed once posted. Account entries are never
    deleted (a correction is a reversing entry)."""
    found = _record_events(session, record)
    if found is None:
        return
    source, cooperative, refs = found
    if source in (INCOME_EXPENSE, SPECIAL_FUNDS):
        for ref in refs:
            _unbook(session, cooperative, source, ref)
    elif source in (TRADES, DELIVERIES):
        # A ticket is one line of its month's voucher, a delivery takes its share of its contract's advance: the
        # month or the contract is booked again once the record is gone, in the same transaction (the caller
        # deletes the record and commits).
        def rebook(session: Session) -> None:
            session.flush()
            sync_events(session, cooperative, [source], refs)

        orm_event.listen(session, "before_commit", rebook, once=True)


def _record_events(session: Session, record: object) -> tuple[Source, Cooperative, set[str]] | None:
    """The source, cooperative and event references of a record as stored and as changed (None: books nothing)."""
    source = BY_MODEL.get(type(record))
    if source is None:
        return None
    cooperative_id: int | None = getattr(record, "cooperative_id", None)
    if isinstance(record, Trade):
        refs = {
            source.ref(f"{day.year:04d}-{day.month:02d}", kind.value)
            for day in _values(record, "traded_on")
            for kind in _values(record, "kind")
            if day is not None and kind is not None
        }
    elif isinstance(record, Delivery):
        # A delivery books under its contract (moved to another contract: both are booked again).
        with session.no_autoflush:  # a form sets the relationship, a script the column
            chosen = [contract.id for contract in _values(record, "contract") if getattr(contract, "id", None)]
            stored = [contract_id for contract_id in _values(record, "contract_id") if contract_id is not None]
            latest = [*stored, *chosen][-1:]
            contract = session.get(Contract, latest[0]) if latest else None
        cooperative_id = contract.cooperative_id if contract is not None else None
        refs = {source.ref(contract_id) for contract_id in {*stored, *chosen}}
    elif isinstance(record, MemberAccountEntry):
        member = record.member if record.member is not None else session.get(Member, record.member_id)
        cooperative_id = member.cooperative_id if member is not None else None
        refs = {
            source.ref(day_key(day, kind))
            for day in _values(record, "entry_on")
            for kind in _values(record, "kind")
            if day is not None and kind is not None
        }
    else:
        record_id = getattr(record, "id", None)
        refs = {source.ref(record_id)} if record_id is not None else set()
    cooperative = session.get(Cooperative, cooperative_id) if cooperative_id is not None else None
    return (source, cooperative, refs) if cooperative is not None else None


def _values(record: object, attribute: str) -> list[Any]:
    """The attribute's value as stored and as it will be saved."""
    history = inspect(record).attrs[attribute].history
    return [*history.deleted, *history.unchanged, *history.added] or [getattr(record, attribute)]
