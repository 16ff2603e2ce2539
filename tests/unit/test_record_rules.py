"""The record rules: one pure function per rule, called by the admin's forms and by both workbook imports."""

from __future__ import annotations

import datetime as dt
import string
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from coopcore.i18n import translate
from coopcore.models import AccountEntryKind, IncomeCategory, VillageIncomeCategory
from coopcore.rules import books, plans
from coopcore.rules.findings import Finding, Severity

D = Decimal
DAY = dt.date


def only(findings: list[Finding]) -> Finding:
    assert len(findings) == 1, findings
    return findings[0]


def test_an_amount_is_quantity_times_price_rounded_half_up_to_the_fen_once() -> None:
    assert books.trade_amount(D("100"), D("3.50")) == D("350.00")
    assert books.trade_amount(D("3"), D("0.335")) == D("1.01")  # 1.005 rounds up, not to the even 1.00
    assert books.trade_amount(D("9572.2"), D("4.25")) == D("40681.85")


def test_an_amount_that_is_not_quantity_times_price_is_refused_with_the_expected_amount() -> None:
    assert books.check_trade_amount(D("100"), D("3.50"), D("350.00")) == []
    assert books.check_trade_amount(D("100"), D("3.50"), None) == []  # blank: computed, nothing to check
    finding = only(books.check_trade_amount(D("100"), D("3.50"), D("351")))
    assert (finding.template, finding.key, finding.severity) == (books.WRONG_AMOUNT, "amount", Severity.ERROR)
    assert finding.message("zh") == "金额351不等于 数量×单价 = 350.00（四舍五入到分）。"
    assert finding.message("en") == "The amount 351 is not quantity × unit price = 350.00 (rounded half-up to the fen)."


def test_a_trade_names_its_member_or_the_counterparty_of_non_member_business() -> None:
    assert books.check_trade_party("张三", "") == []
    assert books.check_trade_party(None, "烟台果品公司") == []
    assert only(books.check_trade_party(None, "  ")).key == "counterparty"


def test_a_record_of_a_cooperative_names_only_members_of_that_cooperative() -> None:
    assert books.check_member_cooperative(1, 1, "M001 张三") == []
    assert books.check_member_cooperative(1, None, None) == []  # no member: non-member business
    finding = only(books.check_member_cooperative(1, 2, "M001 张三"))
    assert finding.key == "member" and "M001 张三" in finding.message("zh")


@pytest.mark.parametrize("category", list(IncomeCategory))
def test_only_investment_income_may_be_negative_in_the_books(category: IncomeCategory) -> None:
    assert books.check_income_sign(category, D("100.00")) == []
    findings = books.check_income_sign(category, D("-500.00"))
    if category is IncomeCategory.INVESTMENT_INCOME:
        assert findings == []
    else:
        finding = only(findings)
        assert (finding.template, finding.key) == (books.ONLY_INVESTMENT_NEGATIVE, "amount")
        assert finding.message("zh").startswith("-500.00为负数；只有投资收益可以为负")


def test_a_special_fund_is_not_disposed_of_before_it_was_received() -> None:
    assert books.check_fund_dates(DAY(2024, 3, 1), None) == []
    assert books.check_fund_dates(DAY(2024, 3, 1), DAY(2024, 3, 1)) == []
    finding = only(books.check_fund_dates(DAY(2024, 3, 1), DAY(2024, 2, 1)))
    assert finding.key == "disposed_on"
    assert finding.message("zh") == "处置日期2024-02-01早于收到日期2024-03-01。"


def test_a_contribution_of_land_rights_needs_its_area_and_only_it_has_one() -> None:
    land, cash = AccountEntryKind.CONTRIBUTION_LAND, AccountEntryKind.CONTRIBUTION_CASH
    assert books.check_land_area(land, D("2.5")) == books.check_land_area(cash, None) == []
    assert only(books.check_land_area(land, None)).template == books.AREA_REQUIRED
    assert only(books.check_land_area("contribution_land", None)).key == "area_mu"  # a workbook's plain value
    assert books.check_area_only_for_land(land, D("2.5")) == books.check_area_only_for_land(None, D("2")) == []
    assert only(books.check_area_only_for_land(cash, D("2.5"))).template == books.AREA_ONLY_FOR_LAND


@pytest.mark.parametrize("kind", list(AccountEntryKind))
def test_only_the_four_contribution_kinds_are_contributions(kind: AccountEntryKind) -> None:
    assert (books.check_contribution_kind(kind) == []) is kind.is_contribution


def test_a_land_share_ends_after_it_starts() -> None:
    assert books.check_share_term(DAY(2024, 1, 1), DAY(2030, 12, 31)) == []
    for end_on in (DAY(2024, 1, 1), DAY(2023, 12, 31)):
        finding = only(books.check_share_term(DAY(2024, 1, 1), end_on))
        assert (finding.template, finding.key) == (books.END_NOT_AFTER_START, "end_on")


def test_a_land_share_is_not_larger_than_its_parcel() -> None:
    assert books.check_share_area(D("3.0"), D("3.0")) == []
    assert books.check_share_area(D("3.0"), None) == []
    finding = only(books.check_share_area(D("3.5"), D("3.0")))
    assert finding.key == "area_mu" and finding.message("zh") == "入股面积3.5亩大于地块面积3.0亩。"


def test_a_land_share_does_not_outlast_the_land_contract() -> None:
    assert books.check_share_contract(DAY(2028, 12, 31), None) == []
    assert books.check_share_contract(DAY(2028, 12, 31), DAY(2028, 12, 31)) == []
    finding = only(books.check_share_contract(DAY(2029, 1, 1), DAY(2028, 12, 31)))
    assert (finding.template, finding.key, finding.article) == (books.END_BEYOND_CONTRACT, "end_on", "TD-38")
    assert "2028-12-31" in finding.message("zh") and "承包" in finding.message("zh")


def test_a_contract_names_the_prices_its_clause_needs_and_ends_after_it_starts() -> None:
    assert books.check_price_terms("fixed", D("4.00"), None, None) == []
    finding = only(books.check_price_terms("higher_of", None, D("3.00"), None))
    assert finding.key == "price_rule" and finding.fields["term"] == "premium"
    assert books.check_contract_term(DAY(2024, 1, 1), DAY(2024, 1, 1)) == []
    assert only(books.check_contract_term(DAY(2024, 1, 2), DAY(2024, 1, 1))).key == "end_on"


def test_a_delivery_accepts_no_more_than_was_delivered() -> None:
    assert books.check_accepted_quantity(D("100"), D("100")) == []
    assert only(books.check_accepted_quantity(D("100"), D("100.5"))).key == "accepted_quantity"


def test_a_plans_target_income_is_above_its_baseline_and_its_target_year_not_before() -> None:
    assert plans.check_plan_target(D("21000.00"), D("100000.00")) == []
    assert plans.check_plan_target(None, D("100000.00")) == []
    finding = only(plans.check_plan_target(D("21000.00"), D("21000.00")))
    assert (finding.template, finding.key) == (plans.TARGET_NOT_ABOVE, "target_income")
    assert finding.message("zh") == "目标收入 21000.00 必须高于基期收入 21000.00。"
    assert plans.check_plan_years(2022, 2022) == []
    finding = only(plans.check_plan_years(2022, 2021))
    assert (finding.template, finding.key) == (plans.TARGET_YEAR_BEFORE, "target_year")


def test_a_project_is_due_and_completed_no_earlier_than_it_starts() -> None:
    start = DAY(2023, 3, 1)
    assert plans.check_project_due(start, start) == plans.check_project_completed(start, None) == []
    due = only(plans.check_project_due(start, DAY(2023, 1, 1)))
    assert (due.template, due.key) == (plans.DUE_BEFORE_START, "due_on")
    assert due.message("zh") == "计划完成日期 2023-01-01 早于开工日期 2023-03-01。"
    done = only(plans.check_project_completed(start, DAY(2023, 2, 1)))
    assert (done.template, done.key) == (plans.COMPLETED_BEFORE_START, "completed_on")


def test_a_funding_line_names_a_project_of_its_own_plan() -> None:
    assert plans.check_funding_project(1, None, None) == []
    assert plans.check_funding_project(1, 1, "冷库") == []
    assert "冷库" in only(plans.check_funding_project(1, 2, "冷库")).message("zh")


@pytest.mark.parametrize("category", list(VillageIncomeCategory))
def test_only_investment_income_of_a_village_may_be_negative(category: VillageIncomeCategory) -> None:
    findings = plans.check_village_income_sign(category, D("-100.00"))
    assert (findings == []) is (category is VillageIncomeCategory.INVESTMENT)
    assert plans.check_village_income_sign(category, D("0.00")) == []


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("template", [*books.TEMPLATES, *plans.TEMPLATES])
def test_every_rule_message_has_one_chinese_translation_with_the_same_placeholders(template: str) -> None:
    chinese = translate(template, "zh")
    assert chinese != template
    assert placeholders(chinese) == placeholders(template)


RULES: list[Callable[..., list[Finding]]] = [
    books.check_trade_amount,
    books.check_income_sign,
    books.check_share_contract,
    plans.check_plan_target,
    plans.check_project_due,
    plans.check_village_income_sign,
]


@pytest.mark.parametrize("rule", RULES)
def test_a_rule_with_nothing_to_judge_finds_nothing(rule: Callable[..., list[Finding]]) -> None:
    names = rule.__code__.co_varnames[: rule.__code__.co_argcount]
    assert rule(**dict.fromkeys(names)) == []


def test_the_rules_catalog_is_a_standard_po_file_with_exactly_the_rules_messages() -> None:
    path = Path(books.__file__).parents[1] / "i18n" / "locale" / "zh_CN" / "LC_MESSAGES" / "records.po"
    with path.open("rb") as handle:
        catalog = read_po(handle)
    assert catalog.locale is not None and catalog.locale.language == "zh"
    assert {message.id for message in catalog if message.id} == {*books.TEMPLATES, *plans.TEMPLATES}
