"""The exact column's quick paths on SQLite (integer fen in and out, for bulk writes and reads) give what its
checked path gives, and refuse what it refuses."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import Integer
from sqlalchemy.dialects import sqlite

from coopcore.db.types import ExactDecimal
from coopcore.errors import InvalidValue

DIALECT = sqlite.dialect()
TYPES = [ExactDecimal(14, 2), ExactDecimal(14, 4), ExactDecimal(9, 6)]


@pytest.mark.parametrize("column", TYPES, ids=repr)
@given(fen=st.integers(min_value=-(10**14), max_value=10**14), extra=st.integers(min_value=0, max_value=3))
def test_a_decimal_binds_to_the_integer_the_checked_path_gives(column: ExactDecimal, fen: int, extra: int) -> None:
    value = Decimal(fen).scaleb(-column.scale).quantize(Decimal(1).scaleb(-column.scale - extra))  # trailing zeros
    bind = column.bind_processor(DIALECT)
    assert bind is not None
    assert bind(value) == column.process_bind_param(value, DIALECT) == fen


@pytest.mark.parametrize("value", [Decimal("1.005"), Decimal("NaN"), Decimal("Infinity"), Decimal("-0.001")])
def test_a_part_of_a_fen_or_no_number_is_refused_on_the_quick_path_too(value: Decimal) -> None:
    bind = ExactDecimal(14, 2).bind_processor(DIALECT)
    assert bind is not None
    with pytest.raises(InvalidValue):
        bind(value)


def test_floats_are_refused_and_ints_and_strings_bound_as_before() -> None:
    column = ExactDecimal(14, 2)
    bind = column.bind_processor(DIALECT)
    assert bind is not None
    with pytest.raises(TypeError):
        bind(1.5)
    assert bind(3) == 300 and bind("4.50") == 450 and bind(None) is None


@pytest.mark.parametrize("column", TYPES, ids=repr)
@given(fen=st.integers(min_value=-(10**14), max_value=10**14))
def test_an_integer_of_fen_reads_as_the_checked_path_reads_it(column: ExactDecimal, fen: int) -> None:
    read = column.result_processor(DIALECT, Integer())
    assert read is not None
    quick, checked = read(fen), column.process_result_value(fen, DIALECT)
    assert quick == checked and str(quick) == str(checked)  # the same places, not only the same number
    assert read(None) is None
