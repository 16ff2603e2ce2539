# mypy: allow-subclassing-any, allow-untyped-decorators
"""付款批次: choose what to pay (returns, residual, guaranteed rent, produce money; every household or some), take the
bank's file or the cash list, mark the run sent, and record the bank's result transfer by transfer (笔: a household's
lines in the run, one row of its file; coopcore.rules.transfers).

Every button calls coopcore.services.payouts in the request's transaction; a refusal is rolled back and shown
(admin.errors). Account numbers are shown whole only to those who keep the cooperative's books (they send the file
to the bank); other readers see them masked (admin.formatters.account_for_reader).
"""

from __future__ import annotations

import datetime as dt
import tempfile
from decimal import Decimal
from io import BytesIO
from pathlib import Path
from typing import Any

from flask import abort, g, redirect, request, send_file, url_for
from flask_admin import expose
from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from admin.database import current_session, database
from admin.formatters import account_for_reader
from admin.i18n import _, current_lang, lazy, money
from admin.views.books.common import BooksPage, form_cooperative, page_choice
from admin.views.distribution import scoped_cooperative
from admin.views.reports import attachment
from coopcore.errors import InvalidValue
from coopcore.models import Member, PaymentRun, PaymentRunLine, Voucher
from coopcore.rules.transfers import transfers
from coopcore.services import payouts
from coopcore.services.ledger.payment_run_events import PAYMENT_RUNS
from coopcore.terms import PaymentRunState, PayoutChannel, PayoutKind, PayoutResult

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# The files of a run by format: the button's label, the file-name suffix and the MIME type; a bank run has the
# first two, a cash run the others.
FILES = {
    "xlsx": (lazy("Bank file (XLSX)"), ".xlsx", XLSX),
    "csv": (lazy("Bank file (CSV)"), ".csv", "text/csv"),
    "cash": (lazy("Cash list (PDF)"), ".pdf", "application/pdf"),
    "cash-xlsx": (lazy("Cash list (XLSX)"), ".xlsx", XLSX),
}
BANK_FILES, CASH_FILES = ("xlsx", "csv"), ("cash", "cash-xlsx")


def _date(value: str | None, default: dt.date | None = None) -> dt.date:
    """A date typed in a form (YYYY-MM-DD, as the browser's date field sends it); a clear refusal otherwise."""
    if not value:
        if default is not None:
            return default
        raise InvalidValue("A date is needed: {value}", value="")
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InvalidValue("{value} is not a date.", value=value) from None


def _kinds(values: list[str]) -> tuple[PayoutKind, ...]:
    return payouts.read_kinds(values) if values else ()


def run_in_reach(run_id: Any) -> PaymentRun:
    """A run by id, if its cooperative is within the user's reach; 404 otherwise (as a missing one)."""
    try:
        key = int(run_id)
    except (TypeError, ValueError):
        abort(404)
    run = database().session.get(PaymentRun, key)
    if run is None:
        abort(404)
    scoped_cooperative(run.cooperative_id)
    return run


def run_totals(session: Session, cooperative_id: int) -> dict[int, tuple[int, Decimal, Decimal, int]]:
    """Each run's transfer count, total, paid total and returned transfer count, by run id."""
    # A transfer is one household's lines in a run (coopcore.rules.transfers): counted here as distinct households,
    # so that the list needs no run's lines. CASE, not FILTER: MariaDB has no aggregate FILTER clause.
    paid = func.sum(case((PaymentRunLine.result == PayoutResult.PAID, PaymentRunLine.amount), else_=0))
    returned_member = case((PaymentRunLine.result == PayoutResult.RETURNED, PaymentRunLine.member_id))
    returned = func.count(returned_member.distinct())
    households = func.count(PaymentRunLine.member_id.distinct())
    query = (
        select(PaymentRunLine.run_id, households, func.sum(PaymentRunLine.amount), paid, returned)
        .join(PaymentRun, PaymentRun.id == PaymentRunLine.run_id)
        .where(PaymentRun.cooperative_id == cooperative_id)
        .group_by(PaymentRunLine.run_id)
    )
    zero = Decimal("0.00")
    return {run_id: (count, total or zero, paid_total or zero, int(back or 0))
            for run_id, count, total, paid_total, back in session.execute(query)}  # fmt: skip


class PaymentRunsPage(BooksPage):
    """The cooperative's payment runs; accountants and administrators choose, export, send and settle them."""

    @expose("/")
    def index(self) -> Any:
        choice = page_choice()
        session = current_session()
        runs = session.scalars(
            select(PaymentRun)
            .where(PaymentRun.cooperative_id == choice.cooperative.id)
            .order_by(PaymentRun.number.desc())
        ).all()
        return self.render(
            "coop/books/payment_runs.html",
            choice=choice,
            runs=runs,
            totals=run_totals(session, choice.cooperative.id),
            may_write=self.may_write(),
            kinds=list(PayoutKind),
            channels=list(PayoutChannel),
            today=dt.date.today(),
        )

    @expose("/choose")
    def choose(self) -> Any:
        """What can be paid, household by household, each ticked; the writer unticks those not paid this time."""
        self.require_write()
        cooperative = scoped_cooperative(request.args.get("cooperative", type=int))
        back = url_for(".index", cooperative=cooperative.id)
        made_on = _date(request.args.get("made_on"), dt.date.today())
        channel = PayoutChannel(request.args.get("channel", PayoutChannel.BANK.value))
        kinds = _kinds(request.args.getlist("kind"))
        if not kinds:
            return redirect(back)
        items = payouts.payable_items(current_session(), cooperative, kinds=kinds, on=made_on)
        members = sorted({item.member_id for item in items})
        payees = {
            member.id: member for member in current_session().scalars(select(Member).where(Member.id.in_(members)))
        }
        return self.render(
            "coop/books/payment_run_choose.html",
            cooperative=cooperative,
            items=items,
            payees=payees,
            made_on=made_on,
            channel=channel,
            kinds=kinds,
            purpose=request.args.get("purpose", ""),
            total=sum((item.amount for item in items), Decimal("0.00")),
            account=lambda number: account_for_reader(number, cooperative.id),
        )

    @expose("/choose", methods=["POST"])
    def choose_post(self) -> Any:
        self.require_write()
        cooperative = form_cooperative()
        form = request.form
        again = url_for(".choose", cooperative=cooperative.id, made_on=form.get("made_on"), channel=form.get("channel"),
                        purpose=form.get("purpose"), kind=form.getlist("kind"))  # fmt: skip

        def step(session: Session) -> str:
            chosen = form.getlist("member")
            if not chosen:
                raise InvalidValue("Tick at least one household to pay: {value}", value="")
            run = payouts.choose_run(
                session,
                cooperative,
                made_on=_date(form.get("made_on")),
                channel=form.get("channel", ""),
                purpose=form.get("purpose", ""),
                kinds=form.getlist("kind"),
                member_codes=chosen,
            )
            g.payment_run = run.id  # the page to go to once the run is committed
            total = sum((line.amount for line in run.lines), Decimal("0.00"))
            return _("Payment run {number} is chosen: {count} transfers ({lines} lines), {total}.",
                     number=run.number, count=len(transfers(run.lines)), lines=len(run.lines),
                     total=money(total))  # fmt: skip

        response = self.run_step(step, again)
        chosen = g.get("payment_run")
        return redirect(url_for(".run", id=chosen)) if chosen else response

    @expose("/run")
    def run(self) -> Any:
        run = run_in_reach(request.args.get("id"))
        may_write = self.may_write()
        voucher = current_session().scalar(
            select(Voucher).where(
                Voucher.cooperative_id == run.cooperative_id, Voucher.source_ref == PAYMENT_RUNS.ref(run.id)
            )
        )
        lines = run.lines
        paid = [line for line in lines if line.result is PayoutResult.PAID]
        return self.render(
            "coop/books/payment_run.html",
            run=run,
            transfers=transfers(lines),
            line_count=len(lines),
            total=sum((line.amount for line in lines), Decimal("0.00")),
            paid_total=sum((line.amount for line in paid), Decimal("0.00")),
            voucher=voucher,
            may_write=may_write,
            account=lambda number: account_for_reader(number, run.cooperative_id),
            files=[
                (name, FILES[name][0]) for name in (BANK_FILES if run.channel is PayoutChannel.BANK else CASH_FILES)
            ],
            open=run.state in (PaymentRunState.DRAFT, PaymentRunState.SENT),
            today=dt.date.today(),
        )

    @expose("/file")
    def file(self) -> Any:
        """A run's file for the bank or the cash desk, written again each time (the same bytes every time)."""
        self.require_write()
        run = run_in_reach(request.args.get("id"))
        file_format = request.args.get("format", "")
        if file_format not in (BANK_FILES if run.channel is PayoutChannel.BANK else CASH_FILES):
            abort(404)  # a bank run has no cash list, a cash run no bank file
        from reports.payment_runs import write

        _label, suffix, mimetype = FILES[file_format]
        with tempfile.TemporaryDirectory() as folder:
            path = write(run, file_format, Path(folder) / f"run{suffix}", current_lang())
            data = path.read_bytes()
        kind = "现金签领表" if file_format.startswith("cash") else "银行代发"
        name = f"{run.cooperative.name}付款批次{run.number}{kind}{suffix}"
        response = send_file(BytesIO(data), mimetype=mimetype, as_attachment=True, download_name=f"run{suffix}")
        response.headers["Content-Disposition"] = attachment(name, f"payment-run-{run.number}{suffix}")
        return response

    def _run_form(self) -> tuple[PaymentRun, str]:
        self.require_write()
        run = run_in_reach(request.form.get("run"))
        return run, url_for(".run", id=run.id)

    @expose("/sent", methods=["POST"])
    def sent(self) -> Any:
        run, back = self._run_form()

        def step(session: Session) -> str:
            payouts.mark_sent(session, run, _date(request.form.get("sent_on")))
            return _("Payment run {number} is marked sent to the bank.", number=run.number)

        return self.run_step(step, back)

    @expose("/settle", methods=["POST"])
    def settle(self) -> Any:
        run, back = self._run_form()

        def step(session: Session) -> str:
            # The form names each transfer by its 序号 in the file: returned-3, reason-3.
            form = request.form
            returned = {transfer.number: form.get(f"reason-{transfer.number}", "")
                        for transfer in transfers(run.lines) if form.get(f"returned-{transfer.number}")}  # fmt: skip
            payouts.settle_run(session, run, settled_on=_date(request.form.get("settled_on")), returned=returned)
            paid = sum((line.amount for line in run.lines if line.result is PayoutResult.PAID), Decimal("0.00"))
            return _("Payment run {number} is settled: {paid} paid, {returned} transfers returned and still owed.",
                     number=run.number, paid=money(paid), returned=len(returned))  # fmt: skip

        return self.run_step(step, back)

    @expose("/cancel", methods=["POST"])
    def cancel(self) -> Any:
        run, back = self._run_form()

        def step(session: Session) -> str:
            payouts.cancel_run(session, run)
            return _("Payment run {number} is cancelled: its lines can go in another run.", number=run.number)

        return self.run_step(step, back)
