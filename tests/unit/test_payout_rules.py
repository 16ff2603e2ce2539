"""A household's 114 credit split into guaranteed rent and produce money, first in first out, and the refusals of
payment runs in Chinese (issue #17)."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest

from coopcore.errors import InvalidValue
from coopcore.i18n import render, render_error
from coopcore.rules.payouts import Movement, open_credits
from coopcore.services.payouts import read_kinds
from coopcore.services.payouts.errors import TEMPLATES
from coopcore.terms import PayoutKind

D = Decimal
RENT, PRODUCE = PayoutKind.RENT, PayoutKind.PRODUCE


def day(month: int, number: int = 1) -> dt.date:
    return dt.date(2025, month, number)


def test_a_plain_debit_takes_the_oldest_credits_first_whatever_their_kind() -> None:
    movements = [Movement(day(1), D("100.00"), PRODUCE), Movement(day(3), D("50.00"), RENT),
                 Movement(day(4), D("-120.00"))]  # fmt: skip
    assert open_credits(movements) == {RENT: D("30.00")}


def test_a_payment_of_a_kind_takes_its_own_kind_first_and_leaves_the_other_owed() -> None:
    movements = [Movement(day(1), D("100.00"), PRODUCE), Movement(day(3), D("50.00"), RENT),
                 Movement(day(4), D("-50.00"), RENT)]  # fmt: skip
    assert open_credits(movements) == {PRODUCE: D("100.00")}


def test_a_debit_balance_is_made_good_by_the_next_credits_before_they_are_owed() -> None:
    movements = [Movement(day(1), D("-80.00")), Movement(day(2), D("50.00"), RENT),
                 Movement(day(3), D("70.00"), PRODUCE), Movement(day(3), D("5.00"))]  # fmt: skip
    assert open_credits(movements) == {PRODUCE: D("40.00"), None: D("5.00")}
    assert sum(open_credits(movements).values(), D(0)) == sum((m.change for m in movements), D(0))


def test_on_one_day_credits_come_before_debits() -> None:
    movements = [Movement(day(5), D("-30.00")), Movement(day(5), D("30.00"), PRODUCE)]
    assert open_credits(movements) == {}


def test_every_refusal_of_a_payment_run_reads_in_chinese() -> None:
    for template in TEMPLATES:
        chinese = render(template, "zh")
        assert chinese != template and not re.search(
            r"[A-Za-z]{4,}",
            re.sub(
                r"\{\w+\}|returns|residual|rent|"
                r"produce",
                "",
                chinese,
            ),
        ), chinese


def test_kinds_are_read_by_value_or_by_their_name_in_either_language_and_anything_else_is_refused() -> None:
    assert read_kinds(["盈余返还", " 剩余盈余 ", "returns"]) == (PayoutKind.RETURNS, PayoutKind.RESIDUAL)
    assert read_kinds(["Guaranteed land rent", "produce", "交售款"]) == (PayoutKind.RENT, PayoutKind.PRODUCE)
    with pytest.raises(InvalidValue) as refused:
        read_kinds(["分红"])
    assert "分红" in render_error(refused.value, "zh") and "盈余返还" in render_error(refused.value, "zh")
