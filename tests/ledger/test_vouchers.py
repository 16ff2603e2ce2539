"""Vouchers on SQLite, PostgreSQL and MariaDB: the chart, gapless numbers, refused lines, audit by another person,
posting, and red reversals (issue 15)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from coopcore.errors import NotFound, PeriodClosed
from coopcore.i18n import render_error
from coopcore.models import Account, AccountClass, Side, Voucher, VoucherOrigin, VoucherState
from coopcore.rules.ledger import EntryLine
from coopcore.services import ledger
from coopcore.services.ledger.errors import (
    AccountCodeNotDigits,
    AccountCodeNotUnder,
    AccountCodeTaken,
    AlreadyReversed,
    EventVoucher,
    ReversalOfReversal,
    ReversalTooEarly,
    ReviewFirst,
    SelfAudit,
    WrongVoucherState,
)
from tests.ledger.builders import AUDITOR, PREPARER, cr, day, dr, make_books

D = Decimal


def posted(session: Session, cooperative: object, on: str, *lines: object, summary: str = "凭证") -> Voucher:
    voucher = ledger.add_voucher(session, cooperative, on=day(on), summary=summary, lines=lines, by=PREPARER)  # type: ignore[arg-type]
    ledger.audit_voucher(session, voucher, by=AUDITOR)
    return ledger.post_voucher(session, voucher, by=AUDITOR)


def numbers(session: Session, cooperative_id: int, year: int, month: int) -> list[tuple[int, str]]:
    session.expire_all()
    return list(
        session.execute(
            select(Voucher.number, Voucher.summary)
            .where(Voucher.cooperative_id == cooperative_id, Voucher.year == year, Voucher.month == month)
            .order_by(Voucher.number)
        )
    )


# ----- the chart ----------------------------------------------------------------------------------------------
def test_a_cooperative_gets_the_2021_chart_the_first_time_its_books_are_used_and_only_once(session: Session) -> None:
    cooperative = make_books(session)
    assert session.scalar(select(func.count()).select_from(Account)
                          .where(Account.cooperative_id == cooperative.id)) == 0  # fmt: skip
    accounts = ledger.accounts_by_code(session, cooperative)
    assert len(accounts) == 52  # the 48 accounts, the optional 109 and 122, 332's two second-level accounts
    assert accounts["33201"].name == "各项分配" and accounts["33202"].name == "未分配盈余"
    assert accounts["33201"].parent is accounts["332"] and accounts["33202"].parent is accounts["332"]
    assert accounts["114"].member_detail and accounts["151"].poverty_split and accounts["114"].side is Side.DEBIT
    assert ledger.seed_chart(session, cooperative) == []  # idempotent
    assert len(ledger.accounts_by_code(session, cooperative)) == 52


def test_a_detail_account_inherits_its_parent_and_takes_the_bookings_its_parent_no_longer_takes(
    session: Session,
) -> None:
    cooperative = make_books(session)
    apples = ledger.add_account(session, cooperative, "50101", "苹果销售", "501")
    assert (apples.account_class, apples.side, apples.parent.code) == (AccountClass.INCOME, Side.CREDIT, "501")  # type: ignore[union-attr]
    members = ledger.add_account(session, cooperative, "11401", "本村成员", "114")
    assert members.member_detail
    with pytest.raises(AccountCodeNotUnder):
        ledger.add_account(session, cooperative, "50201", "梨", "501")
    with pytest.raises(AccountCodeNotUnder):
        ledger.add_account(session, cooperative, "50", "梨", "501")
    with pytest.raises(AccountCodeTaken):
        ledger.add_account(session, cooperative, "50101", "梨", "501")
    with pytest.raises(AccountCodeNotDigits):
        ledger.add_account(session, cooperative, "501A", "梨", "501")
    with pytest.raises(NotFound):
        ledger.add_account(session, cooperative, "99901", "梨", "999")
    with pytest.raises(ledger.VoucherRefused) as refused:
        ledger.add_voucher(session, cooperative, on=day("2024-03-01"), summary="销售",
                           lines=[dr("102", "10.00"), cr("501", "10.00")], by=PREPARER)  # fmt: skip
    assert "科目501设有明细科目" in render_error(refused.value, "zh")
    ledger.add_voucher(session, cooperative, on=day("2024-03-01"), summary="销售",
                       lines=[dr("102", "10.00"), cr("50101", "10.00")], by=PREPARER)  # fmt: skip


# ----- numbers ------------------------------------------------------------------------------------------------
def test_numbers_stay_gapless_per_month_after_deletes_and_moves_posted_vouchers_included(session: Session) -> None:
    cooperative = make_books(session)
    lines = [dr("101", "5.00"), cr("102", "5.00")]
    first = ledger.add_voucher(session, cooperative, on=day("2024-03-01"), summary="一", lines=lines, by=PREPARER)
    second = ledger.add_voucher(session, cooperative, on=day("2024-03-02"), summary="二", lines=lines, by=PREPARER)
    posted(session, cooperative, "2024-03-03", *lines, summary="三")
    ledger.add_voucher(session, cooperative, on=day("2024-03-04"), summary="四", lines=lines, by=PREPARER)
    ledger.add_voucher(session, cooperative, on=day("2024-04-01"), summary="四月一", lines=lines, by=PREPARER)
    assert numbers(session, cooperative.id, 2024, 3) == [(1, "一"), (2, "二"), (3, "三"), (4, "四")]

    ledger.delete_voucher(session, second)
    assert numbers(session, cooperative.id, 2024, 3) == [(1, "一"), (2, "三"), (3, "四")]

    ledger.change_voucher(session, first, by=PREPARER, on=day("2024-04-15"))
    assert numbers(session, cooperative.id, 2024, 3) == [(1, "三"), (2, "四")]
    assert numbers(session, cooperative.id, 2024, 4) == [(1, "四月一"), (2, "一")]
    assert {(line.year, line.month) for line in first.lines} == {(2024, 4)}

    ledger.change_voucher(session, first, by=PREPARER, on=day("2024-03-20"), summary="一改")
    assert numbers(session, cooperative.id, 2024, 3) == [(1, "三"), (2, "四"), (3, "一改")]
    assert numbers(session, cooperative.id, 2024, 4) == [(1, "四月一")]


# ----- refused lines ------------------------------------------------------------------------------------------
REFUSED = [
    ([dr("102", "100.00"), cr("501", "99.00")], "借方合计100.00不等于贷方合计99.00（差额1.00），借贷不平衡"),
    ([dr("102", "100.00"), dr("521", "100.00")], "借方合计200.00不等于贷方合计0.00"),
    ([dr("102", "100.00")], "一张凭证至少要有两行分录，现在只有1行"),
    ([EntryLine("102", D("5.00"), D("5.00")), cr("501", "5.00")], "第1行：金额只能填在借方或贷方其中一方"),
    ([dr("102", "5.00"), cr("501", "-5.00")], "第2行：金额-5.00为负数，请改填在另一方"),
    ([dr("102", "5.005"), cr("501", "5.005")], "第1行：金额5.005超过2位小数"),
    ([dr("102", "5.00"), cr("114", "5.00")], "第2行：科目114按成员明细核算，请填写成员"),
    ([dr("102", "5.00", "M001"), cr("501", "5.00")], "第1行：科目102不按成员核算，请去掉成员M001"),
    ([dr("102", "5.00"), cr("114", "5.00", "M999")], "第2行：M999不是本社成员"),
    ([dr("151", "5.00"), cr("102", "5.00")], "第1行：科目151须区分是否属于扶贫项目资产"),
    ([dr("102", "5.00", poverty_asset=True), cr("501", "5.00")], "第1行：科目102不区分扶贫项目资产"),
    ([dr("999", "5.00"), cr("501", "5.00")], "第1行：本社会计科目中没有科目999"),
    ([dr("121", "5.00", product="没有的产品"), cr("114", "5.00", "M001")], "第1行：没有产品“没有的产品”"),
]


@pytest.mark.parametrize(("lines", "chinese"), REFUSED, ids=[str(n) for n in range(len(REFUSED))])
def test_a_wrong_voucher_is_refused_with_every_problem_in_chinese_and_nothing_is_written(
    session: Session, lines: list[EntryLine], chinese: str
) -> None:
    cooperative = make_books(session)
    with pytest.raises(ledger.VoucherRefused) as refused:
        ledger.add_voucher(session, cooperative, on=day("2024-03-01"), summary="错", lines=lines, by=PREPARER)
    message = render_error(refused.value, "zh")
    assert message.startswith("凭证未保存：") and chinese in message, message
    count = select(func.count()).select_from(Voucher).where(Voucher.cooperative_id == cooperative.id)
    assert session.scalar(count) == 0


def test_every_problem_of_a_voucher_is_reported_at_once(session: Session) -> None:
    cooperative = make_books(session)
    lines = [dr("114", "5.00"), cr("999", "5.00"), cr("501", "1.00")]
    with pytest.raises(ledger.VoucherRefused) as refused:
        ledger.add_voucher(session, cooperative, on=day("2024-03-01"), summary="错", lines=lines, by=PREPARER)
    assert [finding.rule for finding in refused.value.findings] == ["line_member", "line_account", "voucher_balance"]


# ----- audit and post -----------------------------------------------------------------------------------------
def test_the_preparer_cannot_audit_their_own_voucher_unless_the_cooperative_allows_one_person(
    session: Session,
) -> None:
    cooperative = make_books(session)
    lines = [dr("101", "5.00"), cr("102", "5.00")]
    voucher = ledger.add_voucher(session, cooperative, on=day("2024-03-01"), summary="取现", lines=lines, by=PREPARER)
    with pytest.raises(SelfAudit) as refused:
        ledger.audit_voucher(session, voucher, by=PREPARER)
    assert "须由他人审核" in render_error(refused.value, "zh")
    assert voucher.state is VoucherState.DRAFT

    alone = make_books(session, 2, ledger_single_person=True)
    voucher = ledger.add_voucher(session, alone, on=day("2024-03-01"), summary="取现", lines=lines, by=PREPARER)
    ledger.audit_voucher(session, voucher, by=PREPARER)
    assert (voucher.state, voucher.prepared_by, voucher.audited_by) == (VoucherState.AUDITED, PREPARER, PREPARER)


def test_a_manual_voucher_is_audited_before_it_is_posted_and_an_audited_one_is_only_sent_back(
    session: Session,
) -> None:
    cooperative = make_books(session)
    lines = [dr("101", "5.00"), cr("102", "5.00")]
    voucher = ledger.add_voucher(session, cooperative, on=day("2024-03-01"), summary="取现", lines=lines, by=PREPARER)
    with pytest.raises(WrongVoucherState) as refused:
        ledger.post_voucher(session, voucher, by=AUDITOR)
    assert render_error(refused.value, "zh") == "凭证2024-03 记-1的状态为“未审核”，不能记账。"
    ledger.audit_voucher(session, voucher, by=AUDITOR)
    for change in (lambda: ledger.change_voucher(session, voucher, by=PREPARER, summary="改"),
                   lambda: ledger.delete_voucher(session, voucher)):  # fmt: skip
        with pytest.raises(WrongVoucherState):
            change()
    ledger.unaudit_voucher(session, voucher, by=AUDITOR)
    assert (voucher.state, voucher.audited_by) == (VoucherState.DRAFT, "")
    ledger.audit_voucher(session, voucher, by=AUDITOR)
    ledger.post_voucher(session, voucher, by=AUDITOR)
    assert (voucher.state, voucher.posted_by) == (VoucherState.POSTED, AUDITOR) and voucher.posted_at is not None


def test_a_posted_voucher_never_changes_through_the_service(session: Session) -> None:
    cooperative = make_books(session)
    voucher = posted(session, cooperative, "2024-03-01", dr("101", "5.00"), cr("102", "5.00"))
    for change in (
        lambda: ledger.change_voucher(session, voucher, by=PREPARER, summary="改"),
        lambda: ledger.delete_voucher(session, voucher),
        lambda: ledger.audit_voucher(session, voucher, by=AUDITOR),
        lambda: ledger.unaudit_voucher(session, voucher, by=AUDITOR),
        lambda: ledger.post_voucher(session, voucher, by=AUDITOR),
    ):
        with pytest.raises(WrongVoucherState):
            change()
    assert voucher.state is VoucherState.POSTED and voucher.summary == "凭证"


# ----- reversal -----------------------------------------------------------------------------------------------
def test_a_posted_voucher_is_corrected_by_one_posted_red_reversal_that_cancels_it(session: Session) -> None:
    cooperative = make_books(session)
    voucher = posted(session, cooperative, "2024-03-05", dr("102", "800.00"), cr("114", "800.00", "M001"),
                     summary="收回欠款")  # fmt: skip
    with pytest.raises(ReversalTooEarly):
        ledger.reverse_voucher(session, voucher, on=day("2024-03-04"), by=AUDITOR)
    reversal = ledger.reverse_voucher(session, voucher, on=day("2024-04-02"), by=AUDITOR)
    assert (reversal.state, reversal.reverses_id, reversal.year, reversal.month, reversal.number) == (
        VoucherState.POSTED, voucher.id, 2024, 4, 1)  # fmt: skip
    assert reversal.summary == "冲销：收回欠款" and reversal.origin is VoucherOrigin.MANUAL
    assert [(line.debit, line.credit, line.member_id is not None) for line in reversal.lines] == [
        (D("0.00"), D("800.00"), False), (D("800.00"), D("0.00"), True)]  # fmt: skip
    with pytest.raises(AlreadyReversed):
        ledger.reverse_voucher(session, voucher, on=day("2024-04-03"), by=AUDITOR)
    with pytest.raises(ReversalOfReversal):
        ledger.reverse_voucher(session, reversal, on=day("2024-04-03"), by=AUDITOR)
    balance = ledger.trial_balance(session, cooperative, 2024)
    assert balance.row("102").columns.closing == 0 and balance.row("114").columns.closing == 0
    # Written the accountant's way: the reversal is −800 on the side it cancels, so the year moved nothing.
    assert (balance.row("102").columns.debit, balance.row("102").columns.credit) == (D("0.00"), D("0.00"))
    april = ledger.trial_balance(session, cooperative, 2024, 4)
    assert (april.row("102").columns.debit, april.row("114").columns.credit) == (D("-800.00"), D("-800.00"))
    assert april.balanced


def test_nothing_is_written_into_a_closed_month(session: Session) -> None:
    cooperative = make_books(session)
    voucher = posted(session, cooperative, "2024-03-05", dr("101", "5.00"), cr("102", "5.00"))
    draft = ledger.add_voucher(session, cooperative, on=day("2024-04-01"), summary="草稿",
                               lines=[dr("101", "5.00"), cr("102", "5.00")], by=PREPARER)  # fmt: skip
    ledger.close_period(session, cooperative, 2024, 3, by=AUDITOR)
    with pytest.raises(PeriodClosed) as refused:
        ledger.add_voucher(session, cooperative, on=day("2024-03-31"), summary="补",
                           lines=[dr("101", "5.00"), cr("102", "5.00")], by=PREPARER)  # fmt: skip
    assert render_error(refused.value, "zh") == f"{cooperative.name}的2024-03期间已结账：不能再记账、修改或删除。"
    with pytest.raises(PeriodClosed):  # months close in order: one before a closed month is closed too
        ledger.add_voucher(session, cooperative, on=day("2023-11-30"), summary="补",
                           lines=[dr("101", "5.00"), cr("102", "5.00")], by=PREPARER)  # fmt: skip
    with pytest.raises(PeriodClosed):
        ledger.change_voucher(session, draft, by=PREPARER, on=day("2024-03-31"))
    with pytest.raises(PeriodClosed):
        ledger.reverse_voucher(session, voucher, on=day("2024-03-31"), by=AUDITOR)
    ledger.reverse_voucher(session, voucher, on=day("2024-04-01"), by=AUDITOR)


def test_an_event_voucher_posts_straight_unless_the_cooperative_reviews_them_and_people_do_not_edit_it(
    session: Session,
) -> None:
    for number, review in ((1, False), (2, True)):
        cooperative = make_books(session, number, ledger_review_events=review)
        voucher = ledger.book_event(session, cooperative, origin=VoucherOrigin.TRADE, source_ref="trade:1",
                                    on=day("2024-03-01"), summary="交售",
                                    lines=[dr("121", "30.00"), cr("114", "30.00", "M001")])  # fmt: skip
        assert voucher is not None and voucher.prepared_by == ledger.SYSTEM
        with pytest.raises(EventVoucher):
            ledger.change_voucher(session, voucher, by=PREPARER, summary="改")
        with pytest.raises(EventVoucher):
            ledger.delete_voucher(session, voucher)
        if review:
            with pytest.raises(ReviewFirst):
                ledger.post_voucher(session, voucher, by=AUDITOR)
            ledger.audit_voucher(session, voucher, by=AUDITOR)
        ledger.post_voucher(session, voucher, by=AUDITOR)
        assert voucher.state is VoucherState.POSTED
