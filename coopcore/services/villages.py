"""Township oversight of weak villages: each village's status, progress and risks, township totals, plan states."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from coopcore.errors import RuleViolation, Term
from coopcore.labels import term
from coopcore.models import (
    FundingLine,
    FundingSource,
    ImprovementPlan,
    Milestone,
    Origin,
    PlanStatus,
    Project,
    ProjectStatus,
    Township,
    Village,
    VillageIncome,
)
from coopcore.money import ZERO
from coopcore.rules import weak_village as rules
from coopcore.rules.findings import Finding
from coopcore.rules.weak_village import Threshold, ThresholdRule
from coopcore.services.lookups import township_by_name
from coopcore.services.village_income import operating_income, threshold_in_force, threshold_rules
from coopcore.terms import VillageStatus

PLAN_LEVEL = "the plan as a whole"  # a funding line not tied to one project
DIVIDENDS = "cooperative_dividend"  # key of linked dividends beside the income categories


class PlanStepRefused(RuleViolation):
    """The plan of {village} is {state}; it cannot become {required}."""


class TargetNotReached(RuleViolation):
    """{village} had {income} of operating income in {year}; {needed} is needed before the plan is achieved."""


@dataclass(frozen=True)
class Funds:
    """Money of one funding source: allocated, received and spent."""

    allocated: Decimal = ZERO
    received: Decimal = ZERO
    spent: Decimal = ZERO

    def __add__(self, other: Funds) -> Funds:
        return Funds(self.allocated + other.allocated, self.received + other.received, self.spent + other.spent)


@dataclass(frozen=True)
class VillageRow:
    """One village in a year: its income against the weak line and its plan, and what is going wrong."""

    village_id: int
    village: str
    township: str
    threshold: Threshold
    income: Decimal | None  # 经营性收入; None when nothing is recorded for the year
    previous: Decimal | None
    by_category: dict[str, Decimal]  # every category, counted or not
    dividends: Decimal  # cooperative dividends linked into the year's income (§8.3)
    status: VillageStatus
    previous_status: VillageStatus
    plan_id: int | None = None
    plan_status: PlanStatus | None = None
    baseline_year: int | None = None
    baseline: Decimal | None = None
    target: Decimal | None = None
    target_year: int | None = None
    progress: Decimal | None = None  # as computed; may be below 0 or above 100
    risks: list[Finding] = field(default_factory=list)

    @property
    def shown_progress(self) -> Decimal | None:
        """Progress capped to 0..100 for display (§9.3)."""
        return None if self.progress is None else rules.shown_progress(self.progress)


@dataclass(frozen=True)
class TownshipTotals:
    """The township report of §9.3 for a year."""

    township: str
    villages: int
    by_status: dict[VillageStatus, int]
    with_plan: int  # villages filed as weak (一村一档) with a plan in force
    newly_achieved: int  # reached the line (and target) this year, not last year
    at_risk: int
    funds: dict[FundingSource, Funds]
    dividends: Decimal
    investment_income: Decimal


@dataclass(frozen=True)
class StatusReport:
    """Village rows and township totals of one year, with the day the risks were judged on."""

    year: int
    as_of: dt.date
    rows: list[VillageRow]
    townships: list[TownshipTotals]


NEXT_STATES = {
    PlanStatus.FILED: (PlanStatus.IN_PROGRESS,),
    PlanStatus.IN_PROGRESS: (PlanStatus.ACHIEVED,),
    PlanStatus.ACHIEVED: (PlanStatus.MONITORED, PlanStatus.IN_PROGRESS),  # back to work if it falls back
    PlanStatus.MONITORED: (PlanStatus.IN_PROGRESS,),
}


def advance_plan(
    session: Session, plan: ImprovementPlan, status: PlanStatus, *, year: int | None = None
) -> ImprovementPlan:
    """Move a plan along filed → in progress → achieved (摘帽) → monitored; achieving needs the year's income.

    Achieving is judged on `year`, by default the latest year the village reported income for (this year if none).
    """
    village = session.get_one(Village, plan.village_id)
    if status not in NEXT_STATES[plan.status]:
        raise PlanStepRefused(village=village.name, state=term(plan.status), required=term(status))
    if status is PlanStatus.ACHIEVED:
        if year is None:
            latest = select(func.max(VillageIncome.year)).where(VillageIncome.village_id == plan.village_id)
            year = session.scalar(latest) or dt.date.today().year
        threshold = threshold_in_force(session, year=year, township_id=village.township_id)
        income = operating_income(session, plan.village_id, year)
        if income is None or not rules.is_achieved(income, threshold, plan.target_income):
            needed = max(threshold.weak_below, plan.target_income)
            raise TargetNotReached(village=village.name, income=income or ZERO, year=year, needed=needed)
    plan.status = status
    session.flush()
    return plan


def village_status(
    session: Session,
    *,
    year: int,
    township: str | None = None,
    as_of: dt.date | None = None,
    idle_months: int = rules.IDLE_MONTHS,
) -> StatusReport:
    """Return every reporting village's status, progress and risks in a year, with township totals.

    A village is listed when it has a plan in force (baseline year ≤ year) or income recorded for the year. Risks
    are judged on as_of (default: 31 December of the year, or today if that is earlier); funds are idle after
    idle_months (default 6). Six queries whatever the number of villages.
    """
    return _reports(session, {year: as_of or _judged_on(year)}, township, idle_months)[year]


def village_statuses(
    session: Session, *, years: Iterable[int], township: str | None = None, idle_months: int = rules.IDLE_MONTHS
) -> dict[int, StatusReport]:
    """Return village_status's report of each year, risks judged on each year's default day, by year: the same six
    queries whatever the number of years (a township's trend over the years)."""
    return _reports(session, {year: _judged_on(year) for year in years}, township, idle_months)


def _judged_on(year: int) -> dt.date:
    """The day a year's risks are judged on by default: its last day, or today while it is not over."""
    return min(dt.date(year, 12, 31), dt.date.today())


def _reports(
    session: Session, judged_on: dict[int, dt.date], township: str | None, idle_months: int
) -> dict[int, StatusReport]:
    """The reports of some years (each with the day its risks are judged on), read together."""
    years = sorted(judged_on)
    villages = select(Village.id).join(Township)
    if township is not None:
        villages = villages.where(Township.name == township)
    names = {
        row.id: row
        for row in session.execute(
            select(Village.id, Village.name, Village.township_id, Township.name.label("township"))
            .join(Township)
            .where(Village.id.in_(villages))
            .order_by(Township.id, Village.region_code, Village.name)
        )
    }
    if township is not None and not names:
        township_by_name(session, township)  # an unknown township is refused; a known one may have no villages
        return {year: StatusReport(year, judged_on[year], [], []) for year in years}
    if not years:
        return {}
    incomes = _incomes(session, villages, years)
    lines = threshold_rules(session, years[-1])
    plans_by_year = _plans(session, villages, years)
    plan_ids = sorted({plan.id for plans in plans_by_year.values() for plan in plans.values()})
    milestones, funding = _plan_parts(session, plan_ids)
    reports = {}
    for year in years:
        plans = plans_by_year[year]
        rows: list[VillageRow] = []
        for village_id, village in names.items():
            plan = plans.get(village_id)
            if plan is None and (village_id, year) not in incomes:
                continue
            rows.append(
                _row(
                    village_id,
                    village.name,
                    village.township,
                    village.township_id,
                    year,
                    plan,
                    incomes,
                    lines,
                    milestones,
                    funding,
                    judged_on[year],
                    idle_months,
                )
            )
        reports[year] = StatusReport(year, judged_on[year], rows, _totals(rows, plans, funding))
    return reports


def _incomes(session: Session, villages: Select[int], years: list[int]) -> dict[tuple[int, int], dict[str, Decimal]]:
    """Income by (village, year) and category for the years and the ones before; dividends under their own key."""
    result: defaultdict[tuple[int, int], dict[str, Decimal]] = defaultdict(dict)
    rows = session.execute(
        select(
            VillageIncome.village_id,
            VillageIncome.year,
            VillageIncome.category,
            VillageIncome.origin,
            func.sum(VillageIncome.amount),
        )
        .where(VillageIncome.village_id.in_(villages))
        .where(VillageIncome.year.in_(sorted({year - 1 for year in years} | set(years))))
        .group_by(VillageIncome.village_id, VillageIncome.year, VillageIncome.category, VillageIncome.origin)
    )
    for village_id, income_year, category, source, amount in rows:
        sums = result[(village_id, income_year)]
        sums[category.value] = sums.get(category.value, ZERO) + amount
        if source is Origin.DISTRIBUTION:
            sums[DIVIDENDS] = sums.get(DIVIDENDS, ZERO) + amount
    return dict(result)


def _plans(session: Session, villages: Select[int], years: list[int]) -> dict[int, dict[int, ImprovementPlan]]:
    """The plan in force per village in each year, by year: the one with the latest baseline year not after it."""
    plans: dict[int, dict[int, ImprovementPlan]] = {year: {} for year in years}
    for plan in session.scalars(
        select(ImprovementPlan)
        .where(ImprovementPlan.village_id.in_(villages), ImprovementPlan.baseline_year <= years[-1])
        .order_by(ImprovementPlan.baseline_year)
    ):
        for year in years:
            if plan.baseline_year <= year:
                plans[year][plan.village_id] = plan
    return plans


def _plan_parts(
    session: Session, plan_ids: list[int]
) -> tuple[dict[int, list[rules.MilestoneFacts]], dict[int, list[tuple[FundingSource, rules.FundingFacts]]]]:
    milestones: defaultdict[int, list[rules.MilestoneFacts]] = defaultdict(list)
    funding: defaultdict[int, list[tuple[FundingSource, rules.FundingFacts]]] = defaultdict(list)
    if not plan_ids:
        return milestones, funding
    for row in session.execute(
        select(Project.plan_id, Project.name, Project.status, Milestone.title, Milestone.due_on, Milestone.done_on)
        .join(Milestone.project)
        .where(Project.plan_id.in_(plan_ids))
        .order_by(Milestone.due_on, Milestone.id)
    ):
        completed = row.status is ProjectStatus.COMPLETED
        milestones[row.plan_id].append(rules.MilestoneFacts(row.name, row.title, row.due_on, row.done_on, completed))
    for line, project in session.execute(
        select(FundingLine, Project.name)
        .outerjoin(Project, FundingLine.project_id == Project.id)
        .where(FundingLine.plan_id.in_(plan_ids))
        .order_by(FundingLine.id)
    ):
        facts = rules.FundingFacts(
            term(line.source),
            project or Term(PLAN_LEVEL),
            line.allocated,
            line.received,
            line.spent,
            line.received_on,
        )
        funding[line.plan_id].append((line.source, facts))
    return milestones, funding


def _row(
    village_id: int,
    name: str,
    township: str,
    township_id: int,
    year: int,
    plan: ImprovementPlan | None,
    incomes: dict[tuple[int, int], dict[str, Decimal]],
    lines: list[ThresholdRule],
    milestones: dict[int, list[rules.MilestoneFacts]],
    funding: dict[int, list[tuple[FundingSource, rules.FundingFacts]]],
    as_of: dt.date,
    idle_months: int,
) -> VillageRow:
    def counted(income_year: int) -> tuple[Decimal | None, dict[str, Decimal]]:
        sums = incomes.get((village_id, income_year))
        if sums is None:
            return None, {}
        by_category = {key: amount for key, amount in sums.items() if key != DIVIDENDS}
        return rules.operating_income(by_category), by_category

    income, by_category = counted(year)
    previous, _ = counted(year - 1)
    threshold = rules.threshold_for(lines, year=year, township_id=township_id)
    previous_threshold = rules.threshold_for(lines, year=year - 1, township_id=township_id)
    target = plan.target_income if plan else None
    status = rules.classify(income, threshold, target)
    progress = None
    if plan is not None and income is not None:
        progress = rules.progress_percent(income, plan.baseline_income, plan.target_income)
    facts = rules.PlanFacts(
        year=year,
        current=income,
        previous=previous,
        target=target,
        target_year=plan.target_year if plan else None,
        achieved=status is VillageStatus.ACHIEVED,
        milestones=milestones.get(plan.id, []) if plan else [],
        funding=[facts for _, facts in funding.get(plan.id, [])] if plan else [],
    )
    return VillageRow(
        village_id=village_id,
        village=name,
        township=township,
        threshold=threshold,
        income=income,
        previous=previous,
        by_category=by_category,
        dividends=incomes.get((village_id, year), {}).get(DIVIDENDS, ZERO),
        status=status,
        previous_status=rules.classify(previous, previous_threshold, target),
        plan_id=plan.id if plan else None,
        plan_status=plan.status if plan else None,
        baseline_year=plan.baseline_year if plan else None,
        baseline=plan.baseline_income if plan else None,
        target=target,
        target_year=plan.target_year if plan else None,
        progress=progress,
        risks=rules.risk_flags(facts, as_of=as_of, idle_months=idle_months),
    )


def _totals(
    rows: list[VillageRow],
    plans: dict[int, ImprovementPlan],
    funding: dict[int, list[tuple[FundingSource, rules.FundingFacts]]],
) -> list[TownshipTotals]:
    by_township: dict[str, list[VillageRow]] = {}
    for row in rows:
        by_township.setdefault(row.township, []).append(row)
    totals = []
    for township, township_rows in by_township.items():
        funds: dict[FundingSource, Funds] = {}
        for row in township_rows:
            for source, line in funding.get(row.plan_id or 0, []):
                funds[source] = funds.get(source, Funds()) + Funds(line.allocated, line.received, line.spent)
        by_status = {status: sum(1 for r in township_rows if r.status is status) for status in VillageStatus}
        totals.append(
            TownshipTotals(
                township=township,
                villages=len(township_rows),
                by_status=by_status,
                with_plan=sum(1 for r in township_rows if r.village_id in plans),
                newly_achieved=sum(
                    1
                    for r in township_rows
                    if r.status is VillageStatus.ACHIEVED and r.previous_status is not VillageStatus.ACHIEVED
                ),
                at_risk=sum(1 for r in township_rows if r.risks),
                funds={source: funds[source] for source in FundingSource if source in funds},
                dividends=sum((r.dividends for r in township_rows), ZERO),
                investment_income=sum((r.by_category.get("investment", ZERO) for r in township_rows), ZERO),
            )
        )
    return totals
