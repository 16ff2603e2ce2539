# mypy: allow-subclassing-any, allow-untyped-decorators
"""How each kind of record reaches its owner (a cooperative or a village), for reading and for writing."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, select, true

from admin.access import Area, Scope
from admin.database import database
from admin.views.base import CoopModelView
from coopcore.models import Contract, ImprovementPlan, LandParcel, Member, Project


def owner_id(model: Any, owner: str) -> int | None:
    """The owner's id of a record as a form left it: the relationship if set (the id follows at flush)."""
    related = getattr(model, owner, None)
    return related.id if related is not None else getattr(model, f"{owner}_id", None)


class CooperativeRecords(CoopModelView):
    """Records that carry their cooperative's id."""

    def scope_clause(self, scope: Scope) -> ColumnElement[bool]:
        return scope.cooperatives(self.model_class.cooperative_id)

    def owner_writable(self, scope: Scope, model: Any) -> bool:
        return scope.writes(self.area) and scope.has_cooperative(owner_id(model, "cooperative"))


class MemberRecords(CoopModelView):
    """Records of a member (account entries, land shares): the member's cooperative owns them."""

    def scope_clause(self, scope: Scope) -> ColumnElement[bool]:
        if scope.cooperative_ids is None:
            return true()
        members = select(Member.id).where(scope.cooperatives(Member.cooperative_id))
        clause: ColumnElement[bool] = self.model_class.member_id.in_(members)
        return clause

    def owner_writable(self, scope: Scope, model: Any) -> bool:
        member = model.member or (model.member_id and database().session.get(Member, model.member_id))
        return scope.writes(self.area) and member is not None and scope.has_cooperative(member.cooperative_id)


class ParcelRecords(MemberRecords):
    """Land shares: both the member and the parcel must be the user's."""

    def owner_writable(self, scope: Scope, model: Any) -> bool:
        parcel = model.parcel or (model.parcel_id and database().session.get(LandParcel, model.parcel_id))
        return (
            super().owner_writable(scope, model) and parcel is not None and scope.has_cooperative(parcel.cooperative_id)
        )


class ContractRecords(CoopModelView):
    """Deliveries: the contract's cooperative owns them."""

    def scope_clause(self, scope: Scope) -> ColumnElement[bool]:
        if scope.cooperative_ids is None:
            return true()
        contracts = select(Contract.id).where(scope.cooperatives(Contract.cooperative_id))
        clause: ColumnElement[bool] = self.model_class.contract_id.in_(contracts)
        return clause

    def owner_writable(self, scope: Scope, model: Any) -> bool:
        contract = model.contract or (model.contract_id and database().session.get(Contract, model.contract_id))
        return scope.writes(self.area) and contract is not None and scope.has_cooperative(contract.cooperative_id)


class VillageRecords(CoopModelView):
    """Records of a village (plans, village income, collectives, party branches)."""

    area = Area.OVERSIGHT

    def scope_clause(self, scope: Scope) -> ColumnElement[bool]:
        return scope.villages(self.model_class.village_id)

    def owner_writable(self, scope: Scope, model: Any) -> bool:
        return scope.writes(self.area) and scope.has_village(owner_id(model, "village"))


def _plan_village(plan_id: int | None) -> int | None:
    plan = database().session.get(ImprovementPlan, plan_id) if plan_id else None
    return plan.village_id if plan else None


class PlanRecords(CoopModelView):
    """Parts of an improvement plan (projects, funding lines, progress entries): the plan's village owns them."""

    area = Area.OVERSIGHT

    def scope_clause(self, scope: Scope) -> ColumnElement[bool]:
        if scope.village_ids is None:
            return true()
        clause: ColumnElement[bool] = self.model_class.plan_id.in_(
            select(ImprovementPlan.id).where(scope.villages(ImprovementPlan.village_id))
        )
        return clause

    def owner_writable(self, scope: Scope, model: Any) -> bool:
        village_id = model.plan.village_id if model.plan is not None else _plan_village(model.plan_id)
        return scope.writes(self.area) and scope.has_village(village_id)


class ProjectRecords(CoopModelView):
    """Milestones: the project's plan's village owns them."""

    area = Area.OVERSIGHT

    def scope_clause(self, scope: Scope) -> ColumnElement[bool]:
        if scope.village_ids is None:
            return true()
        clause: ColumnElement[bool] = self.model_class.project_id.in_(
            select(Project.id).join(Project.plan).where(scope.villages(ImprovementPlan.village_id))
        )
        return clause

    def owner_writable(self, scope: Scope, model: Any) -> bool:
        project = model.project or (model.project_id and database().session.get(Project, model.project_id))
        return scope.writes(self.area) and project is not None and scope.has_village(_plan_village(project.plan_id))
