"""The year-end distribution workflow: plan → publish → approve → post → pay, and reverse."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from coopcore.db.bulk import collection_paused, insert_rows
from coopcore.db.locks import lock
from coopcore.errors import InvalidValue, PeriodClosed, RuleViolation, Term
from coopcore.models import (
    AccountEntryKind,
    Cooperative,
    Distribution,
    DistributionLine,
    DistributionState,
    FiscalYear,
    FundSource,
    PatronageMeasure,
    PaymentMethod,
    ProvidentBasis,
)
from coopcore.money import ZERO
from coopcore.rules import distribution as waterfall
from coopcore.rules import entries
from coopcore.rules.entries.lines import amount, require_resolution
from coopcore.rules.plan_review import NOTICE_DAYS
from coopcore.rules.voting import has_quorum, passes_ordinary
from coopcore.services import distribution_posting, year_end
from coopcore.services.ledger.distribution_events import DISTRIBUTIONS, PAYMENTS, result_of
from coopcore.services.ledger.sync import sync_events
from coopcore.services.lookups import LIVE_STATES
from coopcore.services.payouts.claims import runs_holding
from coopcore.services.payouts.errors import LinesClaimed
from coopcore.services.statements.balanced import require_balanced_books

# What the patronage column of a plan holds, as its heading (the CLI, the reports).


class WrongState(RuleViolation):
    """The {year} distribution is {state}; to {action} it must be {required}."""

    def __init__(self, *, year: int, state: str, action: str, required: str) -> None:
        # The common cases in the user's words; the sentence above covers whatever else may come.
        plain = PLAIN_STATE_MESSAGES.get((str(action), str(state)))
        super().__init__(plain, year=year, state=state, action=action, required=required)


_ALREADY_PUBLISHED = "The {year} plan has already been published."
_ALREADY_APPROVED = "The {year} plan has already been approved by the member assembly."
_ALREADY_POSTED = "The {year} distribution has already been posted."
_ALREADY_PAID = "The {year} dividends have already been paid."
_NOT_POSTED = "The {year} distribution is not posted yet: post it before paying."
_NOTHING_TO_REVERSE = "The {year} distribution is not posted yet: there is nothing to reverse."
# (action, state the distribution is in) → what to tell the user.
PLAIN_STATE_MESSAGES = {
    ("re-plan", "published"): "The {year} plan has already been published: it can no longer be recomputed.",
    ("re-plan", "approved"): "The {year} plan has already been approved by the member assembly: "
    "it can no longer be recomputed.",
    ("publish", "published"): _ALREADY_PUBLISHED,
    ("publish", "approved"): _ALREADY_APPROVED,
    ("publish", "posted"): _ALREADY_POSTED,
    ("publish", "paid"): _ALREADY_PAID,
    ("approve", "draft"): "The {year} plan has not been published yet: publish it first, at least 15 days "
    "before the member assembly (Art. 40).",
    ("approve", "approved"): _ALREADY_APPROVED,
    ("approve", "posted"): _ALREADY_POSTED,
    ("approve", "paid"): _ALREADY_PAID,
    ("post", "draft"): "The {year} plan has been neither published nor approved: publish it and record the "
    "member assembly's approval before posting.",
    ("post", "published"): "The {year} plan has not been approved by the member assembly yet: record the "
    "approval before posting.",
    ("post", "posted"): _ALREADY_POSTED,
    ("post", "paid"): _ALREADY_PAID,
    ("pay", "draft"): _NOT_POSTED,
    ("pay", "published"): _NOT_POSTED,
    ("pay", "approved"): _NOT_POSTED,
    ("pay", "paid"): _ALREADY_PAID,
    ("reverse", "draft"): _NOTHING_TO_REVERSE,
    ("reverse", "published"): _NOTHING_TO_REVERSE,
    ("reverse", "approved"): _NOTHING_TO_REVERSE,
    ("reverse", "paid"): "The {year} dividends have already been paid: the distribution can no longer be reversed.",
    ("reverse", "partly paid"): "Part of the {year} dividends has already been paid: the distribution can no "
    "longer be reversed.",
}


class NoticeTooShort(RuleViolation):
    """The assembly on {assembly_on} is less than 15 days after the plan was published on {published_on} (Art. 40)."""


class NoQuorum(RuleViolation):
    """{present} of {members} members present: a member assembly needs at least two thirds (Art. 30)."""


class NotPassed(RuleViolation):
    """{votes_for} votes for out of {total_votes} voting rights: the plan needs more than half of them (Art. 30)."""


class DayInFuture(RuleViolation):
    """{day} is a future date: record the {event} on or after the day it happens."""


class PaidBeforeApproval(RuleViolation):
    """Payment on {paid_on} comes before the member assembly approved the plan on {assembly_on} (Art. 29)."""


class ResolutionNeeded(RuleViolation):
    """Converting returns into contributions needs its own member assembly resolution (Art. 44): give its number."""


def plan_distribution(session: Session, cooperative: Cooperative, year: int) -> Distribution:
    """Compute the year's distribution from the books and store it as a draft (re-planning replaces a draft)."""
    with collection_paused():  # objects by the hundred thousand, none of them garbage before the plan ends
        return _plan(session, cooperative, year)


def _plan(session: Session, cooperative: Cooperative, year: int) -> Distribution:
    lock(session, cooperative)  # two plans of a cooperative, one after the other: the second replaces the draft
    _open_fiscal_year(session, cooperative, year)  # a closed year is never re-planned
    # The year's plans in one read: the live one if any (re-planned), and the revision a new one takes.
    plans = session.scalars(
        select(Distribution).where(Distribution.cooperative_id == cooperative.id, Distribution.year == year)
    ).all()
    distribution = next((plan for plan in plans if plan.state in LIVE_STATES), None)
    revision = max((plan.revision for plan in plans), default=0) + 1
    if distribution is not None:
        _lock(session, distribution, "re-plan", DistributionState.DRAFT)
    _, last = year_end.year_bounds(year)
    bylaws = year_end.bylaws_in_force(session, cooperative, last)
    year_end.require_posted_result(session, cooperative, year)
    members = year_end.roster(session, cooperative.id, last)
    balances = year_end.balances(session, cooperative.id, last)
    trades = year_end.trade_totals(
        session, cooperative.id, year, quantity=bylaws.patronage_measure == PatronageMeasure.QUANTITY
    )
    mu_days = (
        year_end.land_mu_days(session, cooperative.id, year) if bylaws.patronage_measure == PatronageMeasure.MU else {}
    )
    held = year_end.property_held(session, cooperative.id, last)

    positions = _positions(members, balances, trades, mu_days, bylaws.patronage_measure)
    case = waterfall.Case(
        year=year,
        surplus=year_end.year_surplus(session, cooperative.id, year),
        opening_undistributed=year_end.opening_undistributed(session, cooperative.id, year),
        policy=waterfall.Policy(bylaws.provident_fund_rate, bylaws.patronage_ratio, str(bylaws.provident_basis)),
        members=positions,
        subsidy_property=held[FundSource.FISCAL_SUBSIDY],
        donation_property=held[FundSource.DONATION],
    )
    result = waterfall.distribute(case)
    if distribution is not None:
        session.execute(delete(DistributionLine).where(DistributionLine.distribution_id == distribution.id))
    else:
        distribution = Distribution(cooperative_id=cooperative.id, year=year, revision=revision)
        session.add(distribution)
    _store(distribution, case, result, bylaws.patronage_measure)
    session.flush()
    # One line per member, written in one statement (a cooperative may have thousands of members).
    ids = {member.code: member.id for member in members}
    insert_rows(session, DistributionLine, _lines(distribution, case, result, ids))
    session.expire(distribution, ["lines"])
    return distribution


def planned_members(session: Session, distribution: Distribution) -> int:
    """How many members the plan has a line for, counted by the database without loading the lines."""
    # `coop distribution plan-all` lists it for every cooperative of a township: loading each plan's lines as
    # records only to count them took a tenth of the time of a small cooperative's plan.
    return (
        session.scalar(
            select(func.count())
            .select_from(DistributionLine)
            .where(DistributionLine.distribution_id == distribution.id)
        )
        or 0
    )


def publish_distribution(
    session: Session, distribution: Distribution, *, published_on: dt.date, assembly_on: dt.date | None = None
) -> Distribution:
    """Record that the plan was made available at the office; the assembly may not be sooner than 15 days later.

    The year's statements go out with it ([L-40]: the financial report at the office 15 days before the assembly),
    so books that do not balance are refused, naming what is off (coopcore.services.statements.balanced).
    """
    _lock(session, distribution, "publish", DistributionState.DRAFT)
    _happened(published_on, "publication")
    if assembly_on is not None:
        _check_notice(published_on, assembly_on)
    require_balanced_books(session, distribution.cooperative, distribution.year)
    distribution.published_on = published_on
    distribution.assembly_on = assembly_on
    distribution.state = DistributionState.PUBLISHED
    session.flush()
    return distribution


def approve_distribution(
    session: Session,
    distribution: Distribution,
    *,
    assembly_on: dt.date,
    members_present: int,
    votes_for: int,
    resolution: str = "",
    conversions: Mapping[str, Decimal] | None = None,
    loss_covered_by_provident_fund: Decimal = ZERO,
) -> Distribution:
    """Record the member assembly that approved the plan ([L-29(四)]), refusing it without quorum or majority.

    conversions (member code to amount) are the parts of members' shares the assembly converted into
    contribution with the plan (§15 rule 25b); loss_covered_by_provident_fund is what it took from 盈余公积 to
    cover the loss the year leaves (02表 line 14). Both need the resolution that decided them.
    """
    _lock(session, distribution, "approve", DistributionState.PUBLISHED)
    _happened(assembly_on, "member assembly")  # its vote is recorded once it has been taken
    assert distribution.published_on is not None
    _check_notice(distribution.published_on, assembly_on)
    _, last = year_end.year_bounds(distribution.year)
    members = year_end.roster(session, distribution.cooperative_id, last)
    # [L-22] additional votes count towards the total; a federation's members vote one each ([L-60]).
    total_votes = len(members) + sum(member.additional_votes for member in members)
    if not has_quorum(len(members), members_present):
        raise NoQuorum(present=members_present, members=len(members))
    if not passes_ordinary(total_votes, votes_for):
        raise NotPassed(votes_for=votes_for, total_votes=total_votes)
    _convert(distribution, conversions or {}, resolution)
    distribution.loss_covered_by_provident_fund = _cover(
        session, distribution, loss_covered_by_provident_fund, resolution
    )
    distribution.assembly_on = assembly_on
    distribution.members_present = members_present
    distribution.votes_for = votes_for
    distribution.resolution = resolution
    distribution.state = DistributionState.APPROVED
    session.flush()
    return distribution


def _convert(distribution: Distribution, conversions: Mapping[str, Decimal], resolution: str) -> None:
    """Record on the lines what the assembly converted into contribution, refusing it without its resolution."""
    if not conversions:
        return
    require_resolution(resolution)  # [L-44] "经成员大会…决议"
    unknown = sorted(set(conversions) - {line.member_code for line in distribution.lines})
    if unknown:
        raise InvalidValue("no such member in this distribution: {codes}", codes=", ".join(unknown))
    entries.check_conversions(result_of(distribution), conversions, positive=True)
    for line in distribution.lines:
        line.converted = amount(conversions.get(line.member_code, ZERO))


def _cover(session: Session, distribution: Distribution, value: Decimal, resolution: str) -> Decimal:
    """What the assembly covers from the provident fund, checked against the loss, 322 and the members' shares."""
    if not value:
        return ZERO
    _, last = year_end.year_bounds(distribution.year)
    held = year_end.balances(session, distribution.cooperative_id, last, kinds=(AccountEntryKind.PROVIDENT_SHARE,))
    return entries.check_loss_cover(
        result_of(distribution),
        value,
        reserve=year_end.surplus_reserve(session, distribution.cooperative_id, last),
        shares=sum((balance.provident_share for balance in held.values() if balance.provident_share > 0), ZERO),
        resolution=resolution,
        day=last.isoformat(),
    )


NOT_A_CONVERSION = "{value} is not a conversion: write the member code and the amount, as M04=5000.00."


def read_conversions(written: Iterable[str]) -> dict[str, Decimal]:
    """Read conversions as people write them ("M04=5000.00", "M04＝5,000"), one amount per member (summed)."""
    conversions: dict[str, Decimal] = {}
    for text in written:
        code, _, figure = text.replace("＝", "=").partition("=")
        try:
            value = Decimal(figure.strip().replace(",", "").replace("，", ""))
        except ArithmeticError:
            value = Decimal("NaN")
        if not code.strip() or not value.is_finite():
            raise InvalidValue(NOT_A_CONVERSION, value=text)
        # approve_distribution checks each amount against the member's share.
        conversions[code.strip()] = conversions.get(code.strip(), ZERO) + value
    return conversions


def post_distribution(session: Session, distribution: Distribution) -> Distribution:
    """Write the member-account entries and the vouchers of an approved plan; the year stays open until its
    December is closed."""
    _lock(session, distribution, "post", DistributionState.APPROVED)
    _open_fiscal_year(session, distribution.cooperative, distribution.year, for_update=True)
    # The books may have moved since the assembly: 322 must still hold what it covers.
    _cover(session, distribution, distribution.loss_covered_by_provident_fund, distribution.resolution)
    distribution_posting.write_entries(session, distribution)
    distribution.state = DistributionState.POSTED
    distribution.posted_at = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    session.flush()
    # Its vouchers are dated 31 December, while December is open: closing December closes the year
    # (coopcore.services.ledger.periods), not the posting.
    sync_events(session, distribution.cooperative, [DISTRIBUTIONS], {DISTRIBUTIONS.ref(distribution.id)})
    session.flush()
    return distribution


def pay_distribution(
    session: Session,
    distribution: Distribution,
    *,
    paid_on: dt.date,
    method: str = "cash",
    member_codes: list[str] | None = None,
    resolution: str = "",
) -> list[DistributionLine]:
    """Record payment to members (all unpaid by default), in cash or converted into contributions."""
    _lock(session, distribution, "pay", DistributionState.POSTED)
    # [L-44] "经成员大会…决议": approving the plan does not decide a conversion; it needs its own resolution.
    if method == "capital" and not resolution.strip():
        raise ResolutionNeeded()
    _happened(paid_on, "payment")
    assert distribution.assembly_on is not None  # an approved plan has its assembly
    if paid_on < distribution.assembly_on:  # [L-29(四)] the plan binds once the assembly approved it
        raise PaidBeforeApproval(paid_on=paid_on.isoformat(), assembly_on=distribution.assembly_on.isoformat())
    unpaid = [line for line in distribution.lines if line.paid_on is None]
    if member_codes is not None:
        unknown = sorted(set(member_codes) - {line.member_code for line in distribution.lines})
        if unknown:
            raise InvalidValue("no such member in this distribution: {codes}", codes=", ".join(unknown))
        unpaid = [line for line in unpaid if line.member_code in member_codes]
    # A line a payment run pays (pending) or paid part of is the run's to pay: named, it is refused; otherwise it
    # is left for the run, and the distribution is paid once the run is settled (coopcore.services.payouts).
    held = runs_holding(session, [line.id for line in unpaid])
    if held and member_codes is not None:
        claimed = [line for line in unpaid if line.id in held]
        runs = sorted({number for line in claimed for number in held[line.id]})
        raise LinesClaimed(members=", ".join(line.member_code for line in claimed),
                           runs=", ".join(map(str, runs)))  # fmt: skip
    unpaid = [line for line in unpaid if line.id not in held]
    paid = distribution_posting.record_payments(session, distribution, unpaid, paid_on, method, resolution)
    mark_paid_when_done(distribution, paid_on, PaymentMethod(method))
    session.flush()
    sync_events(session, distribution.cooperative, [PAYMENTS], {PAYMENTS.ref(distribution.id)})
    return paid


def mark_paid_when_done(distribution: Distribution, paid_on: dt.date, method: PaymentMethod) -> None:
    """Mark the distribution paid once every line with something to pay is paid, by hand or by payment runs.

    A line the assembly converted whole with the plan (or with no dividend) has nothing left to pay: it is marked
    paid with the last payment, else a distribution paid member by member would never read as paid.
    """
    if all(line.paid_on is not None or not line.payable for line in distribution.lines):
        for line in distribution.lines:
            if line.paid_on is None:
                line.paid_on, line.payment_method = paid_on, method
        distribution.state = DistributionState.PAID


def reverse_distribution(session: Session, distribution: Distribution) -> Distribution:
    """Undo a posted, unpaid distribution with reversing entries and vouchers in its open year; the history stays."""
    _lock(session, distribution, "reverse", DistributionState.POSTED)
    if any(line.paid_on is not None for line in distribution.lines) or runs_holding(
        session, [line.id for line in distribution.lines]
    ):
        raise WrongState(
            year=distribution.year, state=Term("partly paid"), action=Term("reverse"), required=Term("unpaid")
        )
    # A closed year is reopened only by 反结账 of its December (and the months after it), never here.
    _open_fiscal_year(session, distribution.cooperative, distribution.year, for_update=True)
    distribution_posting.reverse_entries(session, distribution)
    distribution.state = DistributionState.REVERSED
    distribution.reversed_at = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    session.flush()
    sync_events(session, distribution.cooperative, [DISTRIBUTIONS], {DISTRIBUTIONS.ref(distribution.id)})
    return distribution


def _positions(
    members: list[year_end.RosterEntry],
    balances: dict[int, year_end.Balances],
    trades: dict[int, tuple[Decimal, Decimal]],
    mu_days: dict[int, Decimal],
    measure: PatronageMeasure,
) -> list[waterfall.Position]:
    """Each member's position for the waterfall: balances, the bylaws' patronage measure and the business done."""
    no_balance, no_trade = year_end.Balances(), (ZERO, ZERO)
    positions = []
    for member in members:
        balance = balances.get(member.id, no_balance)
        amount, quantity = trades.get(member.id, no_trade)
        if measure == PatronageMeasure.QUANTITY:
            patronage = quantity
        else:
            patronage = mu_days.get(member.id, ZERO) if measure == PatronageMeasure.MU else amount
        positions.append(waterfall.Position(member.code, balance.contribution, balance.provident_share, patronage,
                                            amount))  # fmt: skip
    return positions


def _store(
    distribution: Distribution, case: waterfall.Case, result: waterfall.Result, measure: PatronageMeasure
) -> None:
    for name in ("surplus", "loss_covered", "carried_loss", "retained_from_prior_years", "provident_fund",
                 "distributable", "patronage_pool", "residual_pool"):  # fmt: skip
        setattr(distribution, name, getattr(result, name))
    distribution.opening_undistributed = case.opening_undistributed
    distribution.subsidy_property = case.subsidy_property
    distribution.donation_property = case.donation_property
    distribution.provident_fund_rate = case.policy.provident_fund_rate
    distribution.patronage_ratio = case.policy.patronage_ratio
    distribution.provident_basis = ProvidentBasis(case.policy.provident_basis)
    distribution.patronage_measure = PatronageMeasure(measure)


def _lines(
    distribution: Distribution, case: waterfall.Case, result: waterfall.Result, ids: dict[str, int]
) -> list[dict[str, object]]:
    positions = {position.code: position for position in case.members}
    lines = []
    for share in result.members:
        position = positions[share.code]
        lines.append(
            {
                "distribution_id": distribution.id,
                "member_id": ids[share.code],
                "member_code": share.code,
                "contribution": position.contribution,
                "provident_share_opening": position.provident_share,
                "patronage": position.patronage,
                "transaction_amount": position.transaction_amount or ZERO,
                "provident_share_added": share.provident_share_added,
                "subsidy_share": share.subsidy_share,
                "donation_share": share.donation_share,
                "residual_weight": share.residual_weight,
                "patronage_return": share.patronage_return,
                "residual_distribution": share.residual_distribution,
            }
        )
    return lines


def _open_fiscal_year(session: Session, cooperative: Cooperative, year: int, *, for_update: bool = False) -> FiscalYear:
    query = select(FiscalYear).where(FiscalYear.cooperative_id == cooperative.id, FiscalYear.year == year)
    # Posting and reversing lock the year: a close of its December waits for them (and they for it).
    fiscal_year = session.scalar(query.with_for_update() if for_update else query)
    if fiscal_year is None:
        fiscal_year = FiscalYear(cooperative_id=cooperative.id, year=year)
        session.add(fiscal_year)
        session.flush()
    if fiscal_year.is_closed:
        raise PeriodClosed(cooperative=cooperative.name, year=year)
    return fiscal_year


def _lock(session: Session, distribution: Distribution, action: str, state: DistributionState) -> None:
    """Lock the distribution's row and check its state as committed: of two clicks, the second finds it changed."""
    lock(session, distribution)
    _require(distribution, action, state)


def _require(distribution: Distribution, action: str, state: DistributionState) -> None:
    if distribution.state is not state:
        raise WrongState(
            year=distribution.year, state=Term(distribution.state), action=Term(action), required=Term(state)
        )


def _happened(day: dt.date, event: str) -> None:
    if day > dt.date.today():
        raise DayInFuture(day=day.isoformat(), event=Term(event))


def _check_notice(published_on: dt.date, assembly_on: dt.date) -> None:
    if (assembly_on - published_on).days < NOTICE_DAYS:
        raise NoticeTooShort(assembly_on=assembly_on.isoformat(), published_on=published_on.isoformat())
