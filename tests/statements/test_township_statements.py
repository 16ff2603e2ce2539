"""A township's roll-up (汇总表): its cooperatives' statements added up, a member cooperative's investment in a
federation of the township counted once, the years not closed named, and 万元 by its rounding rule."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy.orm import Session

from coopcore.models import AccountEntryKind, Cooperative, Member, MemberAccountEntry, MemberKind
from coopcore.rules.statements.rollup import in_wan
from coopcore.services import ledger
from coopcore.services.ledger.sync import book_record
from coopcore.services.statements import statements
from coopcore.services.statements.township import township_statements
from tests.ledger.builders import AUDITOR, cr, dr, make_books
from tests.statements.identities import assert_identities
from tests.statements.test_statements import posted
from tests.workbook.builders import cooperative_code

D = Decimal


def test_a_township_adds_up_its_cooperatives_and_counts_an_investment_in_its_federation_once(
    session: Session,
) -> None:
    first = make_books(session, 1)
    township, village = first.village.township, first.village
    second = Cooperative(name="账簿2号合作社", credit_code=cooperative_code(702), village=village)
    federation = Cooperative(name="账簿联合社", credit_code=cooperative_code(703), village=village, is_federation=True)
    session.add_all([second, federation])
    session.flush()
    session.add(Member(cooperative_id=federation.id, code="S01", name=first.name, kind=MemberKind.COOPERATIVE,
                       id_number=first.credit_code, joined_on=dt.date(2023, 1, 1),
                       member_cooperative_id=first.id))  # fmt: skip
    session.flush()
    posted(session, first, "2023-02-01", dr("102", "50000.00"), cr("301", "50000.00", "M001"))
    # 账簿1号 puts 30,000.00 into the federation: its 对外投资 and the federation's 股金 are the same money.
    posted(session, first, "2024-03-01", dr("131", "30000.00"), cr("102", "30000.00"))
    posted(session, federation, "2024-03-01", dr("102", "30000.00"), cr("301", "30000.00", "S01"))
    posted(session, second, "2024-05-01", dr("102", "8000.00"), cr("501", "8000.00"))
    ledger.close_period(session, first, 2024, 12, by=AUDITOR)
    rolled = township_statements(session, township, 2024)
    found = rolled.statements
    assert rolled.cooperatives == sorted(c.credit_code for c in (first, second, federation))
    assert rolled.not_closed == sorted([second.credit_code, federation.credit_code])
    assert (rolled.counted_once, rolled.unmatched) == (D("30000.00"), D("0.00"))
    # 货币资金 50,000 − 30,000 + 30,000 + 8,000; the investment out of line 6 and out of 股金.
    assert (found.closing[1], found.closing[6], found.closing[36]) == (D("58000.00"), 0, D("50000.00"))
    assert found.closing[22] == found.closing[42] == D("58000.00") and found.this_year[12] == D("8000.00")
    assert found.equity.increase["share_capital"]["member_contributions"] == 0  # the federation's increase, out
    parts = [statements(session, cooperative, 2024) for cooperative in (first, second, federation)]
    assert found.closing[1] == sum((part.closing[1] for part in parts), D(0))
    assert_identities(found)


def test_a_contribution_recorded_in_the_federation_is_booked_in_both_books_and_counted_once(session: Session) -> None:
    first = make_books(session, 1)
    township, village = first.village.township, first.village
    federation = Cooperative(name="账簿联合社", credit_code=cooperative_code(703), village=village, is_federation=True)
    session.add(federation)
    session.flush()
    member = Member(cooperative_id=federation.id, code="S01", name=first.name, kind=MemberKind.COOPERATIVE,
                    id_number=first.credit_code, joined_on=dt.date(2023, 1, 1),
                    member_cooperative_id=first.id)  # fmt: skip
    session.add(member)
    session.flush()
    posted(session, first, "2023-02-01", dr("102", "50000.00"), cr("301", "50000.00", "M001"))
    # Only the federation's member account is written (its admin form): both books follow from it.
    entry = MemberAccountEntry(member_id=member.id, entry_on=dt.date(2024, 3, 1), amount=D("30000.00"),
                               kind=AccountEntryKind.CONTRIBUTION_CASH, memo="成员社货币出资")  # fmt: skip
    session.add(entry)
    book_record(session, entry)
    for cooperative in (first, federation):
        ledger.close_period(session, cooperative, 2024, 12, by=AUDITOR)
    rolled = township_statements(session, township, 2024)
    assert (rolled.counted_once, rolled.unmatched, rolled.not_closed) == (D("30000.00"), D("0.00"), [])
    found = rolled.statements
    # 货币资金 50,000 − 30,000 + 30,000; the investment out of line 6 and of 股金, which keeps the members' 50,000.
    assert (found.closing[1], found.closing[6], found.closing[36]) == (D("50000.00"), 0, D("50000.00"))
    assert statements(session, first, 2024).closing[6] == D("30000.00")
    assert_identities(found)


@pytest.mark.parametrize(
    ("yuan", "wan"),
    [("12345.00", "1.23"), ("15000.00", "1.50"), ("50.00", "0.01"), ("49.99", "0.00"), ("-50.00", "-0.01")],
)
def test_amounts_in_wan_round_half_up_each_on_its_own(yuan: str, wan: str) -> None:
    assert in_wan(D(yuan)) == D(wan)
