"""A stored plan's review against the law (coopcore.rules.plan_review), its members' lines summed in the database."""

from __future__ import annotations

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from coopcore.models import Distribution, DistributionLine, Member, MemberKind
from coopcore.money import ZERO
from coopcore.rules.plan_review import LineSums, Review, review


def line_sums(session: Session, distribution: Distribution) -> LineSums:
    """Sum the members' lines of a distribution in one query (a plan may have thousands)."""
    line = DistributionLine
    row = session.execute(
        select(
            func.count(line.id),
            func.count(case((Member.kind == MemberKind.FARMER, 1))),
            func.sum(line.patronage_return),
            func.sum(line.residual_distribution),
            func.sum(line.provident_share_added),
            func.sum(line.subsidy_share),
            func.sum(line.donation_share),
        )
        .join(Member, Member.id == line.member_id)
        .where(line.distribution_id == distribution.id)
    ).one()
    members, farmers, *amounts = row
    return LineSums(members, farmers, *(amount or ZERO for amount in amounts))


def review_plan(session: Session, distribution: Distribution) -> Review:
    """The law's checks on a stored plan: 60% by patronage, pools reconciled, 80% farmers, 15 days' notice."""
    return review(distribution, line_sums(session, distribution), distribution.published_on, distribution.assembly_on)
