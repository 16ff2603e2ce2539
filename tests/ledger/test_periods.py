"""结账 and 反结账 on every backend, with what GoodERP's users reported (lessons-from-peers.md): closes that went
through unbalanced, voided vouchers that blocked the close, balances carried wrongly from month to month."""

from __future__ import annotations

import itertools
from decimal import Decimal

import pytest
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from coopcore.errors import PeriodClosed
from coopcore.i18n import render_error
from coopcore.models import Cooperative, Period, PeriodState, Voucher, VoucherOrigin, VoucherState
from coopcore.rules.ledger import EntryLine
from coopcore.services import ledger
from coopcore.services.ledger.errors import AlreadyClosed, NothingClosed, ReopenRefused
from tests.ledger.builders import AUDITOR, PREPARER, cr, day, dr, make_books

D = Decimal
PROFIT_AND_LOSS = ("501", "502", "511", "521", "522", "523", "524", "529", "531")


def posted(session: Session, cooperative: Cooperative, on: str, *lines: EntryLine, summary: str = "凭证") -> Voucher:
    voucher = ledger.add_voucher(session, cooperative, on=day(on), summary=summary, lines=lines, by=PREPARER)
    ledger.audit_voucher(session, voucher, by=AUDITOR)
    return ledger.post_voucher(session, voucher, by=AUDITOR)


def closed_months(session: Session, cooperative: Cooperative) -> list[tuple[int, int]]:
    rows = session.execute(
        select(Period.year, Period.month)
        .where(Period.cooperative_id == cooperative.id, Period.state == PeriodState.CLOSED)
        .order_by(Period.year, Period.month)
    )
    return [(year, month) for year, month in rows]


def a_year_of_books(session: Session, cooperative: Cooperative) -> None:
    """Example-like 2024 books: contributions, sales, costs, a member's intake, an investment loss, taxes."""
    posted(session, cooperative, "2024-01-10", dr("102", "50000.00"), cr("301", "30000.00", "M001"),
           cr("301", "20000.00", "M002"))  # fmt: skip
    posted(session, cooperative, "2024-02-03", dr("121", "8000.00"), cr("114", "8000.00", "M001"))
    posted(session, cooperative, "2024-03-15", dr("102", "12000.00"), cr("501", "12000.00"))
    posted(session, cooperative, "2024-03-15", dr("521", "8000.00"), cr("121", "8000.00"))
    posted(session, cooperative, "2024-06-30", dr("523", "1500.00"), cr("102", "1500.00"))
    posted(session, cooperative, "2024-09-01", dr("511", "300.00"), cr("102", "300.00"))
    posted(session, cooperative, "2024-11-20", dr("102", "700.00"), cr("502", "700.00"))
    posted(session, cooperative, "2024-12-20", dr("522", "120.00"), cr("214", "120.00"))


# ----- what keeps a month open --------------------------------------------------------------------------------
def test_a_month_with_a_manual_draft_does_not_close_and_closes_once_it_is_posted(session: Session) -> None:
    cooperative = make_books(session)
    draft = ledger.add_voucher(session, cooperative, on=day("2024-03-05"), summary="取现",
                               lines=[dr("101", "5.00"), cr("102", "5.00")], by=PREPARER)  # fmt: skip
    with pytest.raises(ledger.CloseRefused) as refused:
        ledger.close_period(session, cooperative, 2024, 3, by=AUDITOR)
    assert (
        render_error(refused.value, "zh") == "2024-03不能结账：\n- 凭证2024-03 记-1尚未审核：请审核并记账，或将其删除。"
    )
    assert closed_months(session, cooperative) == []
    ledger.audit_voucher(session, draft, by=AUDITOR)
    with pytest.raises(ledger.CloseRefused) as refused:
        ledger.close_period(session, cooperative, 2024, 3, by=AUDITOR)
    assert "凭证2024-03 记-1已审核但未记账：请记账。" in render_error(refused.value, "zh")
    ledger.post_voucher(session, draft, by=AUDITOR)
    assert ledger.close_period(session, cooperative, 2024, 3, by=AUDITOR).months == [(2024, 3)]
    assert closed_months(session, cooperative) == [(2024, 3)]
    with pytest.raises(AlreadyClosed):
        ledger.close_period(session, cooperative, 2024, 3, by=AUDITOR)


def test_deleted_drafts_and_reversed_vouchers_do_not_block_the_close(session: Session) -> None:
    cooperative = make_books(session)
    wrong = ledger.add_voucher(session, cooperative, on=day("2024-03-05"), summary="作废",
                               lines=[dr("101", "5.00"), cr("102", "5.00")], by=PREPARER)  # fmt: skip
    ledger.delete_voucher(session, wrong)
    mistake = posted(session, cooperative, "2024-03-06", dr("101", "9.00"), cr("102", "9.00"))
    ledger.reverse_voucher(session, mistake, on=day("2024-03-07"), by=AUDITOR)
    assert ledger.close_period(session, cooperative, 2024, 3, by=AUDITOR).months == [(2024, 3)]
    march = ledger.trial_balance(session, cooperative, 2024, 3)
    assert march.balanced and march.totals.debit == 0 and march.row("101").columns.closing == 0


def test_the_close_posts_event_vouchers_and_where_they_are_reviewed_waits_for_the_audit(session: Session) -> None:
    for number, review in ((1, False), (2, True)):
        cooperative = make_books(session, number, ledger_review_events=review)
        voucher = ledger.book_event(session, cooperative, origin=VoucherOrigin.TRADE, source_ref="trade:1",
                                    on=day("2024-03-02"), summary="交售",
                                    lines=[dr("121", "30.00"), cr("114", "30.00", "M001")])  # fmt: skip
        assert voucher is not None
        if review:
            with pytest.raises(ledger.CloseRefused) as refused:
                ledger.close_period(session, cooperative, 2024, 3, by=AUDITOR)
            assert "凭证2024-03 记-1由业务自动生成，尚待会计审核。" in render_error(refused.value, "zh")
            ledger.audit_voucher(session, voucher, by=AUDITOR)
        ledger.close_period(session, cooperative, 2024, 3, by=AUDITOR)
        session.refresh(voucher)
        assert (voucher.state, voucher.posted_by) == (VoucherState.POSTED, AUDITOR)


def test_an_unbalanced_voucher_never_closes_a_month(session: Session) -> None:
    cooperative = make_books(session)
    voucher = ledger.book_event(session, cooperative, origin=VoucherOrigin.TRADE, source_ref="trade:1",
                                on=day("2024-03-02"), summary="交售",
                                lines=[dr("121", "30.00"), cr("114", "30.00", "M001")])  # fmt: skip
    assert voucher is not None
    # Someone changes a line of the draft behind the service's back: the close must not post it.
    session.execute(text("UPDATE voucher_line SET debit = 31 WHERE id = :id"), {"id": voucher.lines[0].id})
    with pytest.raises(ledger.CloseRefused) as refused:
        ledger.close_period(session, cooperative, 2024, 3, by=AUDITOR)
    assert "凭证须至少有两行分录且借贷平衡，才能记账。" in render_error(refused.value, "zh")
    assert closed_months(session, cooperative) == []
    session.refresh(voucher)
    assert voucher.state is VoucherState.DRAFT


# ----- in order -----------------------------------------------------------------------------------------------
def test_closing_a_month_closes_every_open_month_before_it_in_order_or_stops_at_the_first_that_cannot(
    session: Session,
) -> None:
    cooperative = make_books(session)
    posted(session, cooperative, "2024-02-10", dr("101", "5.00"), cr("102", "5.00"))
    draft = ledger.add_voucher(session, cooperative, on=day("2024-04-05"), summary="草稿",
                               lines=[dr("101", "5.00"), cr("102", "5.00")], by=PREPARER)  # fmt: skip
    with pytest.raises(ledger.CloseRefused) as refused:
        ledger.close_period(session, cooperative, 2024, 6, by=AUDITOR)
    assert refused.value.closed == ["2024-02", "2024-03"] and refused.value.fields["period"] == "2024-04"
    assert closed_months(session, cooperative) == [(2024, 2), (2024, 3)]
    ledger.delete_voucher(session, draft)
    assert ledger.close_period(session, cooperative, 2024, 6, by=AUDITOR).months == [(2024, 4), (2024, 5), (2024, 6)]
    with pytest.raises(PeriodClosed):  # the month before the books began is before a closed month
        posted(session, cooperative, "2024-01-31", dr("101", "5.00"), cr("102", "5.00"))


def test_only_the_latest_closed_month_reopens(session: Session) -> None:
    cooperative = make_books(session)
    with pytest.raises(NothingClosed):
        ledger.reopen_period(session, cooperative, 2024, 3, by=AUDITOR)
    posted(session, cooperative, "2024-02-10", dr("101", "5.00"), cr("102", "5.00"))
    ledger.close_period(session, cooperative, 2024, 3, by=AUDITOR)
    with pytest.raises(ReopenRefused) as refused:
        ledger.reopen_period(session, cooperative, 2024, 2, by=AUDITOR)
    assert render_error(refused.value, "zh") == "2024-02不能反结账：只能反结账最近一个已结账的期间（2024-03）。"
    ledger.reopen_period(session, cooperative, 2024, 3, by=AUDITOR)
    ledger.reopen_period(session, cooperative, 2024, 2, by=AUDITOR)
    assert closed_months(session, cooperative) == []
    posted(session, cooperative, "2024-02-11", dr("101", "1.00"), cr("102", "1.00"))


# ----- the year end -------------------------------------------------------------------------------------------
def test_closing_december_carries_profit_and_loss_to_331_and_331_to_undistributed_surplus(session: Session) -> None:
    cooperative = make_books(session)
    a_year_of_books(session, cooperative)
    ledger.close_period(session, cooperative, 2024, 12, by=AUDITOR)
    year = ledger.trial_balance(session, cooperative, 2024)
    assert year.balanced
    for code in (*PROFIT_AND_LOSS, "331"):
        assert year.row(code).columns.closing == 0, code
    surplus = D("12000.00") + D("700.00") - D("8000.00") - D("1500.00") - D("300.00") - D("120.00")
    assert year.row("33202").columns.closing_credit == surplus == D("2780.00")
    assert year.row("332").columns.closing_credit == surplus and year.row("33201").columns.closing == 0
    carried = session.scalars(select(Voucher).where(Voucher.cooperative_id == cooperative.id,
                                                    Voucher.origin == VoucherOrigin.YEAR_END)).all()  # fmt: skip
    assert [(v.summary, v.month, v.voucher_date.day, v.state) for v in carried] == [
        ("结转本年收入", 12, 31, VoucherState.POSTED),
        ("结转本年支出", 12, 31, VoucherState.POSTED),
        ("结转本年盈余", 12, 31, VoucherState.POSTED),
    ]
    assert [(line.debit, line.credit) for line in carried[0].lines] == [
        (D("12000.00"), 0), (D("700.00"), 0), (0, D("12700.00"))]  # fmt: skip
    # 511's loss goes to the debit of 331 with the expenses [KJ 331 二].
    assert [(line.debit, line.credit) for line in carried[1].lines] == [
        (D("9920.00"), 0), (0, D("300.00")), (0, D("8000.00")), (0, D("120.00")), (0, D("1500.00"))]  # fmt: skip
    following = ledger.trial_balance(session, cooperative, 2025)
    assert [(row.code, row.columns.opening) for row in following.rows] == [
        (row.code, row.columns.closing) for row in year.rows]  # fmt: skip


def test_a_loss_is_carried_to_the_debit_of_undistributed_surplus(session: Session) -> None:
    cooperative = make_books(session)
    posted(session, cooperative, "2024-05-01", dr("523", "400.00"), cr("102", "400.00"))
    posted(session, cooperative, "2024-05-02", dr("102", "100.00"), cr("501", "100.00"))
    ledger.close_period(session, cooperative, 2024, 12, by=AUDITOR)
    year = ledger.trial_balance(session, cooperative, 2024)
    assert year.row("33202").columns.closing_debit == D("300.00") and year.row("331").columns.closing == 0


def test_reopening_december_reverses_the_year_end_and_closing_it_again_carries_the_year_anew(
    session: Session,
) -> None:
    cooperative = make_books(session)
    a_year_of_books(session, cooperative)
    ledger.close_period(session, cooperative, 2024, 12, by=AUDITOR)
    ledger.reopen_period(session, cooperative, 2024, 12, by=AUDITOR)
    year = ledger.trial_balance(session, cooperative, 2024)
    assert year.row("501").columns.closing_credit == D("12000.00") and year.row("33202").columns.closing == 0
    assert year.row("331").columns.debit == 0  # the carry and its reversal add nothing to December
    posted(session, cooperative, "2024-12-30", dr("102", "20.00"), cr("502", "20.00"))  # a late income
    ledger.close_period(session, cooperative, 2024, 12, by=AUDITOR)
    year = ledger.trial_balance(session, cooperative, 2024)
    assert year.row("33202").columns.closing_credit == D("2800.00")
    assert all(year.row(code).columns.closing == 0 for code in (*PROFIT_AND_LOSS, "331"))
    assert ledger.trial_balance(session, cooperative, 2025).totals.opening_debit == year.totals.closing_debit


def test_each_month_opens_with_the_closing_balances_of_the_month_before(session: Session) -> None:
    cooperative = make_books(session)
    a_year_of_books(session, cooperative)
    moved = ledger.add_voucher(session, cooperative, on=day("2024-05-05"), summary="移",
                               lines=[dr("101", "60.00"), cr("102", "60.00")], by=PREPARER)  # fmt: skip
    ledger.change_voucher(session, moved, by=PREPARER, on=day("2024-07-07"))
    ledger.audit_voucher(session, moved, by=AUDITOR)
    ledger.post_voucher(session, moved, by=AUDITOR)
    mistake = posted(session, cooperative, "2024-08-08", dr("114", "75.00", "M002"), cr("101", "75.00"))
    ledger.reverse_voucher(session, mistake, on=day("2024-10-10"), by=AUDITOR)
    ledger.close_period(session, cooperative, 2024, 12, by=AUDITOR)
    months = [ledger.trial_balance(session, cooperative, 2024, month) for month in range(1, 13)]
    months.append(ledger.trial_balance(session, cooperative, 2025, 1))
    for before, after in itertools.pairwise(months):
        assert before.balanced
        assert [row.columns.closing for row in before.rows] == [row.columns.opening for row in after.rows]
    year = ledger.trial_balance(session, cooperative, 2024)
    by_month = [
        sum((month.rows[index].columns.debit for month in months[:12]), D(0)) for index in range(len(year.rows))
    ]
    assert [row.columns.debit for row in year.rows] == by_month


def test_rule_20_example_1_s_five_entries_and_the_close_leave_331_and_both_332_accounts_at_zero(
    session: Session,
) -> None:
    """domain.md §15 rule 20 at voucher level: the distribution's vouchers dated 31 December, then the close."""
    cooperative = make_books(session)
    posted(session, cooperative, "2023-06-30", dr("521", "4321.09"), cr("102", "4321.09"))  # 2023's loss
    ledger.close_period(session, cooperative, 2023, 12, by=AUDITOR)
    posted(session, cooperative, "2024-10-31", dr("102", "186543.27"), cr("501", "186543.27"))
    entries = [
        [dr("331", "186543.27"), cr("33202", "186543.27")],
        [dr("33201", "18222.22"), cr("322", "18222.22")],
        [dr("33201", "114799.97"), cr("221", "64799.97", "M001"), cr("221", "50000.00", "M002")],
        [dr("33201", "49199.99"), cr("222", "29199.99", "M001"), cr("222", "20000.00", "M002")],
        [dr("33202", "182222.18"), cr("33201", "182222.18")],
    ]
    for number, lines in enumerate(entries, start=1):
        reference = f"distribution:1:{number}"
        ledger.book_event(session, cooperative, origin=VoucherOrigin.DISTRIBUTION, source_ref=reference,
                          on=day("2024-12-31"), summary="盈余分配", lines=lines)  # fmt: skip
    ledger.close_period(session, cooperative, 2024, 12, by=AUDITOR)
    year = ledger.trial_balance(session, cooperative, 2024)
    assert year.row("33202").columns.opening_debit == D("4321.09")
    for code in ("331", "332", "33201", "33202", *PROFIT_AND_LOSS):
        assert year.row(code).columns.closing == 0, code
    assert (year.row("322").columns.closing_credit, year.row("221").columns.closing_credit,
            year.row("222").columns.closing_credit) == (D("18222.22"), D("114799.97"), D("49199.99"))  # fmt: skip
    carried = session.scalars(select(Voucher.summary).where(Voucher.cooperative_id == cooperative.id,
                                                            Voucher.origin == VoucherOrigin.YEAR_END,
                                                            Voucher.year == 2024)).all()  # fmt: skip
    assert carried == ["结转本年收入"]  # 331 already moved the surplus by the distribution's first entry
