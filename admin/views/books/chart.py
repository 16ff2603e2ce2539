# mypy: allow-subclassing-any, allow-untyped-decorators
"""会计科目: a cooperative's chart of accounts, read-only, and a form that adds a detail account under any account.

The chart's own accounts are data (coopcore/charts) and are never changed here; a detail account (50101 苹果销售
under 501) keeps its parent's class, side and auxiliaries (coopcore.services.ledger.add_account).
"""

from __future__ import annotations

from typing import Any

from flask import request, url_for
from flask_admin import expose
from sqlalchemy.orm import Session

from admin.i18n import _
from admin.views.books.common import BooksPage, account_names, form_cooperative, page_choice
from coopcore.errors import InvalidValue
from coopcore.services import ledger


class ChartPage(BooksPage):
    """Everyone who reads the cooperative sees its chart; accountants and administrators add detail accounts."""

    @expose("/")
    def index(self) -> Any:
        choice = page_choice()
        accounts = sorted(account_names(choice.cooperative).values(), key=lambda account: account.code)
        return self.render(
            "coop/books/chart.html",
            choice=choice,
            accounts=accounts,
            may_write=self.may_write(),
            parent=request.args.get("parent", ""),
        )

    @expose("/add", methods=("POST",))
    def add(self) -> Any:
        self.require_write()
        cooperative = form_cooperative()
        code = request.form.get("code", "").strip()
        name = request.form.get("name", "").strip()
        parent = request.form.get("parent", "").strip()
        back = url_for(".index", cooperative=cooperative.id)

        def step(session: Session) -> str:
            if not name:
                raise InvalidValue("A detail account needs a name.")
            added = ledger.add_account(session, cooperative, code, name, parent)
            return _("Account {code} {name} is added under {parent}.", code=added.code, name=added.name, parent=parent)

        return self.run_step(step, back)
