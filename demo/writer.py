"""Persist a generated demo set in foreign-key order: master data through the ORM, dated records in bulk."""

from __future__ import annotations

from collections import defaultdict
from itertools import groupby
from typing import Any, cast

from sqlalchemy import Table, select, tuple_
from sqlalchemy.orm import Session, selectinload

from coopcore.db.base import Base
from coopcore.db.bulk import insert_rows
from demo.dataset import DemoSet, Ref, Row

# The dated records (the tables with an `origin`: trades, member-account entries, income and expense, special
# funds and subsidy money, village income; 22,000 of the demo's 24,500 rows) go in through the library's one bulk
# path, as a workbook import or a distribution's posting writes them: no audit versions, like any bulk INSERT. The
# master data (places, cooperatives, members, land, enterprises, contracts, plans, projects) goes through the ORM,
# so the audit trail records the first version of each row as it does for a row typed in the admin.
BULK = frozenset(
    {"trade", "member_account_entry", "income_expense", "special_fund", "special_payable", "village_income"}
)
# Bulk tables whose rows others point at, with the columns that identify a row (its id is looked up by them).
NATURAL_KEYS = {"trade": ("cooperative_id", "ticket_no")}


def write_demo(session: Session, data: DemoSet, known: dict[str, dict[int, int]] | None = None) -> dict[str, list[int]]:
    """Insert every row of data, resolving references to ids; rows listed in known already exist (index → id).

    Return the ids of the referenced rows of every table (0 elsewhere). Flush, never commit.
    """
    models = {cast(Table, mapper.local_table).name: mapper.class_ for mapper in Base.registry.mappers}
    ids: dict[str, list[int]] = {}
    for table in Base.metadata.sorted_tables:
        rows = data.rows.get(table.name)
        if not rows:
            continue
        existing = (known or {}).get(table.name, {})
        new = [(index, _resolve(row, ids)) for index, row in enumerate(rows) if index not in existing]
        table_ids = [existing.get(index, 0) for index in range(len(rows))]
        if table.name in BULK:
            _insert_in_bulk(session, models[table.name], [row for _, row in new])
            if table.name in data.referenced:
                _look_up(session, table, dict(new), sorted(data.referenced[table.name]), table_ids)
        else:
            added = [(index, models[table.name](**row)) for index, row in new]
            session.add_all(row for _, row in added)
            session.flush()
            for index, row in added:
                table_ids[index] = row.id
            # Keep the session small: the audit trail inspects every object it holds at each flush.
            session.expunge_all()
        ids[table.name] = table_ids
    _write_links(session, data, ids)
    return ids


def _insert_in_bulk(session: Session, model: type[Base], rows: list[Row]) -> None:
    # insert_rows takes rows with the same columns; generators keep a table's columns uniform, in runs.
    for _, run in groupby(rows, key=_columns):
        insert_rows(session, model, list(run))


def _columns(row: Row) -> tuple[str, ...]:
    return tuple(row)


def _look_up(session: Session, table: Table, rows: dict[int, Row], wanted: list[int], table_ids: list[int]) -> None:
    # Fetching the few ids that links need by their natural key costs one query (RETURNING over 20,000 tickets
    # costs seconds on psycopg, which parses every long statement).
    columns = NATURAL_KEYS[table.name]
    keys = {tuple(rows[index][column] for column in columns): index for index in wanted}
    key_columns = [table.c[column] for column in columns]
    query = select(table.c.id, *key_columns).where(tuple_(*key_columns).in_(list(keys)))
    for row_id, *key in session.execute(query):
        table_ids[keys[tuple(key)]] = row_id


def _resolve(row: Row, ids: dict[str, list[int]]) -> Row:
    return {key: ids[value.table][value.index] if isinstance(value, Ref) else value for key, value in row.items()}


def _write_links(session: Session, data: DemoSet, ids: dict[str, list[int]]) -> None:
    # Keyed by name: an instrumented attribute's == builds SQL, so it makes a poor dict key.
    relationships: dict[str, Any] = {}
    pairs: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for link in data.links:
        name = f"{link.relationship.class_.__name__}.{link.relationship.key}"
        relationships[name] = link.relationship
        parent, child = link.parent, link.child
        pairs[name].append((ids[parent.table][parent.index], ids[child.table][child.index]))
    for name, id_pairs in pairs.items():
        relationship = relationships[name]
        parent_class: Any = relationship.class_
        child_class: Any = relationship.property.mapper.class_
        parent_ids = sorted({parent for parent, _ in id_pairs})
        child_ids = sorted({child for _, child in id_pairs})
        # One query for the parents with their (empty) collections, one for the children: no per-row loads.
        query = select(parent_class).where(parent_class.id.in_(parent_ids)).options(selectinload(relationship))
        parents = {parent.id: parent for parent in session.scalars(query)}
        children = {
            child.id: child for child in session.scalars(select(child_class).where(child_class.id.in_(child_ids)))
        }
        for parent_id, child_id in id_pairs:
            getattr(parents[parent_id], relationship.key).append(children[child_id])
    session.flush()
    session.expunge_all()
