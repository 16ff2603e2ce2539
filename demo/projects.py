"""Demo industry projects of the improvement plans: schedules, milestones and funding lines (§9.2)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal

from coopcore.models import FundingLine, FundingSource, Milestone, PlanStatus, Project, ProjectKind, ProjectStatus
from coopcore.money import to_money
from demo.context import CoopPlan, DemoContext, VillagePlan
from demo.dataset import Ref

K = ProjectKind
P = ProjectStatus
KINDS_WITH_COOPERATIVE = (K.ORDER_FARMING, K.SERVICE, K.TOURISM)  # after the cooperative's own project
KINDS_WITHOUT = (K.PROPERTY_LEASE, K.LAND_CONSOLIDATION, K.TOURISM, K.SERVICE)
NAMES = {
    K.PARTY_BRANCH_COOPERATIVE: "{village}党支部领办合作社{product}标准化基地",
    K.ORDER_FARMING: "{village}{product}订单种植基地",
    K.SERVICE: "{village}农机社会化服务队",
    K.PROPERTY_LEASE: "{village}闲置校舍改造出租",
    K.LAND_CONSOLIDATION: "{village}土地整理及高标准农田建设",
    K.TOURISM: "{village}果园采摘乡村旅游",
}
MILESTONES = ("立项批复", "招标采购", "主体工程完工", "竣工验收", "投产运营")
FUNDING_TOTAL_AT_LEAST = Decimal("15200000.00")  # §16: 1,500万元以上 coordinated
SUSPENDED = (7, 1)  # (village, project): money received in 2022 and never spent, a risk flag
OVERSPENT = (9, 0)  # spent 8% over its allocation
PLAN_LEVEL_LINES = (18, 20)  # plans with a self-raised line not tied to a project
REPORT_DAY = dt.date(2024, 12, 31)  # the demo's "today": later milestones are simply not due yet


@dataclass(frozen=True, slots=True)
class ProjectPlan:
    """A project chosen for a plan, before it is written."""

    name: str
    kind: ProjectKind
    budget: Decimal
    status: ProjectStatus
    start_on: dt.date
    due_on: dt.date
    completed_on: dt.date | None


def project_budgets(ctx: DemoContext, count: int) -> list[Decimal]:
    """Return count budgets that add up to at least the district's 15,000,000 yuan."""
    budgets = [ctx.step(200_000, 1_000_000, 10_000) for _ in range(count)]
    short = FUNDING_TOTAL_AT_LEAST - sum(budgets, Decimal(0))
    if short > 0:
        extra = (short / count / 10_000).to_integral_value(rounding=ROUND_CEILING) * 10_000
        budgets = [budget + extra for budget in budgets]
    return budgets


def plan_projects(
    ctx: DemoContext,
    village: VillagePlan,
    index: int,
    status: PlanStatus,
    budgets: Iterator[Decimal],
    count: int,
    cooperative: CoopPlan | None,
) -> list[ProjectPlan]:
    """Choose a plan's projects: kinds, names, budgets and a schedule that fits the plan's status."""
    rng = ctx.rng
    if cooperative is None:
        kinds = rng.sample(KINDS_WITHOUT, count)
    else:
        kinds = [K.PARTY_BRANCH_COOPERATIVE, *rng.sample(KINDS_WITH_COOPERATIVE, count - 1)]
    product = rng.choice(("苹果", "樱桃")) if cooperative is None else cooperative.product
    projects = []
    for number, kind in enumerate(kinds):
        name = NAMES[kind].format(village=village.name, product=product)
        project_status, start_on, due_on, completed_on = _schedule(ctx, status, number, (index, number) == SUSPENDED)
        projects.append(ProjectPlan(name, kind, next(budgets), project_status, start_on, due_on, completed_on))
    return projects


def _schedule(
    ctx: DemoContext, status: PlanStatus, number: int, suspended: bool
) -> tuple[ProjectStatus, dt.date, dt.date, dt.date | None]:
    day, rng = ctx.day_between, ctx.rng
    if suspended:
        start_on = day(dt.date(2022, 10, 1), dt.date(2023, 3, 31))
        return P.SUSPENDED, start_on, start_on + dt.timedelta(days=365), None
    if status is PlanStatus.FILED:
        start_on = day(dt.date(2025, 3, 1), dt.date(2025, 5, 31))
        return P.PLANNED, start_on, start_on + dt.timedelta(days=rng.randint(240, 420)), None
    done = status is PlanStatus.MONITORED or (status is PlanStatus.ACHIEVED and number == 0)
    if done:
        start_on = day(dt.date(2022, 5, 1), dt.date(2023, 1, 31))
        due_on = start_on + dt.timedelta(days=rng.randint(240, 420))
        completed_on = min(dt.date(2024, 10, 31), due_on + dt.timedelta(days=rng.randint(-30, 45)))
        return P.COMPLETED, start_on, due_on, completed_on
    start_on = day(dt.date(2023, 3, 1), dt.date(2024, 3, 31))
    return P.UNDERWAY, start_on, start_on + dt.timedelta(days=rng.randint(300, 540)), None


def add_projects(ctx: DemoContext, plan: Ref, index: int, projects: list[ProjectPlan]) -> None:
    """Write a plan's projects with their milestones and funding lines."""
    for number, project in enumerate(projects):
        ref = ctx.data.add(
            Project,
            plan_id=plan,
            name=project.name,
            kind=project.kind,
            budget=project.budget,
            start_on=project.start_on,
            due_on=project.due_on,
            completed_on=project.completed_on,
            status=project.status,
        )
        _add_milestones(ctx, ref, project)
        _add_funding(ctx, plan, ref, project, overspent=(index, number) == OVERSPENT)
    if index in PLAN_LEVEL_LINES:
        allocated = ctx.step(50_000, 150_000, 10_000)
        spent = to_money(allocated * ctx.rng.randint(40, 90) / 100)
        _line(ctx, plan, None, FundingSource.SELF_RAISED, allocated, allocated, spent, dt.date(2023, 3, 15))


def _add_milestones(ctx: DemoContext, project: Ref, plan: ProjectPlan) -> None:
    rng = ctx.rng
    titles = MILESTONES[: rng.randint(3, 5)]
    span = plan.due_on - plan.start_on
    for number, title in enumerate(titles, start=1):
        due_on = plan.start_on + span * number // len(titles)
        done_on: dt.date | None = None
        late = dt.timedelta(days=rng.randint(-10, 25))
        if plan.status is P.COMPLETED and plan.completed_on is not None:
            done_on = min(max(plan.start_on, due_on + late), plan.completed_on)
        elif plan.status is P.UNDERWAY and due_on <= dt.date(2024, 9, 30) and rng.random() < 0.75:
            done_on = min(due_on + late, REPORT_DAY)
        elif plan.status is P.SUSPENDED and number == 1:
            done_on = due_on
        # Anything else past its date and not done is overdue: the tracker's red list.
        ctx.data.add(Milestone, project_id=project, title=title, due_on=due_on, done_on=done_on)


def _add_funding(ctx: DemoContext, plan: Ref, project: Ref, info: ProjectPlan, *, overspent: bool) -> None:
    rng = ctx.rng
    main_source = (
        FundingSource.CONNECTION_FUND
        if info.kind in (K.PARTY_BRANCH_COOPERATIVE, K.ORDER_FARMING, K.LAND_CONSOLIDATION)
        else FundingSource.COLLECTIVE_SUPPORT_FUND
    )
    main = to_money(info.budget * rng.randint(70, 90) / 100)
    other = info.budget - main
    other_source = rng.choice((FundingSource.SELF_RAISED, FundingSource.SOCIAL_AID))
    received_on = info.start_on - dt.timedelta(days=rng.randint(10, 60))
    if info.status is P.SUSPENDED:
        _line(ctx, plan, project, main_source, main, main, Decimal("0.00"), dt.date(2022, 9, 20))
        _line(ctx, plan, project, other_source, other, Decimal("0.00"), Decimal("0.00"), None)
    elif info.status is P.PLANNED:
        early = rng.random() < 0.5  # some money arrives before the work starts
        received = main if early else Decimal("0.00")
        arrived_on = ctx.day_between(dt.date(2024, 11, 1), dt.date(2024, 12, 20)) if early else None
        _line(ctx, plan, project, main_source, main, received, Decimal("0.00"), arrived_on)
        _line(ctx, plan, project, other_source, other, Decimal("0.00"), Decimal("0.00"), None)
    elif info.status is P.UNDERWAY:
        share = Decimal(rng.randint(30, 80)) / 100
        for source, amount in ((main_source, main), (other_source, other)):
            _line(ctx, plan, project, source, amount, amount, to_money(amount * share), received_on)
    else:
        spent = to_money(main * Decimal("1.08")) if overspent else main
        _line(ctx, plan, project, main_source, main, main, spent, received_on)
        _line(ctx, plan, project, other_source, other, other, other, received_on)


def _line(
    ctx: DemoContext,
    plan: Ref,
    project: Ref | None,
    source: FundingSource,
    allocated: Decimal,
    received: Decimal,
    spent: Decimal,
    received_on: dt.date | None,
) -> None:
    ctx.data.add(
        FundingLine,
        plan_id=plan,
        project_id=project,
        source=source,
        allocated=allocated,
        received=received,
        spent=spent,
        received_on=received_on,
        # [KJ 第三十三条]: what 衔接资金 builds is a poverty-alleviation project asset, kept on a memo book.
        forms_poverty_asset=source is FundingSource.CONNECTION_FUND,
    )
