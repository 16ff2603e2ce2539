# mypy: allow-subclassing-any, allow-untyped-decorators
"""List filters whose options are labelled per request and limited to what the user may see."""

from __future__ import annotations

import enum
from collections.abc import Callable
from typing import Any

from flask import has_request_context
from flask_admin.contrib.sqla import filters
from sqlalchemy import ColumnElement, or_, select

from admin.access import current_scope
from admin.i18n import lazy
from admin.labels import enum_choices
from admin.lookups import cooperative_names, product_names
from coopcore.models import Member

Options = Callable[[], list[tuple[str, str]]]


class ChoiceFilter(filters.FilterEqual):
    """Equal to one of a list of options computed when the page is shown (labels in the reader's language)."""

    def __init__(self, column: Any, name: str, options: Options, coerce: Callable[[str], Any] = str) -> None:
        super().__init__(column, lazy(name))
        self.dynamic_options = options
        self.coerce = coerce

    def get_options(self, view: Any) -> list[tuple[str, str]] | None:
        return self.dynamic_options() if has_request_context() else None

    def clean(self, value: str) -> Any:
        return self.coerce(value)


def enum_filter(column: Any, name: str, enum_class: type[enum.Enum]) -> ChoiceFilter:
    """A filter on an enum column, by label."""
    return ChoiceFilter(column, name, lambda: enum_choices(enum_class), coerce=enum_class)


def cooperative_filter(column: Any) -> ChoiceFilter:
    """A filter on the cooperative, offering only the cooperatives the user can see."""
    return ChoiceFilter(
        column, "Cooperative", lambda: [(str(k), v) for k, v in cooperative_names().items()], coerce=int
    )


def product_filter(column: Any) -> ChoiceFilter:
    """A filter on the product."""
    return ChoiceFilter(column, "Product", lambda: [(str(k), v) for k, v in product_names().items()], coerce=int)


class MemberFilter(filters.BaseSQLAFilter):
    """The member by code, name or ID number, without joining the member table into the list query."""

    def __init__(self, column: Any) -> None:
        super().__init__(column, lazy("Member"))

    def apply(self, query: Any, value: str, alias: Any = None) -> Any:
        text = value.strip()
        matching: ColumnElement[bool] = or_(
            Member.code == text, Member.name.contains(text, autoescape=True), Member.id_number == text
        )
        members = select(Member.id).where(matching, current_scope().cooperatives(Member.cooperative_id))
        return query.filter(self.get_column(alias).in_(members))

    def operation(self) -> Any:
        return lazy("code, name or ID")


def date_between(column: Any, name: str = "Date") -> filters.DateBetweenFilter:
    """A date range (the date-range picker of Flask-Admin)."""
    return filters.DateBetweenFilter(column, lazy(name))


def text_equal(column: Any, name: str) -> filters.FilterEqual:
    """Equal to a typed text (grades: 特级, 一级 …)."""
    return filters.FilterEqual(column, lazy(name))


def year_filter(column: Any) -> filters.IntEqualFilter:
    """Equal to a year."""
    return filters.IntEqualFilter(column, lazy("Year"))
