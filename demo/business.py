"""Demo products and trades 2022–2024: harvest intake by grade, non-member intake, inputs, sales on commission."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from coopcore.models import MemberKind, Product, Trade, TradeKind
from coopcore.money import to_money
from demo.context import YEARS, CoopPlan, DemoContext, MemberPlan


@dataclass(frozen=True, slots=True)
class Crop:
    """A crop's harvest season (month, day), its 2022 prices per grade (yuan/kg) and a ticket's weight in kg."""

    season: tuple[tuple[int, int], tuple[int, int]]
    prices: tuple[str, str, str]
    kg: tuple[int, int]
    category: str = "水果"


# The "四个一" industries of the district (§16) plus peaches and greenhouse strawberries.
CROPS = {
    "苹果": Crop(((9, 20), (11, 20)), ("5.20", "4.10", "2.80"), (300, 2500)),
    "樱桃": Crop(((5, 10), (6, 25)), ("32.00", "24.00", "15.00"), (30, 300)),
    "葡萄": Crop(((8, 15), (10, 10)), ("6.80", "5.20", "3.60"), (200, 1500)),
    "芸豆": Crop(((6, 1), (9, 30)), ("5.60", "4.40", "3.20"), (100, 800), "蔬菜"),
    "桃": Crop(((7, 1), (8, 31)), ("6.00", "4.60", "3.00"), (200, 1200)),
    "草莓": Crop(((1, 5), (4, 30)), ("28.00", "20.00", "12.00"), (20, 200)),
}
GRADES = ("特级", "一级", "二级")
GRADE_WEIGHTS = (2, 5, 3)
YEAR_FACTOR = {2022: Decimal("1.00"), 2023: Decimal("1.06"), 2024: Decimal("0.97")}
# Inputs bought through the cooperative: unit, price range in yuan, quantity range.
INPUTS = {
    "复合肥": ("袋", (150, 210), (2, 30)),
    "有机肥": ("袋", (38, 60), (5, 60)),
    "果袋": ("千只", (90, 160), (1, 20)),
    "生物农药": ("瓶", (25, 80), (2, 24)),
}
PREFIX = {TradeKind.INTAKE: "RK", TradeKind.INPUT_PURCHASE: "NZ", TradeKind.SALE: "XS"}


def add_products(ctx: DemoContext) -> None:
    """Generate the product list (the writer reuses products that already exist by name)."""
    for name, crop in CROPS.items():
        ctx.products[name] = ctx.data.add(Product, name=name, default_unit="kg", category=crop.category)
    for name, (unit, _, _) in INPUTS.items():
        ctx.products[name] = ctx.data.add(Product, name=name, default_unit=unit, category="农资")


def season(product: str, year: int) -> tuple[dt.date, dt.date]:
    """Return the first and last day of a crop's harvest in a year."""
    (m1, d1), (m2, d2) = CROPS[product].season
    return dt.date(year, m1, d1), dt.date(year, m2, d2)


def crop_price(product: str, grade: str, year: int) -> Decimal:
    """Return the reference intake price of a grade in a year, to the fen."""
    base = Decimal(CROPS[product].prices[GRADES.index(grade)])
    return to_money(base * YEAR_FACTOR[year])


def add_trades(ctx: DemoContext) -> None:
    """Generate every cooperative's tickets for 2022–2024, numbered per cooperative in date order."""
    for plan in ctx.cooperatives:
        for year in YEARS:
            tickets = _intake(ctx, plan, year) + _inputs(ctx, plan, year)
            if plan.product in ("桃", "草莓"):
                tickets += _sales(ctx, plan, year)
            write_tickets(ctx, plan, year, tickets)


def write_tickets(ctx: DemoContext, plan: CoopPlan, year: int, tickets: list[dict[str, Any]]) -> None:
    """Number a cooperative's tickets of a year in date order and add them; remember member intakes."""
    tickets.sort(key=lambda t: t["traded_on"])  # stable, so same-day tickets keep generation order
    numbers = dict.fromkeys(PREFIX.values(), 0)
    intakes = ctx.intakes.setdefault((plan.index, year), [])
    for values in tickets:
        prefix = PREFIX[values["kind"]]
        numbers[prefix] += 1
        ref = ctx.data.add(Trade, cooperative_id=plan.ref, ticket_no=f"{prefix}{year}-{numbers[prefix]:05d}", **values)
        if values["kind"] is TradeKind.INTAKE and values["member_id"] is not None:
            intakes.append((values["traded_on"], values["grade"], ref))


def ticket(
    ctx: DemoContext,
    kind: TradeKind,
    day: dt.date,
    product: str,
    quantity: Decimal,
    unit_price: Decimal,
    *,
    member: MemberPlan | None = None,
    counterparty: str = "",
    grade: str = "",
    unit: str = "kg",
) -> dict[str, Any]:
    """Return one ticket's columns; the amount is quantity × price rounded half-up to the fen."""
    return {
        "member_id": None if member is None else member.ref,
        "counterparty": counterparty,
        "kind": kind,
        "traded_on": day,
        "product_id": ctx.products[product],
        "grade": grade,
        "quantity": quantity,
        "unit": unit,
        "unit_price": unit_price,
        "amount": to_money(quantity * unit_price),
    }


def households_on(plan: CoopPlan, first: dt.date, last: dt.date) -> list[MemberPlan]:
    """Return the farmer households on the roster at some point between two days."""
    return [
        m
        for m in plan.members
        if m.kind is MemberKind.FARMER and m.joined_on <= last and (m.left_on is None or m.left_on >= first)
    ]


def _intake(ctx: DemoContext, plan: CoopPlan, year: int) -> list[dict[str, Any]]:
    rng, crop = ctx.rng, CROPS[plan.product]
    first, last = season(plan.product, year)
    tickets = []
    for member in households_on(plan, first, last):
        for _ in range(rng.randint(5, 9)):
            day = ctx.day_between(max(first, member.joined_on), last)
            tickets.append(_graded(ctx, plan, year, day, crop, member=member))
    for _ in range(rng.randint(6, 12)):
        # [L-41]: business with non-members is recorded, and accounted, apart from members' business.
        seller = f"非成员农户{ctx.people.name(male=rng.random() < 0.7)}"
        tickets.append(_graded(ctx, plan, year, ctx.day_between(first, last), crop, counterparty=seller))
    return tickets


def _graded(
    ctx: DemoContext,
    plan: CoopPlan,
    year: int,
    day: dt.date,
    crop: Crop,
    *,
    member: MemberPlan | None = None,
    counterparty: str = "",
) -> dict[str, Any]:
    rng = ctx.rng
    grade = rng.choices(GRADES, GRADE_WEIGHTS)[0]
    quantity = Decimal(rng.randint(crop.kg[0] * 10, crop.kg[1] * 10)).scaleb(-1)
    price = to_money(crop_price(plan.product, grade, year) * rng.randint(95, 105) / 100)
    return ticket(
        ctx, TradeKind.INTAKE, day, plan.product, quantity, price, member=member, counterparty=counterparty, grade=grade
    )


def _inputs(ctx: DemoContext, plan: CoopPlan, year: int) -> list[dict[str, Any]]:
    rng = ctx.rng
    choices = [name for name in INPUTS if name != "果袋" or plan.product == "苹果"]
    first, last = dt.date(year, 2, 20), dt.date(year, 4, 20)
    tickets = []
    for member in households_on(plan, first, last):
        for _ in range(rng.randint(1, 2)):
            name = rng.choice(choices)
            unit, (low, high), (q_low, q_high) = INPUTS[name]
            quantity, price = Decimal(rng.randint(q_low, q_high)), to_money(rng.randint(low, high))
            day = ctx.day_between(max(first, member.joined_on), last)
            tickets.append(ticket(ctx, TradeKind.INPUT_PURCHASE, day, name, quantity, price, member=member, unit=unit))
    return tickets


def _sales(ctx: DemoContext, plan: CoopPlan, year: int) -> list[dict[str, Any]]:
    # Produce sold on the members' behalf (代销) at retail, a third above the 一级 intake price.
    rng = ctx.rng
    first, last = season(plan.product, year)
    retail = to_money(crop_price(plan.product, "一级", year) * Decimal("1.3"))
    tickets = []
    for member in households_on(plan, first, last):
        for _ in range(rng.randint(0, 2)):
            quantity = Decimal(rng.randint(50, 400)).scaleb(-1)
            day = ctx.day_between(max(first, member.joined_on), last)
            tickets.append(
                ticket(ctx, TradeKind.SALE, day, plan.product, quantity, retail, member=member, grade="一级")
            )
    return tickets
