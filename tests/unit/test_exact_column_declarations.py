"""Every exact column of the models is declared as Money, Quantity or Rate, never with a type of its own."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

import coopcore.models  # noqa: F401 - maps every model
from coopcore.db.base import Base
from coopcore.db.types import ExactDecimal

# Each declared column type and the (precision, scale) of its database column.
DECLARED = {"Money": (14, 2), "Quantity": (14, 4), "Rate": (9, 6)}
DECLARATION = re.compile(r"Mapped\[(?P<type>\w+)(?P<optional> \| None)?\]")


def decimal_columns() -> Iterator[tuple[str, str, ExactDecimal | None, bool]]:
    """(Model.attribute, its annotation, its exact type or None, nullable) of every column holding a Decimal."""
    for mapper in Base.registry.mappers:
        if not mapper.class_.__module__.startswith("coopcore.models."):
            continue  # the audit trail's version classes, which copy the models' columns
        annotations: dict[str, str] = {}
        for cls in reversed(mapper.class_.__mro__):
            annotations.update(getattr(cls, "__annotations__", {}))
        for attribute in mapper.column_attrs:
            column = attribute.columns[0]
            exact = column.type if isinstance(column.type, ExactDecimal) else None
            if exact is not None or column.type.python_type is Decimal:
                name = f"{mapper.class_.__name__}.{attribute.key}"
                yield name, str(annotations.get(attribute.key)), exact, bool(column.nullable)


def test_every_decimal_column_is_declared_as_money_quantity_or_rate() -> None:
    columns = list(decimal_columns())
    assert len(columns) >= 62  # the exact columns of the models when they were declared this way
    wrong = []
    for name, annotation, exact, nullable in columns:
        declared = DECLARATION.fullmatch(annotation)
        if declared is None or declared["type"] not in DECLARED or exact is None:
            wrong.append((name, annotation))
            continue
        assert (exact.precision, exact.scale) == DECLARED[declared["type"]], name
        assert nullable == bool(declared["optional"]), name
    assert wrong == []
