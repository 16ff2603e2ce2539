# mypy: allow-subclassing-any, allow-untyped-decorators
"""Members (search by name, pinyin initials or ID number), their account entries, land parcels and shares."""

from __future__ import annotations

from typing import Any, ClassVar

from flask import flash, url_for
from markupsafe import Markup
from sqlalchemy import Unicode, cast, false, inspect, or_, select
from sqlalchemy.orm import joinedload
from wtforms import Form, validators

from admin import filters
from admin.access import current_scope
from admin.database import current_session, database
from admin.formatters import payee_account
from admin.forms import (
    EnumSelectField,
    PassbookField,
    area_valid,
    at_least,
    investment_account_valid,
    member_id_valid,
    not_in_future,
    payee_account_valid,
    phone_valid,
)
from admin.i18n import _, current_lang, lazy
from admin.labels import enum_label
from admin.pinyin import is_initials_query, matches
from admin.views.choices import CooperativeIdField
from admin.views.cooperatives import cooperative_name
from admin.views.scoped import CooperativeRecords, MemberRecords, ParcelRecords
from coopcore.models import AccountEntryKind, LandParcel, LandShare, Member, MemberAccountEntry, MemberKind
from coopcore.rules import books
from coopcore.services import exits, payees
from coopcore.validation import bank_account

CONTRIBUTION_KINDS = tuple(kind for kind in AccountEntryKind if kind.is_contribution)
PAYEE = ("payee_bank", "payee_account", "payee_name", "payee_checked", "payee_checked_on")
# What set_payee reads: a change of any of them checks the payee details again and repeats its warnings.
PAYEE_INPUTS = ("payee_bank", "payee_account", "payee_name", "payee_checked_on", "household_head", "name")


def masked_id(view: Any, context: Any, model: Member, name: str) -> str:
    """Lists show an ID number's region and check digit only; details and forms show it whole."""
    number = model.id_number or ""
    return number if len(number) < 10 else f"{number[:4]}{'*' * (len(number) - 8)}{number[-4:]}"


def account_link(view: Any, context: Any, model: Member, name: str) -> Markup:
    url = url_for("member_account.index", id=model.id)
    return Markup('<a href="{}">{}</a>').format(url, _("Member account"))


class MemberView(CooperativeRecords):
    model_class = Member
    column_list = (
        "code",
        "name",
        "cooperative",
        "kind",
        "id_number",
        "phone",
        "joined_on",
        "left_on",
        "is_founder",
        # The payee details are on the member's page and in the export: the list must fit a 1366-pixel screen.
        "account",
    )
    column_details_list = (
        "cooperative",
        "code",
        "name",
        "account",  # the way to the member's account (成员账户), in sight at the top
        "member_cooperative",
        "investment_account",
        "kind",
        "id_number",
        "household_head",
        "household_size",
        "phone",
        "address",
        "joined_on",
        "exit_applied_on",
        "left_on",
        "is_founder",
        "additional_votes",
        *PAYEE,
    )
    column_export_list = (
        *("code", "name", "cooperative", "kind", "id_number", "phone", "joined_on", "left_on", "is_founder"),
        *PAYEE,
    )
    sticky_column = "name"
    # The account number is masked for whoever does not keep the cooperative's books (admin.formatters), and it is
    # neither searched nor sorted on: an official could otherwise find it out digit by digit.
    column_formatters: ClassVar[dict[str, Any]] = {
        "id_number": masked_id,
        "account": account_link,
        "payee_account": payee_account,
    }
    column_formatters_detail: ClassVar[dict[str, Any]] = {"account": account_link, "payee_account": payee_account}
    column_searchable_list = ("code", "name", "id_number")
    column_default_sort: ClassVar[list[tuple[str, bool]]] = [("cooperative_id", False), ("code", False)]
    column_filters: ClassVar[list[Any]] = [
        filters.cooperative_filter(Member.cooperative_id),
        filters.enum_filter(Member.kind, "Kind", MemberKind),
        filters.date_between(Member.joined_on, "Joined on"),
    ]
    form_columns = (
        "cooperative",
        "code",
        "name",
        "kind",
        "id_number",
        "household_head",
        "household_size",
        "phone",
        "address",
        "joined_on",
        "is_founder",
        "additional_votes",
        "investment_account",
        "payee_bank",
        "payee_account",
        "payee_passbook",
        "payee_name",
        "payee_checked_on",
    )
    form_extra_fields: ClassVar[dict[str, Any]] = {
        "payee_passbook": PassbookField(
            lazy("Passbook or 一卡通 account, not a card"),
            description=lazy("Unticked, a number starting with 62 is checked as a bank card (its check digit)."),
        )
    }
    form_args: ClassVar[dict[str, Any]] = {
        "id_number": {"validators": [member_id_valid]},
        "phone": {"validators": [phone_valid]},
        "joined_on": {"validators": [not_in_future]},
        "additional_votes": {"validators": [at_least(0)]},
        "investment_account": {
            "validators": [investment_account_valid],
            "description": lazy(
                "A member cooperative: the account of its own books its contributions leave from (101, 102, 109, or "
                "an asset's); blank: 102 for money, the asset's own account for assets."
            ),
        },
        "payee_account": {"validators": [payee_account_valid]},
        "payee_checked_on": {
            "validators": [not_in_future],
            "description": lazy("The day the details were checked against the card or bank book; blank: unchecked."),
        },
    }
    list_options = (joinedload(Member.cooperative),)

    def search_placeholder(self) -> str:
        return _("Code, name, pinyin initials (zjg) or ID number")

    def get_sortable_columns(self) -> Any:
        return {name: column for name, column in super().get_sortable_columns().items() if name != "payee_account"}

    def on_form_prefill(self, form: Form, id: Any) -> None:
        super().on_form_prefill(form, id)
        # A number stored as a passbook although it starts with 62 stays one when the member is edited again.
        number = form["payee_account"].data
        if number and bank_account.looks_like_card(number) and not bank_account.is_valid(number, card=True):
            form["payee_passbook"].data = True

    def on_model_change(self, form: Form, model: Member, is_created: bool) -> None:
        super().on_model_change(form, model, is_created)
        state = inspect(model)
        if is_created or any(state.attrs[name].history.has_changes() for name in PAYEE_INPUTS):
            warnings = payees.set_payee(
                current_session(),
                model,
                bank=model.payee_bank,
                account=model.payee_account,
                name=model.payee_name,
                checked_on=model.payee_checked_on,
                card=False if form["payee_passbook"].data else None,
            )
            for warning in warnings:
                flash(warning.message(current_lang()), "warning")

    def on_model_delete(self, model: Member) -> None:
        super().on_model_delete(model)
        exits.check_deletable(current_session(), model)  # a member with an account leaves; never deleted

    def undeletable(self, rows: list[Member]) -> set[Any]:
        return exits.members_with_accounts(current_session(), [row.id for row in rows])

    def _apply_search(self, query: Any, count_query: Any, joins: Any, count_joins: Any, search: str) -> Any:
        # Name, code and ID number by substring, and pinyin initials (zjg finds 张建国) computed here: the
        # database has no pinyin column, and a cooperative's roster is small enough to scan.
        for term in search.split():
            conditions = [
                cast(column, Unicode).ilike(f"%{term}%") for column in (Member.code, Member.name, Member.id_number)
            ]
            if is_initials_query(term):
                conditions.append(self._initials_match(term.lower()))
            query = query.filter(or_(*conditions))
            if count_query is not None:
                count_query = count_query.filter(or_(*conditions))
        return query, count_query, joins, count_joins

    def _initials_match(self, term: str) -> Any:
        rows = database().session.execute(
            select(Member.id, Member.name).where(current_scope().cooperatives(Member.cooperative_id))
        )
        ids = [row.id for row in rows if matches(term, row.name)]
        return Member.id.in_(ids) if ids else false()


class ContributionView(MemberRecords):
    """Contributions (出资) are account entries: added, never changed; a correction is a reversing entry."""

    model_class = MemberAccountEntry
    allow_edit = allow_delete = False
    total_columns = ("amount",)
    column_list = ("member", "entry_on", "kind", "amount", "premium", "area_mu", "memo", "source")
    extra_labels: ClassVar[dict[str, str]] = {"premium": "Premium above the share"}
    column_default_sort: ClassVar[list[tuple[str, bool]]] = [("entry_on", True), ("id", True)]
    column_searchable_list = ("memo",)
    column_filters: ClassVar[list[Any]] = [
        filters.MemberFilter(MemberAccountEntry.member_id),
        filters.ChoiceFilter(
            MemberAccountEntry.kind,
            "Kind",
            lambda: [(kind.value, enum_label(kind)) for kind in CONTRIBUTION_KINDS],
            coerce=AccountEntryKind,
        ),
        filters.date_between(MemberAccountEntry.entry_on),
    ]
    form_columns = ("member", "entry_on", "kind", "amount", "premium", "area_mu", "memo")
    form_overrides: ClassVar[dict[str, Any]] = {"kind": EnumSelectField}
    form_args: ClassVar[dict[str, Any]] = {
        "kind": {"enum_class": AccountEntryKind, "members": CONTRIBUTION_KINDS},
        "amount": {"validators": [at_least(0, inclusive=False)]},
        "area_mu": {"validators": [area_valid]},
        "entry_on": {"validators": [not_in_future]},
        "premium": {
            "validators": [validators.Optional()],
            "description": lazy("Value brought in above the share, to 321 (negative: an asset valued below it)"),
        },
    }
    list_options = (joinedload(MemberAccountEntry.member),)
    ids_first = True

    def scope_clause(self, scope: Any) -> Any:
        return super().scope_clause(scope) & MemberAccountEntry.kind.in_(CONTRIBUTION_KINDS)

    created_values: ClassVar[dict[str, Any]] = {"source": "admin"}
    rules = (books.check_contribution_kind, books.check_land_area, books.check_contribution_premium)


class AccountEntryView(MemberRecords):
    """Every entry of the member accounts, read-only (append-only history)."""

    model_class = MemberAccountEntry
    allow_create = allow_edit = allow_delete = False
    column_list = ("member", "entry_on", "kind", "amount", "area_mu", "memo", "source", "reverses_id")
    extra_labels: ClassVar[dict[str, str]] = {"reverses_id": "Reverses entry"}
    column_default_sort: ClassVar[list[tuple[str, bool]]] = [("entry_on", True), ("id", True)]
    column_searchable_list = ("memo", "source")
    column_filters: ClassVar[list[Any]] = [
        filters.MemberFilter(MemberAccountEntry.member_id),
        filters.enum_filter(MemberAccountEntry.kind, "Kind", AccountEntryKind),
        filters.date_between(MemberAccountEntry.entry_on),
    ]
    list_options = (joinedload(MemberAccountEntry.member),)
    ids_first = True


class LandParcelView(CooperativeRecords):
    model_class = LandParcel
    column_list = ("code", "cooperative_id", "member", "location", "area_mu", "certificate_no", "contract_end_on")
    column_searchable_list = ("code", "location", "certificate_no")
    column_default_sort: ClassVar[list[tuple[str, bool]]] = [("cooperative_id", False), ("code", False)]
    column_filters: ClassVar[list[Any]] = [
        filters.cooperative_filter(LandParcel.cooperative_id),
        filters.MemberFilter(LandParcel.member_id),
    ]
    form_columns = ("cooperative_id", "member", "code", "certificate_no", "location", "area_mu", "contract_end_on")
    form_args: ClassVar[dict[str, Any]] = {"area_mu": {"validators": [area_valid]}}
    list_options = (joinedload(LandParcel.member),)

    form_extra_fields: ClassVar[dict[str, Any]] = {"cooperative_id": CooperativeIdField(lazy("Cooperative"))}
    column_formatters: ClassVar[dict[str, Any]] = {"cooperative_id": cooperative_name}
    rules = (books.check_member_cooperative,)
    rule_fields: ClassVar[dict[str, str]] = {"member_cooperative_id": "member.cooperative_id"}


class LandShareView(ParcelRecords):
    model_class = LandShare
    column_list = (
        "parcel",
        "member",
        "area_mu",
        "start_on",
        "end_on",
        "guarantee_per_mu",
        "shares_per_mu",
        "share_value",
    )
    column_default_sort: ClassVar[list[tuple[str, bool]]] = [("start_on", True)]
    column_filters: ClassVar[list[Any]] = [
        filters.MemberFilter(LandShare.member_id),
        filters.date_between(LandShare.start_on, "Starts on"),
    ]
    form_columns = (
        "parcel",
        "member",
        "area_mu",
        "start_on",
        "end_on",
        "guarantee_per_mu",
        "shares_per_mu",
        "share_value",
    )
    form_args: ClassVar[dict[str, Any]] = {
        "area_mu": {"validators": [area_valid]},
        "guarantee_per_mu": {"validators": [at_least(0)]},
        "shares_per_mu": {"validators": [at_least(0, inclusive=False)]},
    }
    list_options = (joinedload(LandShare.parcel), joinedload(LandShare.member))
    rules = (books.check_member_cooperative, books.check_share_term, books.check_share_area, books.check_share_contract)
    rule_fields: ClassVar[dict[str, str]] = {
        "cooperative_id": "parcel.cooperative_id",
        "member_cooperative_id": "member.cooperative_id",
        "parcel_area_mu": "parcel.area_mu",
        "contract_end_on": "parcel.contract_end_on",
    }
