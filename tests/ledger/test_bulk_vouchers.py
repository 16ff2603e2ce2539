"""Vouchers written in bulk (add_vouchers) on SQLite, PostgreSQL and MariaDB: the same books and audit versions as
add_voucher one by one, nothing written when anything is wrong, closed months refused, a voucher of 20,000 lines."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session
from sqlalchemy_continuum import version_class, versioning_manager

from coopcore.db.audit import act_as
from coopcore.errors import PeriodClosed
from coopcore.i18n import render_error
from coopcore.models import (
    Account,
    Cooperative,
    Member,
    MemberKind,
    Product,
    Role,
    Voucher,
    VoucherLine,
    VoucherOrigin,
    VoucherState,
)
from coopcore.services import ledger
from coopcore.services.ledger import Draft, VouchersRefused, add_vouchers
from coopcore.services.users import create_user
from tests.ledger.builders import AUDITOR, PREPARER, cr, day, dr, make_books

TRADE, DISTRIBUTION = VoucherOrigin.TRADE, VoucherOrigin.DISTRIBUTION


def drafts() -> list[Draft]:
    """Vouchers of three months, out of date order, with members, a product and poverty-relief assets."""
    return [
        Draft(
            day("2024-03-05"),
            "收购苹果",
            [
                dr("121", "300.00", product="苹果", quantity=Decimal("100"), unit_price=Decimal("3")),
                cr("114", "300.00", "M001"),
            ],
            TRADE,
            "trade:1",
        ),
        Draft(day("2024-01-20"), "收到投资", [dr("102", "5000.00"), cr("301", "5000.00", "M002")], TRADE, "trade:2"),
        Draft(
            day("2024-03-06"),
            "购置大棚",
            [dr("151", "800.00", poverty_asset=True), cr("102", "800.00")],
            TRADE,
            "trade:3",
        ),
        Draft(
            day("2024-02-01"),
            "分配",
            [dr("33201", "30.00"), cr("222", "10.00", "M001"), cr("222", "20.00", "M003")],
            DISTRIBUTION,
            "distribution:2023:1",
        ),
        Draft(
            day("2024-03-31"),
            "  销售苹果  ",
            [dr("102", "450.00", counterparty="果品公司"), cr("501", "450.00", project="苹果项目")],
            TRADE,
            "trade:4",
        ),
    ]


def with_books(session: Session, number: int) -> Cooperative:
    """Books that already hold one voucher in March, so that new numbers continue from it."""
    cooperative = make_books(session, number)
    ledger.add_voucher(session, cooperative, on=day("2024-03-01"), summary="已有", by=PREPARER,
                       lines=[dr("101", "5.00"), cr("102", "5.00")])  # fmt: skip
    return cooperative


def one_by_one(session: Session, cooperative: Cooperative, state: VoucherState) -> list[int]:
    ids = []
    for draft in drafts():
        voucher = ledger.add_voucher(session, cooperative, on=draft.on, summary=draft.summary, lines=draft.lines,
                                     by=ledger.SYSTEM, origin=draft.origin, source_ref=draft.source_ref)  # fmt: skip
        if state is VoucherState.POSTED:
            ledger.post_voucher(session, voucher, by=ledger.SYSTEM)
        ids.append(voucher.id)
    return ids


def books(session: Session, cooperative: Cooperative) -> tuple[list[Any], list[Any]]:
    """The vouchers and lines as they read, without ids: accounts and members by code."""
    session.expire_all()
    vouchers = session.execute(
        select(Voucher.year, Voucher.month, Voucher.number, Voucher.word, Voucher.voucher_date, Voucher.summary,
               Voucher.attachments, Voucher.state, Voucher.prepared_by, Voucher.audited_by, Voucher.posted_by,
               Voucher.posted_at.is_(None), Voucher.origin, Voucher.source_ref, Voucher.reverses_id, Voucher.version)
        .where(Voucher.cooperative_id == cooperative.id)
        .order_by(Voucher.year, Voucher.month, Voucher.number)
    ).all()  # fmt: skip
    lines = session.execute(
        select(VoucherLine.year, VoucherLine.month, Voucher.number, VoucherLine.line_no, Account.code,
               VoucherLine.summary, VoucherLine.debit, VoucherLine.credit, Member.code, VoucherLine.counterparty,
               Product.name, VoucherLine.project, VoucherLine.poverty_asset, VoucherLine.quantity,
               VoucherLine.unit_price)
        .join(Voucher, Voucher.id == VoucherLine.voucher_id)
        .join(Account, Account.id == VoucherLine.account_id)
        .outerjoin(Member, Member.id == VoucherLine.member_id)
        .outerjoin(Product, Product.id == VoucherLine.product_id)
        .where(VoucherLine.cooperative_id == cooperative.id)
        .order_by(VoucherLine.year, VoucherLine.month, Voucher.number, VoucherLine.line_no)
    ).all()  # fmt: skip
    return vouchers, lines


def versions(session: Session, cooperative: Cooperative) -> list[Any]:
    """The vouchers' audit versions as they read, without ids: who acted, what changed, which are still current."""
    session.flush()
    version, transaction = version_class(Voucher), versioning_manager.transaction_cls
    return session.execute(
        select(version.year, version.month, version.number, version.word, version.voucher_date, version.summary,
               version.attachments, version.state, version.prepared_by, version.audited_by, version.posted_by,
               version.posted_at.is_(None), version.origin, version.source_ref, version.reverses_id,
               version.operation_type, version.end_transaction_id.is_(None), transaction.user_id)
        .join(transaction, transaction.id == version.transaction_id)
        .where(version.cooperative_id == cooperative.id)
        .order_by(version.year, version.month, version.number, version.transaction_id)
    ).all()  # fmt: skip


def transactions(session: Session, cooperative: Cooperative, source_ref: str) -> list[tuple[int, int | None, int]]:
    """A voucher's versions: (transaction, the transaction that ended it, Continuum's operation)."""
    version = version_class(Voucher)
    query = (
        select(version.transaction_id, version.end_transaction_id, version.operation_type)
        .where(version.cooperative_id == cooperative.id, version.source_ref == source_ref)
        .order_by(version.transaction_id)
    )
    return [tuple(row) for row in session.execute(query)]


def post_the_manual_voucher(session: Session, cooperative: Cooperative) -> None:
    voucher = ledger.voucher_by_number(session, cooperative, 2024, 3, 1)
    ledger.audit_voucher(session, voucher, by=AUDITOR)
    ledger.post_voucher(session, voucher, by=AUDITOR)


def count(session: Session, cooperative: Cooperative) -> tuple[int | None, int | None]:
    return (
        session.scalar(select(func.count()).select_from(Voucher).where(Voucher.cooperative_id == cooperative.id)),
        session.scalar(
            select(func.count()).select_from(VoucherLine).where(VoucherLine.cooperative_id == cooperative.id)
        ),
    )


@pytest.mark.parametrize("state", [VoucherState.DRAFT, VoucherState.POSTED])
def test_vouchers_written_in_bulk_are_the_books_add_voucher_writes_one_by_one(
    session: Session, state: VoucherState
) -> None:
    session.add(Product(name="苹果"))
    single, bulk = with_books(session, 1), with_books(session, 2)
    single_ids = one_by_one(session, single, state)
    bulk_ids = add_vouchers(session, bulk, drafts(), state=state)

    assert books(session, bulk) == books(session, single)
    vouchers, lines = books(session, bulk)
    assert [(v.month, v.number) for v in vouchers] == [(1, 1), (2, 1), (3, 1), (3, 2), (3, 3), (3, 4)]
    assert len(lines) == 13 and len(bulk_ids) == len(single_ids) == 5
    # The ids come back in the drafts' order, each the voucher of its draft.
    summaries = [session.get_one(Voucher, voucher_id).summary for voucher_id in bulk_ids]
    assert summaries == [draft.summary.strip() for draft in drafts()]
    preview = state is VoucherState.DRAFT
    assert (
        ledger.trial_balance(session, bulk, 2024, include_unposted=preview).rows
        == ledger.trial_balance(session, single, 2024, include_unposted=preview).rows
    )
    assert ledger.trial_balance(session, bulk, 2024, include_unposted=preview).row("114").columns.credit == Decimal(
        "300.00"
    )
    if state is VoucherState.POSTED:
        assert ledger.detail_ledger(session, bulk, "222", 2024, "M003").closing == Decimal("-20.00")
        assert ledger.event_voucher(session, bulk, "trade:3") is not None
        # And the books close over them as over any other.
        post_the_manual_voucher(session, bulk)
        assert ledger.close_period(session, bulk, 2024, 3, by=AUDITOR).months == [(2024, 1), (2024, 2), (2024, 3)]


@pytest.mark.parametrize("state", [VoucherState.DRAFT, VoucherState.POSTED])
def test_vouchers_written_in_bulk_have_the_audit_versions_of_vouchers_written_one_by_one(
    session: Session, state: VoucherState
) -> None:
    clerk = create_user(session, "bulk-clerk", "long enough pw", Role.ADMIN)
    session.commit()
    act_as(session, clerk.id)  # before the first change: the audit transaction starts with it
    session.add(Product(name="苹果"))
    single, bulk = with_books(session, 1), with_books(session, 2)
    one_by_one(session, single, state)
    add_vouchers(session, bulk, drafts(), state=state)

    assert versions(session, bulk) == versions(session, single)
    found = versions(session, bulk)
    assert len(found) == 6 and {row.user_id for row in found} == {clerk.id}
    # Continuum keeps one version per voucher and transaction: written, or written and posted (an UPDATE of it).
    operations = [row.operation_type for row in found if row.origin is not VoucherOrigin.MANUAL]
    assert operations == [0 if state is VoucherState.DRAFT else 1] * 5


def test_a_voucher_written_in_bulk_then_changed_keeps_one_version_per_transaction(session: Session) -> None:
    cooperative = with_books(session, 1)
    session.add(Product(name="苹果"))
    add_vouchers(session, cooperative, drafts())
    [first] = transactions(session, cooperative, "trade:2")
    written = first[0]
    # Changed through the ORM in the same transaction: Continuum finds the version written in bulk.
    ledger.book_event(session, cooperative, origin=TRADE, source_ref="trade:2", on=day("2024-01-20"),
                      summary="收到投资款", lines=[dr("102", "5000.00"), cr("301", "5000.00", "M002")])  # fmt: skip
    assert transactions(session, cooperative, "trade:2") == [(written, None, 1)]
    session.commit()

    posted = ledger.event_voucher(session, cooperative, "trade:2")
    assert posted is not None
    ledger.post_voucher(session, posted, by=ledger.SYSTEM)  # a later transaction: a new version ends the first
    [(_, ended, _), (later, current, operation)] = transactions(session, cooperative, "trade:2")
    assert ended == later > written and (current, operation) == (None, 1)
    session.commit()

    # The close posts the month's event vouchers in one statement, each with its version.
    post_the_manual_voucher(session, cooperative)
    ledger.close_period(session, cooperative, 2024, 3, by=AUDITOR)
    [(_, ended, _), (closed, current, operation)] = transactions(session, cooperative, "trade:4")
    assert ended == closed > later and (current, operation) == (None, 1)
    assert [row.state for row in versions(session, cooperative) if row.source_ref == "trade:4"] == [
        VoucherState.DRAFT,
        VoucherState.POSTED,
    ]


def test_a_bad_draft_anywhere_writes_nothing_and_every_problem_is_named_with_its_draft(session: Session) -> None:
    cooperative = with_books(session, 1)
    before = count(session, cooperative)
    wrong = [
        *drafts()[1:],
        Draft(day("2024-04-01"), "错", [dr("102", "10.00"), cr("114", "9.00", "M999")], TRADE, "trade:9"),
        Draft(day("2024-04-02"), "重复", [dr("102", "1.00"), cr("501", "1.00")], TRADE, "trade:2"),
    ]
    with pytest.raises(VouchersRefused) as refused:
        add_vouchers(session, cooperative, wrong)
    assert count(session, cooperative) == before
    found = [(finding.row, finding.rule) for finding in refused.value.findings]
    assert found == [(1, "bulk_source"), (5, "line_member"), (5, "voucher_balance"), (6, "bulk_source")]
    message = render_error(refused.value, "zh")
    assert message.startswith("凭证均未保存：6张中有3张有问题。其中第一张（同批第1张，日期2024-01-20）"), message
    assert "业务trade:2已有凭证" in message

    # A voucher of a person's is audited before it is posted, as post_voucher has it.
    manual = [Draft(day("2024-04-01"), "取现", [dr("101", "5.00"), cr("102", "5.00")])]
    with pytest.raises(VouchersRefused) as refused:
        add_vouchers(session, cooperative, manual, state=VoucherState.POSTED)
    assert "须先审核再记账" in render_error(refused.value, "zh")
    assert count(session, cooperative) == before


def test_a_closed_month_is_refused_and_nothing_is_written(session: Session) -> None:
    cooperative = with_books(session, 1)
    add_vouchers(session, cooperative, drafts()[1:2], state=VoucherState.POSTED)
    post_the_manual_voucher(session, cooperative)
    ledger.close_period(session, cooperative, 2024, 3, by=AUDITOR)
    before = count(session, cooperative)
    later = Draft(day("2024-04-01"), "四月", [dr("101", "5.00"), cr("102", "5.00")], TRADE, "trade:40")
    with pytest.raises(PeriodClosed):
        add_vouchers(session, cooperative, [later, replace(later, on=day("2024-03-31"), source_ref="trade:41")])
    assert count(session, cooperative) == before


def test_a_voucher_of_twenty_thousand_lines_is_written_and_posted(session: Session) -> None:
    cooperative = make_books(session, members=0)
    codes = [f"M{number:05d}" for number in range(1, 20_000)]
    session.execute(
        insert(Member),
        [{"cooperative_id": cooperative.id, "code": code, "name": code, "kind": MemberKind.FARMER,
          "id_number": f"3706021960{number:08d}", "joined_on": day("2020-01-01")}
         for number, code in enumerate(codes, start=1)],
    )  # fmt: skip
    lines = [cr("222", "1.25", code) for code in codes]
    lines.append(dr("33201", str(Decimal("1.25") * len(codes))))
    draft = Draft(day("2024-12-31"), "盈余返还", lines, DISTRIBUTION, "distribution:2024:1")
    [voucher_id] = add_vouchers(session, cooperative, [draft], state=VoucherState.POSTED)
    voucher = session.get_one(Voucher, voucher_id)
    assert (voucher.state, voucher.number, len(voucher.lines)) == (VoucherState.POSTED, 1, 20_000)
    assert [line.line_no for line in voucher.lines] == list(range(1, 20_001))
    balances = ledger.member_balances(session, cooperative, "222", 2024)
    assert len(balances) == 19_999 and set(balances.values()) == {Decimal("-1.25")}
