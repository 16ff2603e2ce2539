"""The 21 demo party-branch-led cooperatives with their bylaws; rosters and land come from sibling modules."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from coopcore.models import Bylaws, Cooperative, PatronageMeasure, ProvidentBasis
from demo.context import DEMO_MARK, DISTRICT_CODE, CoopPlan, DemoContext
from demo.land import add_land
from demo.members import add_roster

CHENLIANG = 15  # 晨靓果业专业合作社, the showcase of the README's demo section
LAND_SHARE_COOP = 16  # 杏花: a land-share cooperative measuring patronage in mu (§7.3)
CAP_FINDING = 7  # one household holds more than the Yantai 20% of capital (§8.2): a warning
RATE_FINDING = 10  # provident-fund rate 0.12, outside the Yantai 5–10% band (§8.2): a warning
T = ProvidentBasis.TRANSACTIONS
C = ProvidentBasis.CONTRIBUTIONS
H = ProvidentBasis.HALF


@dataclass(frozen=True, slots=True)
class CoopSpec:
    """A cooperative of the demo: its village (index), name, main product, roster at 2022-01-01 and bylaws."""

    village: int
    name: str
    product: str
    size: int
    rate: str
    ratio: str
    basis: ProvidentBasis = T
    measure: PatronageMeasure = PatronageMeasure.AMOUNT
    brand: str = ""


COOPERATIVES = (
    CoopSpec(0, "王家夼红富士苹果专业合作社", "苹果", 38, "0.10", "0.70"),
    CoopSpec(1, "李格庄大樱桃专业合作社", "樱桃", 26, "0.08", "0.65", brand="李格庄红"),
    CoopSpec(2, "东泊子葡萄种植专业合作社", "葡萄", 44, "0.06", "0.60"),
    CoopSpec(3, "西寨芸豆种植专业合作社", "芸豆", 22, "0.05", "0.75", C),
    CoopSpec(4, "南疃果品专业合作社", "苹果", 52, "0.10", "0.80"),
    CoopSpec(5, "北沟樱桃种植专业合作社", "樱桃", 18, "0.08", "0.70"),
    CoopSpec(6, "前河鲜食葡萄专业合作社", "葡萄", 30, "0.05", "0.65", H),
    CoopSpec(CAP_FINDING, "后庄苹果专业合作社", "苹果", 12, "0.10", "0.60"),
    CoopSpec(8, "上林蜜桃专业合作社", "桃", 24, "0.07", "0.70"),
    CoopSpec(9, "下庄头蔬菜种植专业合作社", "芸豆", 28, "0.05", "0.60", C),
    CoopSpec(RATE_FINDING, "大柳行樱桃专业合作社", "樱桃", 34, "0.12", "0.70"),
    CoopSpec(CHENLIANG, "晨靓果业专业合作社", "苹果", 122, "0.10", "0.70", brand="九妹山"),
    CoopSpec(LAND_SHARE_COOP, "杏花葡萄土地股份专业合作社", "葡萄", 46, "0.08", "0.60", measure=PatronageMeasure.MU),
    CoopSpec(17, "东院庄樱桃专业合作社", "樱桃", 20, "0.10", "0.75"),
    CoopSpec(18, "姜家疃苹果种植专业合作社", "苹果", 36, "0.06", "0.70", H),
    CoopSpec(19, "林家庄草莓专业合作社", "草莓", 16, "0.05", "0.65"),
    CoopSpec(20, "马山葡萄专业合作社", "葡萄", 40, "0.08", "0.70", brand="马山紫"),
    CoopSpec(21, "泉水头果品专业合作社", "苹果", 58, "0.10", "0.65"),
    CoopSpec(22, "张格庄芸豆专业合作社", "芸豆", 25, "0.06", "0.70", measure=PatronageMeasure.QUANTITY),
    CoopSpec(23, "赵家夼大樱桃专业合作社", "樱桃", 32, "0.08", "0.80"),
    CoopSpec(24, "迟家沟葡萄专业合作社", "葡萄", 27, "0.07", "0.70"),
)
BUSINESS = {
    "苹果": "苹果种植、收购、储藏、销售",
    "樱桃": "大樱桃种植、收购、销售",
    "葡萄": "葡萄种植、收购、销售",
    "芸豆": "芸豆等蔬菜种植、收购、销售",
    "桃": "桃种植、收购、销售",
    "草莓": "草莓种植、采摘、销售",
}
BYLAWS_EFFECTIVE_ON = dt.date(2022, 1, 1)


def add_cooperatives(ctx: DemoContext) -> None:
    """Generate the 21 cooperatives led by their village party branches, with bylaws, rosters and land."""
    for spec in COOPERATIVES:
        village = ctx.villages[spec.village]
        if spec.village == CHENLIANG:
            founded_on = dt.date(2019, 4, 18)
        else:
            founded_on = ctx.day_between(dt.date(2018, 3, 1), dt.date(2021, 6, 30))
        code = ctx.people.credit_code("93", DISTRICT_CODE, "MA3")
        ref = ctx.data.add(
            Cooperative,
            name=spec.name,
            credit_code=code,
            village_id=village.ref,
            party_branch_id=village.branch,
            founded_on=founded_on,
            business_type=BUSINESS[spec.product],
            brand=spec.brand,
            is_federation=False,
            is_demo=True,
        )
        plan = CoopPlan(ref, spec.village, spec.name, code, village, spec.product, founded_on)
        ctx.cooperatives.append(plan)
        ctx.data.add(
            Bylaws,
            cooperative_id=ref,
            effective_on=BYLAWS_EFFECTIVE_ON,
            provident_fund_rate=Decimal(spec.rate),
            patronage_ratio=Decimal(spec.ratio),
            provident_basis=spec.basis,
            patronage_measure=spec.measure,
            resolution=f"{founded_on.year}年成员大会通过，2021年12月成员大会修订，自2022年1月1日起施行{DEMO_MARK}",
        )
        land_shares = spec.village in (CHENLIANG, LAND_SHARE_COOP)
        add_roster(ctx, plan, spec.size, land_shares=land_shares, big_holder=spec.village == CAP_FINDING)
        if spec.village == CHENLIANG:
            add_land(ctx, plan, shares_per_mu=Decimal("8000"), guarantee=Decimal("700.00"), minimum_mu=520)
        elif spec.village == LAND_SHARE_COOP:
            add_land(ctx, plan, value_per_mu=Decimal("1000"), guarantee=Decimal("650.00"), minimum_mu=150)
