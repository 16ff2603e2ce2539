"""The distribution's vouchers: Example 1's five entries to the fen, the year-end close (rule 20), conversions (25)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from coopcore.rules import entries
from coopcore.rules.distribution import distribute
from coopcore.terms import LandGuaranteeTreatment
from tests.unit.entry_checks import Books, assert_well_formed, shown
from tests.unit.test_distribution_waterfall import example_1

D = Decimal
EXAMPLE_1 = distribute(example_1())
# A year whose profit and loss nets to Example 1's 本年盈余 of 186,543.27 (511 a gain, 511 carried as income).
PROFIT_AND_LOSS = {"501": D("-250000.00"), "511": D("-3000.00"), "521": D("60000.00"), "523": D("6456.73")}
OPENING_LOSS = {"33202": D("4321.09")}  # 年初未分配盈余 −4,321.09: a debit balance


def test_example_one_books_exactly_its_five_journal_entries() -> None:
    vouchers = entries.distribution_vouchers(EXAMPLE_1)
    assert [(v.summary, shown(v.lines)) for v in vouchers] == [
        ("2024年结转本年盈余", [("331", "Dr", "186543.27", None), ("33202", "Cr", "186543.27", None)]),
        ("2024年提取盈余公积", [("33201", "Dr", "18222.22", None), ("322", "Cr", "18222.22", None)]),
        ("2024年盈余返还", [("33201", "Dr", "114799.97", None),
                            ("221", "Cr", "22248.52", "M02"), ("221", "Cr", "30030.52", "M03"),
                            ("221", "Cr", "16017.61", "M04"), ("221", "Cr", "35152.17", "M05"),
                            ("221", "Cr", "11351.15", "M06")]),
        ("2024年剩余盈余分配", [("33201", "Dr", "49199.99", None),
                                ("222", "Cr", "15674.10", "M01"), ("222", "Cr", "8517.38", "M02"),
                                ("222", "Cr", "7702.53", "M03"), ("222", "Cr", "6034.52", "M04"),
                                ("222", "Cr", "5728.63", "M05"), ("222", "Cr", "5542.83", "M06")]),
        ("2024年结转各项分配", [("33202", "Dr", "182222.18", None), ("33201", "Cr", "182222.18", None)]),
    ]  # fmt: skip
    for voucher in vouchers:
        assert_well_formed(voucher.lines)
        assert {line.summary for line in voucher.lines} == {voucher.summary}


def _close_the_year(books: Books) -> None:
    for voucher in entries.year_end_vouchers(dict(books.balances)):
        books.post(voucher.lines)


def test_rule_20_after_the_five_entries_and_the_close_331_and_both_332_accounts_are_zero() -> None:
    books = Books({**OPENING_LOSS, **PROFIT_AND_LOSS})
    for voucher in entries.distribution_vouchers(EXAMPLE_1):
        books.post(voucher.lines)
    closing = entries.year_end_vouchers(dict(books.balances))
    # 331 already gave the surplus to 332 (entry 1): the close carries profit and loss and moves nothing more.
    assert [voucher.summary for voucher in closing] == ["结转本年收入", "结转本年支出"]
    _close_the_year(books)
    assert (books["33201"], books["33202"], books["331"]) == (0, 0, 0)
    assert all(books[code] == 0 for code in PROFIT_AND_LOSS)
    assert books["322"] == D("-18222.22") and books["221"] == D("-114799.97") and books["222"] == D("-49199.99")


def test_rule_20_holds_too_when_the_close_moved_the_surplus_before_the_distribution() -> None:
    books = Books({**OPENING_LOSS, **PROFIT_AND_LOSS})
    closing = entries.year_end_vouchers(dict(books.balances))
    assert shown(closing[-1].lines) == [("331", "Dr", "186543.27", None), ("33202", "Cr", "186543.27", None)]
    _close_the_year(books)
    for voucher in entries.distribution_vouchers(EXAMPLE_1, transfer_surplus=False):
        books.post(voucher.lines)
    assert (books["33201"], books["33202"], books["331"]) == (0, 0, 0)


def test_the_close_carries_an_investment_loss_to_the_debit_of_331_and_a_year_s_loss_out_of_332() -> None:
    books = Books({"501": D("-1000.00"), "511": D("500.00"), "521": D("900.00")})
    vouchers = entries.year_end_vouchers(dict(books.balances))
    assert [shown(v.lines) for v in vouchers] == [
        [("501", "Dr", "1000.00", None), ("331", "Cr", "1000.00", None)],
        [("331", "Dr", "1400.00", None), ("511", "Cr", "500.00", None), ("521", "Cr", "900.00", None)],
        [("33202", "Dr", "400.00", None), ("331", "Cr", "400.00", None)],
    ]  # fmt: skip
    assert vouchers[-1].summary == "结转本年亏损"
    _close_the_year(books)
    assert books["331"] == 0 and books["33202"] == D("400.00")


def test_rule_25b_a_conversion_decided_in_the_distribution_is_booked_to_301_instead_of_221_or_222() -> None:
    vouchers = entries.distribution_vouchers(EXAMPLE_1, conversions={"M02": D("10000.00")}, resolution="决议2025-1")
    by_summary = {voucher.summary: voucher.lines for voucher in vouchers}
    converted = by_summary["2024年盈余转为成员出资（决议2025-1）"]
    assert shown(converted) == [("33201", "Dr", "10000.00", None), ("301", "Cr", "10000.00", "M02")]
    # The residual (8,517.38) is converted first, then 1,482.62 of the patronage return (22,248.52).
    residual = {line.member: line.credit for line in by_summary["2024年剩余盈余分配"] if line.member}
    patronage = {line.member: line.credit for line in by_summary["2024年盈余返还"] if line.member}
    assert "M02" not in residual and patronage["M02"] == D("20765.90")
    # 02表: line 17 + 18 + 19 is still the distributable surplus, and 各项分配 closes out whole.
    assert sum(patronage.values()) + sum(residual.values()) + D("10000.00") == D("163999.96")
    assert shown(by_summary["2024年结转各项分配"])[0] == ("33202", "Dr", "182222.18", None)
    books = Books({**OPENING_LOSS, **PROFIT_AND_LOSS})
    for voucher in vouchers:
        books.post(voucher.lines)
    _close_the_year(books)
    assert (books["33201"], books["33202"], books["331"]) == (0, 0, 0)
    assert books.by_member["301", "M02"] == D("-10000.00")


def test_rule_25a_converting_an_already_declared_return_moves_it_from_221_to_301() -> None:
    lines = entries.convert_returns([entries.Payable("M02", D("5000.00"))], "2025年第1次成员大会决议")
    assert shown(lines) == [("221", "Dr", "5000.00", "M02"), ("301", "Cr", "5000.00", "M02")]
    # 02表 line 19 is built from 332—各项分配 → 301; this path never touches 332, so line 19 stays 0.00.
    assert not any(line.account.startswith("332") for line in lines)


def test_rule_25_both_conversions_are_blocked_without_the_assembly_s_resolution() -> None:
    with pytest.raises(entries.ResolutionRequired):
        entries.convert_returns([entries.Payable("M02", D("5000.00"))], "  ")
    with pytest.raises(entries.ResolutionRequired):
        entries.distribution_vouchers(EXAMPLE_1, conversions={"M02": D("5000.00")})


def test_a_member_cannot_convert_more_than_the_distribution_gives_them() -> None:
    with pytest.raises(entries.ConversionExceedsShare):
        entries.distribution_vouchers(EXAMPLE_1, conversions={"M02": D("30765.91")}, resolution="决议")
    with pytest.raises(entries.ConversionExceedsShare):
        entries.distribution_vouchers(EXAMPLE_1, conversions={"M99": D("0.01")}, resolution="决议")


def test_a_loss_covered_by_the_provident_fund_and_guarantees_charged_to_surplus_close_out_with_the_rest() -> None:
    vouchers = entries.distribution_vouchers(
        EXAMPLE_1, loss_covered_by_provident_fund=D("1000.00"), other_distributions=D("7000.00")
    )
    assert shown(vouchers[1].lines) == [("322", "Dr", "1000.00", None), ("33202", "Cr", "1000.00", None)]
    assert vouchers[1].summary == "盈余公积弥补亏损"
    assert shown(vouchers[-1].lines) == [("33202", "Dr", "189222.18", None), ("33201", "Cr", "189222.18", None)]
    books = Books(OPENING_LOSS)
    books.post(entries.land_guarantee("M06", D("7000.00"), LandGuaranteeTreatment.CAPITAL))
    for voucher in vouchers:
        books.post(voucher.lines)
    assert books["33201"] == 0


def test_paying_example_one_clears_221_and_222_against_163_999_96() -> None:
    payables = [entries.Payable(m.code, m.patronage_return, m.residual_distribution) for m in EXAMPLE_1.members]
    lines = entries.pay_returns(payables)
    assert shown(lines)[-1] == ("102", "Cr", "163999.96", None)
    books = Books()
    for voucher in entries.distribution_vouchers(EXAMPLE_1):
        books.post(voucher.lines)
    books.post(lines)
    assert books["221"] == 0 and books["222"] == 0
    assert all(value == 0 for (account, _), value in books.by_member.items() if account in ("221", "222"))


def test_a_long_resolution_is_cut_to_the_summary_column_on_the_voucher_and_its_lines() -> None:
    vouchers = entries.distribution_vouchers(EXAMPLE_1, conversions={"M02": D("1.00")}, resolution="决" * 300)
    converted = next(v for v in vouchers if v.lines[-1].account == "301")
    assert len(converted.summary) == 200 and {line.summary for line in converted.lines} == {converted.summary}
