# mypy: allow-subclassing-any, allow-untyped-decorators
"""Cooperatives, their bylaws and fiscal years, distributions (read-only), order contracts and deliveries."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, ClassVar

from flask import url_for
from markupsafe import Markup
from sqlalchemy import ColumnElement, inspect
from sqlalchemy.orm import joinedload

from admin import filters
from admin.access import Scope, current_scope
from admin.database import database
from admin.formatters import unit_quantity
from admin.forms import at_least, between, credit_code_valid
from admin.i18n import _, lazy
from admin.lookups import cooperative_names
from admin.views import choices
from admin.views.scoped import ContractRecords, CooperativeRecords
from coopcore.errors import RuleViolation
from coopcore.models import (
    Bylaws,
    Contract,
    Cooperative,
    CooperativeStatus,
    Delivery,
    Distribution,
    DistributionState,
    FiscalYear,
    FiscalYearState,
    PriceRule,
    ProductTradeModel,
    TradeModel,
)
from coopcore.rules import books
from coopcore.services import trade_models


def cooperative_name(view: Any, context: Any, model: Any, name: str) -> str:
    """The cooperative of a record that stores only its id (one query per page, not per row)."""
    return cooperative_names().get(model.cooperative_id, "")


def statements_link(view: Any, context: Any, model: Any, name: str) -> Markup:
    """The cooperative's statements (会计报表): of the row's year on a fiscal year, else of its latest books year."""
    cooperative_id = model.cooperative_id if isinstance(model, FiscalYear) else model.id
    year = model.year if isinstance(model, FiscalYear) else None
    url = url_for("book_statements.index", cooperative=cooperative_id, year=year)
    return Markup('<a href="{}">{}</a>').format(url, _("Statements"))


class CooperativeView(CooperativeRecords):
    model_class = Cooperative
    column_list = (
        "name", "credit_code", "village", "business_type", "brand", "status", "is_federation", "founded_on",
        "statements",
    )  # fmt: skip
    column_export_exclude_list = ("statements",)
    extra_labels: ClassVar[dict[str, str]] = {"statements": "Statements"}
    column_formatters: ClassVar[dict[str, Any]] = {"statements": statements_link}
    column_searchable_list = ("name", "credit_code", "brand")
    column_filters: ClassVar[list[Any]] = [
        filters.enum_filter(Cooperative.status, "Status", CooperativeStatus),
        filters.ChoiceFilter(
            Cooperative.is_federation,
            "Federation",
            lambda: [("1", _("Yes")), ("0", _("No"))],
            coerce=lambda v: v == "1",
        ),
    ]
    column_default_sort = "name"
    form_columns = (
        "name",
        "credit_code",
        "village",
        "party_branch",
        "founded_on",
        "business_type",
        "brand",
        "status",
        "is_federation",
        "ledger_single_person",
        "ledger_review_events",
        "ledger_books_sales",
        "trade_model",
    )
    form_args: ClassVar[dict[str, Any]] = {
        "credit_code": {"validators": [credit_code_valid]},
        "village": {"query_factory": choices.cooperative_villages},
        "party_branch": {"query_factory": choices.cooperative_party_branches, "allow_blank": True},
        "ledger_single_person": {
            "description": lazy(
                "For a cooperative with a single accountant: the preparer may audit their own vouchers, and the "
                "printed voucher says so."
            )
        },
        "ledger_review_events": {
            "description": lazy(
                "Vouchers booked from business events wait for an accountant's audit before the month can close."
            )
        },
        # Saving books the contracts' sales or takes them out (coopcore.services.ledger.sync.follow_settings).
        "ledger_books_sales": {
            "description": lazy(
                "Off: sales to leading enterprises reach the books through the income and expense rows. On: each "
                "contract's advance, deliveries and payments are booked from its records; leave those sales out "
                "of the income rows, or the year's surplus counts them twice."
            )
        },
    }
    list_options = (joinedload(Cooperative.village),)
    admin_creates = admin_deletes = True  # a new cooperative belongs to no accountant yet

    def scope_clause(self, scope: Scope) -> ColumnElement[bool]:
        return scope.cooperatives(Cooperative.id)

    def owner_writable(self, scope: Scope, model: Any) -> bool:
        return scope.writes(self.area) and (scope.is_admin or scope.has_cooperative(model.id))

    def check_writable(self, model: Any) -> None:
        super().check_writable(model)
        if not current_scope().moves_cooperatives and inspect(model).attrs.village.history.has_changes():
            raise RuleViolation("Only an administrator can move a cooperative to another village.")

    def on_model_change(self, form: Any, model: Any, is_created: bool) -> None:
        super().on_model_change(form, model, is_created)
        if not is_created and inspect(model).attrs.trade_model.history.has_changes():
            # The bylaws' model changed: the intake not yet posted is booked again (a closed month refuses).
            trade_models.rebook_intake(database().session(), model)


class ProductTradeModelView(CooperativeRecords):
    """Products a cooperative's bylaws take under another model than its default; saving rebooks its intake."""

    model_class = ProductTradeModel
    column_list = ("cooperative", "product", "model")
    column_default_sort: ClassVar[list[tuple[str, bool]]] = [("cooperative_id", False)]
    column_filters: ClassVar[list[Any]] = [
        filters.cooperative_filter(ProductTradeModel.cooperative_id),
        filters.enum_filter(ProductTradeModel.model, "Trade model", TradeModel),
    ]
    form_columns = ("cooperative", "product", "model")
    list_options = (joinedload(ProductTradeModel.cooperative), joinedload(ProductTradeModel.product))

    def on_model_change(self, form: Any, model: Any, is_created: bool) -> None:
        super().on_model_change(form, model, is_created)
        session = database().session()
        history = inspect(model).attrs.cooperative_id.history
        session.flush()  # the override is what the intake is booked with
        for cooperative_id in {model.cooperative_id, *history.deleted}:  # moved to another cooperative: both
            cooperative = session.get(Cooperative, cooperative_id)
            if cooperative is not None:
                trade_models.rebook_intake(session, cooperative)

    def on_model_delete(self, model: Any) -> None:
        super().on_model_delete(model)
        session = database().session()
        trade_models.rebook_intake_at_commit(session, session.get_one(Cooperative, model.cooperative_id))


class BylawsView(CooperativeRecords):
    model_class = Bylaws
    column_list = (
        "cooperative",
        "effective_on",
        "provident_fund_rate",
        "patronage_ratio",
        "provident_basis",
        "patronage_measure",
        "land_guarantee_treatment",
        "resolution",
    )
    column_default_sort: ClassVar[list[tuple[str, bool]]] = [("cooperative_id", False), ("effective_on", True)]
    column_filters: ClassVar[list[Any]] = [filters.cooperative_filter(Bylaws.cooperative_id)]
    form_columns = (
        "cooperative",
        "effective_on",
        "provident_fund_rate",
        "patronage_ratio",
        "provident_basis",
        "patronage_measure",
        "land_guarantee_treatment",
        "resolution",
    )
    form_args: ClassVar[dict[str, Any]] = {
        # [L-44] at least 60% back by patronage; the provident fund at a charter rate (the DB checks the same bounds).
        "patronage_ratio": {"validators": [between(Decimal("0.6"), Decimal("1"))]},
        "provident_fund_rate": {"validators": [between(Decimal("0"), Decimal("0.5"))]},
    }
    list_options = (joinedload(Bylaws.cooperative),)


class FiscalYearView(CooperativeRecords):
    """Fiscal years change state only through the distribution (posting closes, reversing reopens)."""

    model_class = FiscalYear
    allow_create = allow_edit = allow_delete = False
    column_list = ("cooperative", "year", "state", "opening_undistributed", "closed_at", "statements")
    column_export_exclude_list = ("statements",)
    extra_labels: ClassVar[dict[str, str]] = {"statements": "Statements"}
    column_formatters: ClassVar[dict[str, Any]] = {"statements": statements_link}
    column_default_sort: ClassVar[list[tuple[str, bool]]] = [("year", True), ("cooperative_id", False)]
    column_filters: ClassVar[list[Any]] = [
        filters.cooperative_filter(FiscalYear.cooperative_id),
        filters.year_filter(FiscalYear.year),
        filters.enum_filter(FiscalYear.state, "State", FiscalYearState),
    ]
    list_options = (joinedload(FiscalYear.cooperative),)


def distribution_link(view: Any, context: Any, model: Distribution, name: str) -> Markup:
    url = url_for("distribution.index", cooperative=model.cooperative_id, year=model.year)
    return Markup('<a href="{}">{}</a>').format(url, _("Open the distribution page"))


class DistributionView(CooperativeRecords):
    """Distributions are changed only through the distribution page's buttons (services); listed read-only."""

    model_class = Distribution
    allow_create = allow_edit = allow_delete = False
    column_list = (
        "cooperative",
        "year",
        "revision",
        "state",
        "surplus",
        "distributable",
        "patronage_pool",
        "residual_pool",
        "published_on",
        "assembly_on",
        "posted_at",
        "page",
    )
    column_details_exclude_list = ("lines",)
    column_export_exclude_list = ("page",)
    extra_labels: ClassVar[dict[str, str]] = {"page": "Workflow"}
    column_formatters: ClassVar[dict[str, Any]] = {"page": distribution_link}
    column_default_sort: ClassVar[list[tuple[str, bool]]] = [("year", True), ("cooperative_id", False)]
    column_filters: ClassVar[list[Any]] = [
        filters.cooperative_filter(Distribution.cooperative_id),
        filters.year_filter(Distribution.year),
        filters.enum_filter(Distribution.state, "State", DistributionState),
    ]
    list_options = (joinedload(Distribution.cooperative),)


class ContractView(CooperativeRecords):
    model_class = Contract
    column_list = (
        "code",
        "cooperative",
        "enterprise",
        "product",
        "signed_on",
        "start_on",
        "end_on",
        "quantity",
        "price_rule",
        "deposit",
    )
    column_formatters: ClassVar[dict[str, Any]] = {"quantity": unit_quantity(lambda contract: contract.unit)}
    column_searchable_list = ("code",)
    column_default_sort: ClassVar[list[tuple[str, bool]]] = [("signed_on", True)]
    column_filters: ClassVar[list[Any]] = [
        filters.cooperative_filter(Contract.cooperative_id),
        filters.enum_filter(Contract.price_rule, "Price rule", PriceRule),
        filters.date_between(Contract.signed_on, "Signed on"),
    ]
    form_columns = (
        "cooperative",
        "enterprise",
        "code",
        "product",
        "signed_on",
        "start_on",
        "end_on",
        "quantity",
        "unit",
        "tolerance",
        "price_rule",
        "fixed_price",
        "protective_price",
        "premium",
        "advance",
        "deposit",
        "shortfall_penalty_per_unit",
        "payment_term_days",
    )
    form_args: ClassVar[dict[str, Any]] = {
        name: {"validators": [at_least(0)]}
        for name in ("fixed_price", "protective_price", "premium", "advance", "deposit", "tolerance")
    } | {"quantity": {"validators": [at_least(0, inclusive=False)]}}
    list_options = (joinedload(Contract.cooperative), joinedload(Contract.enterprise), joinedload(Contract.product))
    rules = (books.check_price_terms, books.check_contract_term)


class DeliveryView(ContractRecords):
    model_class = Delivery
    total_columns = ("paid_amount",)
    column_list = (
        "contract",
        "delivered_on",
        "grade",
        "quantity",
        "accepted_quantity",
        "market_price",
        "paid_amount",
        "paid_on",
        "ticket_no",
    )
    # A delivery is counted in its contract's unit.
    column_formatters: ClassVar[dict[str, Any]] = {
        name: unit_quantity(lambda delivery: delivery.contract.unit) for name in ("quantity", "accepted_quantity")
    }
    column_default_sort: ClassVar[list[tuple[str, bool]]] = [("delivered_on", True)]
    column_searchable_list = ("ticket_no", "grade")
    column_filters: ClassVar[list[Any]] = [filters.date_between(Delivery.delivered_on, "Delivered on")]
    form_columns = (
        "contract",
        "delivered_on",
        "grade",
        "quantity",
        "accepted_quantity",
        "market_price",
        "paid_amount",
        "paid_on",
        "ticket_no",
    )
    form_args: ClassVar[dict[str, Any]] = {
        "quantity": {"validators": [at_least(0, inclusive=False)]},
        "accepted_quantity": {"validators": [at_least(0)]},
        "paid_amount": {"validators": [at_least(0)]},
    }
    list_options = (joinedload(Delivery.contract),)
    rules = (books.check_accepted_quantity,)
