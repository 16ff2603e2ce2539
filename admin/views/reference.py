# mypy: allow-subclassing-any, allow-untyped-decorators
"""Shared reference data (products, leading enterprises) and the admin's users."""

from __future__ import annotations

from typing import Any, ClassVar

from sqlalchemy.orm import joinedload, selectinload
from wtforms import Form, PasswordField

from admin import filters
from admin.access import Area, current_scope
from admin.forms import credit_code_valid
from admin.i18n import lazy
from admin.views.base import CoopModelView
from coopcore.errors import InvalidValue, RuleViolation
from coopcore.models import Enterprise, EnterpriseLevel, Product, Role, User
from coopcore.services.users import set_active, set_password


class ProductView(CoopModelView):
    model_class = Product
    area = Area.REFERENCE
    column_list = ("name", "default_unit", "category")
    column_searchable_list = ("name", "category")
    column_default_sort = "name"
    form_columns = ("name", "default_unit", "category")


class EnterpriseView(CoopModelView):
    model_class = Enterprise
    area = Area.REFERENCE
    column_list = ("name", "credit_code", "level", "certificate_no", "recognised_year", "is_recognition_valid")
    column_details_exclude_list = ("contracts",)
    column_searchable_list = ("name", "credit_code")
    column_default_sort = "name"
    column_filters: ClassVar[list[Any]] = [filters.enum_filter(Enterprise.level, "Recognition level", EnterpriseLevel)]
    form_columns = ("name", "credit_code", "level", "certificate_no", "recognised_year", "is_recognition_valid")
    form_args: ClassVar[dict[str, Any]] = {"credit_code": {"validators": [credit_code_valid]}}


class UserView(CoopModelView):
    """Accounts: the password is set through a field of its own and stored only as an argon2 hash."""

    model_class = User
    area = Area.USERS
    column_list = ("username", "display_name", "role", "township", "cooperatives", "is_active", "created_at")
    column_details_list = ("username", "display_name", "role", "township", "cooperatives", "is_active", "created_at")
    column_export_exclude_list = ("password_hash",)
    column_searchable_list = ("username", "display_name")
    column_default_sort = "username"
    column_filters: ClassVar[list[Any]] = [filters.enum_filter(User.role, "Role", Role)]
    form_columns = ("username", "display_name", "password", "role", "township", "cooperatives", "is_active")
    form_extra_fields: ClassVar[dict[str, Any]] = {
        "password": PasswordField(lazy("New password"), description=lazy("Leave empty to keep the password."))
    }
    form_args: ClassVar[dict[str, Any]] = {
        "township": {"allow_blank": True, "blank_text": "—"},
        "cooperatives": {"get_label": "name"},
    }
    can_export = False  # nothing in a user list is worth taking away
    column_auto_select_related = False  # the options below load the collection in one query
    list_options = (joinedload(User.township), selectinload(User.cooperatives))

    def on_model_change(self, form: Form, model: Any, is_created: bool) -> None:
        super().on_model_change(form, model, is_created)
        password = form["password"].data  # the form Flask-Admin builds has the extra field
        if password:
            set_password(model, password)  # argon2id, at least 8 characters; ends the user's open sessions
        elif is_created:
            raise InvalidValue("A new user needs a password.")
        set_active(model, bool(model.is_active))
        if model.role is Role.TOWNSHIP_OFFICIAL and model.township is None:
            raise InvalidValue("a township official needs a township")
        if model.role in (Role.ACCOUNTANT, Role.SUPERVISOR) and not model.cooperatives:
            raise InvalidValue("an accountant or supervisor needs at least one cooperative")
        if model.id == current_scope().user_id and (model.role is not Role.ADMIN or not model.is_active):
            raise RuleViolation("You cannot take away your own administrator rights.")

    def on_model_delete(self, model: Any) -> None:
        super().on_model_delete(model)
        if model.id == current_scope().user_id:
            raise RuleViolation("You cannot take away your own administrator rights.")
