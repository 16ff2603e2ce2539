"""What posting, paying and reversing a distribution write: member-account entries and linked income."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from coopcore.db.bulk import insert_rows
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
from coopcore.services import year_end
from coopcore.services.ledger.register_events import INCOME_EXPENSE
from coopcore.services.ledger.sync import sync_events

MEMO = {
    AccountEntryKind.PROVIDENT_SHARE: "{year}年公积金量化",
    AccountEntryKind.SUBSIDY_SHARE: "{year}年财政补助形成财产量化调整",
    AccountEntryKind.DONATION_SHARE: "{year}年捐赠形成财产量化调整",
    AccountEntryKind.PATRONAGE_RETURN: "{year}年盈余返还",
    AccountEntryKind.RESIDUAL_DISTRIBUTION: "{year}年剩余盈余分配",
    AccountEntryKind.CAPITAL_CONVERSION: "{year}年盈余转为出资 {resolution}",
}


def write_entries(session: Session, distribution: Distribution) -> None:
    """Write each member's quantifications and returns on 31 December, and link the dividends' income."""
    _, last = year_end.year_bounds(distribution.year)
    held = year_end.balances(session, distribution.cooperative_id, last)
    members = {
        m.id: m for m in session.scalars(select(Member).where(Member.cooperative_id == distribution.cooperative_id))
    }
    subsidy, donation = _requantify(distribution, members, last)
    rows: list[dict[str, object]] = []
    for line in distribution.lines:
        before = held.get(line.member_id, year_end.Balances())
        amounts = {
            AccountEntryKind.PROVIDENT_SHARE: line.provident_share_added,
            # Quantified property is re-quantified each year end: the entry moves the balance to the new share.
            AccountEntryKind.SUBSIDY_SHARE: subsidy.get(line.member_code, ZERO) - before.subsidy_share,
            AccountEntryKind.DONATION_SHARE: donation.get(line.member_code, ZERO) - before.donation_share,
            AccountEntryKind.PATRONAGE_RETURN: line.patronage_return,
            AccountEntryKind.RESIDUAL_DISTRIBUTION: line.residual_distribution,
        }
        rows += [_row(distribution, line.member_id, kind, amount, last) for kind, amount in amounts.items() if amount]
        if line.converted:
            # [L-44; KJ 332 六] converted with the plan (§15 rule 25b): the member's contribution grows at the year end.
            rows.append(_row(distribution, line.member_id, AccountEntryKind.CAPITAL_CONVERSION, line.converted, last))
    on_roster = {line.member_id for line in distribution.lines}
    for member_id, balance in held.items():  # members who left in earlier years and still hold a share
        if member_id not in on_roster:
            for kind, amount in ((AccountEntryKind.SUBSIDY_SHARE, -balance.subsidy_share),
                                 (AccountEntryKind.DONATION_SHARE, -balance.donation_share)):  # fmt: skip
                if amount:
                    rows.append(_row(distribution, member_id, kind, amount, last))
    _insert(session, rows)
    _link_income(session, distribution, members, last)
    _book_member_cooperatives(session, _federation_income(session, distribution))


def _requantify(
    distribution: Distribution, members: dict[int, Member], last: dt.date
) -> tuple[dict[str, Decimal], dict[str, Decimal]]:
    """The quantified shares members hold after the year end.

    Leavers at this year end take part in the year's distribution with their share, but [SD-22] re-quantifies
    it equally to the members who remain; donation property is treated alike (docs/membership.md).
    """
    remaining = {line.member_code: 1 for line in distribution.lines if members[line.member_id].left_on != last}
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


def _row(
    distribution: Distribution, member_id: int, kind: AccountEntryKind, amount: Decimal, day: dt.date
) -> dict[str, object]:
    memo = MEMO[kind].format(year=distribution.year, resolution=distribution.resolution)[:200]
    return {"member_id": member_id, "entry_on": day, "kind": kind, "amount": amount, "memo": memo,
            "source": distribution.source, "origin": Origin.DISTRIBUTION,
            "distribution_id": distribution.id}  # fmt: skip


def _insert(session: Session, rows: list[dict[str, object]]) -> None:
    """Insert account entries in one statement: a posting writes several per member.

    A bulk INSERT skips the ORM's flush events (and with them the closed-year guard); the callers have
    checked that the year is open, and the database's closed-year trigger checks it again.
    """
    insert_rows(session, MemberAccountEntry, rows)


def _link_income(session: Session, distribution: Distribution, members: dict[int, Member], day: dt.date) -> None:
    """Dividends paid to a village collective are its investment income (§8.3); to a cooperative, its 511."""
    for line in distribution.lines:
        member = members[line.member_id]
        if not line.total:
            continue
        if member.kind == MemberKind.VILLAGE_COLLECTIVE and member.village_collective_id is not None:
            collective = session.get(VillageCollective, member.village_collective_id)
            assert collective is not None
            session.add(
                VillageIncome(
                    village_id=collective.village_id,
                    year=distribution.year,
                    category=VillageIncomeCategory.INVESTMENT,
                    amount=line.total,
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
                    amount=line.total,
                    memo=f"{distribution.cooperative.name}{distribution.year}年盈余分配",
                    source=distribution.source,
                    origin=Origin.DISTRIBUTION,
                )
            )
