"""The 附注 of a year (issue 16): items 2, 3 and 7 from the demo's books and register, checked against the register
read another way (the member accounts, the roster and the records, summed here); the accountant's text of each
item kept per cooperative and year; on SQLite, PostgreSQL and MariaDB."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from coopcore.errors import InvalidValue
from coopcore.models import (
    Cooperative,
    Distribution,
    DistributionState,
    FundForm,
    FundSource,
    Member,
    MemberKind,
    SpecialFund,
    SpecialPayable,
    SpecialPayableKind,
    StatementNote,
    Trade,
)
from coopcore.money import ZERO
from coopcore.services.member_account import member_account
from coopcore.services.statements import statements
from coopcore.services.statements.notes import note_texts, set_note, statement_notes
from coopcore.terms import Origin

CHENLIANG = "晨靓果业专业合作社"  # a donation and five leavers in 2023, subsidy money on 235 in 2024


def cooperative_named(session: Session, name: str) -> Cooperative:
    return session.scalars(select(Cooperative).where(Cooperative.name == name)).one()


@pytest.mark.parametrize("year", [2023, 2024])
def test_items_2_and_3_count_the_roster_and_give_each_member_s_account_as_the_member_accounts_do(
    demo_session: Session, year: int
) -> None:
    cooperative = cooperative_named(demo_session, CHENLIANG)
    notes = statement_notes(demo_session, cooperative, year)
    last = dt.date(year, 12, 31)
    members = demo_session.scalars(select(Member).where(Member.cooperative_id == cooperative.id)).all()
    roster = [member for member in members if member.is_member_on(last)]
    assert notes.roster.members == len(roster) > 100
    assert notes.roster.farmers == sum(member.kind is MemberKind.FARMER for member in roster)
    assert notes.roster.organisations == sum(member.kind.is_organisation for member in roster) > 0
    assert notes.roster.farmer_share == (Decimal(notes.roster.farmers * 100) / len(roster)).quantize(Decimal("0.01"))
    assert notes.share_capital == statements(demo_session, cooperative, year).closing[36]
    # Each member's 出资 and 公积金份额 as their member account closes the year (成员账户 年末余额).
    expected = {}
    for member in members:
        closing = member_account(demo_session, member, year).closing
        contribution = closing.poverty_contribution + closing.other_contribution
        if member.is_member_on(last) or contribution or closing.provident_share:
            expected[member.code] = (contribution, closing.provident_share)
    found = {row.code: (row.contribution, row.provident_share) for row in notes.equity}
    assert found == expected
    assert notes.contributions == sum((c for c, _ in expected.values()), ZERO) > 0
    assert notes.provident_shares == sum((p for _, p in expected.values()), ZERO) > 0
    first = dt.date(year, 1, 1)
    assert [c.code for c in notes.joined] == sorted(m.code for m in members if first <= m.joined_on <= last)
    assert [c.code for c in notes.left] == sorted(
        m.code for m in members if m.left_on is not None and first <= m.left_on <= last
    )
    if year == 2023:
        assert len(notes.left) == 5 and all(c.on == last for c in notes.left)  # the demo's year-end leavers


def test_item_7_sums_the_year_s_support_business_rate_and_plan_from_the_records(demo_session: Session) -> None:
    cooperative = cooperative_named(demo_session, CHENLIANG)
    for year in (2023, 2024):
        notes = statement_notes(demo_session, cooperative, year)
        first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
        mine = SpecialFund.cooperative_id == cooperative.id
        funds = [f for f in demo_session.scalars(select(SpecialFund).where(mine)) if first <= f.received_on <= last]
        theirs = SpecialPayable.cooperative_id == cooperative.id
        moved = [p for p in demo_session.scalars(select(SpecialPayable).where(theirs)) if first <= p.moved_on <= last]
        fiscal = [f for f in funds if f.source is FundSource.FISCAL_SUBSIDY]
        assert sorted(r.amount for r in notes.support) == sorted([f.amount for f in fiscal] + [p.amount for p in moved])
        assert sorted(r.amount for r in notes.donations) == sorted(
            f.amount for f in funds if f.source is FundSource.DONATION
        )
        received = sum((p.amount for p in moved if p.kind is SpecialPayableKind.RECEIVED), ZERO) + sum(
            (f.amount for f in fiscal if f.form is FundForm.ASSET), ZERO
        )
        assert sum((r.amount for r in notes.support if r.received), ZERO) == received
        trades = [t for t in demo_session.scalars(select(Trade).where(Trade.cooperative_id == cooperative.id))
                  if first <= t.traded_on <= last]  # fmt: skip
        everything = notes.business[-1]
        assert everything.kind is None
        assert everything.member_amount == sum((t.amount for t in trades if t.member_id is not None), ZERO) > 0
        assert everything.other_amount == sum((t.amount for t in trades if t.member_id is None), ZERO) > 0
        assert everything.member_tickets + everything.other_tickets == len(trades)
        assert sum(b.member_amount for b in notes.business[:-1]) == everything.member_amount
        plan = demo_session.scalars(select(Distribution).where(
            Distribution.cooperative_id == cooperative.id, Distribution.year == year,
            Distribution.state != DistributionState.REVERSED)).one_or_none()  # fmt: skip
        bylaws = cooperative.bylaws_on(last)
        assert bylaws is not None
        if plan is None:
            assert notes.plan is None and (notes.provident_rate, notes.rate_from_plan) == (
                bylaws.provident_fund_rate,
                False,
            )
        else:
            assert notes.plan is not None and notes.rate_from_plan and notes.provident_rate == plan.provident_fund_rate
            assert (notes.plan.surplus, notes.plan.provident_fund, notes.plan.distributable) == (
                plan.surplus, plan.provident_fund, plan.distributable)  # fmt: skip
    assert statement_notes(demo_session, cooperative, 2023).donations  # the demo's donated grading equipment
    assert statement_notes(demo_session, cooperative, 2024).support  # and 2024's subsidy for the sorting line


def test_an_item_s_text_is_kept_per_cooperative_and_year_and_replaced_with_its_history(demo_session: Session) -> None:
    cooperative = cooperative_named(demo_session, CHENLIANG)
    assert note_texts(demo_session, cooperative, 2024) == dict.fromkeys(range(1, 10), "")
    set_note(demo_session, cooperative, 2024, 1, "  本社执行《农民专业合作社会计制度》。\n")
    set_note(demo_session, cooperative, 2024, 7, "无未决诉讼。")
    note = set_note(demo_session, cooperative, 2024, 7, "无未决诉讼或仲裁事项。")
    texts = note_texts(demo_session, cooperative, 2024)
    assert texts[1] == "本社执行《农民专业合作社会计制度》。" and texts[7] == "无未决诉讼或仲裁事项。"
    assert note_texts(demo_session, cooperative, 2023)[1] == ""  # another year keeps its own
    assert statement_notes(demo_session, cooperative, 2024).texts == texts
    assert note.origin is Origin.MANUAL and note.version == 2  # rewritten once, the row version counts it
    rows = demo_session.scalars(select(StatementNote).where(StatementNote.cooperative_id == cooperative.id)).all()
    assert sorted(row.item for row in rows) == [1, 7]


def test_an_item_outside_one_to_nine_and_a_book_length_text_are_refused(demo_session: Session) -> None:
    cooperative = cooperative_named(demo_session, CHENLIANG)
    with pytest.raises(InvalidValue, match="no item 10"):
        set_note(demo_session, cooperative, 2024, 10, "文字")
    with pytest.raises(InvalidValue, match="20000 characters at most"):
        set_note(demo_session, cooperative, 2024, 4, "字" * 20_001)
    assert demo_session.scalars(select(StatementNote)).all() == []
