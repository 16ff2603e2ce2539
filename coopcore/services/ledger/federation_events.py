"""A member cooperative's contributions to its federations in its own books: Dr 131 对外投资 / Cr 102 (or the
asset it gave), one voucher per contribution the federation's member account records.

The federation's books take the same contribution in as 股金 (Dr 102 / Cr 301, register_events.CONTRIBUTIONS):
both are read from the one account entry, so the two books cannot disagree on amount or kind, and the township
roll-up (coopcore.services.statements.township) counts the money once. The federation's books are written by its
accountant, the investor's by another: an investment is dated on the contribution's day, or in the investor's
first open month after it when that month is closed (a close is not undone for another cooperative's record),
and once booked it keeps its voucher's date. A contribution the federation corrects by a reversing entry has its
voucher deleted while unposted, reversed in the first open month once posted (coopcore.services.ledger.events).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from coopcore.models import AccountEntryKind, Cooperative, Member, MemberAccountEntry
from coopcore.rules import entries
from coopcore.rules.entries.payments import FEDERATION_INVESTMENT
from coopcore.rules.ledger import EntryLine
from coopcore.services.ledger.books import first_open_day
from coopcore.services.ledger.events import event_voucher, months_written
from coopcore.services.ledger.source import Event, Source, red
from coopcore.terms import Origin, VoucherOrigin


def _invested(session: Session, cooperative: Cooperative, refs: set[str] | None) -> Iterator[Event]:
    ids = FEDERATION_INVESTMENTS.ids(refs)
    federation = aliased(Cooperative)
    kinds = [kind for kind in AccountEntryKind if kind.is_contribution]
    query = (
        select(MemberAccountEntry, Member.investment_account, federation.name)
        .join(Member, Member.id == MemberAccountEntry.member_id)
        .join(federation, federation.id == Member.cooperative_id)
        .where(Member.member_cooperative_id == cooperative.id, MemberAccountEntry.kind.in_(kinds))
        .where(MemberAccountEntry.origin != Origin.EXIT)
    )
    rows = session.execute(query.order_by(MemberAccountEntry.entry_on, MemberAccountEntry.id)).all()
    reversed_on = {entry.reverses_id: entry.entry_on for entry, _, _ in rows if entry.reverses_id is not None}
    for entry, account, name in rows:
        if entry.reverses_id is not None or (ids is not None and entry.id not in ids):
            continue
        ref = FEDERATION_INVESTMENTS.ref(entry.id)
        if entry.id in reversed_on:
            # Corrected in the federation's books: the investment is taken out as of the reversing entry's day.
            yield Event(ref, first_open_day(session, cooperative.id, reversed_on[entry.id]), "", [])
            continue
        summary = f"{FEDERATION_INVESTMENT}：{name}"
        lines = _lines(entry, account, name, summary)
        yield Event(ref, _dated(session, cooperative, ref, entry.entry_on, summary, lines), summary, lines)


def _lines(entry: MemberAccountEntry, account: str | None, federation: str, summary: str) -> list[EntryLine]:
    # [KJ 131 二; domain.md §11]: the investment is what the cooperative gave, the share (the federation's 301) and
    # any premium (its 321) together, as the federation's voucher takes it in.
    value = abs(entry.amount + (entry.premium or 0))
    poverty = entry.kind is AccountEntryKind.CONTRIBUTION_POVERTY_ASSET
    given = entries.invested_with(entry.kind, account)
    lines = entries.federation_investment(federation, value, account=given, poverty_asset=poverty, summary=summary)
    return lines if entry.amount > 0 else red(lines)  # a negative entry takes an investment back out


def _dated(
    session: Session, cooperative: Cooperative, ref: str, day: dt.date, summary: str, lines: list[EntryLine]
) -> dt.date:
    """The voucher's date: an investment booked already keeps its own while it books the same; otherwise the
    contribution's day, or the first open month after it."""
    live = event_voucher(session, cooperative, ref)
    if live is not None and not months_written(
        session, cooperative, source_ref=ref, on=live.voucher_date, summary=summary, lines=lines
    ):
        return live.voucher_date
    return first_open_day(session, cooperative.id, day)


def investors(session: Session, federation: Cooperative) -> list[Cooperative]:
    """The cooperatives that are members of this one (a federation's member cooperatives), in id order."""
    query = select(Member.member_cooperative_id).where(
        Member.cooperative_id == federation.id, Member.member_cooperative_id.is_not(None)
    )
    ids = {cooperative_id for cooperative_id in session.scalars(query)} - {federation.id}
    return list(session.scalars(select(Cooperative).where(Cooperative.id.in_(sorted(ids))).order_by(Cooperative.id)))


FEDERATION_INVESTMENTS = Source(VoucherOrigin.FEDERATION, "federation_investment", _invested)
