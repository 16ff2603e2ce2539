"""Order contracts with leading enterprises: load terms and deliveries, settle them and measure fulfilment (§10)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from coopcore.errors import NotFound, Term
from coopcore.models import (
    Contract,
    ContractGrade,
    Cooperative,
    Delivery,
    DeliveryWindow,
    Enterprise,
    EnterpriseLevel,
    Member,
    Product,
    Trade,
)
from coopcore.models.enterprise import delivery_trade
from coopcore.rules import contracts as rules
from coopcore.services.lookups import cooperative_by_code
from coopcore.terms import PriceRule

LEVEL_ORDER = list(EnterpriseLevel)  # national first
DEPOSIT_OVER = (
    "Deposit {deposit} is over 20% of the contract amount {amount} (cap {cap}): the excess {excess} has no deposit "
    "effect (Civil Code Art. 586)."
)
SHORTFALL = "Delivered {short} {unit} short of the tolerance band; the agreed penalty is {penalty}."


@dataclass(frozen=True)
class TracedTrade:
    """A member's intake ticket that supplied a delivery."""

    ticket_no: str
    traded_on: dt.date
    member_code: str
    member_name: str
    quantity: str


@dataclass(frozen=True)
class ContractRow:
    """A contract with its parties, its deliveries settled and its fulfilment."""

    contract_id: int
    code: str
    cooperative: str
    cooperative_code: str
    enterprise_id: int
    enterprise: str
    product: str
    price_rule: PriceRule
    start_on: dt.date
    end_on: dt.date
    fulfilment: rules.Fulfilment
    trades: dict[int, list[TracedTrade]]  # by delivery id: the harvest intake behind each delivery


@dataclass(frozen=True)
class EnterpriseRow:
    """A leading enterprise, its recognition and the fulfilment of its contracts together."""

    enterprise_id: int
    name: str
    credit_code: str
    level: EnterpriseLevel
    certificate_no: str
    recognised_year: int | None
    is_recognition_valid: bool
    contracts: int
    metrics: rules.Metrics


@dataclass(frozen=True)
class ContractReport:
    """The contracts in force in a year, and their enterprises, judged on a day."""

    year: int
    as_of: dt.date
    contracts: list[ContractRow]
    enterprises: list[EnterpriseRow]


def contract_status(
    session: Session,
    *,
    year: int,
    cooperative: str | None = None,
    enterprise: str | None = None,
    as_of: dt.date | None = None,
) -> ContractReport:
    """Return the fulfilment of every contract in force in a year, per contract and per enterprise.

    cooperative is a credit code; enterprise a credit code or a name. Payment is judged on as_of (default:
    31 December of the year, or today if that is earlier). Five queries whatever the number of contracts.
    """
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    as_of = as_of or min(last, dt.date.today())
    query = (
        select(Contract, Cooperative.name, Cooperative.credit_code, Enterprise, Product.name)
        .join(Cooperative, Contract.cooperative_id == Cooperative.id)
        .join(Enterprise, Contract.enterprise_id == Enterprise.id)
        .join(Product, Contract.product_id == Product.id)
        .where(Contract.start_on <= last, Contract.end_on >= first)
        .order_by(Contract.start_on, Cooperative.name, Contract.code)
    )
    if cooperative is not None:
        query = query.where(Contract.cooperative_id == cooperative_by_code(session, cooperative).id)
    if enterprise is not None:
        named = or_(Enterprise.credit_code == enterprise, Enterprise.name == enterprise)
        if session.scalar(select(Enterprise.id).where(named)) is None:
            raise NotFound(what=Term("Leading enterprise"), key=enterprise)
        query = query.where(named)
    found = session.execute(query).all()
    facts = contract_facts(session, [contract for contract, *_ in found])
    trades = _traced(session, list(facts))
    rows: list[ContractRow] = []
    enterprises: dict[int, Enterprise] = {}
    for contract, cooperative_name, cooperative_code, party, product in found:
        enterprises[party.id] = party
        deliveries = facts[contract.id].deliveries
        traced = {d.key: trades[d.key] for d in deliveries if d.key is not None and d.key in trades}
        rows.append(
            ContractRow(
                contract.id,
                contract.code,
                cooperative_name,
                cooperative_code,
                party.id,
                party.name,
                product,
                contract.price_rule,
                contract.start_on,
                contract.end_on,
                rules.evaluate(facts[contract.id], as_of=as_of),
                traced,
            )
        )
    return ContractReport(year, as_of, rows, _enterprise_rows(rows, enterprises))


def contract_facts(session: Session, contracts: Sequence[Contract]) -> dict[int, rules.ContractFacts]:
    """Return each contract's terms, grades, windows and deliveries (key: the delivery's id), by contract id.

    Three queries whatever the number of contracts: the fulfilment report and the books settle the same facts.
    """
    ids = [contract.id for contract in contracts]
    grades, windows, deliveries = _parts(session, ids)
    return {
        contract.id: rules.ContractFacts(
            quantity=contract.quantity,
            unit=contract.unit,
            terms=rules.PriceTerms(
                contract.price_rule.value, contract.fixed_price, contract.protective_price, contract.premium
            ),
            start_on=contract.start_on,
            end_on=contract.end_on,
            grades=grades[contract.id],
            windows=windows[contract.id],
            tolerance=contract.tolerance,
            advance=contract.advance,
            deposit=contract.deposit,
            payment_term_days=contract.payment_term_days,
            shortfall_penalty_per_unit=contract.shortfall_penalty_per_unit,
            deliveries=deliveries[contract.id],
        )
        for contract in contracts
    }


def _parts(
    session: Session, ids: list[int]
) -> tuple[
    defaultdict[int, list[rules.GradeTerms]],
    defaultdict[int, list[tuple[dt.date, dt.date]]],
    defaultdict[int, list[rules.DeliveryFacts]],
]:
    grades: defaultdict[int, list[rules.GradeTerms]] = defaultdict(list)
    windows: defaultdict[int, list[tuple[dt.date, dt.date]]] = defaultdict(list)
    deliveries: defaultdict[int, list[rules.DeliveryFacts]] = defaultdict(list)
    if not ids:
        return grades, windows, deliveries
    for grade in session.scalars(
        select(ContractGrade).where(ContractGrade.contract_id.in_(ids)).order_by(ContractGrade.id)
    ):
        grades[grade.contract_id].append(rules.GradeTerms(grade.grade, grade.coefficient, grade.is_rejected))
    for window in session.scalars(
        select(DeliveryWindow).where(DeliveryWindow.contract_id.in_(ids)).order_by(DeliveryWindow.start_on)
    ):
        windows[window.contract_id].append((window.start_on, window.end_on))
    for delivery in session.scalars(
        select(Delivery).where(Delivery.contract_id.in_(ids)).order_by(Delivery.delivered_on, Delivery.id)
    ):
        deliveries[delivery.contract_id].append(
            rules.DeliveryFacts(
                delivery.delivered_on,
                delivery.grade,
                delivery.quantity,
                delivery.accepted_quantity,
                delivery.market_price,
                delivery.paid_amount,
                delivery.paid_on,
                ticket_no=delivery.ticket_no or "",
                key=delivery.id,
            )
        )
    return grades, windows, deliveries


def _traced(session: Session, ids: list[int]) -> defaultdict[int, list[TracedTrade]]:
    """The member intake tickets behind each delivery of the contracts, by delivery id."""
    trades: defaultdict[int, list[TracedTrade]] = defaultdict(list)
    if not ids:
        return trades
    traced = session.execute(
        select(delivery_trade.c.delivery_id, Trade.ticket_no, Trade.traded_on, Member.code, Member.name, Trade.quantity)
        .join(Trade, delivery_trade.c.trade_id == Trade.id)
        .outerjoin(Member, Trade.member_id == Member.id)
        .join(Delivery, delivery_trade.c.delivery_id == Delivery.id)
        .where(Delivery.contract_id.in_(ids))
        .order_by(Trade.traded_on, Trade.id)
    )
    for delivery_id, ticket_no, traded_on, member_code, member_name, quantity in traced:
        trades[delivery_id].append(
            TracedTrade(ticket_no or "", traded_on, member_code or "", member_name or "", f"{quantity.normalize():f}")
        )
    return trades


def _enterprise_rows(rows: list[ContractRow], enterprises: dict[int, Enterprise]) -> list[EnterpriseRow]:
    by_enterprise: defaultdict[int, list[ContractRow]] = defaultdict(list)
    for row in rows:
        by_enterprise[row.enterprise_id].append(row)
    result = [
        EnterpriseRow(
            enterprise_id=party.id,
            name=party.name,
            credit_code=party.credit_code,
            level=party.level,
            certificate_no=party.certificate_no,
            recognised_year=party.recognised_year,
            is_recognition_valid=party.is_recognition_valid,
            contracts=len(by_enterprise[party.id]),
            metrics=rules.combine(row.fulfilment.metrics for row in by_enterprise[party.id]),
        )
        for party in enterprises.values()
    ]
    return sorted(result, key=lambda row: (LEVEL_ORDER.index(row.level), row.name))
