"""Who changed what is kept (SQLAlchemy-Continuum), and member accounts only ever grow."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy_continuum import version_class

from coopcore.db.audit import act_as
from coopcore.errors import AppendOnly
from coopcore.models import (
    AccountEntryKind,
    Cooperative,
    Member,
    MemberAccountEntry,
    MemberKind,
    Role,
    Township,
    Village,
)
from coopcore.services.users import authenticate, create_user


def make_member(session: Session) -> Member:
    village = Village(township=Township(name="审计镇"), name="审计村")
    cooperative = Cooperative(name="审计专业合作社", credit_code="93370602MA3AUDIT0X", village=village)
    member = Member(
        cooperative=cooperative,
        code="M01",
        name="王建国",
        kind=MemberKind.FARMER,
        id_number="11010519491231002X",
        joined_on=dt.date(2022, 1, 1),
    )
    session.add(member)
    session.flush()
    return member


def test_a_change_is_recorded_with_the_user_who_made_it_and_the_old_value(session: Session) -> None:
    admin = create_user(session, "auditor", "correct horse", Role.ADMIN)
    session.commit()
    act_as(session, admin.id)  # before the changes: the audit transaction starts with the first flush
    member = make_member(session)
    session.commit()  # Continuum keeps one version per member per transaction
    member.phone = "13800138000"
    session.commit()

    versions = session.scalars(
        select(version_class(Member)).where(version_class(Member).id == member.id).order_by("transaction_id")
    ).all()
    assert [v.phone for v in versions] == [None, "13800138000"]
    assert versions[-1].changeset["phone"] == [None, "13800138000"]
    assert [v.transaction.user_id for v in versions] == [admin.id, admin.id]


def test_the_password_hash_stays_out_of_the_audit_trail(session: Session) -> None:
    user = create_user(session, "clerk", "long enough pw", Role.ADMIN)
    assert "password_hash" not in version_class(type(user)).__table__.c
    assert user.password_hash.startswith("$argon2id$")
    assert authenticate(session, "clerk", "long enough pw") is user
    assert authenticate(session, "clerk", "wrong password") is None
    assert authenticate(session, "nobody", "long enough pw") is None


def add_contribution(session: Session) -> MemberAccountEntry:
    entry = MemberAccountEntry(
        member=make_member(session),
        entry_on=dt.date(2024, 1, 1),
        kind=AccountEntryKind.CONTRIBUTION_CASH,
        amount=Decimal("100.00"),
    )
    session.add(entry)
    session.flush()
    return entry


def test_a_member_account_entry_cannot_be_changed(session: Session) -> None:
    entry = add_contribution(session)
    entry.amount = Decimal("200.00")
    with pytest.raises(AppendOnly):
        session.flush()
    session.rollback()


def test_a_member_account_entry_cannot_be_deleted(session: Session) -> None:
    entry = add_contribution(session)
    session.delete(entry)
    with pytest.raises(AppendOnly):
        session.flush()
    session.rollback()
