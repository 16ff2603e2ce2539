"""Demo rosters: the village collective as M01, founders, households, joiners, leavers, and their accounts."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, Decimal

from coopcore.models import AccountEntryKind, Member, MemberAccountEntry, MemberKind
from coopcore.money import to_money
from demo.context import DEMO_MARK, DISTRICT_CODE, CoopPlan, DemoContext, MemberPlan
from demo.dataset import Ref
from demo.land import add_contributed_parcel

FOUNDING_HOUSEHOLDS = 6  # with the collective, seven founders: [L-12] asks for at least five
# [L-20]: over 20 members, organisations may be at most 5%; with the collective that allows a second
# organisation from 40 members on, so only rosters that stay above 40 after leavers get an enterprise.
ENTERPRISE_FROM = 44
NON_FARMER_FROM = 50
ENTERPRISE_MEMBERS = (
    "烟台市鑫农农资有限公司",
    "烟台绿源冷链物流有限公司",
    "烟台沃土生物肥业有限公司",
    "烟台果联包装制品有限公司",
    "烟台农丰植保服务有限公司",
)
IN_KIND = ("农机具折价出资", "旋耕机折价出资", "冷藏设备折价出资", "喷灌设备折价出资")
POVERTY_COOPS = (3, 7, 9, 18, 22)  # cooperatives in weak villages holding household poverty-project assets
LAND_VALUE_PER_MU = Decimal("1500")  # agreed value of land-management rights contributed as capital
OPENING_DAY = dt.date(2022, 1, 1)
YEAR_END_2023 = dt.date(2023, 12, 31)
Contribution = tuple[AccountEntryKind, Decimal, Decimal | None, str]


@dataclass
class _Pending:
    """A member before its code is known (codes follow the order of joining)."""

    kind: MemberKind
    name: str
    id_number: str
    joined_on: dt.date
    phone: str | None = None
    founder: bool = False
    household_size: int | None = None
    contributions: list[Contribution] = field(default_factory=list)
    left_on: dt.date | None = None
    exit_applied_on: dt.date | None = None
    additional_votes: int = 0

    @property
    def capital(self) -> Decimal:
        return sum((amount for _, amount, _, _ in self.contributions), Decimal("0.00"))


def add_roster(ctx: DemoContext, plan: CoopPlan, size: int, *, land_shares: bool, big_holder: bool) -> None:
    """Generate a cooperative's members at 2022-01-01 (size in all), joiners, leavers and their accounts.

    In land-share cooperatives (land_shares) land enters as shares with a guaranteed rent, not as capital.
    """
    rng = ctx.rng
    names: set[str] = {plan.village.secretary}
    village = plan.village
    last_initial_day = dt.date(2021, 12, 31)
    pending = [_collective(ctx, plan, big=size >= 100)]
    organisations = 2 if size >= ENTERPRISE_FROM else 1
    non_farmers = 1 if size >= NON_FARMER_FROM else 0
    for number in range(size - organisations - non_farmers):
        founder = number < FOUNDING_HOUSEHOLDS
        joined_on = plan.founded_on if founder else ctx.day_between(plan.founded_on, last_initial_day)
        pending.append(_household(ctx, plan, names, joined_on, founder=founder, secretary=number == 0, big=size >= 100))
    if organisations == 2:
        joined_on = ctx.day_between(plan.founded_on, last_initial_day)
        name = rng.choice(ENTERPRISE_MEMBERS)
        code = ctx.people.organisation_code(name, "91", DISTRICT_CODE)
        cash = ctx.step(10_000, 30_000, 5_000)
        enterprise = _Pending(MemberKind.ENTERPRISE, name, code, joined_on)
        enterprise.contributions.append((AccountEntryKind.CONTRIBUTION_CASH, cash, None, "企业成员货币出资"))
        pending.append(enterprise)
    if non_farmers:
        person = ctx.people.person(avoid=names)
        joined_on = ctx.day_between(plan.founded_on, last_initial_day)
        technician = _Pending(MemberKind.NON_FARMER, person.name, person.id_number, joined_on, person.phone)
        technician.contributions.append(
            (AccountEntryKind.CONTRIBUTION_CASH, ctx.step(2_000, 8_000, 1_000), None, "农技员货币出资")
        )
        pending.append(technician)
    for year in (2023, 2024):
        for _ in range(rng.randint(0, 2 + size // 20)):
            joined_on = ctx.day_between(dt.date(year, 1, 5), dt.date(year, 4, 30))
            pending.append(_household(ctx, plan, names, joined_on, small=True))
    _add_special_contributions(ctx, plan, pending, land_shares=land_shares, big_holder=big_holder)
    _choose_leavers(ctx, pending, size)
    if size >= 100:
        # [L-22]: additional votes for the largest contributors, far below 20% of the basic votes.
        households = [p for p in pending if p.kind is MemberKind.FARMER and p.left_on is None]
        for household in sorted(households, key=lambda p: -p.capital)[:5]:
            household.additional_votes = 2
    pending.sort(key=lambda p: p.joined_on)  # stable: the collective and the founders keep their order
    width = 3 if len(pending) >= 100 else 2
    for number, member in enumerate(pending, start=1):
        _write_member(ctx, plan, member, f"M{number:0{width}d}", village.township + village.name)


def _collective(ctx: DemoContext, plan: CoopPlan, *, big: bool) -> _Pending:
    village = plan.village
    member = _Pending(
        MemberKind.VILLAGE_COLLECTIVE, village.collective_name, village.collective_code, plan.founded_on, founder=True
    )
    cash = ctx.step(200_000, 400_000, 50_000) if big else ctx.step(50_000, 200_000, 10_000)
    member.contributions.append((AccountEntryKind.CONTRIBUTION_CASH, cash, None, "村集体资金入股"))
    if big or plan.index % 3 == 0:
        kind = AccountEntryKind.CONTRIBUTION_IN_KIND
        member.contributions.append((kind, ctx.step(30_000, 150_000, 10_000), None, "集体闲置厂房及机井折价入股"))
    return member


def _household(
    ctx: DemoContext,
    plan: CoopPlan,
    names: set[str],
    joined_on: dt.date,
    *,
    founder: bool = False,
    secretary: bool = False,
    small: bool = False,
    big: bool = False,
) -> _Pending:
    village = plan.village
    if secretary:
        # 村党组织书记原则上通过法定程序担任合作社负责人 (§8.2): the secretary's household founds it.
        male = village.secretary_male
        name, id_number, phone = village.secretary, ctx.people.resident_id(male=male), ctx.people.phone()
    else:
        person = ctx.people.person(avoid=names)
        name, id_number, phone = person.name, person.id_number, person.phone
    size = ctx.rng.choice((1, 2, 2, 3, 3, 3, 4, 4, 4, 5, 5, 6))
    member = _Pending(MemberKind.FARMER, name, id_number, joined_on, phone, founder, size)
    if small:
        cash = ctx.step(1_000, 6_000, 500)
    elif big:
        cash = ctx.step(2_000, 20_000, 1_000)
    else:
        cash = ctx.step(1_000, 10_000, 500)
    member.contributions.append((AccountEntryKind.CONTRIBUTION_CASH, cash, None, "货币出资"))
    return member


def _add_special_contributions(
    ctx: DemoContext, plan: CoopPlan, pending: list[_Pending], *, land_shares: bool, big_holder: bool
) -> None:
    rng = ctx.rng
    households = [p for p in pending if p.kind is MemberKind.FARMER]
    for household in households:
        if not land_shares and rng.random() < 0.1:
            area = Decimal(rng.randint(100, 500)).scaleb(-2)
            amount = to_money(area * LAND_VALUE_PER_MU)
            household.contributions.append((AccountEntryKind.CONTRIBUTION_LAND, amount, area, "土地经营权作价出资"))
        if rng.random() < 0.05:
            household.contributions.append(
                (AccountEntryKind.CONTRIBUTION_IN_KIND, ctx.step(2_000, 12_000, 500), None, rng.choice(IN_KIND))
            )
    if plan.index in POVERTY_COOPS:
        for household in rng.sample(households[FOUNDING_HOUSEHOLDS:], rng.randint(1, 2)):
            amount = ctx.step(2_000, 8_000, 500)
            memo = "到户扶贫项目资产（果树苗木、滴灌设备）折价出资"
            household.contributions.append((AccountEntryKind.CONTRIBUTION_POVERTY_ASSET, amount, None, memo))
    if big_holder:
        # The documented finding: a large household over the Yantai 20% cap (about a third of all capital).
        holder = households[1]
        others = sum((p.capital for p in pending if p is not holder), Decimal(0))
        big = (others / 2 / 1000).to_integral_value(rounding=ROUND_CEILING) * 1000
        holder.contributions[0] = (AccountEntryKind.CONTRIBUTION_CASH, to_money(big), None, "种植大户货币出资")


def _choose_leavers(ctx: DemoContext, pending: list[_Pending], size: int) -> None:
    candidates = [
        p for p in pending if p.kind is MemberKind.FARMER and not p.founder and p.joined_on < dt.date(2023, 1, 1)
    ]
    for leaver in ctx.rng.sample(candidates, min(len(candidates), ctx.rng.randint(0, 1 + size // 30))):
        # [L-25]: a farmer applies in writing three months before the fiscal year ends, and leaves at its end.
        leaver.exit_applied_on = ctx.day_between(dt.date(2023, 3, 1), dt.date(2023, 9, 25))
        leaver.left_on = YEAR_END_2023


def _write_member(ctx: DemoContext, plan: CoopPlan, member: _Pending, code: str, place: str) -> None:
    data, rng = ctx.data, ctx.rng
    person = member.kind in (MemberKind.FARMER, MemberKind.NON_FARMER)
    address = f"{place}{rng.randint(1, 260)}号" if person else f"{place}村委大院"
    ref = data.add(
        Member,
        cooperative_id=plan.ref,
        code=code,
        name=member.name,
        kind=member.kind,
        id_number=member.id_number,
        household_head=member.name if member.kind is MemberKind.FARMER else None,
        household_size=member.household_size,
        phone=member.phone,
        address=address,
        joined_on=member.joined_on,
        exit_applied_on=member.exit_applied_on,
        left_on=member.left_on,
        is_founder=member.founder,
        additional_votes=member.additional_votes,
        member_cooperative_id=None,
        village_collective_id=plan.village.collective if member.kind is MemberKind.VILLAGE_COLLECTIVE else None,
    )
    plan.members.append(
        MemberPlan(ref, code, member.name, member.kind, member.joined_on, member.left_on, member.capital)
    )
    for kind, amount, area, memo in member.contributions:
        add_entry(ctx, ref, member.joined_on, kind, amount, memo, area_mu=area)
        if area is not None:
            add_contributed_parcel(ctx, plan, ref, code, (member.joined_on, member.left_on), area, amount)
    if member.joined_on < OPENING_DAY and rng.random() < 0.75:
        collective = member.kind is MemberKind.VILLAGE_COLLECTIVE
        opening = ctx.fen(500, 8_000) if collective else ctx.fen(50, 3_500)
        add_entry(ctx, ref, OPENING_DAY, AccountEntryKind.PROVIDENT_SHARE, opening, "期初公积金份额", mark=False)


def add_entry(
    ctx: DemoContext,
    member: Ref,
    entry_on: dt.date,
    kind: AccountEntryKind,
    amount: Decimal,
    memo: str,
    *,
    area_mu: Decimal | None = None,
    mark: bool = True,
) -> None:
    """Append a member-account entry; source "demo" marks every demo entry."""
    ctx.data.add(
        MemberAccountEntry,
        member_id=member,
        entry_on=entry_on,
        kind=kind,
        amount=amount,
        area_mu=area_mu,
        memo=memo + DEMO_MARK if mark else memo,
        source="demo",
    )
