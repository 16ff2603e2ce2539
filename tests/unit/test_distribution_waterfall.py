"""The Art. 44 waterfall as a pure function: docs/domain.md Example 1 to the fen, §15 rules, and properties."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coopcore.errors import InvalidValue
from coopcore.rules.distribution import (
    AssemblyDecisionNeeded,
    Case,
    PatronageShareTooLow,
    Policy,
    Position,
    distribute,
)

D = Decimal
EXAMPLE_1_MEMBERS = [
    Position("M01", D("60000.00"), D("0.00"), D("0.00")),
    Position("M02", D("20000.00"), D("1234.56"), D("38760.50")),
    Position("M03", D("15000.00"), D("987.65"), D("52318.00")),
    Position("M04", D("10000.00"), D("0.00"), D("27905.25")),
    Position("M05", D("5000.00"), D("456.78"), D("61240.75")),
    Position("M06", D("8000.00"), D("320.00"), D("19775.53")),
]


def example_1(**changes: object) -> Case:
    fields: dict[str, object] = {
        "year": 2024,
        "surplus": D("186543.27"),
        "opening_undistributed": D("-4321.09"),
        "policy": Policy(D("0.10"), D("0.70")),
        "members": EXAMPLE_1_MEMBERS,
        "subsidy_property": D("100000.00"),
        "donation_property": D("3000.00"),
    }
    fields.update(changes)
    return Case(**fields)  # type: ignore[arg-type]


def test_example_one_comes_out_exactly_as_printed() -> None:
    result = distribute(example_1())
    # Rules 11 and 12.
    assert (result.provident_fund, result.distributable) == (D("18222.22"), D("163999.96"))
    assert (result.patronage_pool, result.residual_pool) == (D("114799.97"), D("49199.99"))
    assert (result.loss_covered, result.carried_loss, result.retained_from_prior_years) == (D("4321.09"), 0, 0)
    table = {m.code: (m.patronage_return, m.residual_distribution, m.total) for m in result.members}
    assert table == {
        "M01": (D("0.00"), D("15674.10"), D("15674.10")),
        "M02": (D("22248.52"), D("8517.38"), D("30765.90")),
        "M03": (D("30030.52"), D("7702.53"), D("37733.05")),
        "M04": (D("16017.61"), D("6034.52"), D("22052.13")),
        "M05": (D("35152.17"), D("5728.63"), D("40880.80")),
        "M06": (D("11351.15"), D("5542.83"), D("16893.98")),
    }
    assert [m.subsidy_share for m in result.members] == [D("16666.67")] * 4 + [D("16666.66")] * 2
    assert [m.donation_share for m in result.members] == [D("500.00")] * 6
    assert [m.provident_share_added for m in result.members] == [
        D("0.00"), D("3531.51"), D("4766.75"), D("2542.48"), D("5579.71"), D("1801.77")
    ]  # fmt: skip
    # Rule 19: residual weights include this year's provident shares and the quantified property.
    assert result.members[0].residual_weight == D("77166.67")
    assert sum(m.residual_weight for m in result.members) == D("242221.21")
    # Rule 21: 02表 line 20 = 16 - 17 - 18 - 19 is zero.
    assert result.distributable - result.patronage_pool - result.residual_pool == 0


def test_sixty_percent_floor_wins_over_half_up_rounding() -> None:
    # Rule 13: D = 1,000.02 at 60% gives a pool of 600.02, not 600.01.
    members = [Position("A", D("100.00"), D("0.00"), D("1.00")), Position("B", D("100.00"), D("0.00"), D("2.00"))]
    result = distribute(Case(2024, D("1000.02"), D("0.00"), Policy(D("0"), D("0.60")), members))
    assert (result.patronage_pool, result.residual_pool) == (D("600.02"), D("400.00"))


def test_a_patronage_ratio_below_sixty_percent_is_refused() -> None:
    # Rule 14.
    with pytest.raises(PatronageShareTooLow):
        Policy(D("0.10"), D("0.55"))


def test_a_loss_larger_than_the_surplus_is_carried_and_nothing_is_distributed() -> None:
    result = distribute(example_1(surplus=D("3000.00")))
    assert (result.loss_covered, result.carried_loss) == (D("3000.00"), D("1321.09"))
    assert result.provident_fund == result.distributable == result.patronage_pool == 0
    assert all(m.total == 0 and m.provident_share_added == 0 for m in result.members)


def test_a_positive_opening_balance_is_reported_as_retained_not_distributed() -> None:
    result = distribute(example_1(opening_undistributed=D("5000.00")))
    assert result.retained_from_prior_years == D("5000.00")
    assert result.provident_fund == D("18654.33")  # 10% of 186,543.27, half-up
    assert result.distributable == D("186543.27") - D("18654.33")


def test_provident_fund_half_and_half_goes_first_by_transactions_then_by_contributions() -> None:
    result = distribute(example_1(policy=Policy(D("0.10"), D("0.70"), "half")))
    assert sum(m.provident_share_added for m in result.members) == D("18222.22")
    assert result.members[0].provident_share_added > 0  # the collective has capital but no trade
    by_capital = distribute(example_1(policy=Policy(D("0.10"), D("0.70"), "contributions")))
    # 60,000 / 118,000 of 18,222.22 is 9,265.5356 exactly; its .5356 fen is among the largest remainders.
    assert by_capital.members[0].provident_share_added == D("9265.54")


def test_a_pool_over_zero_patronage_needs_an_assembly_decision() -> None:
    members = [Position("A", D("100.00"), D("0.00"), D("0.00"))]
    with pytest.raises(AssemblyDecisionNeeded):
        distribute(Case(2024, D("100.00"), D("0.00"), Policy(D("0"), D("0.60")), members))


def test_impossible_inputs_are_invalid_values() -> None:
    with pytest.raises(InvalidValue):
        distribute(example_1(surplus=D("1.001")))
    with pytest.raises(InvalidValue):
        distribute(example_1(members=[*EXAMPLE_1_MEMBERS, EXAMPLE_1_MEMBERS[0]]))
    with pytest.raises(InvalidValue):
        Policy(D("0.10"), D("0.70"), "votes")


fen = st.integers(min_value=0, max_value=10**11).map(lambda n: Decimal(n).scaleb(-2))
amounts = st.one_of(st.just(D("0.00")), fen, st.integers(0, 100).map(lambda n: Decimal(n).scaleb(-2)))


@st.composite
def cases(draw: st.DrawFn) -> Case:
    size = draw(st.integers(min_value=1, max_value=500))
    members = [
        Position(f"M{i:04d}", draw(amounts), draw(amounts), draw(amounts)) for i in draw(st.permutations(range(size)))
    ]
    # Someone must trade and someone must hold capital, or the pools would need an assembly decision.
    members[0] = Position(members[0].code, members[0].contribution + D("1.00"), members[0].provident_share, D("0.01"))
    policy = Policy(
        draw(st.sampled_from([D("0"), D("0.05"), D("0.10"), D("0.15")])),
        draw(st.sampled_from([D("0.60"), D("0.65"), D("0.70"), D("0.80"), D("1")])),
        draw(st.sampled_from(["transactions", "contributions", "half"])),
    )
    return Case(2024, draw(fen), draw(st.one_of(st.just(D("0.00")), fen.map(lambda v: -v))), policy, members,
                draw(amounts), draw(amounts))  # fmt: skip


@settings(max_examples=60, deadline=None)
@given(case=cases())
def test_members_totals_add_up_to_distributable_and_patronage_keeps_sixty_percent(case: Case) -> None:
    result = distribute(case)
    assert sum((m.total for m in result.members), D("0")) == result.distributable
    assert sum((m.provident_share_added for m in result.members), D("0")) == result.provident_fund
    assert result.patronage_pool >= result.distributable * D("0.60")
    assert sum((m.subsidy_share for m in result.members), D("0")) == case.subsidy_property
    total_patronage = sum(Fraction(m.patronage) for m in case.members)
    for member, share in zip(sorted(case.members, key=lambda m: m.code), result.members, strict=True):
        exact = Fraction(result.patronage_pool) * Fraction(member.patronage) / total_patronage
        assert abs(Fraction(share.patronage_return) - exact) < Fraction(1, 100)


@settings(max_examples=30, deadline=None)
@given(case=cases(), data=st.data())
def test_the_result_does_not_depend_on_member_order_and_replanning_is_identical(
    case: Case, data: st.DataObject
) -> None:
    shuffled = Case(**{**vars(case), "members": data.draw(st.permutations(list(case.members)))})
    assert distribute(shuffled) == distribute(case) == distribute(case)
