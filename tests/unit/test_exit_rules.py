"""When an exit takes effect and what a leaver gets back (Art. 25, 28, 62; docs/domain.md D9, D10)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from coopcore.errors import InvalidValue
from coopcore.rules.exits import exit_effective_on, settle_exit

D = Decimal


@pytest.mark.parametrize(
    ("kind", "applied_on", "effective_on"),
    [
        ("farmer", dt.date(2024, 9, 30), dt.date(2024, 12, 31)),  # three months before the year end
        ("farmer", dt.date(2024, 10, 1), dt.date(2025, 12, 31)),
        ("enterprise", dt.date(2024, 6, 30), dt.date(2024, 12, 31)),  # organisations: six months
        ("enterprise", dt.date(2024, 7, 1), dt.date(2025, 12, 31)),
        ("cooperative", dt.date(2024, 7, 1), dt.date(2025, 12, 31)),  # rule 40: a federation's member
        ("non_farmer", dt.date(2024, 1, 15), dt.date(2024, 12, 31)),
    ],
)
def test_membership_ends_at_the_year_end_the_notice_allows(
    kind: str, applied_on: dt.date, effective_on: dt.date
) -> None:
    assert exit_effective_on(kind, applied_on) == effective_on


EQUITY = {"M01": (D("60000.00"), D("0.00")), "M02": (D("20000.00"), D("4766.07")), "M03": (D("15000.00"), D("0"))}


def test_without_a_loss_the_leaver_gets_contribution_and_provident_share_back() -> None:
    settlement = settle_exit("M02", EQUITY, D("0.00"))
    assert (settlement.loss_share, settlement.refund) == (D("0.00"), D("24766.07"))


def test_a_loss_is_shared_by_contribution_and_provident_share() -> None:
    # M02 holds 24,766.07 of 99,766.07, so 2,482.414… of a 10,000.00 loss.
    settlement = settle_exit("M02", EQUITY, D("10000.00"))
    assert settlement.loss_share == D("2482.41")
    assert settlement.refund == D("22283.66")


def test_the_loss_share_never_exceeds_what_the_leaver_holds() -> None:
    settlement = settle_exit("M03", {"M03": (D("100.00"), D("0.00"))}, D("5000.00"))
    assert (settlement.loss_share, settlement.refund) == (D("100.00"), D("0.00"))


def test_an_unknown_member_or_a_negative_loss_is_refused() -> None:
    with pytest.raises(InvalidValue):
        settle_exit("M99", EQUITY, D("0"))
    with pytest.raises(InvalidValue):
        settle_exit("M01", EQUITY, D("-1.00"))
