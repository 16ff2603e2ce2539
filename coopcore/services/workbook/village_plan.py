"""The villages format's planner: check every row of the weak-village workbook against the database, plan the writes.

Plans update by village + baseline year, projects by plan + name, funding lines by plan + project + source.
The income sheet replaces the income an earlier workbook imported for each village and year it lists (origin
workbook); income typed in the admin and linked income (cooperative dividends, land rent) is never touched.
run_import writes the plan inside a savepoint and never commits: the caller owns the transaction.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import delete, func, or_, select, tuple_
from sqlalchemy.orm import Session, selectinload

from coopcore.models import (
    Cooperative,
    Enterprise,
    FundingLine,
    FundingSource,
    ImprovementPlan,
    Origin,
    PlanStatus,
    Project,
    ProjectKind,
    ProjectStatus,
    Township,
    Village,
    VillageIncome,
    VillageIncomeCategory,
)
from coopcore.rules import plans as rules
from coopcore.services.access import Scope
from coopcore.services.workbook.format import Planned, Sheet
from coopcore.services.workbook.reader import Book, Row, SheetData
from coopcore.services.workbook.report import Problems, SheetCounts
from coopcore.services.workbook.village_schema import FUNDING, INCOME, PLANS, PROJECTS, SHEETS

UNKNOWN_VILLAGE = "There is no village {value} in {township}; check the names or add the village first."
DUPLICATE_KEY = "Row {first} already gives this; keep one of the two rows."
NO_PLAN = "{village} has no improvement plan{year}; add it on the plans sheet first."
UNKNOWN_PROJECT = "The plan of {village} has no project {value}; add it on the projects sheet first."
UNKNOWN_COOPERATIVE = "No cooperative has the credit code {value}."
UNKNOWN_ENTERPRISE = "No leading enterprise has the name or credit code {value}."
NEGATIVE = "The amount {value} must not be negative."
SPENT_OVER = "{value} is spent, more than the {allocated} allocated: the status report will flag it."
UNDATED = "Money is received but the day it arrived is missing, so idle funds cannot be judged."
# The rules of single records (targets, dates, signs) live in coopcore.rules.plans, shared with the admin.
TEMPLATES = (
    UNKNOWN_VILLAGE,
    DUPLICATE_KEY,
    NO_PLAN,
    UNKNOWN_PROJECT,
    UNKNOWN_COOPERATIVE,
    UNKNOWN_ENTERPRISE,
    NEGATIVE,
    SPENT_OVER,
    UNDATED,
)
_SEPARATORS = re.compile(r"[、,，;；\s]+")

PlanKey = tuple[int, int]  # village id, baseline year


@dataclass
class _Stored:
    """What the database already holds for the villages the workbook names."""

    villages: dict[tuple[str, str], int]
    plans: dict[PlanKey, ImprovementPlan]
    projects: dict[tuple[PlanKey, str], Project]
    lines: dict[tuple[PlanKey, str, str], FundingLine]
    cooperatives: dict[str, Cooperative]
    enterprises: dict[str, Enterprise]
    imported_income: dict[tuple[int, int], int]  # rows from earlier workbooks, by village and year


@dataclass
class _Changes:
    """The writes the workbook asks for, checked and ready to apply."""

    plans: dict[PlanKey, dict[str, Any]] = field(default_factory=dict)
    projects: dict[tuple[PlanKey, str], dict[str, Any]] = field(default_factory=dict)
    lines: dict[tuple[PlanKey, str, str], dict[str, Any]] = field(default_factory=dict)
    income: list[dict[str, Any]] = field(default_factory=list)
    replaced: set[tuple[int, int]] = field(default_factory=set)
    first_rows: dict[tuple[str, object], int] = field(default_factory=dict)
    counts: dict[str, SheetCounts] = field(default_factory=lambda: defaultdict(SheetCounts))


def plan_villages(session: Session, book: Book, problems: Problems, *, today: dt.date, actor: Scope) -> Planned:
    """Check the rows against each other and the database, and plan the writes.

    `today` already bounded the dates as they were read; `actor` is not asked: the villages workbook is imported
    by `coop villages import`, at the server's shell.
    """
    stored = _load(session, book)
    changes = _Changes()
    _check_plans(book.sheets.get(PLANS.key), stored, changes, problems)
    _check_projects(book.sheets.get(PROJECTS.key), stored, changes, problems)
    _check_funding(book.sheets.get(FUNDING.key), stored, changes, problems)
    _check_income(book.sheets.get(INCOME.key), stored, changes, problems)
    counts = {sheet.key: changes.counts[sheet.key] for sheet in SHEETS if sheet.key in book.sheets}

    def write(session: Session, progress: object) -> None:
        _apply(session, stored, changes)

    return Planned(counts, write)


def _load(session: Session, book: Book) -> _Stored:
    named = {
        (row.get("township"), row.get("village"))
        for data in book.sheets.values()
        for row in data.rows
        if row.get("township") is not None and row.get("village") is not None
    }
    villages: dict[tuple[str, str], int] = {}
    if named:
        places = select(Village.id, Village.name, Township.name).join(Township)
        for village_id, name, township in session.execute(
            places.where(tuple_(Township.name, Village.name).in_(sorted(named)))
        ):
            villages[(township, name)] = village_id
    ids = list(villages.values())
    plans = {
        (plan.village_id, plan.baseline_year): plan
        for plan in session.scalars(
            select(ImprovementPlan)
            .where(ImprovementPlan.village_id.in_(ids))
            .options(selectinload(ImprovementPlan.cooperatives), selectinload(ImprovementPlan.enterprises))
        )
    }
    key_of = {plan.id: key for key, plan in plans.items()}
    projects = {
        (key_of[p.plan_id], p.name): p for p in session.scalars(select(Project).where(Project.plan_id.in_(key_of)))
    }
    lines: dict[tuple[PlanKey, str, str], FundingLine] = {}
    names = {project.id: name for (_, name), project in projects.items()}
    for line in session.scalars(select(FundingLine).where(FundingLine.plan_id.in_(key_of)).order_by(FundingLine.id)):
        lines.setdefault((key_of[line.plan_id], names.get(line.project_id or 0, ""), line.source.value), line)
    codes = _listed(book, "cooperatives")
    parties = _listed(book, "enterprises")
    cooperatives = {
        c.credit_code: c for c in session.scalars(select(Cooperative).where(Cooperative.credit_code.in_(codes)))
    }
    enterprises: dict[str, Enterprise] = {}
    for enterprise in session.scalars(
        select(Enterprise).where(or_(Enterprise.credit_code.in_(parties), Enterprise.name.in_(parties)))
    ):
        enterprises[enterprise.credit_code] = enterprises[enterprise.name] = enterprise
    imported = session.execute(
        select(VillageIncome.village_id, VillageIncome.year, func.count())
        .where(VillageIncome.village_id.in_(ids), VillageIncome.origin == Origin.WORKBOOK)
        .group_by(VillageIncome.village_id, VillageIncome.year)
    )
    return _Stored(villages, plans, projects, lines, cooperatives, enterprises, {(v, y): n for v, y, n in imported})


def _listed(book: Book, column: str) -> set[str]:
    data = book.sheets.get(PLANS.key)
    return {part for row in data.rows for part in _split(row.get(column))} if data else set()


def _split(text: str | None) -> list[str]:
    return [part for part in _SEPARATORS.split(text or "") if part]


def _village(row: Row, sheet: Sheet, stored: _Stored, problems: Problems) -> int | None:
    township, village = row.get("township"), row.get("village")
    if township is None or village is None:
        return None  # already reported as a required cell
    village_id = stored.villages.get((township, village))
    if village_id is None:
        problems.error(
            UNKNOWN_VILLAGE,
            sheet=sheet,
            row=row.number,
            column=sheet.column("village"),
            value=village,
            township=township,
        )
    return village_id


def _first(changes: _Changes, sheet: Sheet, key: object, row: Row, problems: Problems) -> bool:
    """Remember the row that gives a key first; report a second one. True if this row is the first."""
    first = changes.first_rows.setdefault((sheet.key, key), row.number)
    if first != row.number:
        problems.error(DUPLICATE_KEY, sheet=sheet, row=row.number, first=first)
    return first == row.number


def _given(data: SheetData, row: Row, keys: tuple[str, ...]) -> dict[str, Any]:
    # A column left out of the sheet leaves the stored field as it is; a blank cell in it clears it.
    return {key: row.get(key) for key in keys if data.has(key)}


def _count(changes: _Changes, sheet: Sheet, record: object | None, values: dict[str, Any]) -> None:
    counts = changes.counts[sheet.key]
    if record is None:
        counts.created += 1
    elif any(getattr(record, key, value) != value for key, value in values.items() if not key.startswith("_")):
        counts.updated += 1
    else:
        counts.unchanged += 1


def _check_plans(data: SheetData | None, stored: _Stored, changes: _Changes, problems: Problems) -> None:
    fields = ("baseline_income", "target_income", "target_year", "filed_on", "status", "causes", "measures", "cadres")
    for row in data.rows if data else []:
        assert data is not None
        village_id, year = _village(row, PLANS, stored, problems), row.get("baseline_year")
        problems.place(rules.check_plan_target(row.get("baseline_income"), row.get("target_income")), PLANS, row.number)
        problems.place(rules.check_plan_years(year, row.get("target_year")), PLANS, row.number)
        values = _given(data, row, fields)
        for text in ("causes", "measures", "cadres"):
            if text in values and values[text] is None:
                values[text] = ""
        status = values.pop("status", None)
        if status is not None:
            values["status"] = PlanStatus(status)
        elif (village_id, year) not in stored.plans:
            values["status"] = PlanStatus.FILED  # a blank status leaves a stored plan's as it is
        for column, lookup in (("cooperatives", stored.cooperatives), ("enterprises", stored.enterprises)):
            if data.has(column):
                found = []
                for part in _split(row.get(column)):
                    if part in lookup:
                        found.append(lookup[part])
                    else:
                        template = UNKNOWN_COOPERATIVE if column == "cooperatives" else UNKNOWN_ENTERPRISE
                        problems.error(template, sheet=PLANS, row=row.number, column=PLANS.column(column), value=part)
                values["_" + column] = list(dict.fromkeys(found))
        if village_id is None or year is None or not _first(changes, PLANS, (village_id, year), row, problems):
            continue
        changes.plans[(village_id, year)] = values
        _count(changes, PLANS, stored.plans.get((village_id, year)), values)


def _plan_key(
    row: Row, sheet: Sheet, village_id: int, stored: _Stored, changes: _Changes, problems: Problems
) -> PlanKey | None:
    years = {year for v, year in (*stored.plans, *changes.plans) if v == village_id}
    year = row.get("baseline_year")
    if year is None and years:
        year = max(years)
    if year not in years:
        problems.error(
            NO_PLAN,
            sheet=sheet,
            row=row.number,
            column=sheet.column("baseline_year"),
            village=row.get("village"),
            year=f" ({year})" if year else "",
        )
        return None
    return village_id, year


def _check_projects(data: SheetData | None, stored: _Stored, changes: _Changes, problems: Problems) -> None:
    fields = ("kind", "budget", "start_on", "due_on", "completed_on", "status")
    for row in data.rows if data else []:
        assert data is not None
        village_id, name = _village(row, PROJECTS, stored, problems), row.get("name")
        start_on = row.get("start_on")
        problems.place(rules.check_project_due(start_on, row.get("due_on")), PROJECTS, row.number)
        problems.place(rules.check_project_completed(start_on, row.get("completed_on")), PROJECTS, row.number)
        if row.get("budget") is not None and row.get("budget") < 0:
            problems.error(
                NEGATIVE, sheet=PROJECTS, row=row.number, column=PROJECTS.column("budget"), value=row.get("budget")
            )
        if village_id is None or name is None:
            continue
        plan = _plan_key(row, PROJECTS, village_id, stored, changes, problems)
        if plan is None or not _first(changes, PROJECTS, (plan, name), row, problems):
            continue
        values = _given(data, row, fields)
        if values.get("kind") is not None:
            values["kind"] = ProjectKind(values["kind"])
        stored_project = stored.projects.get((plan, name))
        status = values.pop("status", None)
        if status is not None:
            values["status"] = ProjectStatus(status)
        elif stored_project is None:
            values["status"] = ProjectStatus.PLANNED
        changes.projects[(plan, name)] = values
        _count(changes, PROJECTS, stored_project, values)


def _check_funding(data: SheetData | None, stored: _Stored, changes: _Changes, problems: Problems) -> None:
    fields = ("allocated", "received", "spent", "received_on", "forms_poverty_asset")
    for row in data.rows if data else []:
        assert data is not None
        village_id, source = _village(row, FUNDING, stored, problems), row.get("source")
        for column in ("allocated", "received", "spent"):
            if row.get(column) is not None and row.get(column) < 0:
                problems.error(
                    NEGATIVE, sheet=FUNDING, row=row.number, column=FUNDING.column(column), value=row.get(column)
                )
        allocated, received, spent = (row.get(c) for c in ("allocated", "received", "spent"))
        if allocated is not None and spent is not None and spent > allocated:
            problems.warning(
                SPENT_OVER,
                sheet=FUNDING,
                row=row.number,
                column=FUNDING.column("spent"),
                value=spent,
                allocated=allocated,
            )
        if received and row.get("received_on") is None:
            problems.warning(UNDATED, sheet=FUNDING, row=row.number, column=FUNDING.column("received_on"))
        if village_id is None or source is None:
            continue
        plan = _plan_key(row, FUNDING, village_id, stored, changes, problems)
        project = row.get("project") or ""
        known = (plan, project) in stored.projects or (plan, project) in changes.projects
        if plan is not None and project and not known:
            problems.error(
                UNKNOWN_PROJECT,
                sheet=FUNDING,
                row=row.number,
                column=FUNDING.column("project"),
                village=row.get("village"),
                value=project,
            )
            continue
        if plan is None or not _first(changes, FUNDING, (plan, project, source), row, problems):
            continue
        values = _given(data, row, fields)
        for column in ("received", "spent"):
            if column in values and values[column] is None:
                values[column] = Decimal("0.00")
        if values.get("forms_poverty_asset") is None and "forms_poverty_asset" in values:
            values["forms_poverty_asset"] = False
        changes.lines[(plan, project, source)] = values
        _count(changes, FUNDING, stored.lines.get((plan, project, source)), values)


def _check_income(data: SheetData | None, stored: _Stored, changes: _Changes, problems: Problems) -> None:
    for row in data.rows if data else []:
        year, category, amount = row.get("year"), row.get("category"), row.get("amount")
        village_id = _village(row, INCOME, stored, problems)
        problems.place(rules.check_village_income_sign(category, amount), INCOME, row.number)
        if village_id is None or None in (year, category, amount):
            continue
        changes.income.append(
            {
                "village_id": village_id,
                "year": year,
                "category": VillageIncomeCategory(category),
                "amount": amount,
                "memo": row.get("memo") or "",
            }
        )
        changes.replaced.add((village_id, year))
        changes.counts[INCOME.key].created += 1
    changes.counts[INCOME.key].removed = sum(stored.imported_income.get(key, 0) for key in changes.replaced)


def _apply(session: Session, stored: _Stored, changes: _Changes) -> None:
    plans = dict(stored.plans)
    for (village_id, year), values in changes.plans.items():
        plan = plans.get((village_id, year))
        if plan is None:
            plan = plans[(village_id, year)] = ImprovementPlan(village_id=village_id, baseline_year=year)
            session.add(plan)
        _assign(plan, values)
    projects = dict(stored.projects)
    for (key, name), values in changes.projects.items():
        project = projects.get((key, name))
        if project is None:
            project = projects[(key, name)] = Project(plan=plans[key], name=name)
            session.add(project)
        _assign(project, values)
    for (key, project_name, source), values in changes.lines.items():
        line = stored.lines.get((key, project_name, source))
        if line is None:
            line = FundingLine(
                plan=plans[key],
                project=projects[(key, project_name)] if project_name else None,
                source=FundingSource(source),
                received=Decimal("0.00"),
                spent=Decimal("0.00"),
            )
            session.add(line)
        _assign(line, values)
    if changes.replaced:
        session.execute(
            delete(VillageIncome).where(
                VillageIncome.origin == Origin.WORKBOOK,
                tuple_(VillageIncome.village_id, VillageIncome.year).in_(sorted(changes.replaced)),
            )
        )
    session.add_all(VillageIncome(origin=Origin.WORKBOOK, **values) for values in changes.income)
    session.flush()


def _assign(record: object, values: dict[str, Any]) -> None:
    for key, value in values.items():
        if key.startswith("_"):
            setattr(record, key[1:], value)  # the plan's linked cooperatives and enterprises
        else:
            setattr(record, key, value)
