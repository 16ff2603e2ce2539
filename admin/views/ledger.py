# mypy: allow-subclassing-any, allow-untyped-decorators
"""Trades (交易), income and expense, special funds: the dated books a closed year protects."""

from __future__ import annotations

from typing import Any, ClassVar

from markupsafe import Markup
from sqlalchemy.orm import joinedload
from wtforms import Form, validators  # type: ignore[import-untyped]

from admin import filters
from admin.formatters import unit_quantity
from admin.forms import at_least, not_in_future
from admin.i18n import _, lazy
from admin.views.choices import CooperativeIdField
from admin.views.cooperatives import cooperative_name
from admin.views.scoped import CooperativeRecords
from coopcore.errors import InvalidValue
from coopcore.models import FundSource, IncomeCategory, IncomeExpense, SpecialFund, Trade, TradeKind
from coopcore.money import round_half_up

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
    form_columns = (
        "cooperative_id",
        "member",
        "counterparty",
        "kind",
        "traded_on",
        "product",
        "grade",
        "quantity",
        "unit",
        "unit_price",
        "amount",
        "ticket_no",
    )
    form_extra_fields = COOPERATIVE_FIELD
    form_args: ClassVar[dict[str, Any]] = {
        "member": {"allow_blank": True, "blank_text": "—"},
        "traded_on": {"validators": [not_in_future]},
        "quantity": {"validators": [at_least(0, inclusive=False)]},
        "unit_price": {"validators": [at_least(0, inclusive=False)]},
        "amount": {"validators": [validators.Optional()], "description": lazy("Leave empty: quantity × unit price")},
    }
    list_options = (joinedload(Trade.member), joinedload(Trade.product))
    ids_first = True

    def apply_rules(self, form: Form, model: Any, is_created: bool) -> None:
        if model.member is not None and model.member.cooperative_id != model.cooperative_id:
            raise InvalidValue("The member {member} is not a member of this cooperative.", member=str(model.member))
        if model.member is None and not (model.counterparty or "").strip():
            raise InvalidValue("Name the member, or the counterparty of non-member business.")
        expected = round_half_up(model.quantity * model.unit_price)  # the amount is rounded half-up to the fen
        if model.amount is None:
            model.amount = expected
        elif model.amount != expected:
            raise InvalidValue(
                "The amount {amount} is not quantity × unit price = {expected}.", amount=model.amount, expected=expected
            )


class IncomeExpenseView(CooperativeRecords):
    model_class = IncomeExpense
    column_list = ("recorded_on", "cooperative_id", "category", "amount", "memo", "voucher_no", "source")
    column_formatters: ClassVar[dict[str, Any]] = {"cooperative_id": cooperative_name}
    column_default_sort: ClassVar[list[tuple[str, bool]]] = [("recorded_on", True), ("id", True)]
    column_searchable_list = ("memo", "voucher_no")
    column_filters: ClassVar[list[Any]] = [
        filters.date_between(IncomeExpense.recorded_on),
        filters.enum_filter(IncomeExpense.category, "Category", IncomeCategory),
        filters.cooperative_filter(IncomeExpense.cooperative_id),
    ]
    form_columns = ("cooperative_id", "recorded_on", "category", "amount", "memo", "voucher_no")
    form_extra_fields = COOPERATIVE_FIELD
    form_args: ClassVar[dict[str, Any]] = {"recorded_on": {"validators": [not_in_future]}}

    def apply_rules(self, form: Form, model: Any, is_created: bool) -> None:
        # Only investment income (511) may be a loss; every other account carries its sign in the category.
        if model.amount < 0 and model.category is not IncomeCategory.INVESTMENT_INCOME:
            raise InvalidValue("Only investment income may be negative (a loss).")
        if is_created:
            model.source = "admin"


class SpecialFundView(CooperativeRecords):
    model_class = SpecialFund
    total_columns = ("amount",)
    column_list = ("received_on", "cooperative_id", "source", "amount", "memo", "is_poverty_asset", "disposed_on")
    column_formatters: ClassVar[dict[str, Any]] = {"cooperative_id": cooperative_name}
    column_default_sort: ClassVar[list[tuple[str, bool]]] = [("received_on", True)]
    column_filters: ClassVar[list[Any]] = [
        filters.date_between(SpecialFund.received_on, "Received on"),
        filters.enum_filter(SpecialFund.source, "Source", FundSource),
        filters.cooperative_filter(SpecialFund.cooperative_id),
    ]
    form_columns = ("cooperative_id", "received_on", "source", "amount", "memo", "is_poverty_asset", "disposed_on")
    form_extra_fields = COOPERATIVE_FIELD
    form_args: ClassVar[dict[str, Any]] = {
        "amount": {"validators": [at_least(0, inclusive=False)]},
        "received_on": {"validators": [not_in_future]},
    }

    def apply_rules(self, form: Form, model: Any, is_created: bool) -> None:
        if model.disposed_on is not None and model.disposed_on < model.received_on:
            raise InvalidValue("The property is disposed of before it was received.")
