"""The 附注 (notes to the statements) of a cooperative's year: items 2, 3 and 7 read from the books and the
register, every item's text as the accountant keeps it (StatementNote), and writing that text.

Reads the register as the year end reads it (coopcore.services.year_end: the roster on 31 December, each member's
balances from the account entries) and the statements' own figures for 股金 and 专项应付款.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from coopcore.errors import InvalidValue
from coopcore.models import (
    Cooperative,
    Distribution,
    FundSource,
    Member,
    SpecialFund,
    SpecialPayable,
    StatementNote,
    Trade,
)
from coopcore.rules.statements import Statements
from coopcore.rules.statements.notes import (
    ITEMS,
    Business,
    MemberEquity,
    Notes,
    Plan,
    RosterChange,
    Support,
    business_by_kind,
    check_note,
    clean_text,
    count_roster,
)
from coopcore.services.lookups import live_distribution_or_none
from coopcore.services.statements import statements
from coopcore.services.year_end import Balances, NoBylaws, balances, bylaws_in_force, year_bounds
from coopcore.terms import Origin

SHARE_CAPITAL, SPECIAL_PAYABLES = 36, 33  # 01表 lines 股金 and 专项应付款


def statement_notes(session: Session, cooperative: Cooperative, year: int, found: Statements | None = None) -> Notes:
    """The notes of a year's statements (`found`: those statements, if already filled)."""
    found = found if found is not None else statements(session, cooperative, year)
    first, last = year_bounds(year)
    members = session.execute(
        select(Member.id, Member.code, Member.name, Member.kind, Member.joined_on, Member.left_on)
        .where(Member.cooperative_id == cooperative.id, Member.joined_on <= last)
        .order_by(Member.code)
    ).all()
    # On the roster on 31 December, as the year end counts it: a member leaving that day still is ([L-25]).
    on_roster = [m for m in members if m.left_on is None or m.left_on >= last]
    held = balances(session, cooperative.id, last)
    equity: list[MemberEquity] = []
    for m in members:
        mine, gone = held.get(m.id, Balances()), m.left_on is not None and m.left_on < last
        # A leaver not yet paid back still holds a contribution, and 股金 on the books with it.
        if not gone or mine.contribution or mine.provident_share:
            left_on = m.left_on if gone else None
            equity.append(MemberEquity(m.code, m.name, m.kind, mine.contribution, mine.provident_share, left_on))
    joined = tuple(RosterChange(m.code, m.name, m.kind, m.joined_on) for m in members if m.joined_on >= first)
    left = tuple(
        RosterChange(m.code, m.name, m.kind, m.left_on)
        for m in members
        if m.left_on is not None and first <= m.left_on <= last
    )
    support, donations = _support(session, cooperative, year)
    plan = live_distribution_or_none(session, cooperative, year)
    if plan is not None:
        rate, from_plan = plan.provident_fund_rate, True
    else:
        try:
            rate, from_plan = bylaws_in_force(session, cooperative, last).provident_fund_rate, False
        except NoBylaws:
            rate, from_plan = None, False
    return Notes(
        year=year,
        texts=note_texts(session, cooperative, year),
        share_capital=found.closing[SHARE_CAPITAL],
        business_type=cooperative.business_type,
        roster=count_roster(m.kind for m in on_roster),
        equity=tuple(equity),
        joined=joined,
        left=left,
        support=support,
        donations=donations,
        unspent_subsidy=found.closing[SPECIAL_PAYABLES],
        business=_business(session, cooperative, year),
        provident_rate=rate,
        rate_from_plan=from_plan,
        plan=_plan(plan),
    )


def note_texts(session: Session, cooperative: Cooperative, year: int) -> dict[int, str]:
    """Every item's text of a year's notes, by item number ("" where nothing is written)."""
    written = dict(
        session.execute(
            select(StatementNote.item, StatementNote.body).where(
                StatementNote.cooperative_id == cooperative.id, StatementNote.year == year
            )
        ).all()
    )
    return {number: written.get(number, "") for number in range(1, len(ITEMS) + 1)}


def set_note(
    session: Session, cooperative: Cooperative, year: int, item: int, body: str, *, origin: Origin = Origin.MANUAL
) -> StatementNote:
    """Write an item's text of a year's notes, replacing what it said (the audit trail keeps that); flush."""
    body = clean_text(body)
    for finding in check_note(item, body):
        raise InvalidValue(finding.template, **finding.fields)
    note = session.scalar(
        select(StatementNote).where(
            StatementNote.cooperative_id == cooperative.id, StatementNote.year == year, StatementNote.item == item
        )
    )
    if note is None:
        note = StatementNote(cooperative_id=cooperative.id, year=year, item=item)
        session.add(note)
    note.body, note.origin = body, origin
    session.flush()
    return note


def _plan(distribution: Distribution | None) -> Plan | None:
    """The year's plan as the notes tell it."""
    if distribution is None:
        return None
    d = distribution
    return Plan(d.state, d.surplus, d.loss_covered, d.provident_fund, d.distributable, d.patronage_pool,
                d.residual_pool, d.published_on, d.assembly_on, d.resolution)  # fmt: skip


def _support(session: Session, cooperative: Cooperative, year: int) -> tuple[tuple[Support, ...], tuple[Support, ...]]:
    """The year's fiscal support (235 money moved, 311 property from subsidies) and donations, by date."""
    first, last = year_bounds(year)
    moved = session.scalars(
        select(SpecialPayable)
        .where(SpecialPayable.cooperative_id == cooperative.id, SpecialPayable.moved_on.between(first, last))
        .order_by(SpecialPayable.moved_on, SpecialPayable.id)
    ).all()
    funds = session.scalars(
        select(SpecialFund)
        .where(SpecialFund.cooperative_id == cooperative.id, SpecialFund.received_on.between(first, last))
        .order_by(SpecialFund.received_on, SpecialFund.id)
    ).all()
    records = [
        *(Support(r.moved_on, r.kind, FundSource.FISCAL_SUBSIDY, r.amount, r.project or r.memo) for r in moved),
        *(Support(f.received_on, f.form, f.source, f.amount, f.memo) for f in funds),
    ]
    records.sort(key=lambda record: record.on)
    return (
        tuple(r for r in records if r.source is FundSource.FISCAL_SUBSIDY),
        tuple(r for r in records if r.source is FundSource.DONATION),
    )


def _business(session: Session, cooperative: Cooperative, year: int) -> tuple[Business, ...]:
    """The year's trades by kind, with members and with non-members ([L-41]: kept apart by member_id)."""
    first, last = year_bounds(year)
    with_member = Trade.member_id.is_not(None)
    rows = session.execute(
        select(Trade.kind, with_member, func.sum(Trade.amount), func.count())
        .where(Trade.cooperative_id == cooperative.id, Trade.traded_on.between(first, last))
        .group_by(Trade.kind, with_member)
    ).all()
    return business_by_kind((kind, bool(member), amount, tickets) for kind, member, amount, tickets in rows)
