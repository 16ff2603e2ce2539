"""Order-contract rules without a database: the four price clauses, grades, settlement, 定金 cap, fulfilment (§10)."""

from __future__ import annotations

import datetime as dt
import string
from decimal import Decimal

import pytest

from coopcore.errors import InvalidValue
from coopcore.i18n import translate
from coopcore.rules.contracts import (
    ContractFacts,
    DeliveryFacts,
    GradeTerms,
    Metrics,
    PriceTerms,
    base_price,
    check_deposit,
    combine,
    contract_amount,
    evaluate,
    settle,
)

D = Decimal
GRADES = {
    "特级": GradeTerms("特级", D("1.15")),
    "一级": GradeTerms("一级", D("1.00")),
    "二级": GradeTerms("二级", D("0.80")),
    "等外": GradeTerms("等外", None, is_rejected=True),
}
FIXED = PriceTerms("fixed", fixed_price=D("3.20"))
PROTECTIVE = PriceTerms("protective", protective_price=D("3.00"))
MARKET_PLUS = PriceTerms("market_plus", premium=D("0.20"))
HIGHER_OF = PriceTerms("higher_of", protective_price=D("3.00"), premium=D("0.20"))


def price(terms: PriceTerms, market: str | None) -> tuple[Decimal, bool]:
    quote = base_price(terms, D(market) if market else None)
    return quote.price, quote.protective_applied


def test_a_fixed_price_ignores_the_market() -> None:
    assert price(FIXED, "2.00") == (D("3.20"), False)
    assert price(FIXED, None) == (D("3.20"), False)


def test_the_protective_price_wins_when_the_market_is_below_it() -> None:
    assert price(PROTECTIVE, "2.70") == (D("3.00"), True)


def test_the_protective_price_loses_when_the_market_is_above_it_and_at_a_tie() -> None:
    assert price(PROTECTIVE, "3.40") == (D("3.40"), False)
    assert price(PROTECTIVE, "3.00") == (D("3.00"), False)


def test_market_plus_premium_follows_the_market() -> None:
    assert price(MARKET_PLUS, "2.70") == (D("2.90"), False)
    assert price(MARKET_PLUS, "3.50") == (D("3.70"), False)


def test_the_higher_of_rule_takes_the_protective_price_when_market_plus_premium_is_below_it() -> None:
    assert price(HIGHER_OF, "2.70") == (D("3.00"), True)  # 2.90 < 3.00


def test_the_higher_of_rule_takes_market_plus_premium_when_it_is_above_or_equal() -> None:
    assert price(HIGHER_OF, "2.90") == (D("3.10"), False)
    assert price(HIGHER_OF, "2.80") == (D("3.00"), False)  # a tie: the protective price did not have to step in


def test_market_rules_need_the_market_price_of_the_day() -> None:
    for terms in (PROTECTIVE, MARKET_PLUS, HIGHER_OF):
        with pytest.raises(InvalidValue):
            base_price(terms, None)


def test_price_terms_need_the_prices_their_rule_uses() -> None:
    with pytest.raises(InvalidValue):
        PriceTerms("fixed")
    with pytest.raises(InvalidValue):
        PriceTerms("higher_of", protective_price=D("3.00"))
    with pytest.raises(InvalidValue):
        PriceTerms("auction", fixed_price=D("1.00"))


def test_the_unit_price_is_rounded_to_the_fen_before_it_is_multiplied_by_the_quantity() -> None:
    terms = PriceTerms("fixed", fixed_price=D("3.33"))
    settlement = settle(
        terms, GRADES, grade="特级", quantity=D("1234.5"), accepted_quantity=D("1234.5"), market_price=None
    )
    assert settlement.unit_price == D("3.83")  # 3.33 × 1.15 = 3.8295
    assert settlement.amount == D("4728.14")  # 3.83 × 1234.5 = 4728.135, half up; not 4727.52 unrounded


def test_grade_coefficients_scale_the_price() -> None:
    amounts = {
        grade: settle(
            FIXED, GRADES, grade=grade, quantity=D("100"), accepted_quantity=D("100"), market_price=None
        ).amount
        for grade in ("特级", "一级", "二级")
    }
    assert amounts == {"特级": D("368.00"), "一级": D("320.00"), "二级": D("256.00")}


def test_a_rejected_grade_is_worth_nothing_and_all_of_it_counts_as_rejected() -> None:
    settlement = settle(
        HIGHER_OF, GRADES, grade="等外", quantity=D("500"), accepted_quantity=D("0"), market_price=D("2.00")
    )
    assert (settlement.amount, settlement.rejected_quantity, settlement.protective_applied) == (D("0"), D("500"), False)


def test_a_partly_accepted_delivery_is_paid_for_the_accepted_quantity_only() -> None:
    settlement = settle(FIXED, GRADES, grade="一级", quantity=D("1000"), accepted_quantity=D("980"), market_price=None)
    assert (settlement.amount, settlement.rejected_quantity) == (D("3136.00"), D("20"))


def test_a_grade_the_contract_does_not_know_or_more_accepted_than_delivered_is_refused() -> None:
    with pytest.raises(InvalidValue):
        settle(FIXED, GRADES, grade="三级", quantity=D("1"), accepted_quantity=D("1"), market_price=None)
    with pytest.raises(InvalidValue):
        settle(FIXED, GRADES, grade="一级", quantity=D("1"), accepted_quantity=D("2"), market_price=None)


def test_an_ungraded_delivery_is_paid_the_base_price() -> None:
    assert settle(FIXED, {}, grade="", quantity=D("10"), accepted_quantity=D("10"), market_price=None).amount == D(
        "32.00"
    )


def test_a_deposit_of_exactly_twenty_percent_is_allowed_and_one_fen_more_is_flagged() -> None:
    assert not check_deposit(D("20000.00"), D("100000.00")).is_over  # "不得超过" includes the boundary
    over = check_deposit(D("20000.01"), D("100000.00"))
    assert over.is_over and over.excess == D("0.01") and over.cap == D("20000.00")


def test_the_deposit_cap_is_rounded_down_and_compared_exactly() -> None:
    check = check_deposit(D("20000.01"), D("100000.03"))  # 20% is 20,000.006
    assert check.cap == D("20000.00") and check.is_over and check.excess == D("0.01")
    assert not check_deposit(D("20000.00"), D("100000.03")).is_over


def test_the_contract_amount_uses_the_fixed_or_protective_price_and_is_unknown_for_market_plus() -> None:
    assert contract_amount(FIXED, D("10000")) == D("32000.00")
    assert contract_amount(HIGHER_OF, D("10000")) == D("30000.00")
    assert contract_amount(MARKET_PLUS, D("10000")) is None


def contract(deliveries: list[DeliveryFacts], **overrides: object) -> ContractFacts:
    values: dict[str, object] = {
        "quantity": D("10000"),
        "unit": "kg",
        "terms": HIGHER_OF,
        "start_on": dt.date(2024, 9, 1),
        "end_on": dt.date(2024, 11, 30),
        "grades": list(GRADES.values()),
        "windows": [(dt.date(2024, 9, 1), dt.date(2024, 10, 15)), (dt.date(2024, 10, 16), dt.date(2024, 11, 20))],
        "tolerance": D("0.05"),
        "advance": D("5000.00"),
        "deposit": D("3000.00"),
        "payment_term_days": 30,
        "shortfall_penalty_per_unit": D("0.30"),
        "deliveries": deliveries,
    }
    values.update(overrides)
    return ContractFacts(**values)  # type: ignore[arg-type]


DELIVERIES = [
    # 3,000 kg 特级 at market 2.70: protective 3.00 × 1.15 = 3.45 → 10,350.00; the advance covers 5,000.00.
    DeliveryFacts(dt.date(2024, 9, 10), "特级", D("3000"), D("3000"), D("2.70"), D("5350.00"), dt.date(2024, 10, 1)),
    # 4,000 kg 一级 at 3.00: 3.20 → 12,800.00, paid late.
    DeliveryFacts(dt.date(2024, 10, 20), "一级", D("4000"), D("4000"), D("3.00"), D("12800.00"), dt.date(2024, 12, 1)),
    # 1,000 kg 等外: rejected.
    DeliveryFacts(dt.date(2024, 10, 25), "等外", D("1000"), D("0"), D("3.00")),
    # 2,000 kg 二级 delivered after the last window, 1,900 accepted at 2.50: 3.00 × 0.80 = 2.40 → 4,560.00, unpaid.
    DeliveryFacts(dt.date(2024, 11, 25), "二级", D("2000"), D("1900"), D("2.50")),
]


def test_fulfilment_metrics_of_a_contract_follow_domain_10_2() -> None:
    result = evaluate(contract(DELIVERIES), as_of=dt.date(2024, 12, 20))
    metrics = result.metrics
    assert [r.settlement.amount for r in result.deliveries] == [D("10350.00"), D("12800.00"), D("0"), D("4560.00")]
    assert metrics.accepted == D("8900") and metrics.rejected == D("1100")
    assert metrics.quantity_percent == D("89.00")
    assert metrics.grade_mix == {"特级": D("33.71"), "一级": D("44.94"), "二级": D("21.35")}
    assert metrics.on_time_percent == D("78.65")  # 7,000 of 8,900 inside a window
    assert metrics.protective_count == 2  # the 特级 and 二级 lots; the rejected lot is not priced
    # Due by 20 Dec: 10,350.00 (advance 5,000.00 + 5,350.00 on time) and 12,800.00 (paid late); 4,560.00 due on 25 Dec.
    assert (metrics.due, metrics.paid_by_due) == (D("23150.00"), D("10350.00"))
    assert metrics.payment_percent == D("44.71")
    assert metrics.settled == D("27710.00") and metrics.balance == D("4560.00")  # 27,710 − 5,000 − 18,150
    assert [r.advance_applied for r in result.deliveries] == [D("5000.00"), D("0.00"), D("0"), D("0.00")]
    assert result.deposit is not None and not result.deposit.is_over
    # The term is over: 9,500 kg is the lower edge of ±5%; 600 kg short at 0.30 a kg.
    assert (result.shortfall, result.shortfall_penalty) == (D("600.0000"), D("180.00"))


def test_before_the_term_ends_there_is_no_shortfall_and_nothing_due_is_no_payment_metric() -> None:
    result = evaluate(contract(DELIVERIES[:1]), as_of=dt.date(2024, 9, 30))
    assert result.shortfall == 0 and result.shortfall_penalty == D("0.00")
    assert result.metrics.payment_percent is None


def test_the_advance_is_set_off_in_delivery_order_and_counts_as_paid_on_time() -> None:
    lots = [
        DeliveryFacts(dt.date(2024, 10, 1), "一级", D("1000"), D("1000"), D("3.00")),  # 3,200.00
        DeliveryFacts(
            dt.date(2024, 9, 15), "一级", D("1000"), D("1000"), D("3.00"), D("1400.00"), dt.date(2024, 9, 30)
        ),
    ]
    result = evaluate(contract(lots), as_of=dt.date(2024, 12, 31))
    assert [(r.delivery.delivered_on.day, r.advance_applied) for r in result.deliveries] == [
        (15, D("3200.00")),
        (1, D("1800.00")),
    ]
    assert [r.outstanding for r in result.deliveries] == [D("-1400.00"), D("1400.00")]
    assert result.metrics.payment_percent == D("78.13")  # (3,200.00 + 1,800.00) of 6,400.00


def test_enterprise_metrics_add_up_contracts_and_refuse_to_add_different_units() -> None:
    one = evaluate(contract(DELIVERIES), as_of=dt.date(2024, 12, 20)).metrics
    two = evaluate(contract(DELIVERIES[:2], quantity=D("7000")), as_of=dt.date(2024, 12, 20)).metrics
    both = combine([one, two])
    assert both.accepted == D("15900") and both.quantity_percent == D("93.53")
    assert both.protective_count == 3
    tonnes = Metrics(unit="t", contracted=D("5"), accepted=D("5"), due=D("100.00"), paid_by_due=D("100.00"))
    mixed = both + tonnes
    assert mixed.quantity_percent is None and mixed.grade_mix == {}
    assert mixed.payment_percent == D("44.83")  # money still adds up: 20,800.00 of 46,400.00
    assert combine([]).quantity_percent is None


def test_every_contract_message_has_a_chinese_translation_with_the_same_placeholders() -> None:
    from coopcore.commands.contracts import DEPOSIT_OVER, SHORTFALL

    for template in (DEPOSIT_OVER, SHORTFALL):
        chinese = translate(template, "zh")
        assert chinese != template
        names = {name for _, name, _, _ in string.Formatter().parse(template) if name}
        assert names == {name for _, name, _, _ in string.Formatter().parse(chinese) if name}
