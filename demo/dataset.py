"""The generated demo rows before they touch a database: plain dicts per table, linked by local references."""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
import json
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import Table
from sqlalchemy.orm import InstrumentedAttribute

from coopcore.db.base import Base

Row = dict[str, Any]


@dataclass(frozen=True, slots=True)
class Ref:
    """A row not yet in the database: its table and its position among that table's generated rows."""

    table: str
    index: int


@dataclass(frozen=True, slots=True)
class Link:
    """A many-to-many pair, stored through the ORM relationship so the audit trail records it."""

    relationship: InstrumentedAttribute[Any]
    parent: Ref
    child: Ref


@dataclass
class DemoSet:
    """Every generated row, in generation order per table; the writer resolves references into ids."""

    rows: dict[str, list[Row]] = field(default_factory=dict)
    links: list[Link] = field(default_factory=list)
    # Which rows other rows point at, per table: only their ids are needed back from the database.
    referenced: dict[str, set[int]] = field(default_factory=dict)

    def add(self, model: type[Base] | Table, **values: Any) -> Ref:
        """Append a row to the model's table and return a reference to it."""
        name = _table_name(model)
        table_rows = self.rows.setdefault(name, [])
        for value in values.values():
            if isinstance(value, Ref):
                self.referenced.setdefault(value.table, set()).add(value.index)
        table_rows.append(values)
        return Ref(name, len(table_rows) - 1)

    def link(self, relationship: InstrumentedAttribute[Any], parent: Ref, child: Ref) -> None:
        """Record a pair for a many-to-many relationship (plan ↔ cooperative, delivery ↔ trade …)."""
        self.links.append(Link(relationship, parent, child))
        for ref in (parent, child):
            self.referenced.setdefault(ref.table, set()).add(ref.index)

    def row(self, ref: Ref) -> Row:
        """Return the generated row a reference points at."""
        return self.rows[ref.table][ref.index]

    def rows_of(self, model: type[Base] | Table) -> list[Row]:
        """Return the generated rows of a model (empty if none)."""
        return self.rows.get(_table_name(model), [])

    def count(self, model: type[Base] | Table) -> int:
        """Return how many rows of a model were generated."""
        return len(self.rows_of(model))

    def digest(self) -> str:
        """Return a SHA-256 over every row and link: equal digests mean identical data sets."""
        hasher = hashlib.sha256()
        for name in sorted(self.rows):
            for row in self.rows[name]:
                line = json.dumps([name, sorted(row.items())], default=_plain, ensure_ascii=False)
                hasher.update(line.encode())
        for link in self.links:
            line = json.dumps([link.relationship.key, link.parent, link.child], default=_plain)
            hasher.update(line.encode())
        return hasher.hexdigest()


def _table_name(model: type[Base] | Table) -> str:
    return model.name if isinstance(model, Table) else str(model.__tablename__)


def _plain(value: object) -> object:
    # Stable text for every value type the generators use (Decimal keeps its exponent: 1.0 ≠ 1.00).
    if isinstance(value, Ref):
        return f"@{value.table}:{value.index}"
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, Decimal | dt.date):
        return str(value)
    raise TypeError(f"unexpected value in demo row: {value!r}")
