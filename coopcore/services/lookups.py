"""Records found by the keys people type: a cooperative's credit code, a township's name, a member's code, a year.

Every entry point (the `coop` commands, the reports, the admin) finds them here, so that a key nobody has is
refused the same way everywhere: with `NotFound`, naming what was looked for (in the reader's language) and the
key that found nothing.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from coopcore.errors import NotFound, Term
from coopcore.models import Cooperative, Distribution, DistributionState, Member, Township, Village

# A year's distribution is live from its draft until it is paid; a reversed one is history, and a year has at
# most one live distribution (re-planning replaces the draft, reversing makes room for a new plan).
LIVE_STATES = (DistributionState.DRAFT, DistributionState.PUBLISHED, DistributionState.APPROVED,
               DistributionState.POSTED, DistributionState.PAID)  # fmt: skip


def cooperative_by_code_or_none(session: Session, credit_code: str) -> Cooperative | None:
    """Return the cooperative with a unified social credit code, or None if there is none (not created yet)."""
    return session.scalar(select(Cooperative).where(Cooperative.credit_code == credit_code))


def cooperative_by_code(session: Session, credit_code: str) -> Cooperative:
    """Return the cooperative with a unified social credit code, or raise NotFound."""
    cooperative = cooperative_by_code_or_none(session, credit_code)
    if cooperative is None:
        raise NotFound(what=Term("Cooperative"), key=credit_code)
    return cooperative


def township_by_name(session: Session, name: str) -> Township:
    """Return the township of a name, or raise NotFound."""
    township = session.scalar(select(Township).where(Township.name == name))
    if township is None:
        raise NotFound(what=Term("Township"), key=name)
    return township


def township_cooperatives(session: Session, township: Township) -> list[Cooperative]:
    """The cooperatives and federations of a township (through their village), in credit-code order."""
    return list(
        session.scalars(
            select(Cooperative)
            .join(Village, Village.id == Cooperative.village_id)
            .where(Village.township_id == township.id)
            .order_by(Cooperative.credit_code)
        )
    )


def member_by_code(session: Session, cooperative: Cooperative, code: str) -> Member:
    """Return the member of a cooperative with a member code, or raise NotFound."""
    member = session.scalar(select(Member).where(Member.cooperative_id == cooperative.id, Member.code == code))
    if member is None:
        raise NotFound(what=Term("Member"), key=code)
    return member


def live_distribution_or_none(session: Session, cooperative: Cooperative, year: int) -> Distribution | None:
    """Return the year's live distribution (draft to paid), or None if the year has none yet."""
    return session.scalar(
        select(Distribution)
        .where(Distribution.cooperative_id == cooperative.id, Distribution.year == year)
        .where(Distribution.state.in_(LIVE_STATES))
    )


class NoPlanYet(NotFound):
    """{cooperative} has no distribution plan for {year} yet: plan it first."""


def live_distribution(session: Session, cooperative: Cooperative, year: int) -> Distribution:
    """Return the year's live distribution (draft to paid), or raise NoPlanYet (a NotFound)."""
    distribution = live_distribution_or_none(session, cooperative, year)
    if distribution is None:
        raise NoPlanYet(cooperative=cooperative.name, year=year)
    return distribution
