"""The audit trail: SQLAlchemy-Continuum keeps a version row per change of every `__versioned__` model.

Rows written or changed by a bulk statement (coopcore.services.ledger.bulk) get the same version rows from
`write_versions`, in the transaction row Continuum uses for the session's other changes.
"""

from __future__ import annotations

from itertools import chain
from typing import Any

from sqlalchemy import Column, ColumnElement, String, Table, delete, insert, literal, null, select, update
from sqlalchemy.orm import Session
from sqlalchemy_continuum import make_versioned, version_class, versioning_manager
from sqlalchemy_continuum._compat import identity
from sqlalchemy_continuum.operation import Operation
from sqlalchemy_continuum.plugins.base import Plugin
from sqlalchemy_continuum.unit_of_work import UnitOfWork
from sqlalchemy_continuum.utils import is_modified_or_deleted

from coopcore.db.base import Base

# Whoever performs a change puts their user id here; the admin and the CLI both do.
USER_ID_KEY = "coop_user_id"
# A `coop` command puts the operating-system login that runs it here, with or without a user.
LOGIN_KEY = "coop_cli_login"
LOGIN_LENGTH = 100


class SessionUserPlugin(Plugin):  # type: ignore[misc]
    """Record who acts, taken from `session.info`, on each audited transaction: the user of the admin or of
    `coop --user`, and for a `coop` command the operating-system login that ran it (`cli_login`)."""

    def after_build_tx_class(self, manager: Any) -> None:
        # NULL: not made by a `coop` command (the admin's changes, and those from before this column).
        manager.transaction_cls.cli_login = Column(String(LOGIN_LENGTH), nullable=True)

    def transaction_args(self, uow: Any, session: Session) -> dict[str, Any]:
        return {"user_id": session.info.get(USER_ID_KEY), "cli_login": session.info.get(LOGIN_KEY)}


def act_as(session: Session, user_id: int | None, *, cli_login: str | None = None) -> None:
    """Attribute the session's following changes to a user in the audit trail, and, for a `coop` command, to the
    operating-system login that runs it."""
    session.info[USER_ID_KEY] = user_id
    session.info[LOGIN_KEY] = cli_login[:LOGIN_LENGTH] if cli_login is not None else None


class JoinedUnitOfWork(UnitOfWork):  # type: ignore[misc]
    """Continuum's unit of work, with its version session joined to the caller's transaction.

    Continuum writes versions through a second Session on the same connection. With SQLAlchemy's default
    join mode that Session opens its own SAVEPOINT whenever the caller is inside one (a service's
    begin_nested, a test's rolled-back outer transaction), which leaves the caller's savepoint orphaned.
    Joining it as "rollback_only" makes it write inside whatever transaction is current.
    """

    @property
    def version_session(self) -> Session | None:
        return self._version_session

    @version_session.setter
    def version_session(self, session: Session | None) -> None:
        if session is not None and session.bind is not None:
            session = Session(bind=session.bind, join_transaction_mode="rollback_only")
        self._version_session = session

    def is_modified(self, session: Session) -> bool:
        """Whether a versioned record of the session was added, changed or deleted: Continuum's own test, asked of
        the session's new, changed and deleted records only.

        Continuum asks it of every record the session holds, at every flush: a workbook import that closes its
        years flushes thousands of times with thousands of records loaded, and spent most of its time there. A
        record the session does not count as changed has no attribute history, so the answer is the same.
        """
        changed = chain(session.new, session.dirty, session.deleted)
        return any(is_modified_or_deleted(record) for record in changed) or any(
            self.manager.plugins.is_session_modified(session)
        )

    def reset(self, session: Session | None = None) -> None:
        super().reset(session)
        self.bulk_versioned: set[type] = set()  # version classes write_versions wrote rows of in this transaction

    def get_or_create_version_object(self, target: Any) -> Any:
        """Continuum's version object of the row in this transaction, reading the one write_versions wrote.

        Continuum knows only the version objects it made itself: a record versioned in bulk and then changed
        through the ORM in the same transaction would get a second version row with the same key.
        """
        version_cls = version_class(type(target))
        key = (version_cls, (*identity(target), self.current_transaction.id))
        if key not in self.version_objs and version_cls in self.bulk_versioned:
            stored = self.version_session.get(version_cls, key[1])  # type: ignore[union-attr]
            if stored is not None:
                self.version_objs[key] = stored
        return super().get_or_create_version_object(target)


def write_versions(
    session: Session, model: type[Base], where: ColumnElement[bool], *, operation: int, earlier: bool = True
) -> None:
    """Write the version rows Continuum writes for the rows `where` selects, which a bulk statement has just
    inserted (Operation.INSERT) or changed (Operation.UPDATE) in the session's transaction.

    The same shape as Continuum's own (validity strategy): one row per record and transaction with the record's
    values as they are now; a change ends the record's previous version at this transaction; a record inserted
    or versioned earlier in this transaction keeps one row, an UPDATE, as Continuum makes of an insert followed
    by a change in one transaction. `earlier=False` says the rows were inserted by a bulk statement of this
    transaction and have no version yet: there is none to end or replace.
    """
    session.flush()
    transaction_id = _transaction_id(session)
    version_cls = version_class(model)
    version: Table = version_cls.__table__
    table: Table = model.__table__  # type: ignore[assignment]
    tracked = ("transaction_id", "end_transaction_id", "operation_type")
    names = [column.name for column in version.columns if column.name not in tracked]
    records = select(table.c.id).where(where)
    if operation != Operation.INSERT and earlier:
        other_transaction = version.c.transaction_id != transaction_id
        session.execute(
            update(version)
            .where(version.c.id.in_(records), version.c.end_transaction_id.is_(None), other_transaction)
            .values(end_transaction_id=transaction_id)
        )
        session.execute(delete(version).where(version.c.id.in_(records), version.c.transaction_id == transaction_id))
    rows = select(
        *(table.c[name] for name in names),
        literal(transaction_id, version.c.transaction_id.type),
        null(),
        literal(operation, version.c.operation_type.type),
    ).where(where)
    session.execute(insert(version).from_select([*names, *tracked], rows))
    uow = versioning_manager.unit_of_work(session)
    uow.bulk_versioned.add(version_cls)
    if uow.version_session is not None:
        uow.version_session.expire_all()  # version objects it holds of these records were rewritten


def _transaction_id(session: Session) -> int:
    """The id of the session's audit transaction, whose row is written now if no change has written it yet."""
    uow = versioning_manager.unit_of_work(session)
    if uow.current_transaction is None:
        uow.create_transaction(session)
    return int(uow.current_transaction.id)


versioning_manager.uow_class = JoinedUnitOfWork
# The row version of optimistic locking (coopcore.db.base.OptimisticLock) says nothing worth auditing.
make_versioned(user_cls="User", plugins=[SessionUserPlugin()], options={"exclude": ["version"]})
