"""Persist a generated demo set: bulk INSERTs in foreign-key order, then the many-to-many links."""

from __future__ import annotations

from collections import defaultdict
from itertools import groupby
from typing import Any

from sqlalchemy import Table, insert, select, tuple_
from sqlalchemy.orm import Session, selectinload

from coopcore.db.base import Base
from demo.dataset import DemoSet, Ref, Row

# Tables too big to read ids back from, with the columns that identify a row.
NATURAL_KEYS = {"trade": ("cooperative_id", "ticket_no")}


def write_demo(session: Session, data: DemoSet, known: dict[str, dict[int, int]] | None = None) -> dict[str, list[int]]:
    """Insert every row of data, resolving references to ids; rows listed in known already exist (index → id).

    Bulk INSERT skips the ORM unit of work, so these rows get no audit versions; only the links, stored
    through their relationships at the end, are versioned (Continuum versions association tables itself
    and refuses raw INSERTs into them). Return the ids of the referenced rows of every table (0 elsewhere).
    """
    ids: dict[str, list[int]] = {}
    for table in Base.metadata.sorted_tables:
        rows = data.rows.get(table.name)
        if not rows:
            continue
        existing = (known or {}).get(table.name, {})
        new = [(index, _resolve(row, ids)) for index, row in enumerate(rows) if index not in existing]
        table_ids = [existing.get(index, 0) for index in range(len(rows))]
        needed = table.name in data.referenced and table.name not in NATURAL_KEYS
        # Rows with the same columns go in one executemany; generators keep a table's columns uniform.
        for _, group in groupby(new, key=lambda item: tuple(item[1])):
            batch = list(group)
            values = [row for _, row in batch]
            if needed:
                statement = insert(table).returning(table.c.id, sort_by_parameter_order=True)
                for (index, _), new_id in zip(batch, session.scalars(statement, values), strict=True):
                    table_ids[index] = new_id
            else:
                session.execute(insert(table), values)
        if table.name in data.referenced and table.name in NATURAL_KEYS:
            wanted = sorted(data.referenced[table.name])
            _look_up(session, table, dict(new), wanted, table_ids)
        ids[table.name] = table_ids
    _write_links(session, data, ids)
    return ids


def _look_up(session: Session, table: Table, rows: dict[int, Row], wanted: list[int], table_ids: list[int]) -> None:
    # RETURNING over 20,000 trades costs seconds on psycopg (it parses every long statement); fetching the
    # few ids that links need by their natural key costs one query.
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
