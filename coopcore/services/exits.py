"""Members leaving: record the application, and settle contribution and provident share at year end."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from coopcore.errors import InvalidValue, RuleViolation
from coopcore.models import (
    AccountEntryKind,
    CooperativeStatus,
    Distribution,
    DistributionState,
    Member,
    MemberAccountEntry,
    Origin,
)
from coopcore.money import ZERO
from coopcore.rules.exits import Settlement, exit_effective_on, settle_exit
from coopcore.services import year_end
from coopcore.services.ledger.register_events import EXITS
from coopcore.services.ledger.sync import sync_events


class ExitsSuspended(RuleViolation):
    """{cooperative} is dissolved: no member can leave now (Art. 51)."""


class AlreadyLeft(RuleViolation):
    """Member {code} has already left on {left_on}."""


class NotYetSettleable(RuleViolation):
    """Member {code} can be settled once the {year} distribution is posted."""


class MemberHasAccount(RuleViolation):
    """Member {code} has entries in the member account and cannot be deleted: record the member's exit instead."""


@dataclass(frozen=True)
class ExitSettlement:
    """A leaver's settlement and whether it is final (the year-end distribution is posted)."""

    member_code: str
    effective_on: dt.date
    settlement: Settlement
    is_final: bool


def members_with_accounts(session: Session, member_ids: Collection[int]) -> set[int]:
    """The members among these who have member-account entries (one query for a page of members)."""
    if not member_ids:
        return set()
    found = select(MemberAccountEntry.member_id).where(MemberAccountEntry.member_id.in_(member_ids)).distinct()
    return set(session.scalars(found))


def check_deletable(session: Session, member: Member) -> None:
    """Refuse to delete a member with account entries: the account is append-only, so the member leaves instead."""
    # Only a member entered by mistake, with nothing in the account yet, may be deleted outright.
    if members_with_accounts(session, [member.id]):
        raise MemberHasAccount(code=member.code)


def apply_exit(session: Session, member: Member, applied_on: dt.date) -> dt.date:
    """Record a written exit application and return the year end at which membership ends."""
    if member.cooperative.status == CooperativeStatus.DISSOLVED:
        raise ExitsSuspended(cooperative=member.cooperative.name)
    # Once paid back the exit is settled: a new application (even an earlier date) would move a closed exit.
    if member.left_on is not None and (member.left_on < applied_on or paid_out_on(session, member) is not None):
        raise AlreadyLeft(code=member.code, left_on=member.left_on.isoformat())
    if applied_on < member.joined_on:
        raise InvalidValue("the application date {day} is before the member joined", day=applied_on.isoformat())
    member.exit_applied_on = applied_on
    member.left_on = exit_effective_on(str(member.kind), applied_on)
    session.flush()
    return member.left_on


def compute_settlement(session: Session, member: Member) -> ExitSettlement:
    """Settle at the exit's year end; before that year's distribution is posted the figures are an estimate."""
    if member.left_on is None:
        raise InvalidValue("member {code} has not applied to leave", code=member.code)
    year = member.left_on.year
    posted = session.scalar(
        select(Distribution).where(
            Distribution.cooperative_id == member.cooperative_id,
            Distribution.year == year,
            Distribution.state.in_([DistributionState.POSTED, DistributionState.PAID]),
        )
    )
    if posted is not None:
        loss = posted.carried_loss
    else:
        surplus = year_end.year_surplus(session, member.cooperative_id, year)
        loss = max(ZERO, -(year_end.opening_undistributed(session, member.cooperative_id, year) + surplus))
    members = year_end.roster(session, member.cooperative_id, member.left_on)
    held = year_end.balances(session, member.cooperative_id, member.left_on)
    empty = year_end.Balances()
    equity = {m.code: (held.get(m.id, empty).contribution, held.get(m.id, empty).provident_share) for m in members}
    return ExitSettlement(member.code, member.left_on, settle_exit(member.code, equity, loss), posted is not None)


def _source(member: Member) -> str:
    return f"exit:{member.id}"


def paid_out_on(session: Session, member: Member) -> dt.date | None:
    """Return the day a leaver was paid back, or None if they have not been."""
    return session.scalar(
        select(MemberAccountEntry.entry_on).where(MemberAccountEntry.source == _source(member)).limit(1)
    )


def pay_out(session: Session, member: Member, paid_on: dt.date) -> ExitSettlement:
    """Pay a leaver back ([L-28]): the account's contribution and provident share are brought to zero."""
    result = compute_settlement(session, member)
    if not result.is_final:
        raise NotYetSettleable(code=member.code, year=result.effective_on.year)
    source = _source(member)
    if paid_out_on(session, member) is not None:
        raise AlreadyLeft(code=member.code, left_on=result.effective_on.isoformat())
    settlement = result.settlement
    memo = f"退社结算：退还{settlement.refund}，分担亏损{settlement.loss_share}"
    entries = ((AccountEntryKind.REFUND, settlement.contribution),
               (AccountEntryKind.PROVIDENT_SHARE, settlement.provident_share))  # fmt: skip
    # A leaver with nothing to take back still gets the refund entry (of 0.00): it is the record of the settlement.
    for kind, amount in [(kind, amount) for kind, amount in entries if amount] or entries[:1]:
        session.add(MemberAccountEntry(member_id=member.id, entry_on=paid_on, kind=kind, amount=-amount,
                                       memo=memo, source=source, origin=Origin.EXIT))  # fmt: skip
    session.flush()
    sync_events(session, member.cooperative, [EXITS], {EXITS.ref(member.id)})
    return result
