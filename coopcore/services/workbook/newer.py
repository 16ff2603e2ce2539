"""Rows written after a workbook was exported: an import of that stale copy does not remove or change them unasked.

"The sheet is the year": workbook rows of a year the sheet covers and no longer lists are removed. A copy
exported before another accountant's import does not list what that import added, so importing it would
remove their rows in silence. Each stored row a plan removes or changes (`Touched`) is compared with the
workbook's export stamp (stamp.py): added after it (its id is above the table's last id then) or changed after
it (a version in the audit trail after the stamp's transaction) is an error, or, when the accountant asks to
replace newer rows, a warning saying what was replaced. Without a stamp of this database nothing can be
compared: the import goes on as before, with a warning when it removes rows.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from sqlalchemy_continuum import version_class, versioning_manager

from coopcore.db.base import Base
from coopcore.models import (
    IncomeExpense,
    LandShare,
    MemberAccountEntry,
    SpecialFund,
    SpecialPayable,
    Trade,
    User,
)
from coopcore.services.workbook.format import Column, Sheet
from coopcore.services.workbook.report import Problems, Words
from coopcore.services.workbook.stamp import ExportStamp

# The tables whose workbook rows an import removes or changes; their last ids go into the stamp.
CHECKED: tuple[type[Base], ...] = (MemberAccountEntry, Trade, IncomeExpense, SpecialFund, SpecialPayable, LandShare)
CHUNK = 500  # ids per IN (…): well under every backend's limit on bound parameters

ADDED_AFTER = (
    "{value} ({day}) was added after this workbook was exported ({exported_at}), by another import or in the "
    "admin: this import would {action} it. Export the workbook again and make your changes in the new copy, or "
    "import again replacing newer rows (coop import --replace-newer) to {action} it on purpose."
)
CHANGED_AFTER = (
    "{value} ({day}) was changed at {written_at} by {by}, after this workbook was exported ({exported_at}): "
    "this import would {action} it. Export the workbook again and make your changes in the new copy, or "
    "import again replacing newer rows (coop import --replace-newer) to {action} it on purpose."
)
ADDED_REPLACED = (
    "{value} ({day}) was added after this workbook was exported ({exported_at}); it is {done}, as asked "
    "(replace newer rows)."
)
CHANGED_REPLACED = (
    "{value} ({day}) was changed at {written_at} by {by}, after this workbook was exported ({exported_at}); "
    "it is {done}, as asked (replace newer rows)."
)
UNCHECKED = (
    "The workbook does not say when it was exported from this database (an older export, a template, or its "
    "sheets copied into another file), so whether the {count} stored rows it removes were written after it "
    "was exported could not be checked. Export the workbook again to have that checked."
)
TEMPLATES = (ADDED_AFTER, CHANGED_AFTER, ADDED_REPLACED, CHANGED_REPLACED, UNCHECKED)
REMOVE, CHANGE = Words("remove", "删除"), Words("change", "修改")
REMOVED, CHANGED = Words("removed", "删除"), Words("changed", "修改")
NOBODY = Words("an unrecorded user", "未记录的用户")  # the coop command and services act as no user


@dataclass(frozen=True)
class Touched:
    """A stored row a plan removes (no workbook row) or changes (from a workbook row): checked against the stamp."""

    sheet: Sheet
    model: type[Base]
    id: int
    value: object  # how the message names the row: its ticket, its member and amount
    day: dt.date
    row: int | None = None
    column: Column | None = None


def take_stamp(session: Session) -> ExportStamp:
    """Return where the database stands now: the audit trail's last transaction and each checked table's last id."""
    transaction = versioning_manager.transaction_cls
    last = session.execute(select(transaction.id, transaction.issued_at).order_by(transaction.id.desc()).limit(1))
    found = last.first()
    table_ids = {model.__tablename__: session.scalar(select(func.max(model.id))) or 0 for model in CHECKED}  # type: ignore[attr-defined]
    return ExportStamp(
        exported_at=dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0),
        transaction=found[0] if found else 0,
        transaction_at=found[1] if found else None,
        last_ids=table_ids,
    )


def check_newer(
    session: Session, stamp: ExportStamp | None, touched: Sequence[Touched], problems: Problems, *, replace: bool
) -> None:
    """Report each touched row written after the stamp: an error, or a warning when replacing newer rows is asked."""
    if not touched:
        return
    if stamp is None or not _of_this_database(session, stamp):
        # A change comes from a row the accountant has in front of them; a removal from a row's absence, which is
        # all a stale copy shows: only removals are worth a warning when nothing can be checked.
        removals = sum(1 for row in touched if row.row is None)
        if removals:
            problems.warning(UNCHECKED, count=removals)
        return
    by_model: dict[type[Base], list[int]] = defaultdict(list)
    for row in touched:
        by_model[row.model].append(row.id)
    changed: dict[tuple[type[Base], int], tuple[dt.datetime, str | Words | None]] = {}
    for model, ids in by_model.items():
        changed |= {(model, record_id): when for record_id, when in _changes_after(session, model, ids, stamp)}
    exported_at = _time(stamp.exported_at)
    for row in touched:
        where = {"sheet": row.sheet, "row": row.row, "column": row.column}
        fields = {"value": row.value, "day": row.day, "exported_at": exported_at}
        fields |= {"action": REMOVE if row.row is None else CHANGE, "done": REMOVED if row.row is None else CHANGED}
        last_id = stamp.last_ids.get(row.model.__tablename__)
        change = changed.get((row.model, row.id))
        if change is not None:
            written_at, by = change
            fields |= {"written_at": _time(written_at), "by": by or NOBODY}
            template = CHANGED_REPLACED if replace else CHANGED_AFTER
        elif last_id is not None and row.id > last_id:
            template = ADDED_REPLACED if replace else ADDED_AFTER
        else:
            continue
        report = problems.warning if replace else problems.error
        report(template, **where, **fields)


def _of_this_database(session: Session, stamp: ExportStamp) -> bool:
    """True if the stamp's transaction is this database's: same id, same time (a copy from elsewhere is not)."""
    transaction = versioning_manager.transaction_cls
    issued_at = session.scalar(select(transaction.issued_at).where(transaction.id == stamp.transaction))
    return issued_at is not None and issued_at == stamp.transaction_at


def _changes_after(
    session: Session, model: type[Base], ids: Sequence[int], stamp: ExportStamp
) -> Iterable[tuple[int, tuple[dt.datetime, str | Words | None]]]:
    """The rows among `ids` with a version after the stamp's transaction: when and by whom they last changed."""
    if not hasattr(model, "__versioned__"):
        return  # append-only (account entries): never changed, only added
    version = version_class(model).__table__
    transaction = versioning_manager.transaction_cls.__table__
    for start in range(0, len(ids), CHUNK):
        latest = (
            select(version.c.id, func.max(version.c.transaction_id).label("transaction_id"))
            .where(version.c.id.in_(ids[start : start + CHUNK]), version.c.transaction_id > stamp.transaction)
            .group_by(version.c.id)
            .subquery()
        )
        query = (
            select(latest.c.id, transaction.c.issued_at, User.username, transaction.c.cli_login)
            .join(transaction, transaction.c.id == latest.c.transaction_id)
            .outerjoin(User, User.id == transaction.c.user_id)
        )
        for record_id, issued_at, username, cli_login in session.execute(query):
            yield record_id, (issued_at, _author(username, cli_login))


def _author(username: str | None, cli_login: str | None) -> str | Words | None:
    """Who changed a row, as the admin's audit log names them: the user, and for a `coop` command its login."""
    if cli_login is None:
        return username
    if username is None:
        return Words(f"the command line ({cli_login})", f"命令行（{cli_login}）")
    return Words(f"{username} (command line, {cli_login})", f"{username}（命令行，{cli_login}）")


def _time(moment: dt.datetime) -> str:
    return f"{moment:%Y-%m-%d %H:%M} UTC"
