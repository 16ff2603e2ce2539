"""coopcore.money: half-up rounding to the fen and the largest-remainder split of docs/domain.md §3."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coopcore.errors import InvalidValue
from coopcore.i18n import format_money
from coopcore.i18n.capitals import amount_in_capitals
from coopcore.money import allocate, ceil_to_fen, ratio_half_up, to_money

# Example 1 of docs/domain.md §4: 2024 transaction amounts of the six members.
EXAMPLE_1_TRANSACTIONS = {
    "M01": Decimal("0.00"),
    "M02": Decimal("38760.50"),
    "M03": Decimal("52318.00"),
    "M04": Decimal("27905.25"),
    "M05": Decimal("61240.75"),
    "M06": Decimal("19775.53"),
}


def test_half_up_rounds_the_cases_bankers_rounding_gets_wrong() -> None:
    # Rule 39: round(2.675, 2) == 2.67 and round(0.125, 2) == 0.12 in Python; 四舍五入 gives 2.68 and 0.13.
    assert to_money(Decimal("2.675")) == Decimal("2.68")
    assert to_money(Decimal("0.125")) == Decimal("0.13")
    assert to_money("2.675") == Decimal("2.68")
    assert to_money(Decimal("-0.125")) == Decimal("-0.13")


def test_floats_are_refused_not_coerced() -> None:
    with pytest.raises(TypeError):
        to_money(2.675)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        allocate(Decimal("1.00"), {"M01": 0.5})  # type: ignore[dict-item]
    with pytest.raises(TypeError):
        allocate(1.0, {"M01": Decimal(1)})  # type: ignore[arg-type]


@pytest.mark.parametrize("text", ["abc", "NaN", "Infinity", ""])
def test_text_that_is_not_a_finite_number_is_an_invalid_value(text: str) -> None:
    with pytest.raises(InvalidValue):
        to_money(text)


def test_sixty_percent_floor_rounds_up_to_the_fen() -> None:
    # Rule 13: 60% of 1,000.02 is 600.012; half-up would give 600.01 and break the floor.
    assert ceil_to_fen(Decimal("1000.02") * Decimal("0.60")) == Decimal("600.02")


def test_patronage_pool_of_example_one_splits_to_the_fen_by_largest_remainder() -> None:
    # Rule 15: M05 gets 35,152.17 (half-up per share would give .18 and overshoot the pool by a fen).
    shares = allocate(Decimal("114799.97"), EXAMPLE_1_TRANSACTIONS)
    assert shares == {
        "M01": Decimal("0.00"),
        "M02": Decimal("22248.52"),
        "M03": Decimal("30030.52"),
        "M04": Decimal("16017.61"),
        "M05": Decimal("35152.17"),
        "M06": Decimal("11351.15"),
    }
    assert sum(shares.values()) == Decimal("114799.97")


def test_provident_fund_of_example_one_gives_the_two_left_over_fen_to_the_largest_fractions() -> None:
    shares = allocate(Decimal("18222.22"), EXAMPLE_1_TRANSACTIONS)
    assert shares == {
        "M01": Decimal("0.00"),
        "M02": Decimal("3531.51"),
        "M03": Decimal("4766.75"),
        "M04": Decimal("2542.48"),
        "M05": Decimal("5579.71"),
        "M06": Decimal("1801.77"),
    }


def test_residual_pool_of_example_one_goes_by_capital_provident_and_quantified_shares() -> None:
    weights = {
        "M01": Decimal("77166.67"),
        "M02": Decimal("41932.74"),
        "M03": Decimal("37921.07"),
        "M04": Decimal("29709.15"),
        "M05": Decimal("28203.15"),
        "M06": Decimal("27288.43"),
    }
    assert sum(weights.values()) == Decimal("242221.21")  # rule 19
    shares = allocate(Decimal("49199.99"), weights)
    assert shares == {
        "M01": Decimal("15674.10"),  # rule 18: a zero-transaction member still gets its residual
        "M02": Decimal("8517.38"),
        "M03": Decimal("7702.53"),
        "M04": Decimal("6034.52"),
        "M05": Decimal("5728.63"),
        "M06": Decimal("5542.83"),
    }


def test_equal_quantification_gives_the_extra_fen_to_the_smaller_codes() -> None:
    # Rule 16: 100,000.00 over six members.
    shares = allocate(Decimal("100000.00"), {f"M0{i}": 1 for i in range(1, 7)})
    assert [shares[f"M0{i}"] for i in range(1, 7)] == [Decimal("16666.67")] * 4 + [Decimal("16666.66")] * 2


def test_full_ties_break_by_larger_weight_then_smaller_key() -> None:
    # Rule 17: a federation's patronage pool over 120,000 / 120,000 / 60,000.
    shares = allocate(Decimal("6066.66"), {"S1": 120000, "S2": 120000, "S3": 60000})
    assert shares == {"S1": Decimal("2426.67"), "S2": Decimal("2426.66"), "S3": Decimal("1213.33")}


def test_a_zero_weight_gets_exactly_nothing() -> None:
    shares = allocate(Decimal("0.05"), {"A": 0, "B": 1, "C": 1})
    assert shares["A"] == Decimal("0.00")
    assert shares["B"] + shares["C"] == Decimal("0.05")


def test_an_empty_pool_over_zero_weights_is_all_zeros() -> None:
    assert allocate(Decimal("0.00"), {"A": 0, "B": 0}) == {"A": Decimal("0.00"), "B": Decimal("0.00")}


@pytest.mark.parametrize(
    ("pool", "weights"),
    [
        (Decimal("-0.01"), {"A": 1}),
        (Decimal("1.00"), {"A": -1, "B": 2}),
        (Decimal("1.00"), {"A": 0, "B": 0}),
        (Decimal("1.00"), {}),
        (Decimal("1.001"), {"A": 1}),
    ],
    ids=["negative pool", "negative weight", "zero total weight", "nobody", "fraction of a fen"],
)
def test_impossible_splits_are_invalid_values(pool: Decimal, weights: dict[str, int]) -> None:
    with pytest.raises(InvalidValue):
        allocate(pool, weights)


fen_amounts = st.integers(min_value=0, max_value=10**13).map(lambda fen: Decimal(fen).scaleb(-2))
weights_strategy = st.dictionaries(
    keys=st.text(alphabet="ABCDEFGHM0123456789", min_size=1, max_size=5),
    values=st.one_of(
        st.integers(min_value=0, max_value=10**9),
        st.decimals(min_value=0, max_value=10**9, places=4, allow_nan=False, allow_infinity=False),
    ),
    min_size=1,
    max_size=60,
).filter(lambda weights: sum(Decimal(w) for w in weights.values()) > 0)


@given(pool=fen_amounts, weights=weights_strategy)
def test_nothing_is_lost_and_no_share_drifts_more_than_a_fen(pool: Decimal, weights: dict[str, Decimal]) -> None:
    shares = allocate(pool, weights)
    assert set(shares) == set(weights)
    assert sum(shares.values(), Decimal("0.00")) == pool
    total = sum(Fraction(Decimal(w)) for w in weights.values())
    for key, share in shares.items():
        exact = Fraction(pool) * Fraction(Decimal(weights[key])) / total
        assert abs(Fraction(share) - exact) < Fraction(1, 100)
        assert share >= 0
        assert share.as_tuple().exponent == -2
        if weights[key] == 0:
            assert share == 0


@given(pool=fen_amounts, weights=weights_strategy, data=st.data())
def test_the_split_does_not_depend_on_the_order_of_members(
    pool: Decimal, weights: dict[str, Decimal], data: st.DataObject
) -> None:
    keys = data.draw(st.permutations(list(weights)))
    shuffled = {key: weights[key] for key in keys}
    assert allocate(pool, shuffled) == allocate(pool, weights)


@given(st.decimals(min_value=-(10**12), max_value=10**12, allow_nan=False, allow_infinity=False, places=6))
def test_to_money_is_within_half_a_fen_and_idempotent(value: Decimal) -> None:
    money = to_money(value)
    assert abs(money - value) <= Decimal("0.005")
    assert to_money(money) == money
    assert money.as_tuple().exponent == -2


@pytest.mark.parametrize("amount", ["-0.004", "-0.00", "-0", "-0.0049999"])
def test_an_amount_that_rounds_to_zero_is_zero_without_a_sign(amount: str) -> None:
    assert not to_money(Decimal(amount)).is_signed()
    assert format_money(Decimal(amount)) == "¥0.00"
    assert format_money(Decimal(amount), "en") == "CN¥0.00"
    assert amount_in_capitals(Decimal(amount)) == "人民币零元整"


@given(st.decimals(min_value=Decimal("-0.02"), max_value=Decimal("0.02"), allow_nan=False, places=4))
def test_figures_and_words_agree_on_the_sign(amount: Decimal) -> None:
    for lang in ("zh", "en"):
        assert format_money(amount, lang).startswith("-") == ("负" in amount_in_capitals(amount))


def test_a_ratio_rounds_half_up_exactly_even_a_hair_under_a_half() -> None:
    assert ratio_half_up(Decimal("1"), Decimal("8"), 2) == Decimal("0.13")  # 0.125: a half goes up
    assert ratio_half_up(Decimal("-1"), Decimal("8"), 2) == Decimal("-0.13")  # and away from zero
    assert ratio_half_up(Decimal("114799.97"), Decimal("200000.03"), 4) == Decimal("0.5740")
    # 0.12499999999999999999999999999999 (32 places) is under a half: a 28-digit division would round it up.
    hair = Decimal("0.12499999999999999999999999999999")
    assert ratio_half_up(hair, Decimal("1"), 2) == Decimal("0.12")
    assert (hair / Decimal("1")).quantize(Decimal("0.01"), rounding="ROUND_HALF_UP") == Decimal("0.13")
