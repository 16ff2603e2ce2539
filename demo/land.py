"""Demo contracted parcels and land-management-right shares (土地经营权入股, docs/land.md)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from coopcore.models import LandParcel, LandShare, MemberKind
from coopcore.money import to_money
from demo.context import CoopPlan, DemoContext
from demo.dataset import Ref

SECOND_ROUND_END = dt.date(2028, 12, 31)  # 第二轮承包 ends here for most households
EXTENDED_END = dt.date(2058, 12, 31)  # households already extended by thirty years (二轮延包)
FIELDS = ("北岭", "南洼", "西山坡", "东河套", "后沟", "前洼", "果园顶", "大埠")
HALF_MU = Decimal("0.50")


def add_land(
    ctx: DemoContext,
    plan: CoopPlan,
    *,
    guarantee: Decimal,
    minimum_mu: int,
    shares_per_mu: Decimal | None = None,
    value_per_mu: Decimal | None = None,
) -> None:
    """Give every farmer household of a land-share cooperative one or two parcels as shares with a guarantee.

    Shares count either per mu (东院头: 1 mu = 8,000 shares) or by an agreed value per mu; the whole
    cooperative holds at least minimum_mu.
    """
    rng = ctx.rng
    households = [m for m in plan.members if m.kind is MemberKind.FARMER]
    areas = [[_area(ctx, shares_per_mu)] for _ in households]
    for parcels in areas:
        if rng.random() < 0.2:
            parcels.append(Decimal(rng.randint(80, 200)).scaleb(-2))
    short = Decimal(minimum_mu) - sum((sum(parcels, Decimal(0)) for parcels in areas), Decimal(0))
    position = 0
    while short > 0:  # top up so the cooperative's land reaches the promised size
        areas[position % len(areas)][0] += HALF_MU
        short -= HALF_MU
        position += 1
    share_end = SECOND_ROUND_END if shares_per_mu is not None else dt.date(2027, 12, 31)
    for household, parcels in zip(households, areas, strict=True):
        for area in parcels:
            parcel = _parcel(ctx, plan, household.ref, household.code, area)
            ctx.data.add(
                LandShare,
                parcel_id=parcel,
                member_id=household.ref,
                area_mu=area,
                start_on=household.joined_on,
                end_on=household.left_on or share_end,
                guarantee_per_mu=guarantee,
                shares_per_mu=shares_per_mu,
                share_value=None if value_per_mu is None else to_money(area * value_per_mu),
            )


def add_contributed_parcel(
    ctx: DemoContext,
    plan: CoopPlan,
    member: Ref,
    member_code: str,
    term: tuple[dt.date, dt.date | None],
    area: Decimal,
    value: Decimal,
) -> None:
    """Record the parcel behind a land contribution booked as capital: a share by value, no guarantee."""
    joined_on, left_on = term
    parcel = _parcel(ctx, plan, member, member_code, area)
    ctx.data.add(
        LandShare,
        parcel_id=parcel,
        member_id=member,
        area_mu=area,
        start_on=joined_on,
        end_on=left_on or SECOND_ROUND_END,
        guarantee_per_mu=None,
        shares_per_mu=None,
        share_value=value,
    )


def _area(ctx: DemoContext, shares_per_mu: Decimal | None) -> Decimal:
    low, high = (300, 650) if shares_per_mu is not None else (150, 500)
    return Decimal(ctx.rng.randint(low, high)).scaleb(-2)


def _parcel(ctx: DemoContext, plan: CoopPlan, member: Ref, member_code: str, area: Decimal) -> Ref:
    rng, village = ctx.rng, plan.village
    plan.parcel_count += 1
    group = rng.randint(1, 6)
    return ctx.data.add(
        LandParcel,
        cooperative_id=plan.ref,
        member_id=member,
        code=f"P{plan.parcel_count:04d}",
        # 承包经营权证号: village region code, group, household, and "J" for 家庭承包.
        certificate_no=f"{village.region_code}{group:03d}{int(member_code[1:]):04d}J",
        location=f"{village.name}{rng.choice(FIELDS)}",
        area_mu=area,
        contract_end_on=EXTENDED_END if rng.random() < 0.2 else SECOND_ROUND_END,
    )
