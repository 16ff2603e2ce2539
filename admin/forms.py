# mypy: allow-subclassing-any, allow-untyped-decorators
"""Form plumbing: the CSRF-protected base form, fields for exact decimals and enums, coopcore's validators."""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable, Sequence
from decimal import Decimal
from functools import cache
from typing import Any, Protocol, TypeVar

from babel import support
from flask_admin.contrib.sqla.fields import QuerySelectField
from flask_admin.contrib.sqla.form import AdminModelConverter
from flask_admin.model.form import converts
from flask_babel import get_locale
from flask_wtf import FlaskForm
from wtforms import Field, Form, SelectField, ValidationError, fields
from wtforms.fields.core import Label
from wtforms.form import BaseForm
from wtforms.i18n import messages_path

from admin.i18n import _, error_text
from admin.labels import enum_label
from coopcore.errors import CoopError, InvalidValue
from coopcore.models import MemberKind
from coopcore.money import decimal_places
from coopcore.rules import entries
from coopcore.validation import area, bank_account, credit_code, phone, resident_id

Validator = Callable[[Form, Field], None]

try:  # WTForms 3.3 declares options as SelectChoice and deprecates tuples
    # types-WTForms (3.2) does not know SelectChoice yet.
    from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined, unused-ignore]

    def option(value: str, label: str) -> Any:
        """One option of a select."""
        return SelectChoice(value, label)

except ImportError:  # pragma: no cover - WTForms < 3.3

    def option(value: str, label: str) -> Any:
        return (value, label)


class CoopForm(FlaskForm):
    """Every form of the admin. CSRF comes from Flask-WTF's CSRFProtect, so never SecureForm as well.

    Flask-Admin's own BaseForm remembers the edited object as `_obj`, and its Unique validator relies on it:
    without it, saving any record with a unique column (a credit code) fails with "already exists".
    """

    class Meta:
        def get_translations(self, form: Form) -> Any:
            # WTForms' own messages in the reader's language. Flask-WTF reads the same catalog from disk anew on
            # every request (a tenth of a list page's time); it is read once per locale here.
            return wtforms_catalog(str(get_locale()))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._obj = kwargs.get("obj", args[1] if len(args) > 1 else None)
        super().__init__(*args, **kwargs)


@cache
def wtforms_catalog(locale: str) -> support.NullTranslations:
    """WTForms' shipped catalog for a locale, as Flask-WTF loads it."""
    return support.Translations.load(messages_path(), [locale], domain="wtforms")


class EnumSelectField(SelectField):
    """A select of an enum's values, labelled in the reader's language; its data is the enum member."""

    def __init__(
        self,
        enum_class: type[enum.Enum],
        *,
        members: Sequence[enum.Enum] | None = None,
        allow_blank: bool = False,
        **kwargs: Any,
    ) -> None:
        offered = list(members or enum_class)

        def choices() -> list[Any]:
            blank = [option("", "—")] if allow_blank else []
            return blank + [option(str(member.value), enum_label(member)) for member in offered]

        def coerce(value: Any) -> enum.Enum | None:
            if value is None or value == "":
                return None
            return value if isinstance(value, enum_class) else enum_class(value)

        kwargs.pop("coerce", None)
        super().__init__(choices=choices, coerce=coerce, **kwargs)
        self.offered, self.allow_blank = offered, allow_blank

    def pre_validate(self, form: BaseForm) -> None:
        # Only the offered values pass (a POST of another value of the enum is refused too).
        if self.data is None:
            if not self.allow_blank:
                raise ValidationError(_("Choose a value."))
        elif self.data not in self.offered:
            raise ValidationError(_("Not a valid choice."))


def max_places(places: int) -> Validator:
    """Refuse numbers with more decimal places than the column keeps (money: 2, quantities: 4)."""

    def check(form: Form, field: Field) -> None:
        if isinstance(field.data, Decimal) and decimal_places(field.data) > places:
            raise ValidationError(_("At most {places} decimal places.", places=places))

    return check


def at_least(minimum: Decimal | int, *, inclusive: bool = True) -> Validator:
    """Refuse numbers below (or, if not inclusive, at) a minimum."""

    def check(form: Form, field: Field) -> None:
        if field.data is None:
            return
        if field.data < minimum or (not inclusive and field.data == minimum):
            template = "Must be at least {minimum}." if inclusive else "Must be more than {minimum}."
            raise ValidationError(_(template, minimum=minimum))

    return check


def between(low: Decimal, high: Decimal) -> Validator:
    """Refuse numbers outside [low, high]."""

    def check(form: Form, field: Field) -> None:
        if field.data is not None and not low <= field.data <= high:
            raise ValidationError(_("Must be between {low} and {high}.", low=low, high=high))

    return check


def _coopcore(check: Callable[[str], str]) -> Validator:
    def validate(form: Form, field: Field) -> None:
        if not field.data:
            return
        try:
            field.data = check(str(field.data))
        except InvalidValue as error:
            raise ValidationError(error_text(error)) from None

    return validate


credit_code_valid = _coopcore(credit_code.validate)
investment_account_valid = _coopcore(entries.check_investment_account)
phone_valid = _coopcore(phone.validate)


def member_id_valid(form: Form, field: Field) -> None:
    """A resident ID for persons, a credit code for organisations (docs/identifiers.md), check digit included."""
    kind = getattr(form, "kind", None)
    is_person = kind is None or kind.data is None or MemberKind(kind.data).is_person
    _coopcore(resident_id.validate if is_person else credit_code.validate)(form, field)


class PassbookField(fields.BooleanField):
    """The member form's tick "a passbook or 一卡通 account, not a card": it tells the check, and is not stored."""

    def populate_obj(self, obj: Any, name: str) -> None:
        pass


def payee_account_valid(form: Form, field: Field) -> None:
    """A bank card passes its check digit; an account ticked as a passbook only has to be 8-30 digits."""
    passbook = getattr(form, "payee_passbook", None)
    card = False if passbook is not None and passbook.data else None
    _coopcore(lambda number: bank_account.validate(number, card=card))(form, field)


def area_valid(form: Form, field: Field) -> None:
    """A positive area in mu with at most four decimal places."""
    if field.data is None:
        return
    try:
        area.validate_mu(field.data)
    except InvalidValue as error:
        raise ValidationError(error_text(error)) from None


def not_in_future(form: Form, field: Field) -> None:
    """Recorded facts cannot be dated after today."""
    if isinstance(field.data, dt.date) and field.data > dt.date.today():
        raise ValidationError(_("The date is in the future."))


def form_problems(form: Form) -> CoopError:
    """Every field's problems of a page's small form, as one error to show like the services' refusals."""
    problems = "; ".join(f"{field.label.text}: {', '.join(field.errors)}" for field in form if field.errors)
    return CoopError("The form has problems: {problems}", problems=problems)


T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)
# InputRequired's message: a WTForms msgid, translated by WTForms' catalog (field.gettext), not admin.po.
FIELD_REQUIRED = "This field is required."


class Filled(Protocol[T_co]):
    """A field whose data is a T once filled in (a DateField: a date, an IntegerField: an int)."""

    @property
    def data(self) -> T_co | None: ...
    @property
    def label(self) -> Label: ...
    def gettext(self, string: str) -> str: ...


def required(field: Filled[T]) -> T:
    """The data of a field a validated form requires.

    InputRequired refuses an empty field first; one that is empty all the same (a form that lost its validator)
    is refused in WTForms' own words, like InputRequired would, rather than handed to a service as None.
    """
    if field.data is None:
        problem = f"{field.label.text}: {field.gettext(FIELD_REQUIRED)}"
        raise CoopError("The form has problems: {problems}", problems=problem)
    return field.data


class ReachableSelectField(QuerySelectField):
    """Flask-Admin's select of records, refusing a posted record that is not among the offered ones.

    Flask-Admin's own field turns an unknown id into the blank choice when the column may be empty: a project
    of another township on a funding line silently became "the plan as a whole". Here it is refused.
    """

    def pre_validate(self, form: Form) -> None:
        posted = self._formdata
        if posted is not None and self.data is None:  # something was sent and matched none of the choices
            raise ValidationError(_("This choice is not among those you may pick."))
        super().pre_validate(form)


class CoopModelConverter(AdminModelConverter):
    """Flask-Admin's converter, taught coopcore's exact decimals and labelled enums; its selects refuse what
    they do not offer."""

    def _model_select_field(self, prop: Any, multiple: Any, remote_model: Any, **kwargs: Any) -> Any:
        field = super()._model_select_field(prop, multiple, remote_model, **kwargs)  # unbound: built per form
        if getattr(field, "field_class", None) is QuerySelectField:
            return ReachableSelectField(*field.args, **field.kwargs)
        return field

    @converts("coopcore.db.types.ExactDecimal")
    def convert_exact_decimal(self, column: Any, field_args: dict[str, Any], **extra: Any) -> fields.DecimalField:
        scale = column.type.scale
        field_args["validators"].append(max_places(scale))
        field_args["render_kw"] = {"step": str(Decimal(1).scaleb(-scale)), **field_args.get("render_kw", {})}
        field_args.pop("places", None)
        return fields.DecimalField(places=None, **field_args)

    @converts("sqlalchemy.sql.sqltypes.Enum")
    def convert_enum(self, column: Any, field_args: dict[str, Any], **extra: Any) -> EnumSelectField:
        field_args.pop("filters", None)  # Flask-Admin's blank-to-None filter; coerce already does it
        return EnumSelectField(column.type.enum_class, allow_blank=bool(column.nullable), **field_args)
