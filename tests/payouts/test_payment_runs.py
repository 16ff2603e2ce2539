"""Payment runs (付款批次) pay what the cooperative owes, book it once, and never pay anything twice, on every
backend (issue #17)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import exc, select
from sqlalchemy.orm import Session

from coopcore.errors import PeriodClosed
from coopcore.models import (
    Cooperative,
    DistributionLine,
    Member,
    PaymentRun,
    PaymentRunLine,
    Voucher,
    VoucherOrigin,
)
from coopcore.money import ZERO
from coopcore.rules.ledger import EntryLine
from coopcore.rules.transfers import transfers
from coopcore.services import distribution as workflow
from coopcore.services import ledger, payouts
from coopcore.services.ledger.books import entry_lines
from coopcore.services.ledger.owed import member_statements, owed_on
from coopcore.services.ledger.payment_run_events import PAYMENT_RUNS
from coopcore.terms import (
    DistributionState,
    OwedMovement,
    PaymentMethod,
    PaymentRunState,
    PayoutChannel,
    PayoutKind,
    PayoutResult,
)
from reports.payment_runs import write_bank_csv, write_bank_xlsx
from tests.payouts.builders import ACCOUNTS, assert_owed_equals_books, make_owing, post_all

D = Decimal
DIVIDENDS = ("returns", "residual")
CHOSEN, SENT, SETTLED = dt.date(2025, 4, 1), dt.date(2025, 4, 2), dt.date(2025, 4, 8)


def choose(
    session: Session, cooperative: Cooperative, kinds: tuple[str, ...] = DIVIDENDS, **options: object
) -> PaymentRun:
    values: dict[str, object] = {"made_on": CHOSEN, "channel": "bank", "purpose": "2024年分红", "kinds": kinds}
    return payouts.choose_run(session, cooperative, **{**values, **options})  # type: ignore[arg-type]


def run_voucher(session: Session, cooperative: Cooperative, run: PaymentRun) -> Voucher:
    return session.scalars(
        select(Voucher).where(Voucher.cooperative_id == cooperative.id, Voucher.source_ref == PAYMENT_RUNS.ref(run.id))
    ).one()


def money_credited(session: Session, voucher: Voucher) -> Decimal:
    return sum((line.credit for line in entry_lines(session, voucher) if line.account in ("101", "102")), ZERO)


def test_a_bank_run_s_voucher_credits_102_its_paid_total_and_a_returned_transfer_stays_owed_for_the_next_run(
    session: Session,
) -> None:
    cooperative, distribution = make_owing(session)
    run = choose(session, cooperative)
    assert [(line.line_no, line.member.code, line.kind, line.account) for line in run.lines][:3] == [
        (1, "M01", PayoutKind.RESIDUAL, "222"),
        (2, "M02", PayoutKind.RETURNS, "221"),
        (3, "M02", PayoutKind.RESIDUAL, "222"),
    ]
    m04 = [line.amount for line in run.lines if line.member.code == "M04"]
    assert m04 == [D("16017.61"), D("1034.52")]  # the 5,000.00 converted with the plan is never paid
    assert run.lines[2].payee_account == "6217000010012345678" and run.lines[2].payee_name == "王建国"
    # One transfer (the file's 序号) per household: M02's two lines are transfer 2.
    assert [(t.number, t.line_numbers) for t in transfers(run.lines)][:3] == [(1, (1,)), (2, (2, 3)), (3, (4, 5))]
    payouts.mark_sent(session, run, SENT)
    payouts.settle_run(session, run, settled_on=SETTLED, returned={2: "账号不存在"})

    voucher = run_voucher(session, cooperative, run)
    paid = sum((line.amount for line in run.lines if line.result is PayoutResult.PAID), ZERO)
    assert voucher.origin is VoucherOrigin.PAYMENT and voucher.voucher_date == SETTLED
    m02_total = D("22248.52") + D("8517.38")
    assert money_credited(session, voucher) == paid == sum((line.amount for line in run.lines), ZERO) - m02_total
    returned = [(line.member.code, line.result, line.return_reason, line.claim) for line in run.lines[1:3]]
    assert returned == [("M02", PayoutResult.RETURNED, "账号不存在", None)] * 2  # the whole transfer, both lines
    assert {line.result for line in run.lines if line.member.code != "M02"} == {PayoutResult.PAID}
    assert all(line.claim for line in run.lines if line.result is PayoutResult.PAID)  # a paid part stays claimed
    m02 = session.scalars(select(DistributionLine).where(DistributionLine.member_code == "M02")).one()
    assert m02.paid_on is None  # its returns and residual are still owed
    assert distribution.state is DistributionState.POSTED

    left = payouts.payable_items(session, cooperative, kinds=DIVIDENDS, on=SETTLED)
    assert [(item.member_code, item.kind, item.amount) for item in left] == [
        ("M02", PayoutKind.RETURNS, D("22248.52")),
        ("M02", PayoutKind.RESIDUAL, D("8517.38")),
    ]
    again = choose(session, cooperative, made_on=SETTLED, channel="cash", purpose="2024年分红（补发）")
    assert [(line.line_no, line.member.code, line.amount) for line in again.lines] == [
        (1, "M02", D("22248.52")),
        (2, "M02", D("8517.38")),
    ]
    assert again.number == run.number + 1 and again.lines[0].payee_account == ""
    payouts.settle_run(session, again, settled_on=SETTLED)
    assert money_credited(session, run_voucher(session, cooperative, again)) == m02_total
    cash = [line for line in entry_lines(session, run_voucher(session, cooperative, again))]
    assert [(line.account, line.debit, line.credit, line.member) for line in cash] == [
        ("221", D("22248.52"), ZERO, "M02"),
        ("222", D("8517.38"), ZERO, "M02"),
        ("101", ZERO, m02_total, None),
    ]

    session.refresh(distribution)
    assert distribution.state is DistributionState.PAID
    assert {(line.paid_on, line.payment_method) for line in distribution.lines} == {(SETTLED, PaymentMethod.RUN)}
    # The distribution's own payments book nothing for lines paid through a run.
    assert workflow.PAYMENTS.ref(distribution.id) not in {v.source_ref for v in session.scalars(select(Voucher))}
    post_all(session, cooperative)
    owed = owed_on(session, cooperative, SETTLED)
    assert all(m.balances["221"] == m.balances["222"] == ZERO for m in owed.members)
    statement = {s.code: s for s in member_statements(session, cooperative, dt.date(2025, 1, 1), SETTLED)}["M02"]
    payments = [(line.account, line.amount) for line in statement.lines if line.movement is OwedMovement.PAYMENT]
    assert payments == [("221", D("22248.52")), ("222", D("8517.38"))]
    assert_owed_equals_books(session, cooperative, 2025)


def test_paying_twice_is_refused_on_every_path(session: Session) -> None:
    cooperative, distribution = make_owing(session)
    run = choose(session, cooperative, member_codes=["M02", "M03"])
    # Two runs: what the first claims is not there to choose again.
    with pytest.raises(payouts.NothingToPay):
        choose(session, cooperative, member_codes=["M02"])
    # The old path: a line a run claims is refused when named, left for the run otherwise.
    with pytest.raises(payouts.LinesClaimed) as refused:
        workflow.pay_distribution(session, distribution, paid_on=CHOSEN, member_codes=["M02"])
    assert refused.value.fields == {"members": "M02", "runs": str(run.number)}
    paid = workflow.pay_distribution(session, distribution, paid_on=CHOSEN, member_codes=["M05"])
    assert [line.member_code for line in paid] == ["M05"]
    # A run never picks a line the old path paid.
    assert "M05" not in {item.member_code for item in payouts.payable_items(session, cooperative, kinds=DIVIDENDS,
                                                                            on=CHOSEN)}  # fmt: skip
    with pytest.raises(workflow.WrongState):  # reversing would take back what the run is paying
        workflow.reverse_distribution(session, distribution)
    rest = workflow.pay_distribution(session, distribution, paid_on=CHOSEN)
    assert sorted(line.member_code for line in rest) == ["M01", "M04", "M06"]
    assert distribution.state is DistributionState.POSTED  # M02 and M03 are the run's to pay

    payouts.mark_sent(session, run, SENT)
    payouts.settle_run(session, run, settled_on=SETTLED)
    with pytest.raises(payouts.RunState):  # the same run twice
        payouts.settle_run(session, run, settled_on=SETTLED)
    with pytest.raises(payouts.RunState):
        payouts.cancel_run(session, run)
    assert distribution.state is DistributionState.PAID
    with pytest.raises(workflow.WrongState):
        workflow.pay_distribution(session, distribution, paid_on=SETTLED)
    assert payouts.payable_items(session, cooperative, kinds=DIVIDENDS, on=SETTLED) == []
    vouchers = session.scalars(select(Voucher).where(Voucher.origin == VoucherOrigin.PAYMENT)).all()
    paid_221 = sum((line.debit for v in vouchers for line in entry_lines(session, v) if line.account == "221"),
                   ZERO)  # fmt: skip
    assert paid_221 == sum((line.patronage_return for line in distribution.lines), ZERO)  # each return paid once


def test_the_database_refuses_a_second_claim_and_a_run_chosen_from_stale_items_is_refused_whole(
    session: Session,
) -> None:
    cooperative, _ = make_owing(session)
    stale = payouts.payable_items(session, cooperative, kinds=DIVIDENDS, on=CHOSEN, member_codes=["M06"])
    run = choose(session, cooperative, member_codes=["M06"])
    with session.begin_nested():
        with pytest.raises(payouts.ClaimTaken) as refused:
            payouts.freeze_run(session, cooperative, stale, made_on=CHOSEN, channel=PayoutChannel.BANK, purpose="重复")
        assert refused.value.fields == {"number": run.number + 1}
    session.expire_all()
    with session.begin_nested():
        twin = PaymentRun(cooperative_id=cooperative.id, number=99, made_on=CHOSEN, channel=PayoutChannel.CASH,
                          purpose="重复")  # fmt: skip
        twin.lines.append(PaymentRunLine(line_no=1, member_id=run.lines[0].member_id, kind=PayoutKind.RETURNS,
                                         account="221", amount=D("1.00"), claim=run.lines[0].claim))  # fmt: skip
        session.add(twin)
        with pytest.raises(exc.IntegrityError):
            session.flush()
    assert session.scalars(select(PaymentRun.number).where(PaymentRun.cooperative_id == cooperative.id)).all() == [1]


def test_a_returned_or_cancelled_line_gives_its_claim_back_and_a_settled_114_line_its_own(session: Session) -> None:
    cooperative, _ = make_owing(session)
    run = choose(session, cooperative, ("rent",), channel="cash", purpose="2025年保底租金")
    assert [(line.member.code, line.kind, line.amount, line.claim) for line in run.lines] == [
        ("M02", PayoutKind.RENT, D("1200.00"), f"114:m{run.lines[0].member_id}:rent"),
        ("M03", PayoutKind.RENT, D("800.50"), f"114:m{run.lines[1].member_id}:rent"),
    ]
    payouts.cancel_run(session, run)
    assert run.state is PaymentRunState.CANCELLED and {line.claim for line in run.lines} == {None}
    run = choose(session, cooperative, ("rent",), channel="cash", purpose="2025年保底租金")
    payouts.settle_run(session, run, settled_on=SETTLED, returned={2: "本人未到场"})
    assert {line.claim for line in run.lines} == {None}
    left = payouts.payable_items(
        session, cooperative, kinds=("rent", "produce"), on=SETTLED, member_codes=["M02", "M03"]
    )
    # M02's rent is paid; its produce (delivered before the rent was owed) is still owed, and all of M03's.
    assert [(item.member_code, item.kind, item.amount) for item in left] == [
        ("M02", PayoutKind.PRODUCE, D("38760.50")),
        ("M03", PayoutKind.RENT, D("800.50")),
        ("M03", PayoutKind.PRODUCE, D("52318.00")),
    ]
    post_all(session, cooperative)
    assert_owed_equals_books(session, cooperative, 2025)


def test_a_bank_run_names_the_households_without_an_account_and_a_cash_run_needs_none(session: Session) -> None:
    cooperative, _ = make_owing(session, payees=False)
    member = session.scalars(select(Member).where(Member.cooperative_id == cooperative.id, Member.code == "M03")).one()
    member.payee_account = "0123456789012345678"
    with pytest.raises(payouts.NoPayeeAccount) as refused:
        choose(session, cooperative, member_codes=["M02", "M03", "M04"])
    assert refused.value.fields == {"members": "M02 王建国, M04 张立新"}
    assert session.scalars(select(PaymentRun)).all() == []
    member.payee_name = "李小军"  # her son holds the card; at the cash desk the household signs for its money
    run = choose(session, cooperative, member_codes=["M02", "M03", "M04"], channel="cash")
    assert [line.payee_name for line in run.lines] == ["王建国", "王建国", "李秀英", "李秀英", "张立新", "张立新"]


def test_a_settlement_in_a_closed_month_or_before_the_run_was_sent_is_refused_and_writes_nothing(
    session: Session,
) -> None:
    cooperative, _ = make_owing(session)
    run = choose(session, cooperative)
    with pytest.raises(payouts.RunState):  # a bank pays what it was sent
        payouts.settle_run(session, run, settled_on=SETTLED)
    payouts.mark_sent(session, run, SENT)
    with pytest.raises(payouts.SettledTooEarly):
        payouts.settle_run(session, run, settled_on=CHOSEN)
    with pytest.raises(payouts.UnknownTransfer) as unknown:  # 11 lines, 6 households: the file's 序号 are 1 to 6
        payouts.settle_run(session, run, settled_on=SETTLED, returned={7: "账号不存在"})
    assert unknown.value.fields == {"value": 7, "number": run.number, "last": 6}
    with pytest.raises(payouts.ReasonNeeded):
        payouts.settle_run(session, run, settled_on=SETTLED, returned={1: "  "})
    post_all(session, cooperative)
    ledger.close_period(session, cooperative, 2025, 4, by="会计")
    with pytest.raises(PeriodClosed):
        payouts.settle_run(session, run, settled_on=dt.date(2025, 4, 30))
    session.refresh(run)
    assert run.state is PaymentRunState.SENT and {line.result for line in run.lines} == {PayoutResult.PENDING}
    payouts.settle_run(session, run, settled_on=dt.date(2025, 5, 6))
    assert run_voucher(session, cooperative, run).voucher_date == dt.date(2025, 5, 6)


def test_what_a_pending_114_line_claims_is_not_offered_again_and_caps_the_other_kind(session: Session) -> None:
    cooperative, _ = make_owing(session)
    member = session.scalars(select(Member).where(Member.cooperative_id == cooperative.id, Member.code == "M02")).one()
    # M02 buys inputs for 38,000.00 on credit: of 39,960.50 owed, 1,960.50 is left, and the oldest credit (its
    # produce) paid for them first; the rent, newer, is still whole.
    ledger.add_voucher(session, cooperative, on=dt.date(2025, 3, 10), summary="赊购农资",
                       lines=[EntryLine("114", debit=D("38000.00"), member="M02"),
                              EntryLine("501", credit=D("38000.00"))], by="会计")  # fmt: skip
    both = ("rent", "produce")
    items = payouts.payable_items(session, cooperative, kinds=both, on=CHOSEN, member_codes=["M02"])
    assert [(item.kind, item.amount) for item in items] == [(PayoutKind.RENT, D("1200.00")),
                                                            (PayoutKind.PRODUCE, D("760.50"))]  # fmt: skip
    choose(session, cooperative, ("rent",), channel="cash", purpose="租金", member_codes=["M02"])
    items = payouts.payable_items(session, cooperative, kinds=both, on=CHOSEN, member_codes=["M02"])
    assert [(item.kind, item.amount) for item in items] == [(PayoutKind.PRODUCE, D("760.50"))]
    assert member.payee_account  # the cash run froze no account


def test_a_run_chosen_on_a_day_before_another_run_was_settled_does_not_pay_what_that_run_paid(
    session: Session,
) -> None:
    cooperative, _ = make_owing(session)
    rent = ("rent",)
    run = choose(session, cooperative, rent, channel="cash", purpose="2025年保底租金", member_codes=["M02"])
    payouts.settle_run(session, run, settled_on=dt.date(2025, 5, 6))
    # On 15 April the books still owe M02 its rent (the payment is dated 6 May), but it is paid: a run chosen
    # back-dated to that day would pay it twice.
    back = dt.date(2025, 4, 15)
    with pytest.raises(payouts.NothingToPay):
        choose(session, cooperative, rent, made_on=back, channel="cash", purpose="租金", member_codes=["M02"])
    items = payouts.payable_items(session, cooperative, kinds=("rent", "produce"), on=back, member_codes=["M02"])
    assert [(item.kind, item.amount) for item in items] == [(PayoutKind.PRODUCE, D("38760.50"))]


def test_a_household_owed_four_kinds_is_one_row_of_the_bank_file_and_returned_whole(
    session: Session, tmp_path: Path
) -> None:
    cooperative, _ = make_owing(session)
    run = choose(session, cooperative, tuple(kind.value for kind in PayoutKind), member_codes=["M02", "M03"])
    kinds = [(line.member.code, line.kind) for line in run.lines]
    assert kinds == [(code, kind) for code in ("M02", "M03") for kind in PayoutKind]  # four lines each
    owed = {code: sum((line.amount for line in run.lines if line.member.code == code), ZERO) for code in ("M02", "M03")}
    assert owed["M02"] == D("22248.52") + D("8517.38") + D("1200.00") + D("38760.50")

    book = load_workbook(write_bank_xlsx(run, tmp_path / "代发.xlsx")).active
    rows = [list(row) for row in book.iter_rows(values_only=True)]
    assert [row[:5] for row in rows[1:-2]] == [
        [1, "王建国", ACCOUNTS["M02"][0], ACCOUNTS["M02"][1], float(owed["M02"])],
        [2, "李秀英", ACCOUNTS["M03"][0], ACCOUNTS["M03"][1], float(owed["M03"])],
    ]
    assert {row[5] for row in rows[1:-2]} == {"2024年分红"}  # the run's purpose, once per row
    assert rows[-2][0] == "合计" and D(str(rows[-2][4])) == owed["M02"] + owed["M03"]
    assert rows[-1][:2] == ["笔数", 2]
    table = list(csv.reader(io.StringIO(write_bank_csv(run, tmp_path / "代发.csv").read_text("utf-8-sig"))))
    assert [row[0] for row in table[1:]] == ["1", "2", "合计", "笔数"] and table[-1][1] == "2"
    assert table[1][4] == f"{owed['M02']:f}" and table[-2][4] == f"{owed['M02'] + owed['M03']:f}"

    payouts.mark_sent(session, run, SENT)
    payouts.settle_run(session, run, settled_on=SETTLED, returned={1: "户名与账号不符"})
    m02 = [(line.result, line.return_reason, line.claim) for line in run.lines if line.member.code == "M02"]
    assert m02 == [(PayoutResult.RETURNED, "户名与账号不符", None)] * 4
    debits = {(line.member, line.account) for line in entry_lines(session, run_voucher(session, cooperative, run))
              if line.debit}  # fmt: skip
    assert debits == {("M03", "221"), ("M03", "222"), ("M03", "114")}
    assert money_credited(session, run_voucher(session, cooperative, run)) == owed["M03"]
    # All four of M02's kinds are owed again, as they were: the next run pays them.
    left = payouts.payable_items(session, cooperative, kinds=tuple(PayoutKind), on=SETTLED, member_codes=["M02"])
    assert [(item.kind, item.amount) for item in left] == [
        (line.kind, line.amount) for line in run.lines if line.member.code == "M02"
    ]
    post_all(session, cooperative)
    assert_owed_equals_books(session, cooperative, 2025)
