"""Small read-only queries the admin needs on many pages, each run at most once per request."""

from __future__ import annotations

from flask import g
from sqlalchemy import select

from admin.access import current_scope
from admin.database import database
from coopcore.models import Cooperative, ImprovementPlan, Product, Village


def cooperative_names() -> dict[int, str]:
    """Names of the cooperatives the user can see, by id."""
    if "coop_cooperative_names" not in g:
        rows = database().session.execute(
            select(Cooperative.id, Cooperative.name)
            .where(current_scope().cooperatives(Cooperative.id))
            .order_by(Cooperative.name)
        )
        g.coop_cooperative_names = {row.id: row.name for row in rows}
    names: dict[int, str] = g.coop_cooperative_names
    return names


def product_names() -> dict[int, str]:
    """Every product's name, by id."""
    if "coop_product_names" not in g:
        rows = database().session.execute(select(Product.id, Product.name).order_by(Product.name))
        g.coop_product_names = {row.id: row.name for row in rows}
    names: dict[int, str] = g.coop_product_names
    return names


def village_names() -> dict[int, str]:
    """Names of the villages the user can see, by id."""
    if "coop_village_names" not in g:
        rows = database().session.execute(
            select(Village.id, Village.name).where(current_scope().villages(Village.id)).order_by(Village.name)
        )
        g.coop_village_names = {row.id: row.name for row in rows}
    names: dict[int, str] = g.coop_village_names
    return names


def plan_label(plan: ImprovementPlan) -> str:
    """A plan as people name it: its village and baseline year."""
    return f"{plan.village.name}（{plan.baseline_year}）"
