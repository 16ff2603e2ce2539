"""Who changed what is kept (SQLAlchemy-Continuum), and member accounts only ever grow."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from sqlalchemy_continuum import version_class, versioning_manager

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
    User,
    Village,
)
from coopcore.services.users import authenticate, create_user
from tests.workbook.builders import cooperative_code


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


def test_a_change_of_a_users_cooperatives_alone_is_kept_as_link_rows_and_not_as_a_user_version(
    session: Session,
) -> None:
    admin = create_user(session, "auditor", "correct horse", Role.ADMIN)
    first = make_member(session).cooperative
    second = Cooperative(name="审计二社", credit_code=cooperative_code(78), village=first.village)
    session.add(second)
    clerk = create_user(session, "clerk", "long enough pw", Role.ACCOUNTANT, cooperatives=[first])
    session.commit()
    act_as(session, admin.id)
    clerk.cooperatives = [second]
    session.commit()

    links = next(t for t in versioning_manager.association_version_tables if t.name == "user_cooperative_version")
    last = session.scalar(select(func.max(links.c.transaction_id)).where(links.c.user_id == clerk.id))
    changed = session.execute(
        select(links.c.cooperative_id, links.c.operation_type)
        .where(links.c.user_id == clerk.id, links.c.transaction_id == last)
        .order_by(links.c.operation_type)
    ).all()
    assert [tuple(row) for row in changed] == [(second.id, 0), (first.id, 2)]  # added, removed
    assert session.get(versioning_manager.transaction_cls, last).user_id == admin.id
    # The user's own row did not change, so Continuum keeps no user version for it: the admin's audit log
    # shows the link rows as the user's change (admin.views.audit.LINKS).
    users = version_class(User)
    assert session.scalar(select(func.count()).where(users.id == clerk.id, users.transaction_id == last)) == 0
