"""The journal entries of each business event (domain.md §2.4), and §15 rules 23 and 24, to the fen."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest

from coopcore.errors import InvalidValue
from coopcore.rules import entries
from coopcore.rules.entries import lines as entry_lines
from coopcore.rules.exits import Settlement
from coopcore.rules.ledger import EntryLine
from coopcore.terms import AccountEntryKind, FundSource, IncomeCategory, LandGuaranteeTreatment, TradeModel
from tests.unit.entry_checks import assert_well_formed, shown

D = Decimal
PURCHASE, AGENCY = TradeModel.PURCHASE, TradeModel.AGENCY

EVERY_BUILDER: dict[str, Callable[[], list[EntryLine]]] = {
    "cash contribution": lambda: entries.cash_contribution("M01", D("12000.00"), D("10000.00")),
    "land contribution": lambda: entries.land_contribution("M02", D("48000.00"), D("50000.00")),
    "in kind": lambda: entries.in_kind_contribution("M03", "142", D("9000.00"), poverty_asset=True),
    "poverty asset": lambda: entries.poverty_asset_contribution("M04", "151", D("30000.00"), project="光伏扶贫"),
    "by kind": lambda: entries.contribution(AccountEntryKind.CONTRIBUTION_LAND, "M05", D("800.00")),
    "refund": lambda: entries.contribution_refund("M01", D("10000.00"), account="101"),
    "provident refund": lambda: entries.provident_share_refund("M01", D("456.78"), account="114"),
    "exit": lambda: entries.exit_refund("M05", Settlement(D("5000.00"), D("456.78"), D("300.00"))),
    "intake purchase": lambda: entries.intake(PURCHASE, D("3876.05"), member="M02", product="苹果"),
    "intake agency": lambda: entries.intake(AGENCY, D("5231.80"), member="M03", product="苹果"),
    "intake paid": lambda: entries.intake(PURCHASE, D("100.00"), counterparty="散户", paid_from="101"),
    "sale purchase": lambda: entries.sale(PURCHASE, D("5000.00"), cost=D("3876.05"), received=D("5000.00")),
    "sale agency": lambda: entries.sale(AGENCY, D("6000.00"), contract_value=D("5231.80"), buyer="鲁果公司"),
    "input purchase": lambda: entries.input_purchase("M04", D("1200.00"), fee=D("36.00"), product="复合肥"),
    "member pays": lambda: entries.member_pays("M04", D("1236.00")),
    "member paid": lambda: entries.member_paid("M02", D("3876.05")),
    "advance": lambda: entries.advance_received("鲁果公司", D("20000.00")),
    "collected": lambda: entries.receivable_collected("鲁果公司", D("768.20")),
    "guarantee cost": lambda: entries.land_guarantee("M06", D("7000.00")),
    "guarantee capital": lambda: entries.land_guarantee("M06", D("7000.00"), LandGuaranteeTreatment.CAPITAL),
    "amortisation": lambda: entries.land_amortisation(D("8000.00")),
    "subsidy": lambda: entries.subsidy_received(D("90000.00"), project="冷库项目"),
    "subsidy asset": lambda: entries.subsidy_spent_on_asset(D("90000.00"), poverty_asset=True),
    "subsidy training": lambda: entries.subsidy_spent_on_services(D("5000.00")),
    "subsidy afterwards": lambda: entries.subsidy_for_past_expense(D("3000.00"), "521"),
    "subsidy returned": lambda: entries.subsidy_returned(D("1000.00")),
    "donated asset": lambda: entries.asset_received(FundSource.DONATION, D("3000.00"), costs=D("120.00")),
    "cash donation": lambda: entries.cash_donation(D("500.00"), account="101"),
    "income": lambda: entries.income_expense(IncomeCategory.OPERATING_INCOME, D("250000.00")),
    "expense": lambda: entries.income_expense(IncomeCategory.ADMIN_EXPENSE, D("6456.73"), against="101"),
    "loss covered": lambda: entries.provident_fund_covers_loss(D("2000.00")),
    "close-out": lambda: entries.close_distributions(D("182222.18")),
    "transfer": lambda: entries.transfer_year_surplus(D("-4321.09")),
    "pay returns": lambda: entries.pay_returns([entries.Payable("M02", D("22248.52"), D("8517.38"))]),
    "convert": lambda: entries.convert_returns([entries.Payable("M02", D("5000.00"))], "2025年第1次成员大会"),
    "federation return": lambda: entries.federation_return_declared("烟台果业联合社", D("2426.67")),
    "federation received": lambda: entries.federation_return_received("烟台果业联合社", D("2426.67")),
    "federation investment": lambda: entries.federation_investment("烟台果业联合社", D("120000.00")),
}


@pytest.mark.parametrize("build", EVERY_BUILDER.values(), ids=EVERY_BUILDER.keys())
def test_every_builder_books_balanced_lines_with_members_only_where_the_chart_keeps_them(
    build: Callable[[], list[EntryLine]],
) -> None:
    lines = build()
    assert lines
    assert_well_formed(lines)


def test_rule_23_a_premium_on_a_cash_contribution_goes_to_capital_reserve() -> None:
    lines = entries.cash_contribution("M07", D("12000.00"), D("10000.00"))
    assert shown(lines) == [("102", "Dr", "12000.00", None), ("301", "Cr", "10000.00", "M07"),
                            ("321", "Cr", "2000.00", None)]  # fmt: skip
    assert shown(entries.cash_contribution("M07", D("10000.00"))) == [("102", "Dr", "10000.00", None),
                                                                      ("301", "Cr", "10000.00", "M07")]  # fmt: skip


def test_land_rights_valued_below_their_shares_debit_capital_reserve() -> None:
    lines = entries.land_contribution("M02", D("48000.00"), D("50000.00"), poverty_asset=False)
    assert shown(lines) == [("161", "Dr", "48000.00", None), ("301", "Cr", "50000.00", "M02"),
                            ("321", "Dr", "2000.00", None)]  # fmt: skip
    assert lines[0].poverty_asset is False


@pytest.mark.parametrize(("account", "flag"), [("121", None), ("141", True), ("142", True), ("15101", True)])
def test_a_contribution_in_kind_books_the_asset_and_flags_it_where_the_chart_splits_poverty_assets(
    account: str, flag: bool | None
) -> None:
    lines = entries.in_kind_contribution("M03", account, D("9000.00"), poverty_asset=True)
    assert shown(lines) == [(account, "Dr", "9000.00", None), ("301", "Cr", "9000.00", "M03")]
    assert lines[0].poverty_asset is flag


def test_a_poverty_project_asset_contribution_is_flagged_and_names_its_project() -> None:
    lines = entries.poverty_asset_contribution("M04", "151", D("30000.00"), project="光伏扶贫")
    assert lines[0].poverty_asset is True and {line.project for line in lines} == {"光伏扶贫"}


def test_contributions_by_member_account_kind_book_to_their_usual_accounts() -> None:
    by_kind = {kind: entries.contribution(kind, "M01", D("100.00"))[0].account
               for kind in AccountEntryKind if kind.is_contribution}  # fmt: skip
    assert by_kind == {
        AccountEntryKind.CONTRIBUTION_CASH: "102",
        AccountEntryKind.CONTRIBUTION_LAND: "161",
        AccountEntryKind.CONTRIBUTION_IN_KIND: "151",
        AccountEntryKind.CONTRIBUTION_POVERTY_ASSET: "151",
    }
    with pytest.raises(InvalidValue):
        entries.contribution(AccountEntryKind.REFUND, "M01", D("100.00"))


def test_a_leaver_is_paid_back_contribution_and_provident_share_less_the_loss_they_bear() -> None:
    assert shown(entries.contribution_refund("M01", D("10000.00"))) == [("301", "Dr", "10000.00", "M01"),
                                                                       ("102", "Cr", "10000.00", None)]  # fmt: skip
    assert shown(entries.provident_share_refund("M01", D("456.78"), account="114")) == [
        ("322", "Dr", "456.78", None), ("114", "Cr", "456.78", "M01")]  # fmt: skip
    settled = entries.exit_refund("M05", Settlement(D("5000.00"), D("456.78"), D("300.00")))
    assert shown(settled) == [("301", "Dr", "5000.00", "M05"), ("322", "Dr", "456.78", None),
                              ("102", "Cr", "5156.78", None), ("33202", "Cr", "300.00", None)]  # fmt: skip


def test_the_purchase_model_buys_into_stock_and_the_agency_model_holds_for_the_member() -> None:
    bought = entries.intake(PURCHASE, D("3876.05"), member="M02", product="苹果", quantity=D("1000"))
    assert shown(bought) == [("121", "Dr", "3876.05", None), ("114", "Cr", "3876.05", "M02")]
    assert bought[0].quantity == D("1000") and {line.product for line in bought} == {"苹果"}
    held = entries.intake(AGENCY, D("5231.80"), member="M03")
    assert shown(held) == [("128", "Dr", "5231.80", None), ("114", "Cr", "5231.80", "M03")]
    from_outsider = entries.intake(PURCHASE, D("100.00"), counterparty="散户")
    assert shown(from_outsider) == [("121", "Dr", "100.00", None), ("211", "Cr", "100.00", None)]
    assert from_outsider[1].counterparty == "散户"


def test_an_agency_sale_releases_the_contract_value_with_the_excess_to_income_or_the_shortfall_to_cost() -> None:
    above = entries.sale(AGENCY, D("6000.00"), contract_value=D("5231.80"), received=D("6000.00"))
    assert shown(above) == [("102", "Dr", "6000.00", None), ("128", "Cr", "5231.80", None),
                            ("501", "Cr", "768.20", None)]  # fmt: skip
    below = entries.sale(AGENCY, D("5000.00"), contract_value=D("5231.80"), buyer="鲁果公司")
    assert shown(below) == [("113", "Dr", "5000.00", None), ("128", "Cr", "5231.80", None),
                            ("521", "Dr", "231.80", None)]  # fmt: skip
    with pytest.raises(InvalidValue):
        entries.sale(AGENCY, D("5000.00"), received=D("5000.00"))


def test_a_purchase_model_sale_is_income_and_its_cost_leaves_stock() -> None:
    lines = entries.sale(PURCHASE, D("5000.00"), cost=D("3876.05"), received=D("5000.00"), account="101")
    assert shown(lines) == [("101", "Dr", "5000.00", None), ("501", "Cr", "5000.00", None),
                            ("521", "Dr", "3876.05", None), ("121", "Cr", "3876.05", None)]  # fmt: skip


def test_a_leading_enterprise_s_advance_is_held_in_211_until_delivery() -> None:
    assert shown(entries.advance_received("鲁果公司", D("20000.00"))) == [("102", "Dr", "20000.00", None),
                                                                       ("211", "Cr", "20000.00", None)]  # fmt: skip
    delivery = entries.sale(PURCHASE, D("52000.00"), buyer="鲁果公司", advance=D("20000.00"))
    assert shown(delivery) == [("211", "Dr", "20000.00", None), ("113", "Dr", "32000.00", None),
                               ("501", "Cr", "52000.00", None)]  # fmt: skip
    assert {line.counterparty for line in delivery[:2]} == {"鲁果公司"}
    with pytest.raises(InvalidValue):
        entries.sale(PURCHASE, D("100.00"), advance=D("150.00"), buyer="鲁果公司")
    with pytest.raises(InvalidValue):  # a receivable needs somebody who owes it
        entries.sale(PURCHASE, D("100.00"))


def test_inputs_bought_for_a_member_are_owed_by_the_member_with_the_service_fee() -> None:
    lines = entries.input_purchase("M04", D("1200.00"), fee=D("36.00"))
    assert shown(lines) == [("114", "Dr", "1200.00", "M04"), ("102", "Cr", "1200.00", None),
                            ("114", "Dr", "36.00", "M04"), ("501", "Cr", "36.00", None)]  # fmt: skip
    on_credit = entries.input_purchase("M04", D("1200.00"), account="211", supplier="农资公司")
    assert shown(on_credit) == [("114", "Dr", "1200.00", "M04"), ("211", "Cr", "1200.00", None)]
    assert shown(entries.member_pays("M04", D("1236.00"))) == [("102", "Dr", "1236.00", None),
                                                               ("114", "Cr", "1236.00", "M04")]  # fmt: skip
    assert shown(entries.member_paid("M02", D("3876.05"))) == [("114", "Dr", "3876.05", "M02"),
                                                               ("102", "Cr", "3876.05", None)]  # fmt: skip


def test_a_land_guarantee_is_a_cost_owed_to_the_household_or_under_the_capital_view_a_first_claim_on_surplus() -> None:
    assert shown(entries.land_guarantee("M06", D("7000.00"))) == [("521", "Dr", "7000.00", None),
                                                                  ("114", "Cr", "7000.00", "M06")]  # fmt: skip
    assert entries.land_guarantee("M06", D("7000.00"), cost_account="401")[0].account == "401"
    capital = entries.land_guarantee("M06", D("7000.00"), LandGuaranteeTreatment.CAPITAL)
    assert shown(capital) == [("33201", "Dr", "7000.00", None), ("222", "Cr", "7000.00", "M06")]
    assert shown(entries.land_amortisation(D("8000.00"))) == [("401", "Dr", "8000.00", None),
                                                              ("162", "Cr", "8000.00", None)]  # fmt: skip


def test_rule_24_subsidy_spent_on_a_cold_store_becomes_special_fund() -> None:
    lines = entries.subsidy_spent_on_asset(D("90000.00"), "151", poverty_asset=True)
    assert shown(lines) == [("151", "Dr", "90000.00", None), ("102", "Cr", "90000.00", None),
                            ("235", "Dr", "90000.00", None), ("311", "Cr", "90000.00", None)]  # fmt: skip
    assert [line.poverty_asset for line in lines] == [True, None, None, None]


def test_subsidy_money_waits_in_235_and_leaves_it_for_training_or_a_past_expense() -> None:
    assert shown(entries.subsidy_received(D("90000.00"))) == [("102", "Dr", "90000.00", None),
                                                              ("235", "Cr", "90000.00", None)]  # fmt: skip
    assert shown(entries.subsidy_spent_on_services(D("5000.00"))) == [("235", "Dr", "5000.00", None),
                                                                      ("102", "Cr", "5000.00", None)]  # fmt: skip
    assert shown(entries.subsidy_for_past_expense(D("3000.00"))) == [("235", "Dr", "3000.00", None),
                                                                     ("523", "Cr", "3000.00", None)]  # fmt: skip


def test_donated_property_goes_to_special_fund_at_its_value_or_at_one_yuan() -> None:
    valued = entries.asset_received(FundSource.DONATION, D("3000.00"), costs=D("120.00"))
    assert shown(valued) == [("151", "Dr", "3120.00", None), ("311", "Cr", "3000.00", None),
                             ("102", "Cr", "120.00", None)]  # fmt: skip
    unvalued = entries.asset_received(FundSource.FISCAL_SUBSIDY, None, "142", costs=D("80.00"))
    assert shown(unvalued) == [("142", "Dr", "1.00", None), ("311", "Cr", "1.00", None),
                               ("529", "Dr", "80.00", None), ("102", "Cr", "80.00", None)]  # fmt: skip
    assert shown(entries.cash_donation(D("500.00"), account="101")) == [("101", "Dr", "500.00", None),
                                                                        ("311", "Cr", "500.00", None)]  # fmt: skip


@pytest.mark.parametrize("category", list(IncomeCategory))
def test_an_income_or_expense_row_books_against_its_counter_account(category: IncomeCategory) -> None:
    lines = entries.income_expense(category, D("100.00"))
    code = category.account_code
    expected = [("102", "Dr", "100.00", None), (code, "Cr", "100.00", None)]
    assert shown(lines) == (expected if category.is_income else [(code, "Dr", "100.00", None),
                                                                 ("102", "Cr", "100.00", None)])  # fmt: skip


def test_an_investment_loss_is_a_debit_to_511_and_no_other_row_may_be_negative() -> None:
    loss = entries.income_expense(IncomeCategory.INVESTMENT_INCOME, D("-800.00"), against="113")
    assert shown(loss) == [("511", "Dr", "800.00", None), ("113", "Cr", "800.00", None)]
    with pytest.raises(InvalidValue):
        entries.income_expense(IncomeCategory.OPERATING_EXPENSE, D("-1.00"))


def test_a_row_may_book_to_a_detail_account_under_its_category_only() -> None:
    assert entries.income_expense(IncomeCategory.OPERATING_INCOME, D("1.00"), account="50101")[1].account == "50101"
    with pytest.raises(InvalidValue):
        entries.income_expense(IncomeCategory.OPERATING_INCOME, D("1.00"), account="52101")


def test_paying_the_dividends_clears_221_and_222_per_member_against_the_bank() -> None:
    lines = entries.pay_returns(
        [entries.Payable("M01", D("0.00"), D("15674.10")), entries.Payable("M02", D("22248.52"), D("8517.38"))]
    )
    assert shown(lines) == [("222", "Dr", "15674.10", "M01"), ("221", "Dr", "22248.52", "M02"),
                            ("222", "Dr", "8517.38", "M02"), ("102", "Cr", "46440.00", None)]  # fmt: skip


def test_a_federation_s_returns_are_investment_income_received_later() -> None:
    declared = entries.federation_return_declared("烟台果业联合社", D("2426.67"))
    assert shown(declared) == [("113", "Dr", "2426.67", None), ("511", "Cr", "2426.67", None)]
    received = entries.federation_return_received("烟台果业联合社", D("2426.67"))
    assert shown(received) == [("102", "Dr", "2426.67", None), ("113", "Cr", "2426.67", None)]
    invested = entries.federation_investment("烟台果业联合社", D("120000.00"))
    assert shown(invested) == [("131", "Dr", "120000.00", None), ("102", "Cr", "120000.00", None)]
    assert {line.counterparty for line in (declared[0], received[1], invested[0])} == {"烟台果业联合社"}


def test_a_federation_is_invested_in_with_money_or_an_asset_chosen_where_the_kind_allows_it() -> None:
    land = entries.federation_investment("烟台果业联合社", D("8000.00"), account="161", poverty_asset=True)
    assert shown(land) == [("131", "Dr", "8000.00", None), ("161", "Cr", "8000.00", None)]
    assert land[1].poverty_asset is True and land[0].poverty_asset is None  # 161 is split by it, 131 is not
    cash, in_kind = AccountEntryKind.CONTRIBUTION_CASH, AccountEntryKind.CONTRIBUTION_IN_KIND
    assert [entries.invested_with(cash), entries.invested_with(cash, "10101"), entries.invested_with(cash, "151")] == [
        "102", "10101", "102"
    ]  # fmt: skip
    assert [entries.invested_with(in_kind), entries.invested_with(in_kind, "121")] == ["151", "121"]
    assert entries.invested_with(AccountEntryKind.CONTRIBUTION_LAND, "102") == "161"
    assert entries.check_investment_account(" 109 ") == "109"


def test_an_event_of_nothing_books_nothing() -> None:
    assert entries.cash_contribution("M01", D("0.00")) == []
    assert entries.pay_returns([entries.Payable("M01")]) == []


@pytest.mark.parametrize(
    "refused",
    [
        lambda: entries.cash_contribution("M01", D("100.005")),
        lambda: entries.cash_contribution("M01", D("-100.00")),
        lambda: entries.cash_contribution("M01", D("100.00"), account="151"),
        lambda: entries.in_kind_contribution("M01", "161", D("100.00")),
        lambda: entries.subsidy_spent_on_asset(D("100.00"), "121"),
        lambda: entries.intake(PURCHASE, D("100.00")),
        lambda: entries.input_purchase("M01", D("100.00"), account="211"),
        lambda: entries.federation_investment(" ", D("100.00")),
        lambda: entries.federation_investment("烟台果业联合社", D("100.00"), account="211"),
        lambda: entries.check_investment_account("301"),
        lambda: entries.member_paid("", D("100.00")),
    ],
)
def test_amounts_off_the_fen_negative_amounts_wrong_accounts_and_missing_parties_are_refused(
    refused: Callable[[], object],
) -> None:
    with pytest.raises(InvalidValue):
        refused()


def test_a_float_is_refused_not_coerced() -> None:
    with pytest.raises(TypeError):
        entries.cash_contribution("M01", 100.1)  # type: ignore[arg-type]


def test_lines_that_do_not_balance_are_refused() -> None:
    with pytest.raises(entries.UnbalancedEntry):
        entry_lines.balanced([entry_lines.dr("102", D("1.00"), "x"), entry_lines.cr("501", D("0.99"), "x")])


@pytest.mark.parametrize("code", ["501", "50101", "529", "531", "331", "33202", "114", "301", "22101", "", "银行"])
def test_a_row_is_never_booked_against_profit_and_loss_the_year_s_result_or_a_member_s_account(code: str) -> None:
    with pytest.raises(InvalidValue):
        entries.income_expense(IncomeCategory.OPERATING_INCOME, D("100.00"), against=code)


def test_the_year_s_result_is_income_less_expenses_by_the_formula_of_the_rules() -> None:
    # 经营收益 = 501 + 511 − 521 − 522 − 523 − 524; 盈余总额 = 经营收益 + 502 − 529; 本年盈余 = 盈余总额 − 531.
    movements = {"501": D("-420000.00"), "50101": D("-1000.00"), "511": D("-12543.27"), "502": D("-4000.00"),
                 "521": D("210000.00"), "522": D("2000.00"), "523": D("30000.00"), "524": D("3000.00"),
                 "529": D("5000.00"), "531": D("0.00"), "102": D("999.99"), "331": D("-5.00")}  # fmt: skip
    assert entries.year_result(movements) == D("187543.27")
    assert entries.year_result({"511": D("800.00")}) == D("-800.00")  # an investment loss
