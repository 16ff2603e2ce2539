"""A cooperative with members for the books' tests, and lines written the short way."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy.orm import Session

from coopcore.models import Cooperative, Member, MemberKind, Township, Village
from coopcore.rules.ledger import EntryLine
from tests.workbook.builders import cooperative_code

FARMER_IDS = ["11010519491231002X", "360426199101010071", "370602199001011239", "370611196005051230",
              "370671198505051240"]  # fmt: skip
PREPARER, AUDITOR = "张会计", "李审核"


def make_books(session: Session, number: int = 1, *, members: int = 3, **settings: bool) -> Cooperative:
    """A cooperative with members M001… and the given ledger settings; its books are not used yet."""
    village = Village(township=Township(name=f"账簿镇{number}"), name=f"账簿村{number}")
    cooperative = Cooperative(name=f"账簿{number}号合作社", credit_code=cooperative_code(number + 700),
                              village=village, **settings)  # fmt: skip
    session.add(cooperative)
    session.flush()
    for index in range(members):
        session.add(Member(cooperative_id=cooperative.id, code=f"M{index + 1:03d}", name=f"成员{index + 1}",
                           kind=MemberKind.FARMER, id_number=FARMER_IDS[index % len(FARMER_IDS)],
                           joined_on=dt.date(2020, 1, 1)))  # fmt: skip
    session.flush()
    return cooperative


def dr(account: str, amount: str, member: str | None = None, **aux: object) -> EntryLine:
    return EntryLine(account, debit=Decimal(amount), member=member, **aux)  # type: ignore[arg-type]


def cr(account: str, amount: str, member: str | None = None, **aux: object) -> EntryLine:
    return EntryLine(account, credit=Decimal(amount), member=member, **aux)  # type: ignore[arg-type]


def day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)
