"""The year's distribution in the books: its vouchers once posted, and each payment or conversion of what it declared.

A posted distribution books Example 1's entries (coopcore.rules.entries.distribution_vouchers) dated 31 December,
a loss the assembly covered from the provident fund (Dr 322 / Cr 332—未分配盈余, 02表 line 14), and what the
assembly converted into contribution when it approved the plan (§15 rule 25b, Dr 332 / Cr 301),
one voucher each, named "distribution:<id>:<n>" in their order; reversing the distribution takes them out
(deleted while unposted, reversed once posted). Paying lines books, per day and method, Dr 221 / Dr 222 against
the money paid, or against 301 when the assembly converted them into contributions later (§15 rule 25a); what
was converted with the plan is never on 221/222, so it is never paid.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from typing import Protocol

from sqlalchemy import Row, select
from sqlalchemy.orm import Session, selectinload

from coopcore.db.bulk import read_rows
from coopcore.models import AccountEntryKind, Cooperative, Distribution, DistributionLine, MemberAccountEntry
from coopcore.rules import entries
from coopcore.rules.distribution import MemberShare, Result
from coopcore.rules.entries.accounts import BANK
from coopcore.rules.entries.payments import Payable
from coopcore.services.ledger.source import Event, Source, with_ids
from coopcore.terms import DistributionState, PaymentMethod, VoucherOrigin

BOOKED = (DistributionState.POSTED, DistributionState.PAID)
# ⚠️ DEFAULT: a distribution paid out in money leaves the bank account (102): townships pay households by
# transfer to their 一卡通 or bank card. Payment runs that name the account paid from replace it.
PAID_FROM = BANK
# What posting reads of each line: read as columns, since 20,000 lines as objects took longer to load than to write.
LINE_COLUMNS = (
    DistributionLine.member_id,
    DistributionLine.member_code,
    DistributionLine.provident_share_added,
    DistributionLine.subsidy_share,
    DistributionLine.donation_share,
    DistributionLine.residual_weight,
    DistributionLine.patronage_return,
    DistributionLine.residual_distribution,
    DistributionLine.converted,
)


class ShareLine(Protocol):
    """A distribution line as posting reads it: the object, or its columns (plan_lines)."""

    @property
    def member_code(self) -> str: ...
    @property
    def provident_share_added(self) -> Decimal: ...
    @property
    def subsidy_share(self) -> Decimal: ...
    @property
    def donation_share(self) -> Decimal: ...
    @property
    def residual_weight(self) -> Decimal: ...
    @property
    def patronage_return(self) -> Decimal: ...
    @property
    def residual_distribution(self) -> Decimal: ...
    @property
    def converted(self) -> Decimal: ...


# A line as LINE_COLUMNS read it.
PlanLine = Row[int, str, Decimal, Decimal, Decimal, Decimal, Decimal, Decimal, Decimal]


def plan_lines(session: Session, distribution: Distribution) -> Sequence[PlanLine]:
    """The distribution's lines as LINE_COLUMNS, in member-code order (changes to the objects are flushed first)."""
    query = select(*LINE_COLUMNS).where(DistributionLine.distribution_id == distribution.id)
    return read_rows(session, query.order_by(DistributionLine.member_code))


def _distributions(
    session: Session, cooperative: Cooperative, ids: set[int] | None, *, with_lines: bool = True
) -> list[Distribution]:
    query = (
        select(Distribution)
        .where(Distribution.cooperative_id == cooperative.id, *with_ids(ids, Distribution.id))
        .where(Distribution.state.in_(BOOKED))
        .order_by(Distribution.id)
    )
    return list(session.scalars(query.options(selectinload(Distribution.lines)) if with_lines else query))


def _declared(session: Session, cooperative: Cooperative, refs: set[str] | None) -> Iterator[Event]:
    for distribution in _distributions(session, cooperative, DISTRIBUTIONS.ids(refs), with_lines=False):
        on = dt.date(distribution.year, 12, 31)
        lines = plan_lines(session, distribution)
        vouchers = entries.distribution_vouchers(
            result_of(distribution, lines),
            conversions=conversions_of(lines),
            resolution=distribution.resolution,
            loss_covered_by_provident_fund=distribution.loss_covered_by_provident_fund,
        )
        for number, (summary, entry_lines) in enumerate(vouchers, start=1):
            yield Event(DISTRIBUTIONS.ref(distribution.id, number), on, summary, entry_lines)


def result_of(distribution: Distribution, lines: Iterable[ShareLine] | None = None) -> Result:
    """The waterfall's result as the distribution stored it when it was planned (its lines, or those given)."""
    members = tuple(
        MemberShare(
            code=line.member_code,
            provident_share_added=line.provident_share_added,
            subsidy_share=line.subsidy_share,
            donation_share=line.donation_share,
            residual_weight=line.residual_weight,
            patronage_return=line.patronage_return,
            residual_distribution=line.residual_distribution,
        )
        for line in sorted(distribution.lines if lines is None else lines, key=lambda line: line.member_code)
    )
    return Result(
        year=distribution.year,
        surplus=distribution.surplus,
        loss_covered=distribution.loss_covered,
        carried_loss=distribution.carried_loss,
        retained_from_prior_years=distribution.retained_from_prior_years,
        provident_fund=distribution.provident_fund,
        distributable=distribution.distributable,
        patronage_pool=distribution.patronage_pool,
        residual_pool=distribution.residual_pool,
        members=members,
    )


def conversions_of(lines: Iterable[ShareLine]) -> dict[str, Decimal]:
    """What the assembly converted into contribution with the plan, by member code (§15 rule 25b)."""
    return {line.member_code: line.converted for line in lines if line.converted}


def _paid(session: Session, cooperative: Cooperative, refs: set[str] | None) -> Iterator[Event]:
    for distribution in _distributions(session, cooperative, PAYMENTS.ids(refs)):
        runs: dict[tuple[dt.date, PaymentMethod], list[Payable]] = {}
        for line in sorted(distribution.lines, key=lambda line: line.member_code):
            # A line paid through a payment run is booked by the run's voucher (payment_run_events).
            if line.payment_method is PaymentMethod.RUN:
                continue
            if line.paid_on is not None and line.payment_method is not None and line.payable:
                # What the assembly converted with the plan is on 301 already; 221/222 hold only the rest.
                returned, residual = entries.net_of_conversion(
                    line.patronage_return, line.residual_distribution, line.converted
                )
                payable = Payable(line.member_code, returned, residual)
                runs.setdefault((line.paid_on, line.payment_method), []).append(payable)
        for (day, method), payables in sorted(runs.items()):
            if method is PaymentMethod.CAPITAL:
                resolution = _resolution(session, distribution, day)
                lines = entries.convert_returns(payables, resolution)
            else:
                lines = entries.pay_returns(payables, account=PAID_FROM)
            yield Event(PAYMENTS.ref(distribution.id, day.isoformat(), method.value), day, lines[0].summary, lines)


def _resolution(session: Session, distribution: Distribution, day: dt.date) -> str:
    """The assembly resolution a conversion was recorded with (its member-account entry keeps it)."""
    memo = session.scalar(
        select(MemberAccountEntry.memo)
        .where(MemberAccountEntry.source == f"{distribution.source}:payment", MemberAccountEntry.entry_on == day)
        .where(MemberAccountEntry.kind == AccountEntryKind.CAPITAL_CONVERSION)
        .limit(1)
    )
    # "2024年分红转为出资 <resolution>" (coopcore.services.distribution_posting.record_payments).
    return (memo or "").partition(" ")[2].strip() or distribution.resolution


DISTRIBUTIONS = Source(VoucherOrigin.DISTRIBUTION, "distribution", _declared)
PAYMENTS = Source(VoucherOrigin.PAYMENT, "distribution_paid", _paid)
