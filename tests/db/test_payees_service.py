"""Setting a household's payee details on SQLite, PostgreSQL and MariaDB: checked, compacted, kept in the audit
trail, and listed while missing or unchecked."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy_continuum import version_class

from coopcore.errors import InvalidValue
from coopcore.models import Cooperative, Member, MemberKind, Township, Village
from coopcore.rules.payees import NOT_THE_HEAD
from coopcore.services.payees import CheckedInFuture, payees, payees_not_ready, set_payee
from coopcore.validation.problems import CardChecksumFails
from tests.workbook.builders import cooperative_code

CARD = "6205500000000000004"  # a UnionPay test card that passes its check digit
CHECKED = dt.date(2025, 3, 1)


def make_roster(session: Session) -> tuple[Cooperative, list[Member]]:
    """A cooperative of three households: 王建国 (head 王建国), 李秀英 (head 李大山), 张立新 (no head)."""
    village = Village(township=Township(name="收款镇"), name="收款村")
    cooperative = Cooperative(name="收款专业合作社", credit_code=cooperative_code(61), village=village)
    people = [("M01", "王建国", "王建国", "11010519491231002X"), ("M02", "李秀英", "李大山", "360426199101010071"),
              ("M03", "张立新", None, "370602199001011239")]  # fmt: skip
    members = [
        Member(
            cooperative=cooperative,
            code=code,
            name=name,
            household_head=head,
            kind=MemberKind.FARMER,
            id_number=id_number,
            joined_on=dt.date(2022, 1, 1),
        )
        for code, name, head, id_number in people
    ]
    session.add_all(members)
    session.flush()
    return cooperative, members


def test_a_card_is_stored_compact_and_checked_with_no_warning_for_the_head(session: Session) -> None:
    _, (wang, *_) = make_roster(session)
    warnings = set_payee(session, wang, bank=" 烟台农商银行福山支行 ", account="6205 5000 0000 0000 004", name="王建国",
                         checked_on=CHECKED)  # fmt: skip
    assert warnings == []
    session.expire_all()
    stored = session.get_one(Member, wang.id)
    assert (stored.payee_bank, stored.payee_account, stored.payee_name) == ("烟台农商银行福山支行", CARD, "王建国")
    assert stored.payee_checked and stored.payee_checked_on == CHECKED


def test_a_holder_other_than_the_head_is_stored_with_a_warning(session: Session) -> None:
    _, (_, li, _) = make_roster(session)
    [warning] = set_payee(session, li, bank="邮储银行", account=CARD, name="李小军")
    assert warning.template == NOT_THE_HEAD and not warning.blocking
    assert "李小军" in warning.message("zh") and "户主李大山" in warning.message("zh")
    assert li.payee_name == "李小军" and li.payee_account == CARD
    assert not li.payee_checked and li.payee_checked_on is None  # stored without a day: not checked


def test_a_mistyped_card_or_a_part_missing_changes_nothing(session: Session) -> None:
    _, (wang, *_) = make_roster(session)
    set_payee(session, wang, bank="邮储银行", account=CARD, name="王建国", checked_on=CHECKED)
    with pytest.raises(CardChecksumFails):
        set_payee(session, wang, bank="农商银行", account="6205500000000000005", name="王建国")
    with pytest.raises(InvalidValue, match="go together"):
        set_payee(session, wang, bank="农商银行", account="", name="王建国")
    with pytest.raises(CheckedInFuture):
        set_payee(session, wang, bank="农商银行", account=CARD, name="王建国", checked_on=dt.date(2025, 3, 2),
                  today=dt.date(2025, 3, 1))  # fmt: skip
    assert (wang.payee_bank, wang.payee_account, wang.payee_checked_on) == ("邮储银行", CARD, CHECKED)


def test_a_passbook_account_is_taken_without_a_card_check_and_blanks_clear_the_details(session: Session) -> None:
    _, (wang, *_) = make_roster(session)
    set_payee(session, wang, bank="农商银行", account="6205500000000000005", name="王建国", card=False,
              checked_on=CHECKED)  # fmt: skip
    assert wang.payee_account == "6205500000000000005" and wang.payee_checked
    assert set_payee(session, wang, bank=" ", account=None, name="") == []
    assert (wang.payee_bank, wang.payee_account, wang.payee_name) == (None, None, None)
    assert not wang.payee_checked and wang.payee_checked_on is None


def test_a_changed_account_without_a_day_is_no_longer_checked(session: Session) -> None:
    _, (wang, *_) = make_roster(session)
    set_payee(session, wang, bank="邮储银行", account=CARD, name="王建国", checked_on=CHECKED)
    set_payee(session, wang, bank="邮储银行", account="6200000000000005", name="王建国")
    assert not wang.payee_checked and wang.payee_checked_on is None


def test_members_whose_details_are_missing_or_unchecked_are_listed_by_code(session: Session) -> None:
    cooperative, (wang, li, zhang) = make_roster(session)
    set_payee(session, wang, bank="邮储银行", account=CARD, name="王建国", checked_on=CHECKED)
    set_payee(session, li, bank="邮储银行", account="0200001201001234567", name="李小军")
    everyone = payees(session, cooperative)
    assert [payee.code for payee in everyone] == ["M01", "M02", "M03"]
    assert [payee.masked_account for payee in everyone] == ["6205 **** **** *** 0004", "0200 **** **** *** 4567", ""]
    assert [len(payee.warnings) for payee in everyone] == [0, 1, 0]
    not_ready = payees_not_ready(session, cooperative)
    assert [(payee.code, payee.is_missing) for payee in not_ready] == [("M02", False), ("M03", True)]
    assert payees_not_ready(session, cooperative, member_ids=[wang.id, zhang.id])[0].member_id == zhang.id


def test_every_change_of_the_payee_details_is_kept_in_the_audit_trail(session: Session) -> None:
    _, (wang, *_) = make_roster(session)
    session.commit()
    set_payee(session, wang, bank="邮储银行", account=CARD, name="王建国")
    session.commit()
    set_payee(session, wang, bank="邮储银行", account="6200000000000005", name="王建国", checked_on=CHECKED)
    session.commit()
    versions = session.scalars(
        select(version_class(Member)).where(version_class(Member).id == wang.id).order_by("transaction_id")
    ).all()
    assert [v.payee_account for v in versions] == [None, CARD, "6200000000000005"]
    assert [v.payee_checked_on for v in versions] == [None, None, CHECKED]
