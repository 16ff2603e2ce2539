"""Column types: exact decimals on every backend, and enums stored as checked strings."""

from __future__ import annotations

import enum
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from sqlalchemy import BigInteger, ColumnElement, Dialect, Enum, Numeric, column
from sqlalchemy.orm import mapped_column
from sqlalchemy.types import TypeDecorator, TypeEngine

from coopcore.errors import InvalidValue
from coopcore.money import has_places, quantum, to_decimal


class ExactDecimal(TypeDecorator[Decimal]):
    """A Decimal with a fixed scale: NUMERIC(precision, scale), or a scaled integer on SQLite.

    SQLite keeps NUMERIC as binary floating point (SUM of ten 0.10 is 0.9999999999999999); storing
    integer fen there keeps SUM, ORDER BY and comparisons exact. Values with more decimal places than
    the scale are refused rather than silently rounded.
    """

    impl = Numeric
    cache_ok = True

    def __init__(self, precision: int = 14, scale: int = 2) -> None:
        super().__init__()
        self.precision = precision
        self.scale = scale

    def __repr__(self) -> str:
        # Alembic writes this into migrations; TypeDecorator's own repr would describe the impl instead.
        return f"{type(self).__name__}(precision={self.precision}, scale={self.scale})"

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(BigInteger())
        return dialect.type_descriptor(Numeric(self.precision, self.scale, asdecimal=True))

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        if value is None:
            return None
        number = to_decimal(value)
        if not has_places(number, self.scale):
            raise InvalidValue("{value} has more than {scale} decimal places", value=value, scale=self.scale)
        if dialect.name == "sqlite":
            return int(number.scaleb(self.scale))
        return number

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        if dialect.name == "sqlite":
            # SUM/MAX of the scaled integers come back as int; AVG would be a float and is never used.
            return (Decimal(int(value)).scaleb(-self.scale)).quantize(quantum(self.scale))
        return Decimal(value).quantize(quantum(self.scale))

    def bind_processor(self, dialect: Dialect) -> Callable[[Any], Any] | None:
        if dialect.name != "sqlite":
            return self._checked_processor(dialect)
        # A bulk write (20,000 members' entries) binds amounts by the ten thousand: a Decimal whose fen are whole
        # goes straight to its integer; anything else is checked (and refused) by process_bind_param.
        scale = self.scale

        def process(value: Any) -> Any:
            if type(value) is Decimal and value.is_finite():
                scaled = value.scaleb(scale)
                whole = int(scaled)
                if whole == scaled:
                    return whole
            return self.process_bind_param(value, dialect)

        return process

    def _checked_processor(self, dialect: Dialect) -> Callable[[Any], Any] | None:
        checked = super().bind_processor(dialect)
        if checked is None or self.impl_instance.bind_processor(dialect) is not None:
            return checked
        # A plan's COPY binds its lines' amounts by the hundred thousand: a Decimal with at most `scale` places
        # goes through as it is (what process_bind_param returns for it); anything else is checked there.
        step = quantum(self.scale)

        def process(value: Any) -> Any:
            if type(value) is Decimal:
                try:
                    if value.quantize(step) == value:
                        return value
                except InvalidOperation:  # more digits than the context holds: has_places counts them
                    pass
            return checked(value)

        return process

    def result_processor(self, dialect: Dialect, coltype: Any) -> Callable[[Any], Decimal | None] | None:
        if dialect.name != "sqlite":
            return super().result_processor(dialect, coltype)
        # Reading many rows (a distribution's 20,000 lines, several amounts each) spent more time here than in
        # SQLite: an integer of fen scaled down already has exactly `scale` places, with nothing to quantize.
        scale = -self.scale

        def process(value: Any) -> Decimal | None:
            if type(value) is int:
                return Decimal(value).scaleb(scale)
            return self.process_result_value(value, dialect)

        return process

    def coerce_compared_value(self, op: Any, value: Any) -> TypeEngine[Any]:
        # Literals compared with an exact column are bound through the same scaling.
        return self


# The exact columns, each declared once (SQLAlchemy's "mapping whole column declarations to Python types"):
# `amount: Mapped[Money]`, `premium: Mapped[Money | None]` (nullable), and a default where it is declared:
# `paid: Mapped[Money] = mapped_column(default=Decimal("0.00"))`.

Money = Annotated[Decimal, mapped_column(ExactDecimal(14, 2))]
"""Yuan to the fen, signed, up to ±999,999,999,999.99."""

Quantity = Annotated[Decimal, mapped_column(ExactDecimal(14, 4))]
"""A quantity (kg, jin, pieces) or an area in mu, to 4 decimal places."""

Rate = Annotated[Decimal, mapped_column(ExactDecimal(9, 6))]
"""A ratio such as 0.10 or 0.70, to 6 decimal places."""


def StrEnumType(enum_class: type[enum.Enum], name: str) -> Enum:  # noqa: N802
    """Store an enum as its string value with a named CHECK constraint (portable across backends)."""
    return Enum(
        enum_class,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=32,
        validate_strings=True,
        values_callable=lambda members: [member.value for member in members],
    )


def between(name: str, low: str, high: str, *, scale: int = 6) -> ColumnElement[bool]:
    """A CHECK expression bounding an exact column; its literals are scaled like the column on SQLite."""
    exact = column(name, ExactDecimal(14, scale))
    return (exact >= Decimal(low)) & (exact <= Decimal(high))
