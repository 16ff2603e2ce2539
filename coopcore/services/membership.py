"""Membership checks of stored cooperatives: load rosters, contributions and bylaws in bulk, apply the rules."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal

from sqlalchemy import ColumnElement, Select, func, or_, select
from sqlalchemy.orm import Session

from coopcore.models import AccountEntryKind, Bylaws, Cooperative, CooperativeStatus, Member, MemberAccountEntry
from coopcore.rules.findings import Finding
from coopcore.rules.membership import (
    MemberFacts,
    MembershipSpan,
    RosterContext,
    check_membership,
    farmer_ratio_broken_on,
)

CONTRIBUTION_KINDS = tuple(kind for kind in AccountEntryKind if kind.is_contribution)
_NOTHING = Decimal("0.00")

# Which cooperatives a bulk load covers: a list of ids, or a subquery selecting them.
Scope = list[int] | Select[int]


def check_cooperative(session: Session, cooperative: Cooperative, *, on: dt.date) -> list[Finding]:
    """Return every membership finding of one cooperative for its roster on a day."""
    return _check(session, [cooperative], [cooperative.id], on)[cooperative.id]


def check_all(session: Session, *, on: dt.date) -> dict[int, list[Finding]]:
    """Return the membership findings of every cooperative existing on a day, keyed by cooperative id."""
    # Dissolved cooperatives have no roster to keep, and one founded later had none yet.
    existing = (Cooperative.status != CooperativeStatus.DISSOLVED) & or_(
        Cooperative.founded_on.is_(None), Cooperative.founded_on <= on
    )
    cooperatives = session.scalars(select(Cooperative).where(existing).order_by(Cooperative.id)).all()
    return _check(session, cooperatives, select(Cooperative.id).where(existing), on)


def _check(
    session: Session, cooperatives: Sequence[Cooperative], scope: Scope, on: dt.date
) -> dict[int, list[Finding]]:
    # Three queries whatever the number of cooperatives and members: members, contribution sums, bylaws.
    members = session.execute(
        select(
            Member.id,
            Member.cooperative_id,
            Member.code,
            Member.kind,
            Member.is_founder,
            Member.additional_votes,
            Member.joined_on,
            Member.left_on,
        )
        .where(Member.cooperative_id.in_(scope), Member.joined_on <= on)
        .order_by(Member.cooperative_id, Member.code)
    ).all()
    contributions: dict[int, Decimal] = dict(
        session.execute(
            select(MemberAccountEntry.member_id, func.sum(MemberAccountEntry.amount))
            .join(Member, Member.id == MemberAccountEntry.member_id)
            .where(
                Member.cooperative_id.in_(scope),
                _on_roster(on),
                MemberAccountEntry.kind.in_(CONTRIBUTION_KINDS),
                MemberAccountEntry.entry_on <= on,
            )
            .group_by(MemberAccountEntry.member_id)
        ).all()
    )
    # Ordered by date, so the last rate kept per cooperative is the one of the bylaws in force on the day.
    rates: dict[int, Decimal] = dict(
        session.execute(
            select(Bylaws.cooperative_id, Bylaws.provident_fund_rate)
            .where(Bylaws.cooperative_id.in_(scope), Bylaws.effective_on <= on)
            .order_by(Bylaws.cooperative_id, Bylaws.effective_on)
        ).all()
    )

    facts: dict[int, list[MemberFacts]] = defaultdict(list)
    spans: dict[int, list[MembershipSpan]] = defaultdict(list)
    departed_founders: dict[int, int] = defaultdict(int)
    for member in members:
        spans[member.cooperative_id].append(MembershipSpan(member.kind, member.joined_on, member.left_on))
        if member.left_on is not None and member.left_on < on:
            # Gone from the roster, but a founder still counts for the founding minimum [L-12].
            departed_founders[member.cooperative_id] += int(member.is_founder)
            continue
        facts[member.cooperative_id].append(
            MemberFacts(
                code=member.code,
                kind=member.kind,
                is_founder=member.is_founder,
                additional_votes=member.additional_votes,
                contribution=contributions.get(member.id) or _NOTHING,
            )
        )

    findings: dict[int, list[Finding]] = {}
    for cooperative in cooperatives:
        context = RosterContext(
            is_federation=cooperative.is_federation,
            is_party_branch_led=cooperative.is_party_branch_led,
            provident_fund_rate=rates.get(cooperative.id),
            ratio_broken_on=farmer_ratio_broken_on(spans[cooperative.id], on),
            departed_founders=departed_founders[cooperative.id],
        )
        findings[cooperative.id] = check_membership(facts[cooperative.id], context)
    return findings


def _on_roster(on: dt.date) -> ColumnElement[bool]:
    """Members on the roster on a day; a leaver still is on the day of leaving (Member.is_member_on)."""
    return (Member.joined_on <= on) & or_(Member.left_on.is_(None), Member.left_on >= on)
