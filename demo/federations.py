"""Demo federations (联合社, [L-56]): cooperatives as members, their capital and their produce."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from coopcore.models import (
    AccountEntryKind,
    Bylaws,
    Cooperative,
    Member,
    MemberKind,
    PatronageMeasure,
    ProvidentBasis,
    TradeKind,
)
from coopcore.money import to_money
from demo.business import CROPS, crop_price, season, ticket, write_tickets
from demo.context import DEMO_MARK, DISTRICT_CODE, YEARS, CoopPlan, DemoContext, MemberPlan
from demo.members import add_entry

# Name, crop, the member cooperatives (spec indices; the first one's village is the seat). [L-56]: three or more.
FEDERATIONS = (
    ("凤鸣泉山果品专业合作社联合社", "苹果", (15, 0, 4, 21)),
    ("泉山葡萄产业专业合作社联合社", "葡萄", (16, 2, 6, 20)),
    ("凤鸣大樱桃专业合作社联合社", "樱桃", (1, 5, 10, 17, 23)),
)
FEDERATION_INDEX = 100  # federations' keys for per-year intake lists, apart from the cooperatives' 0–29


def add_federations(ctx: DemoContext) -> None:
    """Generate the federations with their member cooperatives, contributions and bulk intake."""
    for number, (name, product, member_indices) in enumerate(FEDERATIONS):
        members = [ctx.cooperative(index) for index in member_indices]
        founded_on = ctx.day_between(dt.date(2021, 3, 1), dt.date(2021, 10, 31))
        code = ctx.people.credit_code("93", DISTRICT_CODE, "MA3")
        seat = members[0].village
        ref = ctx.data.add(
            Cooperative,
            name=name,
            credit_code=code,
            village_id=seat.ref,
            party_branch_id=None,
            founded_on=founded_on,
            business_type=f"成员社{product}统一收购、分级、品牌销售",
            brand="",
            is_federation=True,
            is_demo=True,
        )
        plan = CoopPlan(ref, FEDERATION_INDEX + number, name, code, seat, product, founded_on, is_federation=True)
        ctx.federations.append(plan)
        ctx.data.add(
            Bylaws,
            cooperative_id=ref,
            effective_on=dt.date(2022, 1, 1),
            provident_fund_rate=Decimal(("0.05", "0.08", "0.10")[number]),
            patronage_ratio=Decimal(("0.60", "0.65", "0.70")[number]),
            provident_basis=ProvidentBasis.TRANSACTIONS,
            patronage_measure=PatronageMeasure.AMOUNT,
            resolution=f"联合社成员大会（一社一票）通过章程，自2022年1月1日起施行{DEMO_MARK}",
        )
        for position, member in enumerate(members, start=1):
            _add_member_cooperative(ctx, plan, member, f"M{position:02d}")
        for year in YEARS:
            write_tickets(ctx, plan, year, _bulk_intake(ctx, plan, year))


def _add_member_cooperative(ctx: DemoContext, federation: CoopPlan, member: CoopPlan, code: str) -> None:
    ref = ctx.data.add(
        Member,
        cooperative_id=federation.ref,
        code=code,
        name=member.name,
        kind=MemberKind.COOPERATIVE,
        id_number=member.credit_code,
        household_head=None,
        household_size=None,
        phone=None,
        address=f"{member.village.township}{member.village.name}",
        joined_on=federation.founded_on,
        exit_applied_on=None,
        left_on=None,
        is_founder=True,
        additional_votes=0,
        member_cooperative_id=member.ref,
        village_collective_id=None,
    )
    cash = ctx.step(50_000, 200_000, 10_000)
    federation.members.append(
        MemberPlan(ref, code, member.name, MemberKind.COOPERATIVE, federation.founded_on, contribution=cash)
    )
    add_entry(ctx, ref, federation.founded_on, AccountEntryKind.CONTRIBUTION_CASH, cash, "成员社货币出资")


def _bulk_intake(ctx: DemoContext, federation: CoopPlan, year: int) -> list[dict[str, Any]]:
    # Member cooperatives deliver graded lots in bulk; the federation pays a little over the village price.
    rng = ctx.rng
    first, last = season(federation.product, year)
    low, high = CROPS[federation.product].kg
    tickets = []
    for member in federation.members:
        for _ in range(rng.randint(3, 6)):
            grade = rng.choice(("特级", "一级", "一级"))
            price = to_money(crop_price(federation.product, grade, year) * rng.randint(102, 108) / 100)
            quantity = Decimal(rng.randint(low * 10, high * 10))
            day = ctx.day_between(first, last)
            tickets.append(
                ticket(ctx, TradeKind.INTAKE, day, federation.product, quantity, price, member=member, grade=grade)
            )
    return tickets
