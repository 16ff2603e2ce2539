# mypy: allow-subclassing-any, allow-untyped-decorators
"""Trades (交易), income and expense, special funds: the dated books a closed year protects; and the notes to the
statements (附注) the accountant writes for a year."""

from __future__ import annotations

from typing import Any, ClassVar

from markupsafe import Markup
from sqlalchemy.orm import joinedload
from wtforms import SelectField, validators

from admin import filters
from admin.formatters import unit_quantity
from admin.forms import at_least, not_in_future
from admin.i18n import _, current_lang, lazy
from admin.views.choices import CooperativeIdField
from admin.views.cooperatives import cooperative_name
from admin.views.scoped import CooperativeRecords
from coopcore.i18n import render
from coopcore.models import (
    FundForm,
    FundSource,
    IncomeCategory,
    IncomeExpense,
    SpecialFund,
    SpecialPayable,
    SpecialPayableKind,
    StatementNote,
    Trade,
    TradeKind,
)
from coopcore.models.trade import TICKET_FIELDS
from coopcore.rules import books
from coopcore.rules.entries.accounts import BANK
from coopcore.rules.statements.note_sections import NUMBERED
from coopcore.rules.statements.notes import ITEMS, check_note, clean_text

COOPERATIVE_FIELD: dict[str, Any] = {"cooperative_id": CooperativeIdField(lazy("Cooperative"))}


def member_or_counterparty(view: Any, context: Any, model: Trade, name: str) -> Markup:
    """The member, or for non-member business the counterparty, marked as such (one column for both)."""
    if model.member is not None:
        return Markup("{}").format(model.member)
    return Markup('<span class="text-muted">{}</span> {}').format(_("Non-member:"), model.counterparty)


class TradeView(CooperativeRecords):
    """The transactions list: a million rows stay fast (index on cooperative and date, no N+1)."""

    model_class = Trade
    total_columns = ("amount",)
    totals_when_narrowed = True
    column_list = (
        "traded_on",
        "cooperative_id",
        "member",
        "product",
        "kind",
        "grade",
        "quantity",
        "unit_price",
        "amount",
        "ticket_no",
    )
    column_formatters: ClassVar[dict[str, Any]] = {
        "cooperative_id": cooperative_name,
        "member": member_or_counterparty,
        "quantity": unit_quantity(lambda trade: trade.unit),  # 28 袋, 9,572.2 kg: each ticket has its own unit
    }
    column_default_sort: ClassVar[list[tuple[str, bool]]] = [("traded_on", True), ("id", True)]
    column_searchable_list = ("ticket_no",)
    column_filters: ClassVar[list[Any]] = [
        filters.date_between(Trade.traded_on),
        filters.product_filter(Trade.product_id),
        filters.MemberFilter(Trade.member_id),
        filters.text_equal(Trade.grade, "Grade"),
        filters.enum_filter(Trade.kind, "Kind", TradeKind),
        filters.cooperative_filter(Trade.cooperative_id),
    ]
    form_columns = ("cooperative_id", "member", *TICKET_FIELDS, "ticket_no")
    form_extra_fields = COOPERATIVE_FIELD
    form_args: ClassVar[dict[str, Any]] = {
        "member": {"allow_blank": True, "blank_text": "—"},
        "traded_on": {"validators": [not_in_future]},
        "quantity": {"validators": [at_least(0, inclusive=False)]},
        "unit_price": {"validators": [at_least(0, inclusive=False)]},
        "amount": {"validators": [validators.Optional()], "description": lazy("Leave empty: quantity × unit price")},
        "service_fee": {
            "validators": [validators.Optional()],
            "description": lazy("Inputs only: the fee charged to the member, booked as income (501)"),
        },
    }
    list_options = (joinedload(Trade.member), joinedload(Trade.product))
    ids_first = True
    computed: ClassVar[dict[str, Any]] = {"amount": lambda trade: books.trade_amount(trade.quantity, trade.unit_price)}
    rules = (books.check_member_cooperative, books.check_trade_party, books.check_trade_amount, books.check_service_fee)
    rule_fields: ClassVar[dict[str, str]] = {"member_cooperative_id": "member.cooperative_id"}


class IncomeExpenseView(CooperativeRecords):
    model_class = IncomeExpense
    column_list = (
        "recorded_on", "cooperative_id", "category", "amount", "memo", "counter_account", "voucher_no", "source"
    )  # fmt: skip
    column_formatters: ClassVar[dict[str, Any]] = {"cooperative_id": cooperative_name}
    column_default_sort: ClassVar[list[tuple[str, bool]]] = [("recorded_on", True), ("id", True)]
    column_searchable_list = ("memo", "voucher_no")
    column_filters: ClassVar[list[Any]] = [
        filters.date_between(IncomeExpense.recorded_on),
        filters.enum_filter(IncomeExpense.category, "Category", IncomeCategory),
        filters.cooperative_filter(IncomeExpense.cooperative_id),
    ]
    form_columns = ("cooperative_id", "recorded_on", "category", "amount", "memo", "counter_account", "voucher_no")
    form_extra_fields = COOPERATIVE_FIELD
    # The 对方科目 is checked where the row is booked (coopcore.rules.entries.check_counter_account, then the
    # cooperative's chart): a refusal comes back as the form's message, and nothing is saved.
    form_args: ClassVar[dict[str, Any]] = {
        "recorded_on": {"validators": [not_in_future]},
        "counter_account": {"default": BANK},
    }
    created_values: ClassVar[dict[str, Any]] = {"source": "admin"}
    rules = (books.check_income_sign,)


class SpecialFundView(CooperativeRecords):
    model_class = SpecialFund
    total_columns = ("amount",)
    column_list = (
        "received_on", "cooperative_id", "source", "form", "amount", "memo", "is_poverty_asset", "disposed_on"
    )  # fmt: skip
    column_formatters: ClassVar[dict[str, Any]] = {"cooperative_id": cooperative_name}
    column_default_sort: ClassVar[list[tuple[str, bool]]] = [("received_on", True)]
    column_filters: ClassVar[list[Any]] = [
        filters.date_between(SpecialFund.received_on, "Received on"),
        filters.enum_filter(SpecialFund.source, "Source", FundSource),
        filters.enum_filter(SpecialFund.form, "How it was formed", FundForm),
        filters.cooperative_filter(SpecialFund.cooperative_id),
    ]
    form_columns = (
        "cooperative_id", "received_on", "source", "form", "asset_account", "amount", "memo", "is_poverty_asset",
        "disposed_on",
    )  # fmt: skip
    form_extra_fields = COOPERATIVE_FIELD
    form_args: ClassVar[dict[str, Any]] = {
        "amount": {"validators": [at_least(0, inclusive=False)]},
        "received_on": {"validators": [not_in_future]},
        "asset_account": {"description": lazy("151 unless named: 141, 142, 153 or 161; money donated goes to 102")},
    }
    rules = (books.check_fund_dates, books.check_fund_form)


class SpecialPayableView(CooperativeRecords):
    """Subsidy money on 235 专项应付款 that forms no property; the vouchers follow each row."""

    model_class = SpecialPayable  # no total: money in and money out are both positive amounts
    column_list = ("moved_on", "cooperative_id", "kind", "amount", "project", "expense_account", "memo")
    column_formatters: ClassVar[dict[str, Any]] = {"cooperative_id": cooperative_name}
    column_default_sort: ClassVar[list[tuple[str, bool]]] = [("moved_on", True), ("id", True)]
    column_searchable_list = ("project", "memo")
    column_filters: ClassVar[list[Any]] = [
        filters.date_between(SpecialPayable.moved_on),
        filters.enum_filter(SpecialPayable.kind, "Kind", SpecialPayableKind),
        filters.cooperative_filter(SpecialPayable.cooperative_id),
    ]
    form_columns = ("cooperative_id", "moved_on", "kind", "amount", "project", "expense_account", "memo")
    form_extra_fields = COOPERATIVE_FIELD
    form_args: ClassVar[dict[str, Any]] = {
        "amount": {"validators": [at_least(0, inclusive=False)]},
        "moved_on": {"validators": [not_in_future]},
        "expense_account": {"description": lazy("Only when applied to spending already booked: 521 or 523 (523)")},
    }


def note_item_choices() -> list[tuple[int, str]]:
    """The nine items of the notes, numbered and named in the reader's language."""
    lang = current_lang()
    return [(number, render(NUMBERED, lang, number=number, title=render(title, lang)))
            for number, title in enumerate(ITEMS, start=1)]  # fmt: skip


def note_item(view: Any, context: Any, model: StatementNote, name: str) -> str:
    """An item by its number and name (附注 3、成员权益结构)."""
    return dict(note_item_choices()).get(model.item, str(model.item))


def note_start(view: Any, context: Any, model: StatementNote, name: str) -> str:
    """The start of an item's text: the list shows which item says what, the form all of it."""
    body = model.body or ""
    return body if len(body) <= 60 else body[:60] + "…"


class StatementNoteView(CooperativeRecords):
    """The notes to the statements (附注) as the accountant writes them, per cooperative, year and item; items 2, 3
    and 7 add to what the books and the register say (`coop statements`, the statements' PDF)."""

    model_class = StatementNote
    column_list = ("year", "cooperative_id", "item", "body")
    extra_labels: ClassVar[dict[str, str]] = {"item": "Notes item", "body": "Text"}
    column_formatters: ClassVar[dict[str, Any]] = {
        "cooperative_id": cooperative_name, "item": note_item, "body": note_start
    }  # fmt: skip
    column_default_sort: ClassVar[list[tuple[str, bool]]] = [("year", True), ("item", False)]
    column_searchable_list = ("body",)
    column_filters: ClassVar[list[Any]] = [
        filters.year_filter(StatementNote.year),
        filters.cooperative_filter(StatementNote.cooperative_id),
    ]
    form_columns = ("cooperative_id", "year", "item", "body")
    form_extra_fields = COOPERATIVE_FIELD
    form_overrides: ClassVar[dict[str, Any]] = {"item": SelectField}
    form_args: ClassVar[dict[str, Any]] = {
        "item": {"choices": note_item_choices, "coerce": int},
        "body": {"render_kw": {"rows": 12}},
    }
    rules = (check_note,)

    def on_model_change(self, form: Any, model: StatementNote, is_created: bool) -> None:
        model.body = clean_text(model.body)  # kept as the command line keeps it (set_note)
        super().on_model_change(form, model, is_created)
