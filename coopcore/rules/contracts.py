"""Order-farming contracts (订单农业): price clauses, grades, settlement, the 定金 cap and fulfilment (§10)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, Decimal

from coopcore.errors import InvalidValue
from coopcore.money import FEN, ZERO, round_half_up, to_money
from coopcore.terms import PriceRule

# Price clauses (docs/contracts.md); a clause given as its stored string equals its PriceRule.
FIXED = PriceRule.FIXED
PROTECTIVE = PriceRule.PROTECTIVE  # 保护价: the market price, but never less than the protective price
MARKET_PLUS = PriceRule.MARKET_PLUS  # 随行就市 + 加价
HIGHER_OF = PriceRule.HIGHER_OF  # 保底价 + 随行就市: max(protective, market + premium)
PRICE_RULES = tuple(PriceRule)
# [MF-586]: 定金的数额 … 不得超过主合同标的额的百分之二十; the excess has no 定金 effect. "不得超过" allows exactly 20%.
DEPOSIT_CAP = Decimal("0.20")
HUNDRED = Decimal(100)


@dataclass(frozen=True)
class PriceTerms:
    """A contract's price clause and the prices it needs."""

    rule: str
    fixed_price: Decimal | None = None
    protective_price: Decimal | None = None
    premium: Decimal | None = None

    def __post_init__(self) -> None:
        needs: dict[str, tuple[str, ...]] = {
            FIXED: ("fixed_price",),
            PROTECTIVE: ("protective_price",),
            MARKET_PLUS: ("premium",),
            HIGHER_OF: ("protective_price", "premium"),
        }
        needed = needs.get(self.rule)
        if needed is None:
            raise InvalidValue("unknown price rule {value!r}", value=self.rule)
        for name in needed:
            if getattr(self, name) is None:
                raise InvalidValue("the price rule {rule} needs a {term}", rule=self.rule, term=name)


@dataclass(frozen=True)
class Quote:
    """The base price (grade coefficient 1) of a delivery, and whether the protective price set it."""

    price: Decimal
    protective_applied: bool


def base_price(terms: PriceTerms, market_price: Decimal | None) -> Quote:
    """Return the price clause's price for a day's market price (§10.1)."""
    if terms.rule == FIXED:
        assert terms.fixed_price is not None
        return Quote(terms.fixed_price, False)
    if market_price is None:
        raise InvalidValue("the price rule {rule} needs the market price of the day", rule=terms.rule)
    if terms.rule == MARKET_PLUS:
        assert terms.premium is not None
        return Quote(market_price + terms.premium, False)
    assert terms.protective_price is not None
    market = market_price + (terms.premium or ZERO)  # the protective rule alone has no premium
    # §10.2: the protective price "applies" when it is above market (+ premium); at a tie the market sets the price.
    if terms.protective_price > market:
        return Quote(terms.protective_price, True)
    return Quote(market, False)


@dataclass(frozen=True)
class GradeTerms:
    """A quality grade of a contract: a price coefficient, or rejected (拒收)."""

    grade: str
    coefficient: Decimal | None = None
    is_rejected: bool = False


@dataclass(frozen=True)
class Settlement:
    """What one delivery is worth: unit price to the fen, then the amount for the accepted quantity."""

    unit_price: Decimal
    amount: Decimal
    accepted_quantity: Decimal
    rejected_quantity: Decimal
    protective_applied: bool


def unit_price(base: Decimal, coefficient: Decimal) -> Decimal:
    """Return the grade's unit price: base × coefficient, rounded half-up to the fen (domain.md §0.2 3a)."""
    return round_half_up(base * coefficient, 2)


def settle(
    terms: PriceTerms,
    grades: Mapping[str, GradeTerms],
    *,
    grade: str,
    quantity: Decimal,
    accepted_quantity: Decimal,
    market_price: Decimal | None,
) -> Settlement:
    """Settle a delivery: the unit price rounded to the fen first, then × accepted quantity rounded half-up.

    A rejected grade is worth nothing and its whole quantity counts as rejected. A grade without a coefficient, or
    a delivery without a grade on a contract without grades, is paid the base price.
    """
    if not ZERO <= accepted_quantity <= quantity:
        raise InvalidValue(
            "the accepted quantity {value} must be from 0 to the delivered {quantity}",
            value=accepted_quantity,
            quantity=quantity,
        )
    terms_of_grade = grades.get(grade)
    if terms_of_grade is None and grades and grade:
        raise InvalidValue("grade {value!r} is not a grade of the contract", value=grade)
    if terms_of_grade is not None and terms_of_grade.is_rejected:
        return Settlement(ZERO, ZERO, ZERO, quantity, False)
    coefficient = terms_of_grade.coefficient if terms_of_grade and terms_of_grade.coefficient else Decimal(1)
    quote = base_price(terms, market_price)
    price = unit_price(quote.price, coefficient)
    amount = round_half_up(price * accepted_quantity, 2)
    applied = quote.protective_applied and accepted_quantity > 0
    return Settlement(price, amount, accepted_quantity, quantity - accepted_quantity, applied)


def contract_amount(terms: PriceTerms, quantity: Decimal) -> Decimal | None:
    """Return the contract amount (标的额) at signing: quantity × the fixed or protective price, rounded half-up.

    With a protective price this is the least the contract is worth, so the 定金 check errs towards warning. A
    market-plus contract has no amount until it is delivered: None.
    """
    price = terms.fixed_price if terms.rule == FIXED else terms.protective_price
    return None if price is None else round_half_up(price * quantity, 2)


@dataclass(frozen=True)
class DepositCheck:
    """The 定金 against its cap of 20% of the contract amount [MF-586]; the excess has no 定金 effect."""

    deposit: Decimal
    amount: Decimal
    cap: Decimal
    excess: Decimal

    @property
    def is_over(self) -> bool:
        return self.excess > 0


def check_deposit(deposit: Decimal, amount: Decimal) -> DepositCheck:
    """Compare a 定金 with 20% of the contract amount, exactly ([MF-586]; §0.2: 5 × deposit > amount)."""
    cap = (amount * DEPOSIT_CAP).quantize(FEN, rounding=ROUND_DOWN)  # a cap: never round it up
    excess = deposit - cap if deposit * 5 > amount else ZERO
    return DepositCheck(deposit, amount, cap, excess)


def percent(part: Decimal, whole: Decimal) -> Decimal | None:
    """Return part / whole as a percentage rounded half-up to 0.01 (§10.2), or None when whole is zero."""
    return round_half_up(part * HUNDRED / whole, 2) if whole else None


@dataclass(frozen=True)
class DeliveryFacts:
    """A delivery as recorded: day, grade, quantities, the day's market price and what the enterprise paid."""

    delivered_on: dt.date
    grade: str
    quantity: Decimal
    accepted_quantity: Decimal
    market_price: Decimal | None
    paid_amount: Decimal = ZERO
    paid_on: dt.date | None = None
    ticket_no: str = ""
    key: int | None = None  # the caller's id of the delivery, carried through untouched


@dataclass(frozen=True)
class ContractFacts:
    """A contract's terms and deliveries, as the fulfilment metrics need them."""

    quantity: Decimal
    unit: str
    terms: PriceTerms
    start_on: dt.date
    end_on: dt.date
    grades: Sequence[GradeTerms] = ()
    windows: Sequence[tuple[dt.date, dt.date]] = ()
    tolerance: Decimal = ZERO
    advance: Decimal = ZERO
    deposit: Decimal = ZERO
    payment_term_days: int = 30
    shortfall_penalty_per_unit: Decimal | None = None
    deliveries: Sequence[DeliveryFacts] = ()


@dataclass(frozen=True)
class DeliveryResult:
    """One delivery settled: its amount, the advance set off against it, when payment is due and on-time flags."""

    delivery: DeliveryFacts
    settlement: Settlement
    advance_applied: Decimal
    due_on: dt.date
    in_window: bool

    @property
    def outstanding(self) -> Decimal:
        """What the enterprise still owes for this delivery after the advance and its payments."""
        return self.settlement.amount - self.advance_applied - self.delivery.paid_amount


@dataclass(frozen=True)
class Metrics:
    """Sums behind the §10.2 metrics; sums of several contracts combine with +, percentages come from the sums."""

    unit: str
    contracted: Decimal = ZERO
    accepted: Decimal = ZERO
    rejected: Decimal = ZERO
    on_time: Decimal = ZERO
    by_grade: Mapping[str, Decimal] = field(default_factory=dict)
    settled: Decimal = ZERO
    advance: Decimal = ZERO
    paid: Decimal = ZERO
    due: Decimal = ZERO  # settlement of deliveries whose payment day has come
    paid_by_due: Decimal = ZERO  # of that, what the advance and payments on or before the day covered
    protective_count: int = 0
    deliveries: int = 0
    mixed_units: bool = False  # quantities in different units do not add up

    def __add__(self, other: Metrics) -> Metrics:
        by_grade = dict(self.by_grade)
        for grade, quantity in other.by_grade.items():
            by_grade[grade] = by_grade.get(grade, ZERO) + quantity
        return Metrics(
            unit=self.unit if self.unit == other.unit else "",
            contracted=self.contracted + other.contracted,
            accepted=self.accepted + other.accepted,
            rejected=self.rejected + other.rejected,
            on_time=self.on_time + other.on_time,
            by_grade=by_grade,
            settled=self.settled + other.settled,
            advance=self.advance + other.advance,
            paid=self.paid + other.paid,
            due=self.due + other.due,
            paid_by_due=self.paid_by_due + other.paid_by_due,
            protective_count=self.protective_count + other.protective_count,
            deliveries=self.deliveries + other.deliveries,
            mixed_units=self.mixed_units or other.mixed_units or self.unit != other.unit,
        )

    @property
    def quantity_percent(self) -> Decimal | None:
        """Quantity fulfilment: accepted / contracted quantity."""
        return None if self.mixed_units else percent(self.accepted, self.contracted)

    @property
    def on_time_percent(self) -> Decimal | None:
        """On-time delivery: accepted quantity delivered inside its window / accepted quantity."""
        return None if self.mixed_units else percent(self.on_time, self.accepted)

    @property
    def payment_percent(self) -> Decimal | None:
        """Enterprise payment fulfilment: paid by the due day / due."""
        return percent(self.paid_by_due, self.due)

    @property
    def grade_mix(self) -> dict[str, Decimal | None]:
        """Grade mix: accepted quantity per grade / accepted quantity."""
        if self.mixed_units:
            return {}
        return {grade: percent(quantity, self.accepted) for grade, quantity in self.by_grade.items()}

    @property
    def balance(self) -> Decimal:
        """What the enterprise still owes after the advance and its payments (negative: it paid more)."""
        return self.settled - self.advance - self.paid


def combine(metrics: Iterable[Metrics], unit: str = "kg") -> Metrics:
    """Add up the metrics of several contracts (an enterprise's, a cooperative's)."""
    total: Metrics | None = None
    for item in metrics:
        total = item if total is None else total + item
    return total or Metrics(unit=unit)


@dataclass(frozen=True)
class Fulfilment:
    """A contract evaluated on a day: each delivery settled, the §10.2 metrics, the 定金 check and any shortfall."""

    deliveries: list[DeliveryResult]
    metrics: Metrics
    deposit: DepositCheck | None  # None: no amount to check against (market-plus)
    shortfall: Decimal  # below the tolerance band, once the term is over
    shortfall_penalty: Decimal | None


def evaluate(contract: ContractFacts, *, as_of: dt.date) -> Fulfilment:
    """Settle every delivery and compute the contract's fulfilment metrics as of a day.

    The advance (预付款) is set off against the deliveries in date order. Payment is due payment_term_days after
    delivery; a delivery is paid on time for what the advance and payments dated on or before its due day cover,
    never more than its amount. A delivery is on time inside one of the delivery windows (the contract term when
    there are none). The shortfall is measured from the lower edge of the tolerance band (DEFAULT: quantities
    inside ±tolerance fulfil the contract) and only after the term has ended; a court may lower a penalty that is
    "过分高于" the loss [MF-585], and with a 定金 as well the other party chooses one of the two [MF-588].
    """
    grades = {grade.grade: grade for grade in contract.grades}
    windows = list(contract.windows) or [(contract.start_on, contract.end_on)]
    advance_left = contract.advance
    results: list[DeliveryResult] = []
    # The contract's grades in its own order (best first as entered), rejected grades left out.
    by_grade: dict[str, Decimal] = {grade.grade: ZERO for grade in contract.grades if not grade.is_rejected}
    due = paid_by_due = on_time = ZERO
    for delivery in sorted(contract.deliveries, key=lambda d: d.delivered_on):
        settlement = settle(
            contract.terms,
            grades,
            grade=delivery.grade,
            quantity=delivery.quantity,
            accepted_quantity=delivery.accepted_quantity,
            market_price=delivery.market_price,
        )
        applied = min(advance_left, settlement.amount)
        advance_left -= applied
        due_on = delivery.delivered_on + dt.timedelta(days=contract.payment_term_days)
        in_window = any(start <= delivery.delivered_on <= end for start, end in windows)
        results.append(DeliveryResult(delivery, settlement, applied, due_on, in_window))
        if settlement.accepted_quantity:
            by_grade[delivery.grade] = by_grade.get(delivery.grade, ZERO) + settlement.accepted_quantity
        if in_window:
            on_time += settlement.accepted_quantity
        if due_on <= as_of:
            paid_in_time = delivery.paid_amount if delivery.paid_on and delivery.paid_on <= due_on else ZERO
            due += settlement.amount
            paid_by_due += min(settlement.amount, applied + paid_in_time)
    metrics = Metrics(
        unit=contract.unit,
        contracted=contract.quantity,
        accepted=sum((r.settlement.accepted_quantity for r in results), ZERO),
        rejected=sum((r.settlement.rejected_quantity for r in results), ZERO),
        on_time=on_time,
        by_grade=by_grade,
        settled=sum((r.settlement.amount for r in results), ZERO),
        advance=contract.advance,
        paid=sum((r.delivery.paid_amount for r in results), ZERO),
        due=due,
        paid_by_due=paid_by_due,
        protective_count=sum(1 for r in results if r.settlement.protective_applied),
        deliveries=len(results),
    )
    amount = contract_amount(contract.terms, contract.quantity)
    deposit = None if amount is None else check_deposit(contract.deposit, amount)
    shortfall = Decimal("0.0000")  # a quantity: four places like the quantity columns
    if as_of > contract.end_on:
        lower_edge = round_half_up(contract.quantity * (1 - contract.tolerance), 4)  # quantities keep 4 places
        shortfall = max(shortfall, lower_edge - metrics.accepted)
    penalty = None
    if contract.shortfall_penalty_per_unit is not None:
        penalty = to_money(shortfall * contract.shortfall_penalty_per_unit)
    return Fulfilment(results, metrics, deposit, shortfall, penalty)
