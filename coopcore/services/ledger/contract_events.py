"""Sales to leading enterprises under order contracts in the books, from the contract records (domain.md §2.4, §10).

Booked only for a cooperative with ledger_books_sales on. ⚠️ DEFAULT off: most cooperatives book the year's
sales through their 收支 summary rows, and booking the deliveries as well would count those sales twice in 本年盈余.

Per contract, under "contract:<id>" (editing the contract or one of its deliveries rebooks the whole contract:
the advance is set off against the deliveries in date order, so one delivery moves the others' lines):
- "contract:<id>:advance", on signed_on: the advance received, Dr 102 / Cr 211 应付款—enterprise. ⚠️ INFERRED:
  the 2021 rules have no 预收 account; 211 holds 暂收款项 from non-members [KJ 211 一].
- "contract:<id>:delivery:<delivery id>", on delivered_on: the delivery at its settled amount
  (coopcore.rules.contracts.settle), Dr 211—enterprise for the part of the advance still unapplied, Dr 113
  应收款—enterprise for the rest, Cr 501 经营收入 [KJ 113 二; 211 一]. A rejected delivery books nothing.
- "contract:<id>:paid:<delivery id>", on paid_on: what the enterprise paid for it, Dr 102 / Cr 113—enterprise
  [KJ 113 二]; a payment recorded without its day waits for it.
The cost of the produce sold (Dr 521 / Cr 121 [KJ 121 五]) is not booked here: a contract does not carry it.
"""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import select
from sqlalchemy.orm import Session

from coopcore.models import Contract, Cooperative, Enterprise, Product
from coopcore.rules import entries
from coopcore.rules.contracts import DeliveryResult, evaluate
from coopcore.services.contracts import contract_facts
from coopcore.services.ledger.source import Event, Source, with_ids
from coopcore.terms import TradeModel, VoucherOrigin

ADVANCE = "收到{enterprise}订单预付款（合同{code}）"
DELIVERED = "向{enterprise}交售{product}（合同{code}）"
PAID = "收到{enterprise}货款（合同{code}）"


def _contracts(session: Session, cooperative: Cooperative, refs: set[str] | None) -> Iterator[Event]:
    if not cooperative.ledger_books_sales:
        return  # the sales are in the 收支 summaries: whatever this source booked is taken out
    query = (
        select(Contract, Enterprise.name, Product.name)
        .join(Enterprise, Enterprise.id == Contract.enterprise_id)
        .join(Product, Product.id == Contract.product_id)
        .where(Contract.cooperative_id == cooperative.id, *with_ids(DELIVERIES.ids(refs), Contract.id))
        .order_by(Contract.id)
    )
    found = session.execute(query).all()
    facts = contract_facts(session, [contract for contract, _, _ in found])
    for contract, enterprise, product in found:
        names = {"enterprise": enterprise, "code": contract.code, "product": product}
        if contract.advance:
            summary = ADVANCE.format(**names)
            lines = entries.advance_received(enterprise, contract.advance, summary=summary)
            yield Event(DELIVERIES.ref(contract.id, "advance"), contract.signed_on, summary, lines)
        # Settled as the fulfilment report settles them; the day judged on does not change an amount.
        for result in evaluate(facts[contract.id], as_of=contract.end_on).deliveries:
            yield from _delivery(result, contract, enterprise, names)


def _delivery(result: DeliveryResult, contract: Contract, enterprise: str, names: dict[str, str]) -> Iterator[Event]:
    delivery, settled = result.delivery, result.settlement
    if settled.amount:  # a rejected grade, or nothing accepted, is no sale
        summary = DELIVERED.format(**names)
        lines = entries.sale(
            TradeModel.PURCHASE,
            settled.amount,
            buyer=enterprise,
            advance=result.advance_applied,
            product=names["product"],
            summary=summary,
        )
        yield Event(DELIVERIES.ref(contract.id, "delivery", delivery.key), delivery.delivered_on, summary, lines)
    if delivery.paid_amount and delivery.paid_on is not None:
        summary = PAID.format(**names)
        lines = entries.receivable_collected(enterprise, delivery.paid_amount, summary=summary)
        yield Event(DELIVERIES.ref(contract.id, "paid", delivery.key), delivery.paid_on, summary, lines)


# Vouchers of sales: the origin of trades, under their own prefix (two sources may share an origin, never a prefix).
DELIVERIES = Source(VoucherOrigin.TRADE, "contract", _contracts)
