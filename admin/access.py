"""Who may see and change what: the role of the signed-in user and the records within their reach.

Administrators reach everything. A township official reads every record of the cooperatives and villages of
their township and writes the weak-village oversight records there. An accountant reads and writes the books
of the cooperatives assigned to them; a supervisor (监事) only reads those. The views ask this module; they
never decide access themselves.
"""

from __future__ import annotations

import enum
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any, Protocol

from flask import g
from flask_login import current_user  # type: ignore[import-untyped]
from sqlalchemy import ColumnElement, false, select, true
from sqlalchemy.orm import InstrumentedAttribute, Session

from coopcore.models import Cooperative, Role, Village
from coopcore.models.user import user_cooperative


class Area(enum.Enum):
    """The kinds of records the roles are given rights on."""

    BOOKS = "books"  # a cooperative's own records: members, trades, income, land, contracts, distributions
    OVERSIGHT = "oversight"  # weak-village plans, projects, funding, progress, village income
    PLACES = "places"  # townships, villages, their collectives and party branches
    REFERENCE = "reference"  # products and leading enterprises, shared by everyone
    USERS = "users"  # accounts of the admin


# An id column: a mapped attribute (Trade.cooperative_id) or a column of a version table or subquery.
Column = ColumnElement[Any] | InstrumentedAttribute[Any]
ALL_ROLES = frozenset(Role)
READERS: dict[Area, frozenset[Role]] = {
    Area.BOOKS: ALL_ROLES,
    Area.OVERSIGHT: frozenset({Role.ADMIN, Role.TOWNSHIP_OFFICIAL}),
    Area.PLACES: frozenset({Role.ADMIN, Role.TOWNSHIP_OFFICIAL}),
    Area.REFERENCE: ALL_ROLES,
    Area.USERS: frozenset({Role.ADMIN}),
}
WRITERS: dict[Area, frozenset[Role]] = {
    Area.BOOKS: frozenset({Role.ADMIN, Role.ACCOUNTANT}),
    Area.OVERSIGHT: frozenset({Role.ADMIN, Role.TOWNSHIP_OFFICIAL}),
    Area.PLACES: frozenset({Role.ADMIN}),
    Area.REFERENCE: frozenset({Role.ADMIN}),
    Area.USERS: frozenset({Role.ADMIN}),
}


@dataclass(frozen=True)
class Scope:
    """The signed-in user's reach: None means every record, a set means only those ids."""

    user_id: int
    role: Role
    township_id: int | None
    cooperative_ids: frozenset[int] | None
    village_ids: frozenset[int] | None

    @property
    def is_admin(self) -> bool:
        return self.role is Role.ADMIN

    def reads(self, area: Area) -> bool:
        """True if the role may read records of the area at all."""
        return self.role in READERS[area]

    def writes(self, area: Area) -> bool:
        """True if the role may change records of the area (within its reach)."""
        return self.role in WRITERS[area]

    def cooperatives(self, column: Column) -> ColumnElement[bool]:
        """A WHERE clause keeping rows whose cooperative id (in `column`) is within reach."""
        return _within(column, self.cooperative_ids)

    def villages(self, column: Column) -> ColumnElement[bool]:
        """A WHERE clause keeping rows whose village id (in `column`) is within reach."""
        return _within(column, self.village_ids)

    def has_cooperative(self, cooperative_id: int | None) -> bool:
        return cooperative_id is not None and (self.cooperative_ids is None or cooperative_id in self.cooperative_ids)

    def has_village(self, village_id: int | None) -> bool:
        return village_id is not None and (self.village_ids is None or village_id in self.village_ids)


def _within(column: Column, ids: Collection[int] | None) -> ColumnElement[bool]:
    if ids is None:
        return true()
    if not ids:
        return false()
    return column.in_(sorted(ids))


class Person(Protocol):
    """What the scope needs to know of a user (the ORM User or the signed-in user)."""

    id: int
    role: Role
    township_id: int | None


def load_scope(session: Session, user: Person) -> Scope:
    """Work out a user's reach: two small queries at most."""
    if user.role is Role.ADMIN:
        return Scope(user.id, user.role, user.township_id, None, None)
    if user.role is Role.TOWNSHIP_OFFICIAL:
        villages = frozenset(session.scalars(select(Village.id).where(Village.township_id == user.township_id)))
        cooperatives = frozenset(
            session.scalars(select(Cooperative.id).where(Cooperative.village_id.in_(sorted(villages) or [-1])))
        )
        return Scope(user.id, user.role, user.township_id, cooperatives, villages)
    assigned = frozenset(
        session.scalars(select(user_cooperative.c.cooperative_id).where(user_cooperative.c.user_id == user.id))
    )
    return Scope(user.id, user.role, user.township_id, assigned, frozenset())


def current_scope() -> Scope:
    """The reach of the signed-in user, worked out once per request."""
    scope: Scope | None = g.get("coop_scope")
    if scope is None:
        from admin.database import database  # the app's database, set up by create_app

        scope = load_scope(database().session(), current_user._get_current_object())
        g.coop_scope = scope
    return scope
