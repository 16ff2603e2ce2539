"""How values look in lists and details: enums by label, dates localized, money, quantities and rates by scale."""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from sqlalchemy import inspect

from admin import i18n
from admin.access import current_scope
from admin.i18n import _
from admin.labels import enum_label
from coopcore.db.types import ExactDecimal
from coopcore.validation.bank_account import format_account, mask_account


def _format_value(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return enum_label(value)
    if isinstance(value, dt.datetime):
        return i18n.moment(value)
    if isinstance(value, dt.date):
        return i18n.day(value)
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    return value


def _type_formatter(view: Any, value: Any, name: str) -> Any:
    return _format_value(value)


# Flask-Admin looks formatters up by isinstance, in order.
TYPE_FORMATTERS: dict[type, Callable[..., Any]] = {
    type(None): lambda view, value, name: "",
    enum.Enum: _type_formatter,
    bool: _type_formatter,
    dt.datetime: _type_formatter,
    dt.date: _type_formatter,
    list: lambda view, values, name: "、".join(str(_format_value(v)) for v in values),
}


def quantity_with_unit(value: Decimal | None, unit: str | None) -> str:
    """A quantity and its unit as people write them: 28 袋, 9,572.2 kg; the number alone if the unit is unknown."""
    shown = i18n.quantity(value)
    return f"{shown} {unit}" if shown and unit else shown


def unit_quantity(unit_of: Callable[[Any], str | None]) -> Callable[..., str]:
    """The formatter of a quantity column whose unit the record tells (a trade's own, a delivery's contract's)."""

    def formatter(view: Any, context: Any, model: Any, name: str) -> str:
        return quantity_with_unit(getattr(model, name), unit_of(model))

    return formatter


def account_for_reader(number: str | None, cooperative_id: int | None) -> str:
    """A household's bank card or account number as this reader may see it (lists, details, exports, the audit log).

    Whole, in groups of four, for whoever keeps the cooperative's books; masked (6222 **** **** 0123) for everyone
    else who reads them: the rule is coopcore.services.access.Scope.keeps_books.
    """
    if not number:
        return ""
    return format_account(number) if current_scope().keeps_books(cooperative_id) else mask_account(number)


def payee_account(view: Any, context: Any, model: Any, name: str) -> str:
    """The column formatter of a member's payee account number (see account_for_reader)."""
    return account_for_reader(getattr(model, name), model.cooperative_id)


def _decimal_formatter(scale: int) -> Callable[..., str]:
    shown = {2: i18n.money, 4: i18n.quantity, 6: i18n.percent}[scale]

    def formatter(view: Any, context: Any, model: Any, name: str) -> str:
        return shown(getattr(model, name))

    return formatter


def decimal_scales(model: type[Any]) -> dict[str, int]:
    """The exact-decimal columns of a model and their scales (2 money, 4 quantities and areas, 6 rates)."""
    scales = {}
    for attribute in inspect(model).column_attrs:
        column_type = attribute.columns[0].type
        if isinstance(column_type, ExactDecimal):
            scales[attribute.key] = column_type.scale
    return scales


def decimal_formatters(model: type[Any]) -> dict[str, Callable[..., str]]:
    """Money as ¥1,234.56, quantities without trailing zeros, rates as percentages, by the column's scale."""
    return {key: _decimal_formatter(scale) for key, scale in decimal_scales(model).items()}
