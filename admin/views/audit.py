# mypy: allow-subclassing-any, allow-untyped-decorators
"""The audit log over SQLAlchemy-Continuum's versions: who changed which record when, old → new, filterable.

One UNION ALL over the version tables (each limited to the records the user may read) gives a page of
changes; the versions on the page and the versions they replaced are then read per table, two queries each.

Continuum also versions the many-to-many tables (a user's cooperatives, a plan's cooperatives and enterprises,
a delivery's intakes), one row per link added or removed, but a change of links alone leaves no version of
the record that holds the list. Those rows are shown as a change of that record ("Cooperatives: +A −B"),
merged with its own version when the same transaction has one, and read only by who may read that record.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, cast

from flask import abort, request, url_for
from flask_admin import expose
from sqlalchemy import ColumnElement, Table, false, func, literal, null, select, true, tuple_, union_all
from sqlalchemy_continuum import versioning_manager

from admin.access import Scope, current_scope
from admin.database import current_session
from admin.formatters import account_for_reader
from admin.i18n import _, day, lazy, moment, money
from admin.labels import FIELD_LABELS, enum_label
from admin.views.base import CoopPage
from coopcore.models import Contract, Cooperative, Enterprise, ImprovementPlan, Member, Project, Trade, User

PAGE_SIZE = 50
OPERATIONS = {0: lazy("created"), 1: lazy("changed"), 2: lazy("deleted")}
HIDDEN = {"transaction_id", "end_transaction_id", "operation_type", "id"}
# A household's bank card or account number, in the member and wherever a payment run copied it: shown whole only
# to whoever keeps the cooperative's books (admin.formatters.account_for_reader), old and new values alike.
ACCOUNT_NUMBERS = {"payee_account"}
ADDED, REMOVED = 0, 2  # Continuum's operation types on a link row


@dataclass(frozen=True)
class Link:
    """A versioned many-to-many table, shown as a change of the record that holds the list."""

    owner: str  # the holding record's table
    owner_column: str
    other_column: str
    other_label: Any  # the column that names a linked record
    label: Any


LINKS = {
    "user_cooperative": Link("user", "user_id", "cooperative_id", Cooperative.name, lazy("Cooperatives")),
    "plan_cooperative": Link("improvement_plan", "plan_id", "cooperative_id", Cooperative.name, lazy("Cooperatives")),
    "plan_enterprise": Link("improvement_plan", "plan_id", "enterprise_id", Enterprise.name, lazy("Enterprises")),
    "delivery_trade": Link("delivery", "delivery_id", "trade_id", Trade.ticket_no, lazy("Transactions")),
}


def link_versions(name: str) -> Table:
    """The version table Continuum keeps for a many-to-many table."""
    return next(table for table in versioning_manager.association_version_tables if table.name == f"{name}_version")


def versioned() -> dict[str, tuple[type[Any], type[Any]]]:
    """Versioned tables by name: (model, version class)."""
    return {model.__tablename__: (model, version) for model, version in versioning_manager.version_class_map.items()}


def _reach(version: Any, table: str, scope: Scope) -> ColumnElement[bool]:
    """The versions of records the user may read: by the cooperative or village each version names."""
    if scope.is_admin:
        return true()
    columns = version.__table__.c
    if table == "cooperative":
        return scope.cooperatives(version.id)
    if "cooperative_id" in columns:
        return scope.cooperatives(version.cooperative_id)
    members = select(Member.id).where(scope.cooperatives(Member.cooperative_id))
    contracts = select(Contract.id).where(scope.cooperatives(Contract.cooperative_id))
    if "member_id" in columns:
        return cast(ColumnElement[bool], version.member_id.in_(members))
    if "contract_id" in columns:
        return cast(ColumnElement[bool], version.contract_id.in_(contracts))
    if table == "village":
        return scope.villages(version.id)
    if "village_id" in columns:
        return scope.villages(version.village_id)
    plans = select(ImprovementPlan.id).where(scope.villages(ImprovementPlan.village_id))
    if "plan_id" in columns:
        return cast(ColumnElement[bool], version.plan_id.in_(plans))
    if "project_id" in columns:
        projects = select(Project.id).where(Project.plan_id.in_(plans))
        return cast(ColumnElement[bool], version.project_id.in_(projects))
    return false()  # users, products, enterprises, townships, thresholds: administrators only


def _link_reach(link: Link, table: Table, owner: type[Any], scope: Scope) -> ColumnElement[bool]:
    """The link rows of records the user may read: the holding record's own rule, applied to it as it is now."""
    if scope.is_admin:
        return true()
    readable = select(owner.id).where(_reach(owner, link.owner, scope))
    return table.c[link.owner_column].in_(readable)


def author(username: str | None, cli_login: str | None) -> str:
    """Who made a change: the user, and for a `coop` command the system login that ran it (coopcore.db.audit)."""
    if cli_login is None:
        return username or "—"
    if username is None:
        return _("Command line ({login})", login=cli_login)
    return _("{user} (command line, {login})", user=username, login=cli_login)


def show(value: Any, name: str) -> str:
    if value is None:
        return "—"
    if isinstance(value, enum.Enum):
        return enum_label(value)
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, dt.datetime):
        return moment(value)
    if isinstance(value, dt.date):
        return day(value)
    if isinstance(value, Decimal) and value.as_tuple().exponent == -2:
        return money(value)
    return str(value)


@dataclass(frozen=True)
class Change:
    """One version: when, by whom, which record, and its changed fields (label, old, new)."""

    at: dt.datetime | None
    user: str
    table: str
    record_id: int
    operation: Any
    fields: list[tuple[str, str | None, str]]  # no old value for a list's links: "+added −removed"


class AuditPage(CoopPage):
    """Everyone sees the changes to the records they may read; administrators see all."""

    @expose("/")
    def index(self) -> Any:
        scope = current_scope()
        session = current_session()
        tables = versioned()
        transaction = versioning_manager.transaction_cls
        chosen = request.args.get("table") or None
        if chosen is not None and chosen not in tables:
            abort(404)
        parts = [
            select(
                literal(name).label("table_name"),
                version.id.label("record_id"),
                version.transaction_id.label("transaction_id"),
                version.operation_type.label("operation_type"),
            ).where(_reach(version, name, scope))
            for name, (_model, version) in sorted(tables.items())
            if chosen in (None, name)
        ]
        for name, link in LINKS.items():
            if chosen in (None, link.owner):
                table = link_versions(name)
                parts.append(
                    select(
                        literal(link.owner),
                        table.c[link.owner_column],
                        table.c.transaction_id,
                        null(),  # the record's own version, if any, says what happened to it
                    ).where(_link_reach(link, table, tables[link.owner][0], scope))
                )
        union = union_all(*parts).subquery()
        # One change per record and transaction: its own version and its link rows together.
        keys = (union.c.table_name, union.c.record_id, union.c.transaction_id)
        changes = (
            select(*keys, func.coalesce(func.max(union.c.operation_type), 1).label("operation_type"))
            .group_by(*keys)
            .subquery()
        )
        query = (
            select(changes, transaction.issued_at, transaction.cli_login, User.username)
            .join(transaction, transaction.id == changes.c.transaction_id)
            .outerjoin(User, User.id == transaction.user_id)
        )
        user_id = request.args.get("user", type=int)
        if user_id is not None:
            query = query.where(transaction.user_id == user_id)
        record_id = request.args.get("record", type=int)
        if record_id is not None:
            query = query.where(changes.c.record_id == record_id)
        since, until = request.args.get("since"), request.args.get("until")
        try:
            if since:
                query = query.where(transaction.issued_at >= dt.datetime.fromisoformat(since))
            if until:
                query = query.where(transaction.issued_at < dt.datetime.fromisoformat(until) + dt.timedelta(days=1))
        except ValueError:
            abort(400)
        page = max(request.args.get("page", 0, type=int), 0)
        total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
        rows = session.execute(
            query.order_by(changes.c.transaction_id.desc(), changes.c.table_name, changes.c.record_id)
            .limit(PAGE_SIZE)
            .offset(page * PAGE_SIZE)
        ).all()
        users = session.execute(select(User.id, User.username).order_by(User.username)).all() if scope.is_admin else []
        return self.render(
            "coop/audit.html",
            changes=self._details(rows, tables),
            total=total,
            page=page,
            pages=(total + PAGE_SIZE - 1) // PAGE_SIZE,
            tables=sorted(tables),
            users=users,
            args=request.args,
            page_url=lambda number: url_for(".index", **{**request.args.to_dict(), "page": number}),
        )

    def _details(self, rows: Sequence[Any], tables: dict[str, tuple[type[Any], type[Any]]]) -> list[Change]:
        session = current_session()
        wanted: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for row in rows:
            wanted[row.table_name].append((row.record_id, row.transaction_id))
        current: dict[tuple[str, int, int], Any] = {}
        previous: dict[tuple[str, int, int], Any] = {}
        for table, keys in wanted.items():
            version = tables[table][1]
            for found in session.scalars(select(version).where(tuple_(version.id, version.transaction_id).in_(keys))):
                current[(table, found.id, found.transaction_id)] = found
            # The "validity" strategy closes a version with the transaction that replaced it.
            for found in session.scalars(
                select(version).where(tuple_(version.id, version.end_transaction_id).in_(keys))
            ):
                previous[(table, found.id, found.end_transaction_id)] = found
        links = self._links(rows)
        changes = []
        for row in rows:
            key = (row.table_name, row.record_id, row.transaction_id)
            new, old = current.get(key), previous.get(key)
            # Rows loaded in bulk (the demo, imports) have no first version: their old values were never recorded.
            unknown = str(lazy("not recorded")) if row.operation_type == 1 and old is None else None
            fields: list[tuple[str, str | None, str]] = []
            if new is not None:
                for column in new.__table__.c:
                    if column.name in HIDDEN:
                        continue
                    before = getattr(old, column.key) if old is not None else None
                    after = getattr(new, column.key)
                    if row.operation_type == 1 and old is not None and before == after:
                        continue
                    label = lazy(FIELD_LABELS.get(column.key, column.key))
                    if column.key in ACCOUNT_NUMBERS:
                        cooperative_id = self._cooperative_of(new)
                        before = account_for_reader(before, cooperative_id) or None
                        after = account_for_reader(after, cooperative_id) or None
                    fields.append((str(label), unknown or show(before, column.key), show(after, column.key)))
            fields.extend(links.get(key, []))
            changes.append(
                Change(
                    row.issued_at,
                    author(row.username, row.cli_login),
                    row.table_name,
                    row.record_id,
                    OPERATIONS.get(row.operation_type, row.operation_type),
                    fields,
                )
            )
        return changes

    def _cooperative_of(self, version: Any) -> int | None:
        """The cooperative a version's record belongs to: its own, or its member's (a payment run's line)."""
        cooperative_id: int | None = getattr(version, "cooperative_id", None)
        if cooperative_id is None and getattr(version, "member_id", None) is not None:
            member = current_session().get(Member, version.member_id)
            cooperative_id = member.cooperative_id if member is not None else None
        return cooperative_id

    def _links(self, rows: Sequence[Any]) -> dict[tuple[str, int, int], list[tuple[str, str | None, str]]]:
        """The links added and removed on the page's records, one "+added −removed" field per list."""
        session = current_session()
        found: dict[tuple[str, int, int], list[tuple[str, str | None, str]]] = defaultdict(list)
        for name, link in LINKS.items():
            keys = [(row.record_id, row.transaction_id) for row in rows if row.table_name == link.owner]
            if not keys:
                continue
            table = link_versions(name)
            owner, other = table.c[link.owner_column], table.c[link.other_column]
            changed = session.execute(
                select(owner, table.c.transaction_id, other, table.c.operation_type)
                .where(tuple_(owner, table.c.transaction_id).in_(keys))
                .order_by(owner, table.c.transaction_id, table.c.operation_type, other)
            ).all()
            model = link.other_label.class_
            ids = sorted({row[2] for row in changed})
            names: dict[int, str] = dict(
                session.execute(select(model.id, link.other_label).where(model.id.in_(ids))).all()
            )
            marks: dict[tuple[str, int, int], list[str]] = defaultdict(list)
            for record_id, transaction_id, other_id, operation in changed:
                sign = {ADDED: "+", REMOVED: "−"}.get(operation, "")
                marks[(link.owner, record_id, transaction_id)].append(f"{sign}{names.get(other_id) or f'#{other_id}'}")
            for key, texts in marks.items():
                found[key].append((str(link.label), None, " ".join(texts)))
        return found
