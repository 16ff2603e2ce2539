"""Weak villages (集体经济薄弱村): 经营性收入, the weak line, status, plan progress and risk flags (domain.md §9)."""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from coopcore.errors import InvalidValue
from coopcore.money import ZERO, round_half_up, to_money
from coopcore.rules.findings import Finding, Severity
from coopcore.terms import RiskKind, VillageIncomeCategory, VillageStatus

# §9.1: 经营性收入 = 经营收入 + 投资收益 + rent and contract (发包) income; 补助收入 and 其他收入 are kept but do
# not count.
COUNTED_CATEGORIES = frozenset(
    {VillageIncomeCategory.OPERATING, VillageIncomeCategory.INVESTMENT, VillageIncomeCategory.RENT}
)
ARTICLE = "docs/villages.md"
IDLE_MONTHS = 6  # DEFAULT: money received and not touched for more than half a year is a risk

INCOME_FELL = "Operating income fell from {previous:,} in {previous_year} to {current:,} in {year}."
MILESTONE_OVERDUE = "Project {project} is behind: milestone {milestone} was due on {due_on} ({count} overdue in all)."
FUNDS_IDLE = "{amount:,} of {source} received on {received_on} is unspent after more than {months} months."
OVERSPENT = "{source} of {project}: {spent:,} spent, more than the {allocated:,} allocated."
TARGET_YEAR_PASSED = "The plan's target year {target_year} has passed and the target of {target:,} is not reached."
TEMPLATES = (INCOME_FELL, MILESTONE_OVERDUE, FUNDS_IDLE, OVERSPENT, TARGET_YEAR_PASSED)


@dataclass(frozen=True)
class Threshold:
    """The weak line: weak below weak_below, empty shell at or below shell_at (yuan of 经营性收入)."""

    weak_below: Decimal
    shell_at: Decimal = ZERO

    def __post_init__(self) -> None:
        if not ZERO <= self.shell_at < self.weak_below:
            raise InvalidValue(
                "the empty-shell line {shell_at} must be at least 0 and below the weak line {weak_below}",
                shell_at=self.shell_at,
                weak_below=self.weak_below,
            )


# docs/villages.md (DEFAULT, no Shandong text found): weak below 100,000.00; 空壳 at 0.
DEFAULT_THRESHOLD = Threshold(Decimal("100000.00"), Decimal("0.00"))


@dataclass(frozen=True)
class ThresholdRule:
    """A stored line: in force from effective_year, for one township or (township_id None) everywhere."""

    effective_year: int
    township_id: int | None
    threshold: Threshold


def threshold_for(
    rules: Iterable[ThresholdRule], *, year: int, township_id: int, default: Threshold = DEFAULT_THRESHOLD
) -> Threshold:
    """Return the line in force in a year for a township: the latest effective year wins, the township's own line
    wins a tie with the general one, and without any line in force the default applies."""
    candidates = [rule for rule in rules if rule.effective_year <= year and rule.township_id in (None, township_id)]
    if not candidates:
        return default
    return max(candidates, key=lambda rule: (rule.effective_year, rule.township_id is not None)).threshold


def operating_income(amounts: Mapping[str, Decimal]) -> Decimal:
    """Return 经营性收入 from the year's income by category: operating, investment and rent count (§9.1)."""
    unknown = set(amounts) - set(VillageIncomeCategory)
    if unknown:
        raise InvalidValue("unknown village income category {value}", value=", ".join(sorted(unknown)))
    return to_money(sum((amount for category, amount in amounts.items() if category in COUNTED_CATEGORIES), ZERO))


def is_achieved(income: Decimal, threshold: Threshold, target: Decimal | None = None) -> bool:
    """§9.3: achieved = income ≥ the weak line, and ≥ the plan's target when there is one."""
    return income >= threshold.weak_below and (target is None or income >= target)


def classify(income: Decimal | None, threshold: Threshold, target: Decimal | None = None) -> VillageStatus:
    """Return a village's status for a year's 经营性收入 (None: nothing recorded)."""
    if income is None:
        return VillageStatus.NOT_REPORTED
    if income <= threshold.shell_at:
        return VillageStatus.EMPTY_SHELL
    if income < threshold.weak_below:
        return VillageStatus.WEAK
    return VillageStatus.ACHIEVED if is_achieved(income, threshold, target) else VillageStatus.ABOVE_LINE


def progress_percent(current: Decimal, baseline: Decimal, target: Decimal) -> Decimal:
    """§9.3: HALF_UP((current − baseline) / (target − baseline) × 100, 0.01); below 0 or over 100 as computed."""
    if target <= baseline:
        raise InvalidValue(
            "the target {target} must be above the baseline {baseline}", target=target, baseline=baseline
        )
    return round_half_up((current - baseline) * 100 / (target - baseline), 2)


def shown_progress(percent: Decimal) -> Decimal:
    """Cap a progress percentage to 0..100 for display (§9.3): a fall is not negative progress to report."""
    return min(max(percent, Decimal("0.00")), Decimal("100.00"))


def add_months(day: dt.date, months: int) -> dt.date:
    """Return the same day some months later, or the month's last day when it is shorter (31 Jan + 1 = 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class MilestoneFacts:
    """A project milestone as the risk check needs it."""

    project: str
    title: str
    due_on: dt.date
    done_on: dt.date | None
    project_completed: bool = False


@dataclass(frozen=True)
class FundingFacts:
    """A funding line as the risk check needs it; source is a label already fit to show."""

    source: str
    project: str
    allocated: Decimal
    received: Decimal
    spent: Decimal
    received_on: dt.date | None


@dataclass(frozen=True)
class PlanFacts:
    """A village's year for the risk check: incomes, the plan's target and its projects' milestones and money."""

    year: int
    current: Decimal | None
    previous: Decimal | None
    target: Decimal | None = None
    target_year: int | None = None
    achieved: bool = False
    milestones: Sequence[MilestoneFacts] = ()
    funding: Sequence[FundingFacts] = ()


def risk_flags(facts: PlanFacts, *, as_of: dt.date, idle_months: int = IDLE_MONTHS) -> list[Finding]:
    """Return the §9.3 risk list of a village: income fell, milestones overdue, idle or overspent money, and
    a target year gone by.

    A milestone is overdue when its day is before as_of and it was not done by as_of (a completed project is not
    behind). Money is idle when something was received more than idle_months before as_of and nothing is spent;
    a line spending part of its money is progressing and is not flagged. Spent and received are the lines'
    current totals: the funding lines keep no dated history of spending.
    """
    if idle_months < 1:
        raise InvalidValue("the idle period must be at least one month, not {value}", value=idle_months)
    flags: list[Finding] = []
    if facts.current is not None and facts.previous is not None and facts.current < facts.previous:
        flags.append(
            _flag(
                RiskKind.INCOME_FELL,
                INCOME_FELL,
                previous=facts.previous,
                previous_year=facts.year - 1,
                current=facts.current,
                year=facts.year,
            )
        )
    overdue: dict[str, list[MilestoneFacts]] = {}
    for milestone in sorted(facts.milestones, key=lambda m: m.due_on):
        late = milestone.due_on < as_of and (milestone.done_on is None or milestone.done_on > as_of)
        if late and not milestone.project_completed:
            overdue.setdefault(milestone.project, []).append(milestone)
    for project, late_ones in overdue.items():  # one flag per project, naming its first overdue milestone
        flags.append(
            _flag(
                RiskKind.MILESTONE_OVERDUE,
                MILESTONE_OVERDUE,
                project=project,
                count=len(late_ones),
                milestone=late_ones[0].title,
                due_on=late_ones[0].due_on.isoformat(),
            )
        )
    for line in facts.funding:
        idle_since = line.received_on
        untouched = line.received > 0 and line.spent == 0 and idle_since is not None
        if untouched and idle_since is not None and as_of > add_months(idle_since, idle_months):
            flags.append(
                _flag(
                    RiskKind.FUNDS_IDLE,
                    FUNDS_IDLE,
                    amount=line.received,
                    source=line.source,
                    received_on=idle_since.isoformat(),
                    months=idle_months,
                )
            )
        if line.spent > line.allocated:
            flags.append(
                _flag(
                    RiskKind.OVERSPENT,
                    OVERSPENT,
                    source=line.source,
                    project=line.project,
                    spent=line.spent,
                    allocated=line.allocated,
                )
            )
    # A year without reported income says nothing about the target: it shows as "not reported" instead.
    passed = facts.target_year is not None and facts.year > facts.target_year and facts.current is not None
    if passed and facts.target is not None and not facts.achieved:
        flags.append(
            _flag(RiskKind.TARGET_YEAR_PASSED, TARGET_YEAR_PASSED, target_year=facts.target_year, target=facts.target)
        )
    return flags


def _flag(kind: RiskKind, template: str, **fields: object) -> Finding:
    return Finding(rule=kind.value, severity=Severity.WARNING, template=template, fields=fields, article=ARTICLE)
