# mypy: allow-subclassing-any, allow-untyped-decorators
"""Township oversight: places, weak-village lines, improvement plans and their projects, funds and progress."""

from __future__ import annotations

from typing import Any, ClassVar

from flask import flash
from flask_admin.actions import action
from sqlalchemy import ColumnElement, or_, true
from sqlalchemy.orm import joinedload

from admin import filters
from admin.access import Area, Scope
from admin.database import current_session
from admin.forms import at_least, credit_code_valid
from admin.i18n import _, lazy
from admin.lookups import plan_label
from admin.views.base import CoopModelView
from admin.views.scoped import PlanRecords, ProjectRecords, VillageRecords
from coopcore.errors import RuleViolation
from coopcore.models import (
    FundingLine,
    FundingSource,
    ImprovementPlan,
    Milestone,
    Origin,
    PartyBranch,
    PlanStatus,
    ProgressEntry,
    Project,
    ProjectKind,
    ProjectStatus,
    Township,
    Village,
    VillageCollective,
    VillageIncome,
    VillageIncomeCategory,
    WeakVillageThreshold,
)
from coopcore.rules import plans
from coopcore.services.villages import advance_plan


def plan_name(view: Any, context: Any, model: Any, name: str) -> str:
    return plan_label(model.plan) if model.plan is not None else ""


class TownshipView(CoopModelView):
    model_class = Township
    area = Area.PLACES
    column_list = ("name", "district", "region_code")
    column_default_sort = "name"

    def scope_clause(self, scope: Scope) -> ColumnElement[bool]:
        return true() if scope.is_admin else Township.id == scope.township_id


class VillageView(CoopModelView):
    model_class = Village
    area = Area.PLACES
    column_list = ("name", "township", "region_code", "collective", "party_branch")
    column_searchable_list = ("name",)
    column_default_sort = "name"
    form_columns = ("township", "name", "region_code")
    list_options = (joinedload(Village.township), joinedload(Village.collective), joinedload(Village.party_branch))

    def scope_clause(self, scope: Scope) -> ColumnElement[bool]:
        return scope.villages(Village.id)


class VillageCollectiveView(VillageRecords):
    model_class = VillageCollective
    area = Area.PLACES
    column_list = ("name", "village", "credit_code")
    column_searchable_list = ("name", "credit_code")
    form_columns = ("village", "name", "credit_code")
    form_args: ClassVar[dict[str, Any]] = {"credit_code": {"validators": [credit_code_valid]}}
    list_options = (joinedload(VillageCollective.village),)


class PartyBranchView(VillageRecords):
    model_class = PartyBranch
    area = Area.PLACES
    column_list = ("name", "village", "secretary")
    column_searchable_list = ("name", "secretary")
    form_columns = ("village", "name", "secretary")
    list_options = (joinedload(PartyBranch.village),)


class ThresholdView(CoopModelView):
    model_class = WeakVillageThreshold
    area = Area.PLACES
    column_list = ("effective_year", "township", "weak_below", "shell_at")
    extra_labels: ClassVar[dict[str, str]] = {
        "effective_year": "From year",
        "weak_below": "Weak below",
        "shell_at": "Empty shell at or below",
    }
    form_columns = ("effective_year", "township", "weak_below", "shell_at")
    form_args: ClassVar[dict[str, Any]] = {"township": {"allow_blank": True, "blank_text": lazy("Every township")}}
    list_options = (joinedload(WeakVillageThreshold.township),)

    def scope_clause(self, scope: Scope) -> ColumnElement[bool]:
        if scope.is_admin:
            return true()
        return or_(WeakVillageThreshold.township_id.is_(None), WeakVillageThreshold.township_id == scope.township_id)


class PlanView(VillageRecords):
    """提升方案: edited by officials; its status moves only through the actions below (the service's rules)."""

    model_class = ImprovementPlan
    column_list = (
        "village",
        "filed_on",
        "baseline_year",
        "baseline_income",
        "target_income",
        "target_year",
        "status",
        "cadres",
    )
    column_details_exclude_list = ("projects", "funding_lines", "progress_entries")
    column_default_sort: ClassVar[list[tuple[str, bool]]] = [("village_id", False), ("baseline_year", True)]
    column_filters: ClassVar[list[Any]] = [filters.enum_filter(ImprovementPlan.status, "Status", PlanStatus)]
    form_columns = (
        "village",
        "filed_on",
        "baseline_year",
        "baseline_income",
        "target_income",
        "target_year",
        "causes",
        "measures",
        "cadres",
        "cooperatives",
        "enterprises",
    )
    form_args: ClassVar[dict[str, Any]] = {"baseline_income": {"validators": [at_least(0)]}}
    list_options = (joinedload(ImprovementPlan.village),)
    rules = (plans.check_plan_target, plans.check_plan_years)

    def _advance(self, ids: list[str], status: PlanStatus) -> None:
        session = current_session()
        plans = self.get_query().filter(ImprovementPlan.id.in_([int(i) for i in ids])).all()
        for plan in plans:
            self.check_writable(plan)
            advance_plan(session, plan, status)
        session.commit()
        flash(_("{count} plans moved on.", count=len(plans)), "success")

    @action("start", lazy("Start work"), lazy("Start work on the selected plans?"))
    def action_start(self, ids: list[str]) -> None:
        self._advance(ids, PlanStatus.IN_PROGRESS)

    @action("achieve", lazy("Mark as achieved"), lazy("Mark the selected plans as achieved?"))
    def action_achieve(self, ids: list[str]) -> None:
        self._advance(ids, PlanStatus.ACHIEVED)

    @action("monitor", lazy("Move to monitoring"), lazy("Move the selected plans to monitoring?"))
    def action_monitor(self, ids: list[str]) -> None:
        self._advance(ids, PlanStatus.MONITORED)


class ProjectView(PlanRecords):
    model_class = Project
    total_columns = ("budget",)
    column_list = ("name", "plan", "kind", "budget", "start_on", "due_on", "completed_on", "status")
    column_formatters: ClassVar[dict[str, Any]] = {"plan": plan_name}
    column_details_exclude_list = ("milestones",)
    column_searchable_list = ("name",)
    column_default_sort: ClassVar[list[tuple[str, bool]]] = [("due_on", False)]
    column_filters: ClassVar[list[Any]] = [
        filters.enum_filter(Project.kind, "Kind", ProjectKind),
        filters.enum_filter(Project.status, "Status", ProjectStatus),
    ]
    form_columns = ("plan", "name", "kind", "budget", "start_on", "due_on", "completed_on", "status")
    form_args: ClassVar[dict[str, Any]] = {"budget": {"validators": [at_least(0)]}}
    list_options = (joinedload(Project.plan).joinedload(ImprovementPlan.village),)
    rules = (plans.check_project_due,)


class MilestoneView(ProjectRecords):
    model_class = Milestone
    column_list = ("title", "project", "due_on", "done_on")
    column_default_sort: ClassVar[list[tuple[str, bool]]] = [("due_on", False)]
    form_columns = ("project", "title", "due_on", "done_on")
    list_options = (joinedload(Milestone.project),)


class FundingLineView(PlanRecords):
    model_class = FundingLine
    total_columns = ("allocated", "received", "spent")
    column_list = ("plan", "project", "source", "allocated", "received", "spent", "received_on", "forms_poverty_asset")
    column_formatters: ClassVar[dict[str, Any]] = {"plan": plan_name}
    column_default_sort: ClassVar[list[tuple[str, bool]]] = [("plan_id", False), ("id", False)]
    column_filters: ClassVar[list[Any]] = [filters.enum_filter(FundingLine.source, "Source", FundingSource)]
    form_columns = ("plan", "project", "source", "allocated", "received", "spent", "received_on", "forms_poverty_asset")
    form_args: ClassVar[dict[str, Any]] = {
        "project": {"allow_blank": True, "blank_text": lazy("The plan as a whole")},
        **{name: {"validators": [at_least(0)]} for name in ("allocated", "received", "spent")},
    }
    list_options = (joinedload(FundingLine.plan).joinedload(ImprovementPlan.village), joinedload(FundingLine.project))
    rules = (plans.check_funding_project,)
    rule_fields: ClassVar[dict[str, str]] = {
        "plan_id": "plan.id",
        "project_plan_id": "project.plan_id",
        "project_name": "project.name",
    }


class ProgressEntryView(PlanRecords):
    model_class = ProgressEntry
    column_list = ("plan", "entry_on", "note", "income_to_date")
    column_formatters: ClassVar[dict[str, Any]] = {"plan": plan_name}
    column_default_sort: ClassVar[list[tuple[str, bool]]] = [("entry_on", True)]
    column_searchable_list = ("note",)
    column_filters: ClassVar[list[Any]] = [filters.date_between(ProgressEntry.entry_on)]
    form_columns = ("plan", "entry_on", "note", "income_to_date")
    list_options = (joinedload(ProgressEntry.plan).joinedload(ImprovementPlan.village),)


class VillageIncomeView(VillageRecords):
    """Income entered by hand; dividends and land rent linked by services are shown but not changed here."""

    model_class = VillageIncome
    total_columns = ("amount",)
    column_list = ("village", "year", "category", "amount", "origin", "memo")
    column_default_sort: ClassVar[list[tuple[str, bool]]] = [("year", True), ("village_id", False)]
    column_filters: ClassVar[list[Any]] = [
        filters.year_filter(VillageIncome.year),
        filters.enum_filter(VillageIncome.category, "Category", VillageIncomeCategory),
        filters.enum_filter(VillageIncome.origin, "Origin", Origin),
    ]
    form_columns = ("village", "year", "category", "amount", "memo")
    list_options = (joinedload(VillageIncome.village),)
    rules = (plans.check_village_income_sign,)

    def check_writable(self, model: VillageIncome) -> None:
        super().check_writable(model)
        if model.origin is not None and Origin(model.origin).is_service:
            raise RuleViolation("Linked income is kept by the service that linked it; it cannot be changed here.")
