# mypy: allow-subclassing-any, allow-untyped-decorators
"""The voucher entry screen (录入凭证): a grid of lines an accountant types all day with the keyboard alone.

The page sends the typed lines as parallel form lists (account, member, poverty, line summary, debit, credit,
and the auxiliaries this screen does not show, kept as they were); coopcore.services.ledger checks and writes
them. A refused voucher comes back as it was typed, with every problem the service found, and nothing saved.
Only drafts typed or imported (not those a business event booked) are changed here.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

from flask import abort, flash, redirect, request, url_for
from flask_admin import expose
from sqlalchemy.orm import Session

from admin.database import current_session
from admin.i18n import _, error_text
from admin.views.books.common import (
    BooksWriterPage,
    account_choices,
    acting_user,
    form_cooperative,
    member_choices,
    voucher_in_reach,
)
from admin.views.distribution import chosen_cooperative
from coopcore.errors import ConcurrentChange, CoopError, InvalidValue
from coopcore.models import Cooperative, Voucher, VoucherState
from coopcore.money import ZERO, to_decimal
from coopcore.rules.ledger import EntryLine
from coopcore.services import ledger
from coopcore.services.ledger.books import entry_lines

BLANK_LINES = 4  # a new voucher starts with four lines; a key adds more
KEPT = ("counterparty", "product", "project", "quantity", "unit_price")  # auxiliaries shown on no cell here
POVERTY = {"yes": True, "no": False}
Typed = dict[str, Any]


def editable(voucher: Voucher) -> bool:
    """A draft typed or imported: what this screen changes (the services refuse the rest all the same)."""
    return voucher.state is VoucherState.DRAFT and not voucher.origin.is_event


def typed_lines(lines: list[EntryLine]) -> list[Typed]:
    """Stored lines as the grid shows them."""
    shown = []
    for line in lines:
        kept = {name: getattr(line, name) for name in KEPT if getattr(line, name) not in (None, "")}
        shown.append(
            {
                "summary": line.summary,
                "account": line.account,
                "member": line.member or "",
                "poverty": "" if line.poverty_asset is None else ("yes" if line.poverty_asset else "no"),
                "debit": str(line.debit) if line.debit else "",
                "credit": str(line.credit) if line.credit else "",
                "keep": json.dumps({name: str(value) for name, value in kept.items()}, ensure_ascii=False)
                if kept
                else "",
            }
        )
    return shown


def posted_lines() -> list[Typed]:
    """The grid's lines as the form sent them, the lines without an account or an amount left out."""
    form = request.form
    columns = {name: form.getlist(name) for name in ("summary", "account", "member", "poverty", "debit", "credit")}
    keeps = form.getlist("keep")
    count = max((len(values) for values in columns.values()), default=0)
    rows = []
    for index in range(count):
        row = {name: (values[index].strip() if index < len(values) else "") for name, values in columns.items()}
        row["keep"] = keeps[index] if index < len(keeps) else ""
        # A 摘要 alone is no line: the grid offers the line above's on every new line, used or not.
        if any(row[name] for name in ("account", "member", "debit", "credit")):
            rows.append(row)
    return rows


def entry_line(row: Typed) -> EntryLine:
    """One typed line as the service takes it; an amount that is no number is refused as it was typed."""
    kept: dict[str, Any] = {}
    if row["keep"]:
        try:
            stored = json.loads(row["keep"])
        except ValueError:
            raise InvalidValue(value=row["keep"]) from None
        if not isinstance(stored, dict):
            raise InvalidValue(value=row["keep"])
        for name in KEPT:
            value = stored.get(name)
            if value not in (None, ""):
                kept[name] = to_decimal(str(value)) if name in ("quantity", "unit_price") else str(value)
    return EntryLine(
        row["account"],
        _amount(row["debit"]),
        _amount(row["credit"]),
        row["summary"],
        row["member"] or None,
        poverty_asset=POVERTY.get(row["poverty"]),
        **kept,
    )


def _amount(text: str) -> Decimal:
    return to_decimal(text) if text else ZERO


def voucher_day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidValue(value=text) from None


def attachment_count(text: str) -> int:
    if not text.strip():
        return 0
    if not text.strip().isdigit():
        raise InvalidValue(value=text)
    return int(text)


class VoucherEntryPage(BooksWriterPage):
    """New vouchers and changes to drafts, for accountants and administrators."""

    @expose("/")
    def index(self) -> Any:
        voucher_id = request.args.get("id")
        if voucher_id:
            voucher = voucher_in_reach(voucher_id)
            if not editable(voucher):
                return redirect(url_for("book_vouchers.show", id=voucher.id))
            cooperative = current_session().get_one(Cooperative, voucher.cooperative_id)
            typed = {
                "date": voucher.voucher_date.isoformat(),
                "word": voucher.word,
                "attachments": str(voucher.attachments),
                "lines": typed_lines(entry_lines(current_session(), voucher)),
            }
            return self._page([cooperative], cooperative, typed, voucher)
        cooperatives, chosen = chosen_cooperative()
        if chosen is None:
            return self.render("coop/books/empty.html")
        day = request.args.get("date") or dt.date.today().isoformat()
        typed = {"date": day, "word": request.args.get("word") or "记", "attachments": "0", "lines": []}
        return self._page(cooperatives, chosen, typed, None)

    def _page(
        self, cooperatives: Any, cooperative: Cooperative, typed: Typed, voucher: Voucher | None, status: int = 200
    ) -> Any:
        lines = typed["lines"] + [
            {"summary": "", "account": "", "member": "", "poverty": "", "debit": "", "credit": "", "keep": ""}
            for _blank in range(max(BLANK_LINES - len(typed["lines"]), 1))
        ]
        return (
            self.render(
                "coop/books/entry.html",
                cooperatives=cooperatives,
                cooperative=cooperative,
                typed={**typed, "lines": lines},
                voucher=voucher,
                voucher_name=ledger.voucher_name(voucher) if voucher else "",
                accounts=account_choices(cooperative),
                members=member_choices(cooperative),
            ),
            status,
        )

    @expose("/save", methods=("POST",))
    def save(self) -> Any:
        """Write a new draft or change one; a refusal shows the voucher again as typed, with the reason."""
        self.require_write()
        cooperative = form_cooperative()
        voucher = voucher_in_reach(request.form["voucher"]) if request.form.get("voucher") else None
        if voucher is not None and voucher.cooperative_id != cooperative.id:
            abort(404)  # a form that names one cooperative and another's voucher
        typed = {
            "date": request.form.get("date", ""),
            "word": request.form.get("word", ""),
            "attachments": request.form.get("attachments", ""),
            "lines": posted_lines(),
        }
        session = current_session()
        try:
            saved = self._write(session, cooperative, voucher, typed)
        except CoopError as error:
            session.rollback()
            flash(error_text(error), "error")
            voucher = session.get(Voucher, voucher.id) if voucher is not None else None
            return self._page([cooperative], cooperative, typed, voucher, status=422)
        name = ledger.voucher_name(saved)
        session.commit()
        flash(_("Voucher {voucher} is saved as a draft.", voucher=name), "success")
        if voucher is not None:
            return redirect(url_for("book_vouchers.show", id=saved.id))
        # The next voucher of the day: a blank grid, the same date and word.
        return redirect(url_for(".index", cooperative=cooperative.id, date=typed["date"], word=saved.word))

    @staticmethod
    def _write(session: Session, cooperative: Cooperative, voucher: Voucher | None, typed: Typed) -> Voucher:
        lines = [entry_line(row) for row in typed["lines"]]
        on = voucher_day(typed["date"])
        attachments = attachment_count(typed["attachments"])
        summary = next((line.summary for line in lines if line.summary), "")
        by = acting_user()
        if voucher is None:
            return ledger.add_voucher(
                session, cooperative, on=on, summary=summary, lines=lines, by=by, word=typed["word"],
                attachments=attachments,
            )  # fmt: skip
        version = request.form.get("version", type=int)
        if version is not None and version != voucher.version:
            raise ConcurrentChange()  # someone changed the draft since this page was opened
        return ledger.change_voucher(
            session, voucher, by=by, on=on, summary=summary, lines=lines, word=typed["word"], attachments=attachments
        )
