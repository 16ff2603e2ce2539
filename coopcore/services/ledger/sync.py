"""Business events into the books, from one place: each kind of event says which vouchers its records book.

A source reads its records and returns, per event, the voucher it books (coopcore.rules.entries builds the
lines). `sync_events` brings the books up to date with the records through `book_event`, which changes nothing
for an event already booked alike, follows an event while its voucher is unposted and reverses a posted one
that no longer holds. Every path that writes such records calls it for what it touched: the workbook import,
the admin's forms, the services (land guarantees, exits, the distribution) and the demo.

The sources: the years before the books (carried_events), 收支 rows (with the guaranteed land rent and a
federation's returns they carry), contributions and their refunds, trades (trade_events), exits, special-fund
property, the distribution and its payments (distribution_events).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from sqlalchemy import event as orm_event
from sqlalchemy import func, inspect, select
from sqlalchemy.orm import Session

from coopcore.models import (
    Cooperative,
    Distribution,
    IncomeExpense,
    Member,
    MemberAccountEntry,
    SpecialFund,
    Trade,
    Voucher,
)
from coopcore.rules import entries
from coopcore.rules.entries.contributions import SUMMARY as SUMMARIES
from coopcore.rules.ledger import EntryLine
from coopcore.services.ledger.carried_events import CARRIED_FORWARD
from coopcore.services.ledger.distribution_events import DISTRIBUTIONS, PAYMENTS
from coopcore.services.ledger.events import VERSION, book_event
from coopcore.services.ledger.source import Event, Source, covers, member_codes, red, with_ids
from coopcore.services.ledger.trade_events import TRADES
from coopcore.terms import AccountEntryKind, IncomeCategory, Origin, VoucherOrigin


def _income_expense(session: Session, cooperative: Cooperative, refs: set[str] | None) -> Iterator[Event]:
    ids = INCOME_EXPENSE.ids(refs)
    query = select(IncomeExpense).where(IncomeExpense.cooperative_id == cooperative.id)
    query = query.where(*with_ids(ids, IncomeExpense.id))
    members = member_codes(session, cooperative)
    for row in session.scalars(query.order_by(IncomeExpense.id)):
        yield Event(INCOME_EXPENSE.ref(row.id), row.recorded_on, row.memo, _income_expense_lines(session, row, members))


def _income_expense_lines(session: Session, row: IncomeExpense, members: dict[int, str]) -> list[EntryLine]:
    if row.origin is Origin.LAND_GUARANTEE:
        # "land_guarantee:<year>:<member id>" (coopcore.services.land): the household is owed its rent on 114,
        # booked as a cost as the 收支 row (and so 本年盈余) counts it: docs/land.md, view A.
        member_id = int(row.source.rsplit(":", 1)[1])
        return entries.land_guarantee(members[member_id], row.amount, summary=row.memo)
    federation = _federation(session, row)
    if federation is not None and row.amount > 0:
        # A federation's returns to this member cooperative are receivable from it [KJ 131 四; 511 二].
        return entries.federation_return_declared(federation, row.amount, summary=row.memo)
    return entries.income_expense(row.category, row.amount, against=row.counter_account, summary=row.memo)


def _federation(session: Session, row: IncomeExpense) -> str | None:
    """The federation whose distribution wrote the row ("distribution:<id>", coopcore.services.distribution_posting)."""
    if row.origin is not Origin.DISTRIBUTION or row.category is not IncomeCategory.INVESTMENT_INCOME:
        return None
    distribution = session.get(Distribution, int(row.source.rsplit(":", 1)[1]))
    return distribution.cooperative.name if distribution is not None else None


def _contributions(session: Session, cooperative: Cooperative, refs: set[str] | None) -> Iterator[Event]:
    """One voucher per day and kind of contribution, a line per member: a roster of 20,000 is a few vouchers."""
    keys = CONTRIBUTIONS.keys(refs)
    kinds = [kind for kind in AccountEntryKind if kind.is_contribution] + [AccountEntryKind.REFUND]
    query = (
        select(MemberAccountEntry, Member.code)
        .join(Member, Member.id == MemberAccountEntry.member_id)
        .where(
            Member.cooperative_id == cooperative.id,
            MemberAccountEntry.kind.in_(kinds),
            MemberAccountEntry.origin != Origin.EXIT,  # an exit books its settlement as one voucher (EXITS)
        )
    )
    if keys is not None:
        days = {dt.date.fromisoformat(key.split(":", 1)[0]) for key in keys}
        query = query.where(MemberAccountEntry.entry_on.in_(days))
    grouped: dict[str, list[EntryLine]] = {}
    for entry, code in session.execute(query.order_by(MemberAccountEntry.entry_on, MemberAccountEntry.id)):
        key = _day_key(entry.entry_on, entry.kind)
        if keys is None or key in keys:
            grouped.setdefault(key, []).extend(_contribution_lines(entry, code))
    for key, lines in grouped.items():
        day, kind = key.split(":", 1)
        yield Event(CONTRIBUTIONS.ref(key), dt.date.fromisoformat(day), SUMMARIES[AccountEntryKind(kind)], lines)


def _day_key(day: dt.date, kind: AccountEntryKind) -> str:
    return f"{day.isoformat()}:{kind.value}"


def _contribution_lines(entry: MemberAccountEntry, code: str) -> list[EntryLine]:
    amount = abs(entry.amount)
    if not amount:
        return []
    summary = entry.memo or SUMMARIES[entry.kind]
    if entry.kind is AccountEntryKind.REFUND:
        lines = entries.contribution_refund(code, amount, summary=summary)
        return lines if entry.amount < 0 else red(lines)  # a refund is written negative
    lines = entries.contribution(entry.kind, code, amount, summary=summary)
    return lines if entry.amount > 0 else red(lines)  # a correction reverses a contribution


def _exits(session: Session, cooperative: Cooperative, refs: set[str] | None) -> Iterator[Event]:
    ids = EXITS.ids(refs)
    query = (
        select(MemberAccountEntry, Member.code)
        .join(Member, Member.id == MemberAccountEntry.member_id)
        .where(Member.cooperative_id == cooperative.id, MemberAccountEntry.origin == Origin.EXIT)
    )
    query = query.where(*with_ids(ids, MemberAccountEntry.member_id))
    settled: dict[int, list[tuple[MemberAccountEntry, str]]] = {}
    for entry, code in session.execute(query.order_by(MemberAccountEntry.id)):
        settled.setdefault(entry.member_id, []).append((entry, code))
    for member_id, rows in settled.items():
        lines: list[EntryLine] = []
        for entry, code in rows:
            refunded = -entry.amount  # written negative: the account is brought to zero
            if entry.kind is AccountEntryKind.REFUND and refunded > 0:
                lines += entries.contribution_refund(code, refunded, summary=entry.memo)
            elif entry.kind is AccountEntryKind.PROVIDENT_SHARE and refunded > 0:
                lines += entries.provident_share_refund(code, refunded, summary=entry.memo)
        first = rows[0][0]
        yield Event(EXITS.ref(member_id), first.entry_on, first.memo, lines)


def _special_funds(session: Session, cooperative: Cooperative, refs: set[str] | None) -> Iterator[Event]:
    ids = SPECIAL_FUNDS.ids(refs)
    query = select(SpecialFund).where(SpecialFund.cooperative_id == cooperative.id, *with_ids(ids, SpecialFund.id))
    for fund in session.scalars(query.order_by(SpecialFund.id)):
        lines = entries.asset_received(fund.source, fund.amount, poverty_asset=fund.is_poverty_asset, summary=fund.memo)
        yield Event(SPECIAL_FUNDS.ref(fund.id), fund.received_on, fund.memo, lines)


INCOME_EXPENSE = Source(VoucherOrigin.INCOME_EXPENSE, "income_expense", _income_expense)
CONTRIBUTIONS = Source(VoucherOrigin.CONTRIBUTION, "member_entry", _contributions)
EXITS = Source(VoucherOrigin.EXIT, "exit", _exits)
SPECIAL_FUNDS = Source(VoucherOrigin.SPECIAL_FUND, "special_fund", _special_funds)
SOURCES = (CARRIED_FORWARD, INCOME_EXPENSE, CONTRIBUTIONS, TRADES, EXITS, SPECIAL_FUNDS, DISTRIBUTIONS, PAYMENTS)
# The records of each model book through this source (the admin's forms name the model they change).
BY_MODEL: dict[type, Source] = {
    IncomeExpense: INCOME_EXPENSE,
    MemberAccountEntry: CONTRIBUTIONS,
    SpecialFund: SPECIAL_FUNDS,
    Trade: TRADES,
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
        for event in source.read(session, cooperative, refs):
            seen.add(event.source_ref)
            # A record without a memo: the voucher's 摘要 is its first line's, the builder's standard wording.
            summary = event.summary or (event.lines[0].summary if event.lines else "")
            book_event(session, cooperative, origin=source.origin, source_ref=event.source_ref, on=event.on,
                       summary=summary, lines=event.lines)  # fmt: skip
            booked += 1
        held = _booked_refs(session, cooperative, source)
        if refs is not None:  # the events named, and those of the groups named
            named = set(source_refs(source, refs))
            held = named | {ref for ref in held if covers(ref, named)}
        gone = held - seen
        for ref in sorted(gone):
            _unbook(session, cooperative, source, ref)
    return booked


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
    booked_on = session.scalar(
        select(func.max(Voucher.voucher_date)).where(
            Voucher.cooperative_id == cooperative.id,
            (Voucher.source_ref == ref) | Voucher.source_ref.like(ref + VERSION + "%"),
        )
    )
    if booked_on is not None:
        book_event(session, cooperative, origin=source.origin, source_ref=ref, on=booked_on, summary="", lines=[])


def book_record(session: Session, record: object) -> None:
    """Book (or rebook) the vouchers of a record a form is saving, before it is flushed: a record of a kind that
    books nothing is left alone. Its events before and after the change are both brought up to date."""
    if type(record) not in BY_MODEL:
        return
    before = _record_events(session, record)
    session.flush()  # a new record gets its id, which names its event
    after = _record_events(session, record)
    if after is not None:
        source, cooperative, refs = after
        sync_events(session, cooperative, [source], refs | (before[2] if before is not None else set()))


def unbook_record(session: Session, record: object) -> None:
    """Take out the voucher of a record about to be deleted (a 收支 row, special-fund property, a trade's line of
    its month): deleted while unposted, reversed once posted. Account entries are never deleted (a correction is
    a reversing entry)."""
    found = _record_events(session, record)
    if found is None:
        return
    source, cooperative, refs = found
    if source in (INCOME_EXPENSE, SPECIAL_FUNDS):
        for ref in refs:
            _unbook(session, cooperative, source, ref)
    elif source is TRADES:
        # A ticket is one line of its month's voucher: the voucher is booked again once the ticket is gone, in
        # the same transaction (the caller deletes the record and commits).
        def rebook(session: Session) -> None:
            session.flush()
            sync_events(session, cooperative, [TRADES], refs)

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
    elif isinstance(record, MemberAccountEntry):
        member = record.member if record.member is not None else session.get(Member, record.member_id)
        cooperative_id = member.cooperative_id if member is not None else None
        refs = {
            source.ref(_day_key(day, kind))
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
