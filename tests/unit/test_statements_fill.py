"""Filling the statements from what the books hold, without a database: 成员往来 never netted, the sides the
distribution's vouchers book, accounts no line shows, and the township's 万元."""

from __future__ import annotations

from decimal import Decimal

from coopcore.rules.statements import Books, Movement, fill_statements, split_members

D = Decimal


def test_members_debit_and_credit_balances_stay_apart_and_what_no_member_holds_goes_to_its_own_side() -> None:
    # §15 rule 22: A owes 1,200.00, B is owed 800.00.
    assert split_members(D("400.00"), [D("1200.00"), D("-800.00")]) == (D("1200.00"), D("800.00"))
    assert split_members(D("450.00"), [D("1200.00"), D("-800.00")]) == (D("1250.00"), D("800.00"))
    assert split_members(D("300.00"), [D("1200.00"), D("-800.00")]) == (D("1200.00"), D("900.00"))


def test_a_distribution_voucher_is_read_by_the_side_each_account_is_booked_on() -> None:
    # One voucher: the provident fund extracted, a loss covered, 各项分配 closed (Dr 33202 / Cr 33201).
    voucher = Movement({"33201": (D("100.00"), D("100.00")), "322": (D("40.00"), D("100.00")),
                        "33202": (D("100.00"), D("40.00"))})  # fmt: skip
    reversal = Movement({"33201": (D("-100.00"), D("0")), "322": (D("0"), D("-100.00"))})  # 红字: written negative
    found = fill_statements(2024, 12, Books({}, {}, movements=[voucher]))
    assert (found.this_year[14], found.this_year[15]) == (D("40.00"), D("100.00"))
    undone = fill_statements(2024, 12, Books({}, {}, movements=[voucher, reversal]))
    assert (undone.this_year[14], undone.this_year[15]) == (D("40.00"), D("0.00"))


def test_an_account_no_line_shows_is_reported_and_a_balanced_sheet_says_so() -> None:
    books = Books({}, {"181": D("500.00"), "102": D("-500.00")})
    found = fill_statements(2024, 12, books)
    assert found.unplaced == {"181": D("500.00")} and not found.balanced
    assert fill_statements(2024, 12, Books({}, {"102": D("10.00"), "301": D("-10.00")})).balanced
