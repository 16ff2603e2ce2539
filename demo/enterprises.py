"""Demo leading enterprises (龙头企业), their order contracts with cooperatives, and deliveries 2023–2024."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_DOWN, Decimal

from coopcore.models import (
    Contract,
    ContractGrade,
    Delivery,
    DeliveryWindow,
    Enterprise,
    EnterpriseLevel,
    PriceRule,
)
from coopcore.money import ZERO, to_money
from coopcore.rules.contracts import GradeTerms, PriceTerms, settle
from demo.business import crop_price, season
from demo.context import CoopPlan, DemoContext
from demo.dataset import Ref

L = EnterpriseLevel
ENTERPRISES = (
    ("烟台金果汁业股份有限公司", L.NATIONAL, 2012),
    ("山东海岸葡萄酒有限公司", L.NATIONAL, 2016),
    ("烟台鲜达果蔬进出口有限公司", L.PROVINCIAL, 2018),
    ("烟台绿洲食品有限公司", L.PROVINCIAL, 2019),
    ("山东丰泽果业集团有限公司", L.PROVINCIAL, 2017),
    ("烟台樱之源农业科技有限公司", L.PROVINCIAL, 2020),
    ("烟台泉润酒庄有限公司", L.MUNICIPAL, 2019),
    ("烟台福润冷链物流有限公司", L.MUNICIPAL, 2021),
    ("烟台田园蔬菜加工有限公司", L.MUNICIPAL, 2020),
    ("烟台惠民超市连锁有限公司", L.MUNICIPAL, 2018),
    ("黄渤海新区果香电子商务有限公司", L.COUNTY, 2022),
    ("烟台百果园农业开发有限公司", L.COUNTY, 2021),  # dropped at the 2024 monitoring: recognition not valid
)
CERTIFICATE = {L.NATIONAL: "国农龙", L.PROVINCIAL: "鲁农龙", L.MUNICIPAL: "烟农龙", L.COUNTY: "黄新农龙"}
REGIONS = ("370600", "370671", "370602", "370611")
R = PriceRule
# Enterprise, cooperative (spec index), year, price rule, deposit as a share of the contract amount.
CONTRACTS = (
    (0, 15, 2023, R.HIGHER_OF, "0.10"),
    (0, 15, 2024, R.HIGHER_OF, "0.10"),
    (4, 0, 2023, R.FIXED, "0.05"),
    (4, 18, 2024, R.PROTECTIVE, "0.00"),
    (7, 21, 2024, R.MARKET_PLUS, "0.00"),
    (1, 16, 2023, R.FIXED, "0.25"),  # 定金 above 20% of the amount: the excess has no 定金 effect [MF-586]
    (1, 16, 2024, R.FIXED, "0.15"),
    (6, 2, 2024, R.PROTECTIVE, "0.10"),
    (11, 20, 2023, R.MARKET_PLUS, "0.00"),
    (2, 1, 2023, R.HIGHER_OF, "0.05"),
    (5, 17, 2024, R.FIXED, "0.10"),
    (10, 23, 2024, R.MARKET_PLUS, "0.00"),
    (3, 3, 2023, R.PROTECTIVE, "0.10"),
    (8, 22, 2024, R.FIXED, "0.05"),
    (9, 8, 2024, R.MARKET_PLUS, "0.00"),
    (9, 19, 2024, R.FIXED, "0.00"),
)
COEFFICIENTS = {"特级": Decimal("1.15"), "一级": Decimal("1.00"), "二级": Decimal("0.80")}
REJECTED = "等外"
UNPAID_FROM = dt.date(2024, 11, 1)  # deliveries from here on are still awaiting payment


def add_enterprises(ctx: DemoContext) -> None:
    """Generate the twelve leading enterprises and their contracts, grades, windows and deliveries."""
    for number, (name, level, year) in enumerate(ENTERPRISES, start=1):
        ctx.enterprises.append(
            ctx.data.add(
                Enterprise,
                name=name,
                credit_code=ctx.people.credit_code("91", ctx.rng.choice(REGIONS), "MA"),
                level=level,
                certificate_no=f"{CERTIFICATE[level]}〔{year}〕{ctx.rng.randint(1, 300):03d}号",
                recognised_year=year,
                is_recognition_valid=number != len(ENTERPRISES),
                is_demo=True,
            )
        )
    numbers: dict[tuple[int, int], int] = {}
    for enterprise, index, year, rule, deposit_rate in CONTRACTS:
        number = numbers[(index, year)] = numbers.get((index, year), 0) + 1
        plan = ctx.cooperative(index)
        _add_contract(ctx, plan, enterprise, year, rule, Decimal(deposit_rate), f"DD{year}-{number:02d}")


def _add_contract(
    ctx: DemoContext, plan: CoopPlan, enterprise: int, year: int, rule: PriceRule, deposit_rate: Decimal, code: str
) -> None:
    rng, data = ctx.rng, ctx.data
    first, last = season(plan.product, year)
    intakes = ctx.intakes[(plan.index, year)]
    members_kg = sum((data.row(ref)["quantity"] for _, _, ref in intakes), Decimal(0))
    lot = Decimal(1000) if members_kg > 20_000 else Decimal(100)
    quantity = max(lot, (members_kg / 2 / lot).to_integral_value(rounding=ROUND_DOWN) * lot)
    reference = crop_price(plan.product, "一级", year)
    fixed = to_money(reference * Decimal("1.05")) if rule is R.FIXED else None
    protective = to_money(reference * Decimal("0.90")) if rule in (R.PROTECTIVE, R.HIGHER_OF) else None
    premium = to_money(reference * Decimal("0.05")) if rule in (R.MARKET_PLUS, R.HIGHER_OF) else None
    amount = to_money(quantity * (fixed or protective or reference))
    term_days = rng.choice((15, 30, 45))
    contract = data.add(
        Contract,
        cooperative_id=plan.ref,
        enterprise_id=ctx.enterprises[enterprise],
        code=code,
        product_id=ctx.products[plan.product],
        signed_on=first - dt.timedelta(days=rng.randint(30, 90)),
        start_on=first - dt.timedelta(days=10),
        end_on=last + dt.timedelta(days=15),
        quantity=quantity,
        unit="kg",
        tolerance=Decimal(rng.choice(("0.05", "0.10"))),
        price_rule=rule,
        fixed_price=fixed,
        protective_price=protective,
        premium=premium,
        advance=to_money(amount * Decimal(rng.choice(("0", "0.1", "0.2")))),
        deposit=to_money(amount * deposit_rate),
        shortfall_penalty_per_unit=to_money(reference * Decimal("0.10")),
        payment_term_days=term_days,
    )
    for grade, coefficient in COEFFICIENTS.items():
        data.add(ContractGrade, contract_id=contract, grade=grade, coefficient=coefficient, is_rejected=False)
    data.add(ContractGrade, contract_id=contract, grade=REJECTED, coefficient=None, is_rejected=True)
    middle = first + (last - first) // 2
    half = (quantity / 2).to_integral_value(rounding=ROUND_DOWN)
    data.add(DeliveryWindow, contract_id=contract, start_on=first, end_on=middle, quantity=half)
    data.add(
        DeliveryWindow,
        contract_id=contract,
        start_on=middle + dt.timedelta(days=1),
        end_on=last,
        quantity=quantity - half,
    )

    terms = PriceTerms(rule.value, fixed, protective, premium)
    grades = {grade: GradeTerms(grade, coefficient) for grade, coefficient in COEFFICIENTS.items()}
    grades[REJECTED] = GradeTerms(REJECTED, None, is_rejected=True)
    deliveries: list[tuple[dt.date, Ref, Decimal]] = []
    count = rng.randint(4, 8)
    per_delivery = quantity * rng.randint(85, 105) / 100 / count
    for number in range(1, count + 1):
        # Mostly inside the windows; some land up to ten days late for the on-time metric.
        day = ctx.day_between(first + dt.timedelta(days=5), last + dt.timedelta(days=10))
        grade = REJECTED if rng.random() < 0.08 else rng.choices(list(COEFFICIENTS), (2, 5, 3))[0]
        delivered = (per_delivery * rng.randint(80, 120) / 100).quantize(Decimal("0.1"))
        if grade == REJECTED:
            accepted = Decimal("0.0")
        elif rng.random() < 0.2:
            accepted = (delivered * Decimal("0.98")).quantize(Decimal("0.1"), rounding=ROUND_DOWN)
        else:
            accepted = delivered
        market = to_money(reference * rng.randint(80, 115) / 100)
        due = settle(
            terms, grades, grade=grade, quantity=delivered, accepted_quantity=accepted, market_price=market
        ).amount
        paid, paid_on = _payment(ctx, day, due, term_days)
        delivery = data.add(
            Delivery,
            contract_id=contract,
            delivered_on=day,
            grade=grade,
            quantity=delivered,
            accepted_quantity=accepted,
            market_price=market,
            paid_amount=paid,
            paid_on=paid_on,
            ticket_no=f"{code}-{number:02d}",
        )
        deliveries.append((day, delivery, due))
        if grade != REJECTED:
            # A few of the members' intake tickets of that grade in the three weeks before supplied the lot.
            window = [
                ref
                for on, g, ref in intakes
                if g == grade and day - dt.timedelta(days=20) <= on <= day and ref not in ctx.linked
            ]
            for trade in rng.sample(window, min(len(window), rng.randint(2, 5))):
                ctx.linked.add(trade)
                data.link(Delivery.trades, delivery, trade)
    _set_off_advance(ctx, data.row(contract)["advance"], deliveries)


def _set_off_advance(ctx: DemoContext, advance: Decimal, deliveries: list[tuple[dt.date, Ref, Decimal]]) -> None:
    """The enterprise deducts its advance (预付款) from what it pays for the first deliveries, in date order."""
    left = advance
    for _, ref, due in sorted(deliveries, key=lambda item: item[0]):
        applied = min(left, due)
        left -= applied
        row = ctx.data.row(ref)
        if applied and row["paid_amount"]:
            row["paid_amount"] = max(ZERO, row["paid_amount"] - applied)
            if not row["paid_amount"]:
                row["paid_on"] = None


def _payment(ctx: DemoContext, day: dt.date, due: Decimal, term_days: int) -> tuple[Decimal, dt.date | None]:
    rng = ctx.rng
    if due == 0 or day >= UNPAID_FROM:
        return Decimal("0.00"), None
    roll = rng.random()
    if roll < 0.1:  # partly paid
        return to_money(due * Decimal("0.7")), day + dt.timedelta(days=term_days)
    if roll < 0.2:  # paid late
        return due, day + dt.timedelta(days=term_days + rng.randint(10, 40))
    return due, day + dt.timedelta(days=rng.randint(5, term_days))
