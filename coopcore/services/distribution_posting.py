"""What posting, paying and reversing a distribution write: member-account entries and linked income."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal

from sqlalchemy import Row, delete, or_, select
from sqlalchemy.orm import Session

from coopcore.db.bulk import insert_rows, read_rows
from coopcore.models import (
    AccountEntryKind,
    Cooperative,
    Distribution,
    DistributionLine,
    IncomeCategory,
    IncomeExpense,
    Member,
    MemberAccountEntry,
    MemberKind,
    Origin,
    PaymentMethod,
    VillageCollective,
    VillageIncome,
    VillageIncomeCategory,
)
from coopcore.money import ZERO, allocate
from coopcore.rules.entries.distribution import LOSS_COVERED
from coopcore.services import year_end
from coopcore.services.ledger.distribution_events import PlanLine, plan_lines
from coopcore.services.ledger.register_events import INCOME_EXPENSE
from coopcore.services.ledger.sync import sync_events

QUANTIFIED = (AccountEntryKind.SUBSIDY_SHARE, AccountEntryKind.DONATION_SHARE)
MEMO = {
    AccountEntryKind.PROVIDENT_SHARE: "{year}年公积金量化",
    AccountEntryKind.SUBSIDY_SHARE: "{year}年财政补助形成财产量化调整",
    AccountEntryKind.DONATION_SHARE: "{year}年捐赠形成财产量化调整",
    AccountEntryKind.PATRONAGE_RETURN: "{year}年盈余返还",
    AccountEntryKind.RESIDUAL_DISTRIBUTION: "{year}年剩余盈余分配",
    AccountEntryKind.CAPITAL_CONVERSION: "{year}年盈余转为出资 {resolution}",
}
# A member as posting reads it: id, kind, left_on, village_collective_id, member_cooperative_id.
MemberColumns = Row[int, MemberKind, dt.date | None, int | None, int | None]


def write_entries(session: Session, distribution: Distribution) -> None:
    """Write each member's quantifications and returns on 31 December, and link the dividends' income."""
    _, last = year_end.year_bounds(distribution.year)
    # Only what the entries move from: the quantified property members hold (most hold none).
    held = year_end.balances(session, distribution.cooperative_id, last, kinds=QUANTIFIED)
    # Lines as columns, and of the roster only the members posting treats apart (leavers at the year end, village
    # collectives and member cooperatives): 20,000 of each as objects took longer to load than the entries to write.
    lines = plan_lines(session, distribution)
    members = _members_apart(session, distribution.cooperative_id, last)
    subsidy, donation = _requantify(distribution, lines, members, last)
    row = _Rows(distribution, last)
    rows: list[dict[str, object]] = []
    for line in lines:
        before = held.get(line.member_id, year_end.Balances())
        amounts = {
            AccountEntryKind.PROVIDENT_SHARE: line.provident_share_added,
            # Quantified property is re-quantified each year end: the entry moves the balance to the new share.
            AccountEntryKind.SUBSIDY_SHARE: subsidy.get(line.member_code, ZERO) - before.subsidy_share,
            AccountEntryKind.DONATION_SHARE: donation.get(line.member_code, ZERO) - before.donation_share,
            AccountEntryKind.PATRONAGE_RETURN: line.patronage_return,
            AccountEntryKind.RESIDUAL_DISTRIBUTION: line.residual_distribution,
        }
        rows += [row(line.member_id, kind, amount) for kind, amount in amounts.items() if amount]
        if line.converted:
            # [L-44; KJ 332 六] converted with the plan (§15 rule 25b): the member's contribution grows at the year end.
            rows.append(row(line.member_id, AccountEntryKind.CAPITAL_CONVERSION, line.converted))
    if distribution.loss_covered_by_provident_fund:
        # A year that leaves a loss quantifies no provident fund (check_loss_cover): the members' one entry of the
        # kind is this one.
        rows += [row(member_id, AccountEntryKind.PROVIDENT_SHARE, -value, LOSS_COVERED)
                 for member_id, value in _covered(session, distribution, last).items() if value]  # fmt: skip
    on_roster = {line.member_id for line in lines}
    for member_id, balance in held.items():  # members who left in earlier years and still hold a share
        if member_id not in on_roster:
            for kind, amount in ((AccountEntryKind.SUBSIDY_SHARE, -balance.subsidy_share),
                                 (AccountEntryKind.DONATION_SHARE, -balance.donation_share)):  # fmt: skip
                if amount:
                    rows.append(row(member_id, kind, amount))
    _insert(session, rows)
    _link_income(session, distribution, lines, members, last)
    _book_member_cooperatives(session, _federation_income(session, distribution))


def _covered(session: Session, distribution: Distribution, last: dt.date) -> dict[int, Decimal]:
    """What the loss covered from the provident fund takes of each member's provident share, by member id.

    ⚠️ INFERRED (domain.md §1.4): pro rata to the shares members hold at the year end, by largest remainder, so
    that the shares still add up to 322 (coopcore.services.ledger.reconcile).
    """
    held = year_end.balances(session, distribution.cooperative_id, last, kinds=(AccountEntryKind.PROVIDENT_SHARE,))
    holders = {member_id: balance.provident_share for member_id, balance in held.items() if balance.provident_share > 0}
    rows = session.execute(select(Member.id, Member.code).where(Member.id.in_(list(holders))))
    codes = {member_id: code for member_id, code in rows}
    taken = allocate(distribution.loss_covered_by_provident_fund, {codes[i]: share for i, share in holders.items()})
    return {member_id: taken[codes[member_id]] for member_id in holders}


def _members_apart(session: Session, cooperative_id: int, last: dt.date) -> dict[int, MemberColumns]:
    """The members a posting treats apart, by id: those leaving at the year end, and the collectives and
    cooperatives whose dividends are income in their own books."""
    query = select(Member.id, Member.kind, Member.left_on, Member.village_collective_id, Member.member_cooperative_id)
    apart = or_(
        Member.left_on == last,
        Member.village_collective_id.is_not(None),
        Member.member_cooperative_id.is_not(None),
    )
    return {
        member.id: member for member in read_rows(session, query.where(Member.cooperative_id == cooperative_id, apart))
    }


def _requantify(
    distribution: Distribution, lines: Sequence[PlanLine], members: Mapping[int, MemberColumns], last: dt.date
) -> tuple[dict[str, Decimal], dict[str, Decimal]]:
    """The quantified shares members hold after the year end.

    Leavers at this year end take part in the year's distribution with their share, but [SD-22] re-quantifies
    it equally to the members who remain; donation property is treated alike (docs/membership.md).
    """
    leaving = {member_id for member_id, member in members.items() if member.left_on == last}
    remaining = {line.member_code: 1 for line in lines if line.member_id not in leaving}
    if not remaining:
        return {}, {}
    return allocate(distribution.subsidy_property, remaining), allocate(distribution.donation_property, remaining)


def record_payments(
    session: Session,
    distribution: Distribution,
    lines: list[DistributionLine],
    paid_on: dt.date,
    method: str,
    resolution: str,
) -> list[DistributionLine]:
    """Mark lines paid; a conversion into capital is written to the member's contribution ([L-44])."""
    payment = PaymentMethod(method)
    for line in lines:
        line.paid_on = paid_on
        line.payment_method = payment
        if payment == PaymentMethod.CAPITAL and line.payable:
            session.add(
                MemberAccountEntry(
                    member_id=line.member_id,
                    entry_on=paid_on,
                    kind=AccountEntryKind.CAPITAL_CONVERSION,
                    amount=line.payable,  # what the assembly converted with the plan is converted already
                    # The posting wrote the member's conversion decided with the plan under the distribution's id
                    # (one entry of a kind per member and distribution); this later one is then the payment's.
                    distribution_id=None if line.converted else distribution.id,
                    memo=f"{distribution.year}年分红转为出资 {resolution or distribution.resolution}"[:200],
                    source=f"{distribution.source}:payment",
                    origin=Origin.DISTRIBUTION,
                )
            )
    return lines


def reverse_entries(session: Session, distribution: Distribution) -> None:
    """Cancel every entry the posting wrote with an opposite entry, and unlink the dividends' income."""
    entries = session.scalars(
        select(MemberAccountEntry)
        .where(MemberAccountEntry.source == distribution.source, MemberAccountEntry.reverses_id.is_(None))
        .order_by(MemberAccountEntry.id)
    ).all()
    _insert(
        session,
        [
            {
                "member_id": entry.member_id,
                "entry_on": entry.entry_on,
                "kind": entry.kind,
                "amount": -entry.amount,
                "area_mu": entry.area_mu,
                "memo": f"冲销：{entry.memo}"[:200],
                "source": distribution.source,
                "origin": Origin.DISTRIBUTION,
                "distribution_id": None,  # a reversal is unique by what it reverses
                "reverses_id": entry.id,
            }
            for entry in entries
        ],
    )
    session.execute(delete(VillageIncome).where(VillageIncome.source_ref.like(f"{distribution.source}:%")))
    booked = _federation_income(session, distribution)
    for record in session.scalars(select(IncomeExpense).where(IncomeExpense.source == distribution.source)):
        session.delete(record)  # through the ORM, so a closed year of the member cooperative refuses it
    _book_member_cooperatives(session, booked)


def _federation_income(session: Session, distribution: Distribution) -> dict[int, set[str]]:
    """The events of the 收支 rows a federation's distribution wrote, by member cooperative."""
    session.flush()
    rows = select(IncomeExpense.cooperative_id, IncomeExpense.id).where(IncomeExpense.source == distribution.source)
    events: dict[int, set[str]] = {}
    for cooperative_id, record_id in session.execute(rows):
        events.setdefault(cooperative_id, set()).add(INCOME_EXPENSE.ref(record_id))
    return events


def _book_member_cooperatives(session: Session, events: dict[int, set[str]]) -> None:
    """A federation's distribution is investment income in each member cooperative's books (Dr 113 / Cr 511)."""
    session.flush()
    for cooperative in session.scalars(select(Cooperative).where(Cooperative.id.in_(events))):
        sync_events(session, cooperative, [INCOME_EXPENSE], events[cooperative.id])


class _Rows:
    """The account entries of one posting: what every entry shares is worked out once, not per member."""

    def __init__(self, distribution: Distribution, day: dt.date) -> None:
        self.shared = {"entry_on": day, "source": distribution.source, "origin": Origin.DISTRIBUTION,
                       "distribution_id": distribution.id}  # fmt: skip
        self.memos = {kind: memo.format(year=distribution.year, resolution=distribution.resolution)[:200]
                      for kind, memo in MEMO.items()}  # fmt: skip

    def __call__(self, member_id: int, kind: AccountEntryKind, amount: Decimal, memo: str = "") -> dict[str, object]:
        return {"member_id": member_id, "kind": kind, "amount": amount, "memo": memo or self.memos[kind], **self.shared}


def _insert(session: Session, rows: list[dict[str, object]]) -> None:
    """Insert account entries in one statement: a posting writes several per member.

    A bulk INSERT skips the ORM's flush events (and with them the closed-year guard); the callers have
    checked that the year is open, and the database's closed-year trigger checks it again.
    """
    insert_rows(session, MemberAccountEntry, rows)


def _link_income(
    session: Session,
    distribution: Distribution,
    lines: Sequence[PlanLine],
    members: Mapping[int, MemberColumns],
    day: dt.date,
) -> None:
    """Dividends paid to a village collective are its investment income (§8.3); to a cooperative, its 511."""
    for line in lines:
        member = members.get(line.member_id)
        total = line.patronage_return + line.residual_distribution  # DistributionLine.total
        if member is None or not total:
            continue
        if member.kind == MemberKind.VILLAGE_COLLECTIVE and member.village_collective_id is not None:
            collective = session.get(VillageCollective, member.village_collective_id)
            assert collective is not None
            session.add(
                VillageIncome(
                    village_id=collective.village_id,
                    year=distribution.year,
                    category=VillageIncomeCategory.INVESTMENT,
                    amount=total,
                    origin=Origin.DISTRIBUTION,
                    source_ref=f"{distribution.source}:{member.id}",
                    memo=f"{distribution.cooperative.name}{distribution.year}年分红",
                )
            )
        elif member.kind == MemberKind.COOPERATIVE and member.member_cooperative_id is not None:
            # [KJ 第二十一条; 511]: a member cooperative books its federation's distribution as investment income.
            session.add(
                IncomeExpense(
                    cooperative_id=member.member_cooperative_id,
                    recorded_on=day,
                    category=IncomeCategory.INVESTMENT_INCOME,
                    amount=total,
                    memo=f"{distribution.cooperative.name}{distribution.year}年盈余分配",
                    source=distribution.source,
                    origin=Origin.DISTRIBUTION,
                )
            )
