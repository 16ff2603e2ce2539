# mypy: allow-subclassing-any, allow-untyped-decorators
"""The base views: where every model view enforces access and every page button runs its step.

Each request to a model view passes `_handle_view` (sign-in, the role's right to read the view and to do the
requested thing: create, edit, delete, details, export, action), then `get_query` / `get_count_query` /
`get_one` (only records within the user's reach; another cooperative's id is a 404), then `on_model_change`
/ `on_model_delete` (the record, as it would be saved, must be within the user's writable reach; a saved record
must then pass the view's declared `rules`, the same functions of coopcore.rules the workbook imports call).
coopcore's refusals become messages in admin.errors.
"""

from __future__ import annotations

import inspect as pyinspect
from collections.abc import Callable
from decimal import Decimal
from functools import cache
from typing import Any, ClassVar
from urllib.parse import urlencode

from flask import abort, flash, has_request_context, redirect, request, url_for
from flask_admin import BaseView
from flask_admin.babel import gettext as flask_admin_text
from flask_admin.contrib.sqla import ModelView
from flask_admin.helpers import get_redirect_target
from flask_admin.tools import rec_getattr
from flask_login import current_user
from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup, escape
from sqlalchemy import Column, ColumnElement, func, inspect, true
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.sql.elements import True_
from werkzeug.datastructures import iter_multi_items
from werkzeug.exceptions import HTTPException
from wtforms import Form, IntegerField
from wtforms.validators import Optional
from wtforms.widgets import HiddenInput

from admin import errors, i18n, keyset
from admin.access import Area, Scope, current_scope
from admin.database import RequestSession, database
from admin.formatters import TYPE_FORMATTERS, decimal_formatters, decimal_scales
from admin.forms import CoopForm, CoopModelConverter
from admin.i18n import _, lazy
from admin.keyset import SEEK_ARGS, SortKey
from admin.labels import FIELD_LABELS
from admin.row_actions import DeleteRow, row_actions
from admin.views.choices import RELATION_ARGS
from coopcore.errors import InvalidValue
from coopcore.rules.findings import Finding
from coopcore.services.ledger import sync as ledger_sync
from coopcore.services.safe_cells import csv_text

# The characters werkzeug's url_for leaves unescaped in a query (werkzeug.urls._urlencode).
URL_SAFE = "!$'()*,/:;?@"
# The endpoints of Flask-Admin's model views that change data, and the right each one needs.
WRITE_ENDPOINTS = {"create_view": "can_create", "edit_view": "can_edit", "delete_view": "can_delete"}
OTHER_ENDPOINTS = {"details_view": "can_view_details", "export": "can_export"}
VERSION = "version"  # the row version column of coopcore.db.base.OptimisticLock
Rule = Callable[..., list[Finding]]  # a record rule of coopcore.rules: the record's fields in, findings out


def login_redirect() -> Any:
    """Send an anonymous visitor to the sign-in page, remembering where they were going."""
    return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))


class CoopModelView(ModelView):
    """A model view whose rights come from the area its records belong to and the user's reach."""

    area: ClassVar[Area] = Area.BOOKS
    # What the view offers at most; append-only records turn these off whoever looks.
    allow_create: ClassVar[bool] = True
    allow_edit: ClassVar[bool] = True
    allow_delete: ClassVar[bool] = True
    # Records nobody below an administrator may add or remove (e.g. cooperatives themselves).
    admin_creates: ClassVar[bool] = False
    admin_deletes: ClassVar[bool] = False

    list_template = "coop/list.html"
    form_base_class = CoopForm
    model_form_converter = CoopModelConverter
    column_type_formatters = TYPE_FORMATTERS
    column_type_formatters_detail = TYPE_FORMATTERS
    column_display_pk = False
    can_view_details = True
    can_export = True
    can_set_page_size = True
    page_size = 20
    page_size_options = (20, 50, 100)
    export_max_rows = 100_000
    # Labels of columns beyond FIELD_LABELS (English msgids, translated when shown).
    extra_labels: ClassVar[dict[str, str]] = {}
    column_labels: ClassVar[dict[str, Any]] = {}
    column_formatters: ClassVar[dict[str, Any]] = {}
    numeric_columns: ClassVar[list[str]] = []  # exact decimals, right-aligned in lists
    # Money columns summed in the list's totals row, over every row the list finds (all its pages). Only sums
    # that mean something: amounts, not prices; quantities of different units never.
    total_columns: ClassVar[tuple[str, ...]] = ()
    # A table too big to sum on every page (a county's million trades) shows its total once it is filtered or
    # searched: the accountant's month or member, not the whole table on every click.
    totals_when_narrowed: ClassVar[bool] = False
    # The column that names a row (a member's name): kept in sight when a wide list scrolls sideways.
    sticky_column: ClassVar[str | None] = None
    form_args: ClassVar[dict[str, Any]] = {}
    model_class: ClassVar[type[Any]]
    # The record rules (coopcore.rules) every create and edit must pass. Each argument of a rule is read from the
    # record by its name, or by the path `rule_fields` gives it (a related record's field: "parcel.area_mu").
    rules: ClassVar[tuple[Rule, ...]] = ()
    rule_fields: ClassVar[dict[str, str]] = {}
    # Fields the form may leave blank, computed from the record before the rules run (a trade's amount).
    computed: ClassVar[dict[str, Callable[[Any], Any]]] = {}
    # What a record created here is stamped with (where it came from).
    created_values: ClassVar[dict[str, Any]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        """Complete a concrete view's declarations: labels, money/quantity/rate formatters, scoped selects."""
        super().__init_subclass__(**kwargs)
        model = cls.__dict__.get("model_class")
        if model is None:
            return
        if inspect(model).version_id_col is not None:  # the row version is for the edit form's check only
            for name in ("column_exclude_list", "column_details_exclude_list", "column_export_exclude_list",
                         "form_excluded_columns"):  # fmt: skip
                current = getattr(cls, name, None)  # Flask-Admin's defaults are None or a descriptor
                setattr(cls, name, (*(current if isinstance(current, list | tuple) else ()), VERSION))
        cls.column_labels = {key: lazy(text) for key, text in {**FIELD_LABELS, **cls.extra_labels}.items()}
        cls.column_formatters = {**decimal_formatters(model), **cls.column_formatters}
        cls.numeric_columns = sorted(decimal_formatters(model))
        money = {key for key, scale in decimal_scales(model).items() if scale == 2}
        if not set(cls.total_columns) <= money:
            raise TypeError(f"{cls.__name__}.total_columns must be money columns: {set(cls.total_columns) - money}")
        # Relationship selects offer only records within the user's reach (admin.views.choices); a plain column of
        # the same name (a subsidy's project, typed as text) stays a text field.
        linked = set(inspect(model).relationships.keys()) & set(cls.form_columns or ())
        relations = {key: dict(args) for key, args in RELATION_ARGS.items() if key in linked}
        for key, args in cls.form_args.items():
            relations[key] = {**relations.get(key, {}), **args}
        cls.form_args = relations
        for rule in cls.rules:  # a rule argument the record does not have would be read as None: refuse it here
            for name in _arguments(rule):
                if not hasattr(model, cls.rule_fields.get(name, name).split(".")[0]):
                    raise TypeError(f"{cls.__name__}: {model.__name__} has no {name} for {rule.__name__}")

    def __init__(self, session: RequestSession, name: str, *, endpoint: str, category: str | None = None) -> None:
        super().__init__(self.model_class, session, name=name, endpoint=endpoint, category=category)

    # ----- who may do what --------------------------------------------------------------------------------------
    def _role_may(self, write: bool, admin_only: bool = False) -> bool:
        if not has_request_context():
            return True  # at set-up time Flask-Admin asks what the view can do at most
        if not current_user.is_authenticated:
            return False
        scope = current_scope()
        if admin_only and not scope.is_admin:
            return False
        return scope.writes(self.area) if write else scope.reads(self.area)

    @property
    def can_create(self) -> bool:
        return self.allow_create and self._role_may(write=True, admin_only=self.admin_creates)

    @property
    def can_edit(self) -> bool:
        return self.allow_edit and self._role_may(write=True)

    @property
    def can_delete(self) -> bool:
        return self.allow_delete and self._role_may(write=True, admin_only=self.admin_deletes)

    def get_list_row_actions(self) -> list[Any]:
        return row_actions(self)

    def delete_form(self) -> Any:
        # The list's delete buttons (admin.row_actions) write their own fields: only the delete view needs the form.
        if request.endpoint == f"{self.endpoint}.index_view":
            return None
        return super().delete_form()

    @pass_context
    def list_rows(self, context: Context, rows: list[Any], columns: list[tuple[str, Any]], actions: Any) -> Markup:
        """A list page's rows, as Flask-Admin's list.html writes them (see coop/list.html), in one call."""
        # escape() and plain strings, not Markup.format: a page has 200+ cells and format() is several times slower.
        value = self._get_list_value
        formatters, type_formatters = self.column_formatters, self.column_type_formatters
        buttons = context.resolve("list_row_actions") if self.column_display_actions else None
        select = escape(flask_admin_text("Select record"))
        kept = {str(i) for i in self.undeletable(rows)} if buttons is not None and self.can_delete else set()
        html = []
        for row in rows:
            row_id = self.get_pk_value(row)
            html.append("<tr>")
            if actions:
                html.append(
                    f'<td><input type="checkbox" name="rowid" class="action-checkbox" value="{escape(row_id)}"'
                    f' title="{select}" /></td>'
                )
            if buttons is not None:
                html.append('<td class="list-buttons-column">')
                html.extend(
                    button.render(context, row_id, row)
                    for button in buttons
                    if not (str(row_id) in kept and isinstance(button, DeleteRow))
                )
                html.append("</td>")
            html.extend(
                f'<td class="col-{name}">{escape(value(context, row, name, formatters, type_formatters))}</td>'
                for name, _label in columns
            )
            html.append("</tr>")
        return Markup("".join(html))

    def undeletable(self, rows: list[Any]) -> set[Any]:
        """The ids of a page's rows that a rule keeps from being deleted: they get no delete button (one query)."""
        return set()

    def _get_list_value(
        self,
        context: Context | None,
        model: Any,
        name: str,
        column_formatters: dict[str, Any],
        column_type_formatters: dict[type, Any],
    ) -> Any:
        # Flask-Admin's own, with the value's type formatter found by a dict lookup instead of an isinstance scan
        # through every formatter for each of a page's 200+ cells. Our formatters all take (view, value, name).
        formatter = column_formatters.get(name)
        value = formatter(self, context, model, name) if formatter is not None else rec_getattr(model, name)
        choices = self._column_choices_map.get(name)
        if choices:
            return choices.get(value) or value
        found = _type_formatter(column_type_formatters, type(value))
        return value if found is None else found(self, value, name)

    def get_export_value(self, model: Any, name: str) -> Any:
        """A CSV cell: amounts and counts as they are (negative ones too), text never read as a formula."""
        value = super().get_export_value(model, name)
        raw = rec_getattr(model, name)
        number = isinstance(raw, int | float | Decimal) and not isinstance(raw, bool)
        if name in self.numeric_columns or (number and name not in self.column_formatters):
            return value
        # Related records (a member's cooperative) become text too: by their names, which users typed.
        return value if value is None else csv_text(str(value))

    def _get_list_url(self, view_args: Any) -> str:
        # Flask-Admin's, with the list's own path built once: a page links to itself 20+ times (sorting, pages,
        # page sizes, filters) and each url_for took longer than the rest of the link. The query is written the
        # way url_for writes it (same order, same escaping, None left out); a test holds the two equal.
        arguments = {
            "page": view_args.page or None,
            "sort": view_args.sort,
            "desc": 1 if view_args.sort_desc else None,
            "search": view_args.search,
            **view_args.extra_args,
            "page_size": self.get_safe_page_size(view_args.page_size),
            **self._get_filters(view_args.filters),
        }
        paths: dict[str, str] = self.__dict__.setdefault("_list_paths", {})
        path = paths.get(request.script_root)
        if path is None:
            path = paths[request.script_root] = self.get_url(".index_view")
        query = [(key, value) for key, value in iter_multi_items(arguments) if value is not None]
        return f"{path}?{urlencode(query, safe=URL_SAFE)}" if query else path

    def is_accessible(self) -> bool:
        return bool(current_user.is_authenticated) and self._role_may(write=False)

    def _handle_view(self, name: str, **kwargs: Any) -> Any:
        if not current_user.is_authenticated:
            return login_redirect()
        if not self.is_accessible():
            abort(403)
        right = WRITE_ENDPOINTS.get(name) or OTHER_ENDPOINTS.get(name)
        if right is not None and not getattr(self, right):
            abort(403)
        if name == "action_view" and not self.is_action_allowed(request.form.get("action", "")):
            abort(403)
        if name in ("ajax_update", "ajax_lookup"):
            abort(403)  # no inline editing or lookups: every write goes through a checked form
        return None

    def is_action_allowed(self, name: str) -> bool:
        if name == "delete":
            return self.can_delete
        return name in self._actions_data and self.allow_edit and self._role_may(write=True)

    # ----- which records ----------------------------------------------------------------------------------------
    def scope_clause(self, scope: Scope) -> ColumnElement[bool]:
        """The records of the model within the user's reach (subclasses say how to reach their owner)."""
        return true()

    def owner_writable(self, scope: Scope, model: Any) -> bool:
        """True if the user may change this record as it stands (checked before every save and delete)."""
        return scope.writes(self.area)

    # Loader options that keep list pages at a constant number of queries (no N+1 through labels).
    list_options: ClassVar[tuple[Any, ...]] = ()

    def get_query(self) -> Any:
        return _within_reach(super().get_query().options(*self.list_options), self.scope_clause(current_scope()))

    def get_count_query(self) -> Any:
        return _within_reach(super().get_count_query(), self.scope_clause(current_scope()))

    # Big tables fetch a page as ids first, then the rows with their related records: SQLite otherwise joins
    # every row of the table before it sorts and cuts the page (1.7 s instead of 0.09 s on 1,000,000 trades).
    ids_first: ClassVar[bool] = False
    # The list page seeks its sort key instead of counting rows off (admin.keyset): page 50,000 costs what page 1
    # does. Orders it cannot seek (a related record's column, a column that may be null) page by OFFSET.
    paged_by_key: ClassVar[bool] = True

    def _get_list_extra_args(self) -> Any:
        # The pager's own arguments never travel in the list's other links (a new sort or filter starts afresh).
        view_args = super()._get_list_extra_args()
        for name in SEEK_ARGS:
            view_args.extra_args.pop(name, None)
        return view_args

    def get_list(
        self,
        page: int | None,
        sort_column: Any,
        sort_desc: bool,
        search: str | None,
        filters: Any,
        execute: bool = True,
        page_size: int | None = None,
    ) -> tuple[int | None, Any]:
        listing = execute and has_request_context() and request.endpoint == f"{self.endpoint}.index_view"
        if listing:
            key = self.seek_key(sort_column, sort_desc) if self.paged_by_key else None
            if key is not None:
                return self._seek_list(key, page or 0, search, filters, page_size or self.page_size)
            if page is not None and page < 0:  # a "last page" link, kept by a sort the list cannot seek
                page = max(self._count(search, filters).pages(page_size or self.page_size) + page, 0)
        count, query = super().get_list(
            page, sort_column, sort_desc, search, filters, execute=False, page_size=page_size
        )
        if not execute:
            return count, query
        self._put_totals(count, search, filters)
        if not self.ids_first:
            return count, query.all()
        key = inspect(self.model).primary_key[0]
        ids = [row[0] for row in query.with_entities(key)]  # same filters, order and page; no joined columns
        return count, self._rows_by_id(ids)

    def _rows_by_id(self, ids: list[Any]) -> list[Any]:
        """The list's rows of these ids, in their order, with their related records (one query)."""
        if not ids:
            return []
        key = inspect(self.model).primary_key[0]
        rows = {row.id: row for row in self.get_query().filter(key.in_(ids))}
        return [rows[i] for i in ids if i in rows]

    def seek_key(self, sort_column: Any, sort_desc: bool) -> SortKey | None:
        """The list's order as a key to seek by, or None if it has a column the list cannot seek."""
        if sort_column is not None:
            column = self._sortable_columns.get(sort_column)
            if self._sortable_joins.get(sort_column) or isinstance(column, list):
                return None
            mapper = inspect(self.model)
            if isinstance(column, Column) and column.table is mapper.local_table:  # Flask-Admin keeps the column
                column = getattr(self.model, mapper.get_property_by_column(column).key)
            order = [(column, bool(sort_desc))]
        else:
            order = []
            for column, joins, desc in self._get_default_order():
                if joins:
                    return None
                order.append((column, bool(desc)))
        if not all(keyset.keyable(column) and column.class_ is self.model for column, _desc in order):
            return None
        primary_key = getattr(self.model, inspect(self.model).primary_key[0].key)
        return keyset.sort_key(order, primary_key, self.session.get_bind().dialect.name)

    def _seek_list(self, key: SortKey, page: int, search: str | None, filters: Any, size: int) -> tuple[int, Any]:
        """A page of the list read by its key (admin.keyset), with the pager that leads on from it."""
        try:
            seek = keyset.read_seek(request.args, key, page)
        except ValueError:
            abort(404)  # a key that is not one of this order's: nobody's link
        count = self._count(search, filters)
        query = self._narrowed(self.get_query(), search, filters).order_by(None)
        columns = [column for column, _desc in key.columns]

        def select_page(order: list[Any], beyond: Any, offset: int, limit: int) -> list[Any]:
            page_query = query.with_entities(*columns) if self.ids_first else query
            if not self.ids_first:
                page_query = page_query.options(*(joinedload(j) for j in self._auto_joins))
            if beyond is not None:
                page_query = page_query.filter(beyond)
            return list(page_query.order_by(*order).offset(offset or None).limit(limit or None))  # 0: no limit

        window = keyset.read_window(select_page, key, seek, count, size)
        rows = self._rows_by_id([row.id for row in window.rows]) if self.ids_first else window.rows
        view_args = self._get_list_extra_args()

        def url(number: int | None, seek_args: dict[str, str]) -> str:
            extra = {**view_args.extra_args, **seek_args}
            return self._get_list_url(view_args.clone(page=number, extra_args=extra))

        self._template_args["keyset_pager"] = keyset.pager(
            window, key, key.of, count, size, url, list(request.args.items(multi=True))
        )
        self._template_args["return_url"] = request.full_path.rstrip("?")  # back to this page, by its key
        shown = Approximately(count.rows) if count.estimated else count.rows
        self._put_totals(shown, search, filters)
        return shown, rows

    def _count(self, search: str | None, filters: Any) -> keyset.Count:
        """The rows the list finds: counted, or for an unfiltered list of a huge table the table's estimate."""
        exact_sums = bool(self.total_columns) and not self.totals_when_narrowed  # its totals row counts anyway
        if not (search or filters or exact_sums) and isinstance(self.scope_clause(current_scope()), True_):
            rows = keyset.estimated_rows(self.session, self.model.__tablename__)
            if rows is not None and rows >= keyset.ESTIMATE_FROM:
                return keyset.Count(rows, estimated=True)
        return keyset.Count(self._narrowed(self.get_count_query(), search, filters).scalar() or 0)

    def _narrowed(self, query: Any, search: str | None, filters: Any) -> Any:
        """A query of the list narrowed by its search and filters, as Flask-Admin narrows the list's own."""
        if search and self._search_supported:
            query = self._apply_search(query, None, {}, {}, search)[0]
        if filters and self._filters:
            query = self._apply_filters(query, None, {}, {}, filters)[0]
        return query

    def _put_totals(self, count: int | None, search: str | None, filters: Any) -> None:
        narrowed = bool(search or filters) or not self.totals_when_narrowed
        if self.total_columns and count and narrowed and request.endpoint == f"{self.endpoint}.index_view":
            self._template_args["list_totals"] = self._list_totals(search, filters)

    def _list_totals(self, search: str | None, filters: Any) -> dict[str, Decimal]:
        """The sums of the total columns over the rows the list finds, by the same reach, search and filters."""
        sums = [func.sum(getattr(self.model, name)) for name in self.total_columns]
        query = _within_reach(self.session.query(*sums).select_from(self.model), self.scope_clause(current_scope()))
        row = self._narrowed(query, search, filters).one()
        return {name: value or Decimal("0.00") for name, value in zip(self.total_columns, row, strict=True)}

    def list_totals_row(
        self, columns: list[tuple[str, Any]], actions: Any, count: int, totals: dict[str, Any]
    ) -> Markup:
        """The totals row under a list: "Total (all N rows)" over the columns before the first total, then sums."""
        names = [name for name, _label in columns]
        first = min(names.index(name) for name in totals)
        lead = first + (1 if actions else 0) + (1 if self.column_display_actions else 0)
        label = escape(_("Total (all {count} rows)", count=f"{count:,}"))
        html = [f'<tr class="coop-totals" id="list-totals"><td colspan="{lead}">{label}</td>']
        html.extend(
            f'<td class="col-{name}">{escape(i18n.money(totals[name]) if name in totals else "")}</td>'
            for name in names[first:]
        )
        html.append("</tr>")
        return Markup("".join(html))

    def get_one(self, id: Any) -> Any:
        key = inspect(self.model).primary_key[0]
        try:
            record = self.get_query().filter(key == int(id)).one_or_none()
        except (TypeError, ValueError):
            record = None
        if record is None:
            abort(404)  # someone else's record looks exactly like a missing one
        return record

    # ----- lost updates -----------------------------------------------------------------------------------------
    def get_edit_form(self) -> type[Form]:
        """The edit form, carrying the row version it was opened with (coopcore.db.base.OptimisticLock)."""
        form: type[Form] = super().get_edit_form()
        if inspect(self.model).version_id_col is None:
            return form
        # Optional: a client that sends no version (a script) saves over whatever is stored, as before.
        return type(form.__name__, (form,), {VERSION: IntegerField(widget=HiddenInput(), validators=[Optional()])})

    def update_model(self, form: Form, model: Any) -> Any:
        if VERSION in form:
            if form[VERSION].data is None:
                del form[VERSION]  # never written as a value: SQLAlchemy counts the version itself
            else:
                # The UPDATE must find the version the user saw: if someone saved since, it matches no row and fails.
                set_committed_value(model, VERSION, form[VERSION].data)
        return super().update_model(form, model)

    def on_model_change(self, form: Form, model: Any, is_created: bool) -> None:
        self.check_writable(model)
        if is_created:
            for name, value in self.created_values.items():
                setattr(model, name, value)
        for name, compute in self.computed.items():
            if getattr(model, name) is None:
                setattr(model, name, compute(model))
        for finding in self.findings(model):
            if finding.blocking:  # the first one, as the form shows one refusal at a time
                raise InvalidValue(finding.template, **finding.fields)
        # The record's voucher follows it in the same transaction: a closed month refuses both (PeriodClosed).
        ledger_sync.book_record(database().session(), model)

    def findings(self, model: Any) -> list[Finding]:
        """What the view's rules find in the record as it would be saved."""
        with database().session.no_autoflush:
            return [
                finding
                for rule in self.rules
                for finding in rule(
                    **{name: rec_getattr(model, self.rule_fields.get(name, name)) for name in _arguments(rule)}
                )
            ]

    def on_model_delete(self, model: Any) -> None:
        self.check_writable(model)
        ledger_sync.unbook_record(database().session(), model)

    def check_writable(self, model: Any) -> None:
        with database().session.no_autoflush:
            if not self.owner_writable(current_scope(), model):
                abort(403)

    # ----- refusals become messages -----------------------------------------------------------------------------
    def handle_view_exception(self, exc: Exception) -> bool:
        # Flask-Admin's create, edit and delete ask here and show the form again: the refusal is flashed above it.
        if isinstance(exc, HTTPException):
            raise exc
        refusal = errors.refusal_of(exc)
        if refusal is not None:
            errors.flash_refusal(refusal)
            return True
        if isinstance(exc, IntegrityError):
            flash(_("The database refused the change: {reason}", reason=constraint_of(exc)), "error")
            return True
        return bool(super().handle_view_exception(exc))

    def handle_action(self, return_view: str | None = None) -> Any:
        # Every selected id must be within reach: a guessed id is a 404, as it is for a single record.
        ids = set(request.form.getlist("rowid"))
        key = inspect(self.model).primary_key[0]
        try:
            wanted = {int(i) for i in ids}
        except ValueError:
            abort(404)
        if wanted and self.get_query().filter(key.in_(wanted)).count() != len(wanted):
            abort(404)
        # Actions do not pass through handle_view_exception: a refusal rises to admin.errors, which goes back here.
        errors.return_to(get_redirect_target() or self.get_url(".index_view"))
        return super().handle_action(return_view)

    def _get_filter_groups(self) -> Any:
        # Flask-Admin computes filter options once at start-up; options that depend on the data (products)
        # or on the user are computed again for each page.
        groups = super()._get_filter_groups()
        if groups:
            for items in groups.values():
                for item in items:
                    fresh = self._filters[item["index"]].get_options(self)
                    if fresh is not None:
                        item["options"] = [(key, str(label)) for key, label in fresh]
        return groups


@cache
def _arguments(rule: Rule) -> tuple[str, ...]:
    """The names of a rule's arguments: the fields of the record it reads."""
    return tuple(pyinspect.signature(rule).parameters)


def _type_formatter(formatters: dict[type, Any], kind: type) -> Any:
    """The first of `formatters` whose type `kind` is an instance of, as Flask-Admin picks it (kept per type)."""
    # Keyed by the dict's id, with the dict itself kept alive so that its id cannot be reused by another.
    _kept, chosen = _TYPE_FORMATTERS_SEEN.setdefault(id(formatters), (formatters, {}))
    if kind not in chosen:
        chosen[kind] = next((formatter for base, formatter in formatters.items() if issubclass(kind, base)), None)
    return chosen[kind]


_TYPE_FORMATTERS_SEEN: dict[int, tuple[dict[type, Any], dict[type, Any]]] = {}


class Approximately(int):
    """A count that is the table's estimate: shown as "about 1,000,000" (约 1,000,000)."""

    def __html__(self) -> str:
        return str(escape(_("about {count}", count=f"{self:,}")))

    def __str__(self) -> str:
        return _("about {count}", count=f"{self:,}")


def _within_reach(query: Any, clause: ColumnElement[bool]) -> Any:
    """Filter a query by the user's reach (nothing to add for an administrator)."""
    return query if isinstance(clause, True_) else query.filter(clause)


def constraint_of(error: IntegrityError) -> str:
    """The name of the constraint a database refused a change for, or its first message line."""
    text = str(error.orig).splitlines()[0]
    for word in text.replace('"', " ").replace(":", " ").split():
        if word.startswith(("ck_", "uq_", "fk_")):
            return word
    return text


class CoopPage(BaseView):
    """A page of the admin that is not a model list (home, member account, distribution, upload, ...)."""

    area: ClassVar[Area] = Area.BOOKS

    def is_accessible(self) -> bool:
        return bool(current_user.is_authenticated) and current_scope().reads(self.area)

    def _handle_view(self, name: str, **kwargs: Any) -> Any:
        if not current_user.is_authenticated:
            return login_redirect()
        if not self.is_accessible():
            abort(403)
        return None

    def require_write(self) -> Scope:
        """The user's scope, or 403 if their role may not change records of this page's area."""
        scope = current_scope()
        if not scope.writes(self.area):
            abort(403)
        return scope

    def run_step(self, step: Callable[[Session], str], back: str) -> Any:
        """Press a button: run its step in the request's transaction, commit, and show what it did on `back`.

        A step that coopcore refuses is rolled back and its reason shown on `back` instead (admin.errors).
        """
        errors.return_to(back)
        session = database().session()
        message = step(session)
        session.commit()
        flash(message, "success")
        return redirect(back)
