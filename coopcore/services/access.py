"""Who may see and change what: a user's role and the records within their reach (the admin and the import).

Administrators reach everything. A township official reads every record of the cooperatives and villages of
their township and writes the weak-village oversight records there. An accountant reads and writes the books
of the cooperatives assigned to them; a supervisor (监事) only reads those. Places (townships, villages, their
collectives and party branches) and the shared products are written by administrators only, and only they
move a cooperative to another village. The admin's views and the workbook import both ask this module.
"""

from __future__ import annotations

import enum
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any, Protocol

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
    """A user's reach: None means every record, a set means only those ids."""

    user_id: int | None  # None: the local administrator at the server's shell (the `coop` command)
    role: Role
    township_id: int | None
    cooperative_ids: frozenset[int] | None
    village_ids: frozenset[int] | None
    # The villages the cooperatives within reach sit in: where their members' village collectives may be.
    home_village_ids: frozenset[int] | None = None

    @property
    def is_admin(self) -> bool:
        return self.role is Role.ADMIN

    def reads(self, area: Area) -> bool:
        """True if the role may read records of the area at all."""
        return self.role in READERS[area]

    def writes(self, area: Area) -> bool:
        """True if the role may change records of the area (within its reach)."""
        return self.role in WRITERS[area]

    @property
    def adds_cooperatives(self) -> bool:
        """True if the user may add a cooperative (a new one belongs to no accountant yet)."""
        return self.is_admin

    @property
    def moves_cooperatives(self) -> bool:
        """True if the user may move a cooperative to another village (and so another township's oversight)."""
        return self.is_admin

    def links_to_village(self, village_id: int) -> bool:
        """True if the user may link their cooperatives' records to that village's collective or party branch."""
        return self.home_village_ids is None or village_id in self.home_village_ids

    def cooperatives(self, column: Column) -> ColumnElement[bool]:
        """A WHERE clause keeping rows whose cooperative id (in `column`) is within reach."""
        return _within(column, self.cooperative_ids)

    def villages(self, column: Column) -> ColumnElement[bool]:
        """A WHERE clause keeping rows whose village id (in `column`) is within reach."""
        return _within(column, self.village_ids)

    def home_villages(self, column: Column) -> ColumnElement[bool]:
        """A WHERE clause keeping rows whose village id is one the cooperatives within reach sit in."""
        return _within(column, self.home_village_ids)

    def keeps_books(self, cooperative_id: int | None) -> bool:
        """True if the user may keep that cooperative's books (an administrator, its accountant).

        Only they read a household's bank card or account number whole: it is theirs to enter and to pay to.
        Whoever else reads the cooperative (township officials, supervisors) sees it masked, everywhere it is shown
        (coopcore.validation.bank_account.mask_account).
        """
        return self.writes(Area.BOOKS) and self.has_cooperative(cooperative_id)

    def has_cooperative(self, cooperative_id: int | None) -> bool:
        return cooperative_id is not None and (self.cooperative_ids is None or cooperative_id in self.cooperative_ids)

    def has_village(self, village_id: int | None) -> bool:
        return village_id is not None and (self.village_ids is None or village_id in self.village_ids)


# The person at the server's shell owns the database: the `coop` command acts as an administrator.
ADMINISTRATOR = Scope(None, Role.ADMIN, None, None, None)


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
        return Scope(user.id, user.role, user.township_id, cooperatives, villages, villages)
    assigned = session.execute(
        select(Cooperative.id, Cooperative.village_id)
        .join(user_cooperative, user_cooperative.c.cooperative_id == Cooperative.id)
        .where(user_cooperative.c.user_id == user.id)
    ).all()
    cooperative_ids = frozenset(row.id for row in assigned)
    home = frozenset(row.village_id for row in assigned)
    return Scope(user.id, user.role, user.township_id, cooperative_ids, frozenset(), home)
