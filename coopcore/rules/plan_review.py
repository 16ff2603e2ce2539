"""The law's checks on a distribution plan, as a reviewer reads them before the member assembly.

One place for the CLI's `distribution show`, the admin's distribution page and the printed report: the 60% floor
of returns by patronage, pools that reconcile with the members' amounts to the fen, the 80% of farmers among
the members, and the 15 days between publication and the assembly.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Protocol

from coopcore.money import ZERO, quantum
from coopcore.rules.distribution import STATUTORY_PATRONAGE_FLOOR
from coopcore.rules.membership import enough_farmers

# [L-40]: the plan is at the office at least 15 days before the member assembly.
NOTICE_DAYS = 15


class Pools(Protocol):
    """The pools of a plan (a stored distribution has them all)."""

    @property
    def distributable(self) -> Decimal: ...
    @property
    def patronage_pool(self) -> Decimal: ...
    @property
    def residual_pool(self) -> Decimal: ...
    @property
    def provident_fund(self) -> Decimal: ...
    @property
    def subsidy_property(self) -> Decimal: ...
    @property
    def donation_property(self) -> Decimal: ...


@dataclass(frozen=True)
class LineSums:
    """What the members' lines of a plan add up to, and how many members (and farmers) they are."""

    members: int
    farmers: int
    patronage_return: Decimal = ZERO
    residual_distribution: Decimal = ZERO
    provident_share_added: Decimal = ZERO
    subsidy_share: Decimal = ZERO
    donation_share: Decimal = ZERO


@dataclass(frozen=True)
class Review:
    """The checks' results; None where a check does not apply (nothing to distribute, no dates yet)."""

    sums: LineSums
    patronage_share: Decimal | None  # returns by patronage in % of distributable surplus, to 0.01
    patronage_floor_met: bool | None
    reconciles: bool
    farmer_share: Decimal | None  # farmers in % of members, to 0.01
    farmers_enough: bool
    notice_days: int | None
    notice_enough: bool | None


def review(
    pools: Pools, sums: LineSums, published_on: dt.date | None = None, assembly_on: dt.date | None = None
) -> Review:
    """Check a plan against the law: Art. 44 (60% by patronage), Art. 20 (80% farmers), Art. 40 (15 days)."""
    distributable = pools.distributable
    share = _percent(pools.patronage_pool, distributable) if distributable > 0 else None
    # [L-44] exactly: no division, so 60.00% of an odd number of fen is judged without rounding.
    floor_met = pools.patronage_pool >= distributable * STATUTORY_PATRONAGE_FLOOR if distributable > 0 else None
    pairs = (
        (sums.patronage_return, pools.patronage_pool),
        (sums.residual_distribution, pools.residual_pool),
        (pools.patronage_pool + pools.residual_pool, distributable),
        (sums.provident_share_added, pools.provident_fund),
        (sums.subsidy_share, pools.subsidy_property),
        (sums.donation_share, pools.donation_property),
    )
    days = (assembly_on - published_on).days if published_on and assembly_on else None
    return Review(
        sums=sums,
        patronage_share=share,
        patronage_floor_met=floor_met,
        reconciles=all(part == whole for part, whole in pairs),
        farmer_share=_percent(Decimal(sums.farmers), Decimal(sums.members)) if sums.members else None,
        farmers_enough=enough_farmers(sums.farmers, sums.members),
        notice_days=days,
        notice_enough=None if days is None else days >= NOTICE_DAYS,
    )


def _percent(part: Decimal, whole: Decimal) -> Decimal:
    return (part * 100 / whole).quantize(quantum(2), ROUND_HALF_UP)


def statements(
    result: Review, distributable: Decimal, money: Callable[[Decimal], str]
) -> list[tuple[bool, str, dict[str, object]]]:
    """The checks that apply, as (passed, English message template, fields) for the reader's language.

    The CLI and the admin translate the templates with their own catalogs; money is written by the caller's
    formatter, so each shows amounts the way the rest of its screen does.
    """
    sums = result.sums
    lines: list[tuple[bool, str, dict[str, object]]] = []
    if result.patronage_floor_met is not None:
        template = "Patronage returns are {share}% of distributable surplus; Art. 44 requires at least 60%."
        lines.append((result.patronage_floor_met, template, {"share": result.patronage_share}))
    total = sums.patronage_return + sums.residual_distribution
    template = "Members' shares add up to {total}, the distributable surplus is {distributable}."
    lines.append((result.reconciles, template, {"total": money(total), "distributable": money(distributable)}))
    template = "{farmers} of {members} members are farmers; Art. 20 requires at least 80%."
    lines.append((result.farmers_enough, template, {"farmers": sums.farmers, "members": sums.members}))
    if result.notice_enough is not None:
        template = "The assembly is {days} days after the plan was published; Art. 40 requires at least 15."
        lines.append((result.notice_enough, template, {"days": result.notice_days}))
    return lines
