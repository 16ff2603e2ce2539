"""The member account (成员账户) of a year in the columns of the official form ([KJ 第五十七条], 附录 成员账户).

The form's columns are the member's cumulative history: what was contributed, quantified, returned and distributed
to the member over the years. Two things happen to a declared return after the year end, and the form shows both
as they happened (issue #17):

* paid: a line dated the day the books paid it (Dr 221/222 / Cr money, read through coopcore.services.ledger.owed),
  with the amounts in its memo; the columns are history, so a payment moves none of them;
* converted into contribution ([L-44], by the assembly with the plan or later): one line that moves the amount out
  of the return columns into 出资, so a converted return is counted once, in 出资.

What the cooperative still owes the member is apart from that history: the year's statement (对账单) of 114, 221
and 222 at the form's date, the 尚欠 block. It reads the books as they stand (owed.member_statements'
as_they_stand): vouchers booked from business records (trades, the distribution, its payment) count before the
month's close posts them, as the year's figures do (balances.COUNTED), so a payment recorded today reads as paid.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from coopcore.i18n import Lang, format_money, render
from coopcore.labels import label
from coopcore.models import (
    AccountEntryKind,
    Distribution,
    DistributionLine,
    Member,
    MemberAccountEntry,
    PaymentMethod,
    Product,
    Trade,
)
from coopcore.money import ZERO
from coopcore.rules.entries import net_of_conversion
from coopcore.rules.entries.accounts import RESIDUAL_PAYABLE, RETURNS_PAYABLE
from coopcore.services.ledger.owed import MemberStatement, Owed, OwedLine, member_statement
from coopcore.services.year_end import year_bounds
from coopcore.terms import OwedMovement

# Which column of the form each kind of entry is written in.
COLUMN = {
    AccountEntryKind.CONTRIBUTION_POVERTY_ASSET: "poverty_contribution",  # 来源于到户类扶贫项目资产的出资额
    AccountEntryKind.CONTRIBUTION_CASH: "other_contribution",  # 其他来源的出资额
    AccountEntryKind.CONTRIBUTION_LAND: "other_contribution",
    AccountEntryKind.CONTRIBUTION_IN_KIND: "other_contribution",
    AccountEntryKind.CAPITAL_CONVERSION: "other_contribution",
    AccountEntryKind.REFUND: "other_contribution",
    AccountEntryKind.PROVIDENT_SHARE: "provident_share",
    AccountEntryKind.SUBSIDY_SHARE: "subsidy_share",
    AccountEntryKind.DONATION_SHARE: "donation_share",
    AccountEntryKind.PATRONAGE_RETURN: "patronage_return",
    AccountEntryKind.RESIDUAL_DISTRIBUTION: "residual_distribution",
}
# What the form says under its 尚欠 block (the CLI, the report and the admin say the same).
HISTORY_NOTE = (
    "The returns and residual columns are what was declared to the member over the years, less what was converted "
    "into contribution; payments are lines of their own, and what is still owed is below."
)
UNPOSTED_PAYMENTS = (
    "A payment marked on the distribution has no voucher in the books yet: the books still count it as owed until "
    "one books it."
)
DISTRIBUTION_SOURCE = "distribution:"  # what the entries a distribution wrote are tagged with (Distribution.source)


@dataclass(frozen=True)
class Amounts:
    """One row's money columns; a balance row and an entry row have the same shape."""

    poverty_contribution: Decimal = ZERO
    other_contribution: Decimal = ZERO
    provident_share: Decimal = ZERO
    subsidy_share: Decimal = ZERO
    donation_share: Decimal = ZERO
    patronage_return: Decimal = ZERO
    residual_distribution: Decimal = ZERO

    def plus(self, other: Amounts) -> Amounts:
        """Column-wise sum."""
        return Amounts(**{name: getattr(self, name) + getattr(other, name) for name in vars(self)})


@dataclass(frozen=True)
class Payment:
    """Declared returns or residual paid to the member: one voucher of the books (Dr 221/222 / Cr money), or a
    distribution line marked paid that no voucher books yet."""

    voucher: str  # 2025-04 记-3; empty when no voucher books it
    summary: str
    returns: Decimal  # off 应付盈余返还 (221)
    residual: Decimal  # off 应付剩余盈余 (222)
    # How and for which years, from the distribution lines marked paid that day; empty for a payment typed
    # in the books without one.
    methods: tuple[PaymentMethod, ...] = ()
    years: tuple[int, ...] = ()

    @property
    def amount(self) -> Decimal:
        return self.returns + self.residual

    @property
    def booked(self) -> bool:
        """True when the books hold the payment: only then is it out of what is still owed."""
        return bool(self.voucher)


@dataclass(frozen=True)
class Row:
    """A numbered line of the account: an entry, a transaction with its product's volume and amount, or a payment."""

    number: int
    day: dt.date
    memo: str
    amounts: Amounts = field(default_factory=Amounts)
    product: str | None = None
    quantity: Decimal = ZERO
    trade_amount: Decimal = ZERO
    unit: str = ""  # of the quantity, as the ticket gives it
    payment: Payment | None = None  # a payment moves no column: the amounts are history, what is owed is apart

    def describe(self, lang: Lang) -> str:
        """The memo as the form prints it: a payment says what it paid, how, for which year and by which voucher."""
        if self.payment is None:
            return self.memo
        paid = self.payment
        parts = [render("returns {amount}", lang, amount=format_money(paid.returns, lang))] if paid.returns else []
        if paid.residual:
            parts.append(render("residual {amount}", lang, amount=format_money(paid.residual, lang)))
        about = [render("{year} distribution", lang, year=year) for year in paid.years]
        about += [label(method, lang) for method in paid.methods]
        if paid.booked:
            about.append(render("voucher {voucher}", lang, voucher=paid.voucher))
        else:
            about.append(render("no voucher books it yet", lang))
        comma, colon = ("，", "：") if lang == "zh" else (", ", ": ")
        brackets = ("（", "）") if lang == "zh" else (" (", ")")
        memo = self.memo or render("Returns paid", lang)
        return f"{memo}{colon}{comma.join(parts)}{brackets[0]}{comma.join(about)}{brackets[1]}"


@dataclass(frozen=True)
class MemberAccount:
    """年初余额, the year's lines, 年末余额; transactions are totalled per product for the year; what is still
    owed (尚欠) at the year end on 114, 221 and 222, apart from the history."""

    member: Member
    year: int
    opening: Amounts
    rows: tuple[Row, ...]
    closing: Amounts
    products: tuple[str, ...]
    quantity_by_product: dict[str, Decimal]
    amount_by_product: dict[str, Decimal]
    # The unit of each product's quantity; empty when its tickets use several (their sum has no unit).
    unit_by_product: dict[str, str] = field(default_factory=dict)
    # The year's statement per account (coopcore.services.ledger.owed): its closing is what is still owed.
    owed: dict[str, Owed] = field(default_factory=dict)
    owed_on: dt.date | None = None

    @property
    def still_owed(self) -> Decimal:
        """What the cooperative owes the member at the form's date on the three accounts (negative: is owed)."""
        return sum((owed.closing for owed in self.owed.values()), ZERO)

    @property
    def unposted_payments(self) -> bool:
        """True when a distribution line was marked paid in the year and no voucher books its payment."""
        return any(row.payment is not None and not row.payment.booked for row in self.rows)

    @property
    def paid(self) -> Decimal:
        """What the year's payment lines paid of declared returns and residual."""
        return sum((row.payment.amount for row in self.rows if row.payment is not None), ZERO)


def member_account(
    session: Session, member: Member, year: int, *, statement: MemberStatement | None = None
) -> MemberAccount:
    """Build a member's account for a year from the append-only entries, the year's transactions and the books'
    payments; `statement` is the member's statement of the year when the caller read every member's at once."""
    first, last = year_bounds(year)
    if statement is None:
        statement = member_statement(session, member.cooperative, member, first, last, as_they_stand=True)
    entries = session.scalars(
        select(MemberAccountEntry)
        .where(MemberAccountEntry.member_id == member.id, MemberAccountEntry.entry_on <= last)
        .order_by(MemberAccountEntry.entry_on, MemberAccountEntry.id)
    ).all()
    shares = _shares(session, member)
    moved = conversions_moved(entries, {key: (share.patronage_return, share.residual_distribution)
                                        for key, share in shares.items()})  # fmt: skip
    opening = Amounts()
    dated: list[tuple[dt.date, int, Row]] = []
    for entry in entries:
        amounts = replace(Amounts(), **{COLUMN[entry.kind]: entry.amount})
        if entry.id in moved:
            returned, residual = moved[entry.id]
            amounts = replace(amounts, patronage_return=-returned, residual_distribution=-residual)
        if entry.entry_on < first:
            opening = opening.plus(amounts)
        else:
            dated.append((entry.entry_on, 0, Row(0, entry.entry_on, entry.memo or entry.kind.value, amounts)))
    trades = session.execute(
        select(Trade, Product.name)
        .join(Product, Product.id == Trade.product_id)
        .where(Trade.member_id == member.id, Trade.traded_on.between(first, last))
        .order_by(Trade.traded_on, Trade.id)
    ).all()
    quantity: dict[str, Decimal] = {}
    amount: dict[str, Decimal] = {}
    unit: dict[str, str] = {}
    for trade, product in trades:
        quantity[product] = quantity.get(product, ZERO) + trade.quantity
        amount[product] = amount.get(product, ZERO) + trade.amount
        unit[product] = trade.unit if unit.get(product, trade.unit) == trade.unit else ""
        memo = f"{product} {trade.grade}".strip() + (f"（{trade.ticket_no}）" if trade.ticket_no else "")
        row = Row(0, trade.traded_on, memo, Amounts(), product, trade.quantity, trade.amount, trade.unit)
        dated.append((trade.traded_on, 1, row))
    for day, payment in payments(statement.lines, shares.values(), first, last):
        dated.append((day, 2, Row(0, day, payment.summary, payment=payment)))
    dated.sort(key=lambda item: (item[0], item[1]))
    rows = tuple(replace(row, number=number) for number, (_, _, row) in enumerate(dated, start=1))
    closing = opening
    for row in rows:
        closing = closing.plus(row.amounts)
    return MemberAccount(member, year, opening, rows, closing, tuple(sorted(amount)), quantity, amount, unit,
                         dict(statement.accounts), last)  # fmt: skip


@dataclass(frozen=True)
class Share:
    """What a distribution declared to the member, and how its line says it was paid."""

    year: int
    patronage_return: Decimal
    residual_distribution: Decimal
    converted: Decimal  # with the plan (§15 rule 25b): never on 221/222, never paid
    paid_on: dt.date | None
    payment_method: PaymentMethod | None

    @property
    def paid_in_money(self) -> bool:
        return self.paid_on is not None and self.payment_method not in (None, PaymentMethod.CAPITAL)


def _shares(session: Session, member: Member) -> dict[int, Share]:
    """The member's lines of booked distributions (posted or paid), by distribution id."""
    rows = session.execute(
        select(DistributionLine.distribution_id, Distribution.year, DistributionLine.patronage_return,
               DistributionLine.residual_distribution, DistributionLine.converted, DistributionLine.paid_on,
               DistributionLine.payment_method)
        .join(Distribution, Distribution.id == DistributionLine.distribution_id)
        .where(DistributionLine.member_id == member.id)
    )  # fmt: skip
    return {row[0]: Share(*row[1:]) for row in rows}


def conversions_moved(
    entries: Iterable[MemberAccountEntry], declared: dict[int, tuple[Decimal, Decimal]]
) -> dict[int, tuple[Decimal, Decimal]]:
    """What each conversion of a distribution's share into contribution takes out of the return and out of the
    residual, by entry id; `declared` holds each distribution's (patronage return, residual), by its id.

    The entries come in their order. A conversion comes out of the residual first, then out of the return, as the
    books convert it (rules.entries.net_of_conversion); a reversal (红字冲销) moves back what its entry moved.
    """
    left = dict(declared)
    moved: dict[int, tuple[Decimal, Decimal]] = {}
    for entry in entries:
        if entry.kind is not AccountEntryKind.CAPITAL_CONVERSION:
            continue
        if entry.reverses_id is not None:
            if entry.reverses_id in moved:
                returned, residual = moved[entry.reverses_id]
                moved[entry.id] = (-returned, -residual)
            continue
        distribution_id = _distribution_of(entry)
        if distribution_id not in left:
            continue  # not a distribution's (a conversion of the provident fund, typed by hand): 出资 only
        returned, residual = left[distribution_id]
        returned_left, residual_left = net_of_conversion(returned, residual, entry.amount)
        moved[entry.id] = (returned - returned_left, residual - residual_left)
        left[distribution_id] = (returned_left, residual_left)
    return moved


def _distribution_of(entry: MemberAccountEntry) -> int | None:
    """The distribution an entry was written for: its id, or its source "distribution:<id>[:payment]"."""
    if entry.distribution_id is not None:
        return entry.distribution_id
    if not entry.source or not entry.source.startswith(DISTRIBUTION_SOURCE):
        return None
    number = entry.source[len(DISTRIBUTION_SOURCE) :].split(":", 1)[0]
    return int(number) if number.isdigit() else None


def payments(
    lines: Sequence[OwedLine], shares: Iterable[Share], first_on: dt.date, last_on: dt.date
) -> list[tuple[dt.date, Payment]]:
    """The period's payments of declared returns and residual: each voucher of a statement's lines that paid them,
    and each distribution line marked paid in money that day with no payment of the member's in the books that day."""
    found: dict[tuple[dt.date, str], list[OwedLine]] = {}
    for line in lines:
        if line.movement is OwedMovement.PAYMENT and line.account in (RETURNS_PAYABLE, RESIDUAL_PAYABLE):
            found.setdefault((line.day, line.voucher), []).append(line)
    by_day: dict[dt.date, list[Share]] = {}
    for share in shares:
        if share.paid_on is not None and share.paid_in_money and first_on <= share.paid_on <= last_on:
            by_day.setdefault(share.paid_on, []).append(share)
    result = []
    for (day, voucher), paid in found.items():
        result.append((day, Payment(
            voucher=voucher,
            summary=paid[0].summary,
            returns=sum((line.amount for line in paid if line.account == RETURNS_PAYABLE), ZERO),
            residual=sum((line.amount for line in paid if line.account == RESIDUAL_PAYABLE), ZERO),
            **_about(by_day.get(day, [])),
        )))  # fmt: skip
    booked = {day for day, _ in found}
    for day, unbooked in sorted(by_day.items()):
        if day in booked:
            continue
        # Marked paid, but no voucher books the payment yet: still owed in the books until one does.
        parts = [net_of_conversion(s.patronage_return, s.residual_distribution, s.converted) for s in unbooked]
        result.append((day, Payment("", "", sum((p[0] for p in parts), ZERO), sum((p[1] for p in parts), ZERO),
                                    **_about(unbooked))))  # fmt: skip
    return result


def _about(shares: Sequence[Share]) -> dict[str, Any]:
    """How and for which years the distribution lines paid on a day were paid."""
    return {
        "methods": tuple(dict.fromkeys(share.payment_method for share in shares if share.payment_method)),
        "years": tuple(sorted({share.year for share in shares})),
    }
