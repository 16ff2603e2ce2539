# mypy: allow-subclassing-any, allow-untyped-decorators
"""What a form may offer in its selects: only records within the user's reach (a POST of anything else fails)."""

from __future__ import annotations

from typing import Any

from flask_admin.contrib.sqla.fields import QuerySelectField
from sqlalchemy.orm import Query, joinedload
from wtforms import validators

from admin.access import current_scope
from admin.database import database
from admin.lookups import plan_label
from coopcore.models import (
    Contract,
    Cooperative,
    ImprovementPlan,
    LandParcel,
    Member,
    PartyBranch,
    Project,
    Township,
    Village,
)


def cooperatives() -> Query[Cooperative]:
    return (
        database()
        .session.query(Cooperative)
        .filter(current_scope().cooperatives(Cooperative.id))
        .order_by(Cooperative.name)
    )


def members() -> Query[Member]:
    return (
        database()
        .session.query(Member)
        .filter(current_scope().cooperatives(Member.cooperative_id))
        .order_by(Member.cooperative_id, Member.code)
    )


def parcels() -> Query[LandParcel]:
    return (
        database()
        .session.query(LandParcel)
        .filter(current_scope().cooperatives(LandParcel.cooperative_id))
        .order_by(LandParcel.cooperative_id, LandParcel.code)
    )


def contracts() -> Query[Contract]:
    return (
        database()
        .session.query(Contract)
        .filter(current_scope().cooperatives(Contract.cooperative_id))
        .order_by(Contract.code)
    )


def villages() -> Query[Village]:
    return database().session.query(Village).filter(current_scope().villages(Village.id)).order_by(Village.name)


def cooperative_villages() -> Query[Village]:
    """Villages a cooperative of the user may sit in: any for an administrator, else the current ones."""
    return database().session.query(Village).filter(current_scope().home_villages(Village.id)).order_by(Village.name)


def cooperative_party_branches() -> Query[PartyBranch]:
    """Party branches of those villages."""
    villages = cooperative_villages().with_entities(Village.id)
    return database().session.query(PartyBranch).filter(PartyBranch.village_id.in_(villages)).order_by(PartyBranch.name)


def townships() -> Query[Township]:
    scope = current_scope()
    query = database().session.query(Township).order_by(Township.name)
    return query if scope.is_admin else query.filter(Township.id == scope.township_id)


def plans() -> Query[ImprovementPlan]:
    return (
        database()
        .session.query(ImprovementPlan)
        .options(joinedload(ImprovementPlan.village))
        .filter(current_scope().villages(ImprovementPlan.village_id))
        .order_by(ImprovementPlan.village_id, ImprovementPlan.baseline_year)
    )


def projects() -> Query[Project]:
    return (
        database()
        .session.query(Project)
        .join(Project.plan)
        .filter(current_scope().villages(ImprovementPlan.village_id))
        .order_by(Project.name)
    )


def contract_label(contract: Contract) -> str:
    return contract.code


def parcel_label(parcel: LandParcel) -> str:
    return f"{parcel.code} {parcel.location}".strip()


def project_label(project: Project) -> str:
    return project.name


class CooperativeIdField(QuerySelectField):
    """A select of the user's cooperatives for models that store only `cooperative_id` (no relationship)."""

    def __init__(self, label: Any = None, **kwargs: Any) -> None:
        super().__init__(
            label,
            [validators.InputRequired()],
            query_factory=cooperatives,
            get_label="name",
            allow_blank=False,
            **kwargs,
        )

    def process_data(self, value: Any) -> None:
        if isinstance(value, int):
            value = database().session.get(Cooperative, value)
        super().process_data(value)

    def populate_obj(self, obj: Any, name: str) -> None:
        obj.cooperative_id = self.data.id if self.data is not None else None


RELATION_ARGS: dict[str, dict[str, Any]] = {
    "cooperative": {"query_factory": cooperatives, "get_label": "name"},
    "member": {"query_factory": members},
    "parcel": {"query_factory": parcels, "get_label": parcel_label},
    "contract": {"query_factory": contracts, "get_label": contract_label},
    "village": {"query_factory": villages},
    "township": {"query_factory": townships},
    "plan": {"query_factory": plans, "get_label": plan_label},
    "project": {"query_factory": projects, "get_label": project_label},
    "cooperatives": {"query_factory": cooperatives, "get_label": "name"},
}
