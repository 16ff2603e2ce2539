"""Demo weak villages (集体经济薄弱村): an improvement plan each, links, progress notes and income 2022–2024."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from coopcore.models import (
    ImprovementPlan,
    Origin,
    PlanStatus,
    ProgressEntry,
    VillageIncome,
    VillageIncomeCategory,
)
from coopcore.money import to_money
from demo.context import DEMO_MARK, YEARS, CoopPlan, DemoContext, VillagePlan
from demo.dataset import Ref
from demo.enterprises import CONTRACTS
from demo.projects import ProjectPlan, add_projects, plan_projects, project_budgets

LAST_YEAR = YEARS[-1]
S = PlanStatus
# Village index, status, target income (yuan), target year, number of projects, causes (§9.2 tags).
WEAK_VILLAGES = (
    (3, S.ACHIEVED, 120_000, 2024, 2, "资源、班子"),
    (5, S.IN_PROGRESS, 150_000, 2025, 2, "区位、资源"),
    (7, S.IN_PROGRESS, 100_000, 2025, 2, "资源、债务"),
    (9, S.MONITORED, 110_000, 2024, 2, "班子"),
    (11, S.FILED, 100_000, 2026, 1, "区位、资源"),
    (12, S.IN_PROGRESS, 130_000, 2025, 2, "债务、其他"),
    (13, S.ACHIEVED, 100_000, 2024, 2, "资源"),
    (14, S.FILED, 120_000, 2026, 2, "区位"),
    (18, S.MONITORED, 150_000, 2024, 2, "资源、区位"),
    (20, S.ACHIEVED, 200_000, 2025, 2, "班子、资源"),
    (22, S.IN_PROGRESS, 120_000, 2025, 2, "资源"),
    (25, S.IN_PROGRESS, 100_000, 2025, 1, "区位、债务"),
    (26, S.ACHIEVED, 100_000, 2024, 2, "资源、其他"),
    (27, S.FILED, 150_000, 2026, 2, "区位、资源"),
    (28, S.IN_PROGRESS, 100_000, 2026, 1, "债务"),
)
FALLING = (12, 25, 27)  # 经营性收入 drops in 2024: the risk list of §9.3 has something to show
MENTOR_COOPERATIVES = (4, 15)  # 强村带弱村: the strong cooperative of each township helps villages without one
SENT_BY = ("区农业农村局", "区财政局", "区委组织部", "区供销社", "区自然资源和规划局")


@dataclass(frozen=True, slots=True)
class WeakVillage:
    """A weak village as its plan is generated."""

    village: VillagePlan
    status: PlanStatus
    target: Decimal
    target_year: int
    cooperative: CoopPlan | None  # the village's own party-branch cooperative, if it has one


def add_weak_villages(ctx: DemoContext) -> None:
    """Generate the fifteen weak villages' incomes, improvement plans, projects and progress notes."""
    own = {plan.index: plan for plan in ctx.cooperatives}
    budgets = iter(project_budgets(ctx, sum(spec[4] for spec in WEAK_VILLAGES)))
    for index, status, target, target_year, project_count, causes in WEAK_VILLAGES:
        village = ctx.villages[index]
        weak = WeakVillage(village, status, Decimal(target).quantize(Decimal("0.01")), target_year, own.get(index))
        incomes = _incomes(ctx, weak, index in FALLING)
        projects = plan_projects(ctx, village, index, status, budgets, project_count, weak.cooperative)
        plan = _add_plan(ctx, weak, incomes[2022], projects, causes)
        _link(ctx, weak, plan)
        add_projects(ctx, plan, index, projects)
        _add_progress(ctx, plan, weak, incomes, projects)


def _incomes(ctx: DemoContext, weak: WeakVillage, falling: bool) -> dict[int, Decimal]:
    """Generate the village's income rows; return its 经营性收入 (operating + investment + rent) per year."""
    fen, target = ctx.fen, weak.target
    baseline = fen(15_000, 85_000)
    if weak.status is S.ACHIEVED:
        middle = baseline + to_money((target - baseline) * ctx.rng.randint(50, 80) / 100)
        latest = to_money(target * ctx.rng.randint(102, 115) / 100) + fen(0, 2_000)
    elif weak.status is S.MONITORED:
        middle = to_money(target * ctx.rng.randint(102, 110) / 100) + fen(0, 2_000)
        latest = to_money(target * ctx.rng.randint(105, 120) / 100) + fen(0, 2_000)
    else:
        growth = (110, 150) if weak.status is S.IN_PROGRESS else (95, 110)
        # Villages not yet through stay under the weak line of 100,000.
        middle = min(fen(86_000, 91_000), to_money(baseline * ctx.rng.randint(*growth) / 100))
        change = (80, 92) if falling else (103, 130)
        latest = min(fen(93_000, 98_500), to_money(middle * ctx.rng.randint(*change) / 100))
    totals = dict(zip(YEARS, (baseline, middle, latest), strict=True))
    for year, total in totals.items():
        _add_income_rows(ctx, weak, year, total)
    return totals


def _add_income_rows(ctx: DemoContext, weak: WeakVillage, year: int, total: Decimal) -> None:
    rng, category = ctx.rng, VillageIncomeCategory
    if weak.cooperative is not None:
        dividend = to_money(total * rng.randint(20, 40) / 100)
        rent = to_money(total * rng.randint(20, 40) / 100)
    else:
        dividend, rent = Decimal("0.00"), to_money(total * rng.randint(40, 60) / 100)
    # The cooperative's dividend is not typed in: posting its distribution links it (2022 and 2023 are
    # posted by the demo; 2024 is left for the user to run), so it can never be counted twice.
    operating = total - rent - (dividend if year < LAST_YEAR else Decimal("0.00"))
    rows = [
        (category.OPERATING, operating, "集体经营收入（农机服务、果品代购）"),
        (category.RENT, rent, "土地及闲置资产发包、租赁收入"),
    ]
    if rng.random() < 0.6:
        rows.append((category.SUBSIDY, ctx.fen(10_000, 50_000), "上级转移支付补助（不计入经营性收入）"))
    if rng.random() < 0.3:
        rows.append((category.OTHER, ctx.fen(1_000, 8_000), "其他收入"))
    for kind, amount, memo in rows:
        ctx.data.add(
            VillageIncome,
            village_id=weak.village.ref,
            year=year,
            category=kind,
            amount=amount,
            origin=Origin.MANUAL,
            source_ref=None,
            memo=memo + DEMO_MARK,
        )


def _add_plan(ctx: DemoContext, weak: WeakVillage, baseline: Decimal, projects: list[ProjectPlan], causes: str) -> Ref:
    village = weak.village
    if weak.status is S.FILED:
        filed_on = ctx.day_between(dt.date(2024, 9, 1), dt.date(2024, 11, 30))
    else:
        filed_on = ctx.day_between(dt.date(2022, 3, 1), dt.date(2022, 6, 30))
    measures = "；".join(f"{n}. {p.name}" for n, p in enumerate(projects, start=1))
    cadres = (
        f"包村干部：{ctx.people.name(male=ctx.rng.random() < 0.6)}（{village.township}农业农村办）；"
        f"第一书记：{ctx.people.name(male=ctx.rng.random() < 0.7)}（{ctx.rng.choice(SENT_BY)}派驻）"
    )
    return ctx.data.add(
        ImprovementPlan,
        village_id=village.ref,
        filed_on=filed_on,
        baseline_year=2022,
        baseline_income=baseline,
        target_income=weak.target,
        target_year=weak.target_year,
        causes=causes,
        measures=measures + "。" + DEMO_MARK,
        cadres=cadres,
        status=weak.status,
    )


def _link(ctx: DemoContext, weak: WeakVillage, plan: Ref) -> None:
    partner = weak.cooperative or ctx.cooperative(MENTOR_COOPERATIVES[weak.village.township_index])
    ctx.data.link(ImprovementPlan.cooperatives, plan, partner.ref)
    enterprises = [enterprise for enterprise, cooperative, *_ in CONTRACTS if cooperative == partner.index]
    if not enterprises:
        enterprises = [ctx.rng.randrange(len(ctx.enterprises))]
    for enterprise in dict.fromkeys(enterprises):  # in order, once each
        ctx.data.link(ImprovementPlan.enterprises, plan, ctx.enterprises[enterprise])


PHRASES = (
    "按计划推进",
    "完成阶段性目标",
    "上级资金已拨付到位",
    "进度滞后，已约谈督导整改",
    "召开村民代表会议议定实施方案",
    "带动村民务工增收",
)


def _add_progress(
    ctx: DemoContext, plan: Ref, weak: WeakVillage, incomes: dict[int, Decimal], projects: list[ProjectPlan]
) -> None:
    """Add a progress note at each quarter end from filing to the end of 2024, with income to date."""
    filed_on = ctx.data.row(plan)["filed_on"]
    for year in YEARS:
        for quarter in range(1, 5):
            quarter_end = dt.date(year, 3 * quarter, 30 if quarter in (2, 3) else 31)
            if quarter_end < filed_on:
                continue
            if weak.status is S.FILED:
                note = f"已建档立卡，{projects[0].name}完成前期调研"
            else:
                project = projects[(quarter - 1) % len(projects)]
                note = f"{project.name}{ctx.rng.choice(PHRASES)}"
            ctx.data.add(
                ProgressEntry,
                plan_id=plan,
                entry_on=quarter_end,
                note=f"{year}年第{quarter}季度：{note}。{DEMO_MARK}",
                income_to_date=to_money(incomes[year] * quarter / 4),
            )
