"""What the database already holds of a workbook's cooperative, loaded in a few bulk queries for comparison."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import and_, exists, select
from sqlalchemy.orm import Session, aliased

from coopcore.models import (
    AccountEntryKind,
    Bylaws,
    Cooperative,
    FiscalYear,
    FiscalYearState,
    IncomeExpense,
    LandParcel,
    LandShare,
    Member,
    MemberAccountEntry,
    PartyBranch,
    Product,
    SpecialFund,
    SpecialPayable,
    Township,
    Trade,
    Village,
    VillageCollective,
)
from coopcore.models.enterprise import delivery_trade
from coopcore.services.ledger.chart import account_rules, chart_rows, stored_accounts

Record = dict[str, Any]
ENTRY_KINDS = (*(kind for kind in AccountEntryKind if kind.is_contribution), AccountEntryKind.PROVIDENT_SHARE)
MEMBER_FIELDS = (
    Member.id,
    Member.code,
    Member.name,
    Member.kind,
    Member.id_number,
    Member.joined_on,
    Member.left_on,
    Member.phone,
    Member.is_founder,
    Member.additional_votes,
    Member.household_head,
    Member.household_size,
    Member.address,
    Member.exit_applied_on,
    Member.member_cooperative_id,
    Member.village_collective_id,
)
TRADE_FIELDS = (
    Trade.id,
    Trade.ticket_no,
    Trade.counterparty,
    Trade.kind,
    Trade.traded_on,
    Trade.grade,
    Trade.quantity,
    Trade.unit,
    Trade.unit_price,
    Trade.amount,
    Trade.service_fee,
    Trade.origin,
)


@dataclass
class Stored:
    """The cooperative's stored rows as plain records, keyed the way the workbook identifies them."""

    cooperative: Cooperative | None = None
    bylaws: dict[Any, Bylaws] = field(default_factory=dict)  # by effective_on
    fiscal_years: dict[int, Record] = field(default_factory=dict)
    closed_years: set[int] = field(default_factory=set)
    members: dict[str, Record] = field(default_factory=dict)  # by member code
    entries: list[Record] = field(default_factory=list)  # live: neither a reversal nor reversed
    trades: list[Record] = field(default_factory=list)
    linked_trades: set[int] = field(default_factory=set)  # traced to an enterprise delivery
    income: list[Record] = field(default_factory=list)
    funds: list[Record] = field(default_factory=list)
    payables: list[Record] = field(default_factory=list)
    parcels: dict[str, Record] = field(default_factory=dict)  # by parcel code
    shares: list[Record] = field(default_factory=list)
    products: dict[str, int] = field(default_factory=dict)  # by name
    cooperatives: dict[str, int] = field(default_factory=dict)  # every cooperative's id by credit code
    collectives: dict[str, int] = field(default_factory=dict)  # village collectives by credit code
    village_id: int | None = None  # the village the workbook names, if it exists
    village_has_collective: bool = False
    village_branch: str | None = None  # the name of that village's party branch, if it has one
    branches: set[str] = field(default_factory=set)  # names of every party branch
    # The accounts a 收支 row may be booked against: in use and without detail accounts (the chart it will be
    # given, for a cooperative whose books are not used yet).
    bookable_accounts: set[str] = field(default_factory=set)


def _bookable_accounts(session: Session, cooperative: Cooperative | None) -> set[str]:
    accounts = {} if cooperative is None else stored_accounts(session, cooperative)
    if not accounts:
        parents = {row.parent for row in chart_rows()}
        return {row.code for row in chart_rows() if row.code not in parents}
    return {code for code, rule in account_rules(accounts).items() if rule.is_active and rule.is_leaf}


def load_stored(session: Session, credit_code: str | None, place: tuple[str, str] | None, sheets: set[str]) -> Stored:
    """Load what the import compares against: only the tables of the sheets the workbook has."""
    stored = Stored()
    stored.cooperatives = dict(session.execute(select(Cooperative.credit_code, Cooperative.id)).all())
    stored.collectives = {
        code: collective_id
        for code, collective_id in session.execute(select(VillageCollective.credit_code, VillageCollective.id))
        if code
    }
    stored.products = dict(session.execute(select(Product.name, Product.id)).all())
    stored.branches = set(session.scalars(select(PartyBranch.name)))
    if place is not None:
        found = session.execute(
            select(Village.id, VillageCollective.id, PartyBranch.name)
            .join(Township, Township.id == Village.township_id)
            .outerjoin(VillageCollective, VillageCollective.village_id == Village.id)
            .outerjoin(PartyBranch, PartyBranch.village_id == Village.id)
            .where(Township.name == place[0], Village.name == place[1])
        ).first()
        if found is not None:
            stored.village_id, stored.village_has_collective, stored.village_branch = (
                found[0],
                found[1] is not None,
                found[2],
            )
    cooperative = None
    if credit_code:
        cooperative = session.scalar(select(Cooperative).where(Cooperative.credit_code == credit_code))
    if "income_expense" in sheets:
        stored.bookable_accounts = _bookable_accounts(session, cooperative)
    if cooperative is None:
        return stored
    stored.cooperative = cooperative
    coop_id = cooperative.id
    stored.bylaws = {bylaws.effective_on: bylaws for bylaws in cooperative.bylaws}
    for year in session.execute(select(FiscalYear).where(FiscalYear.cooperative_id == coop_id)).scalars():
        stored.fiscal_years[year.year] = {"id": year.id, "opening_undistributed": year.opening_undistributed}
        if year.state is FiscalYearState.CLOSED:
            stored.closed_years.add(year.year)
    members = session.execute(select(*MEMBER_FIELDS).where(Member.cooperative_id == coop_id)).mappings()
    stored.members = {row["code"]: dict(row) for row in members}
    if sheets & {"contributions", "provident_shares", "members"}:
        stored.entries = live_entries(session, coop_id)
    if "transactions" in sheets:
        _load_trades(session, stored, coop_id)
    if "income_expense" in sheets:
        query = select(IncomeExpense).where(IncomeExpense.cooperative_id == coop_id)
        stored.income = [_columns(record) for record in session.scalars(query)]
    if "special_funds" in sheets:
        query_funds = select(SpecialFund).where(SpecialFund.cooperative_id == coop_id)
        stored.funds = [_columns(record) for record in session.scalars(query_funds)]
    if "special_payables" in sheets:
        query_payables = select(SpecialPayable).where(SpecialPayable.cooperative_id == coop_id)
        stored.payables = [_columns(record) for record in session.scalars(query_payables)]
    if "land_shares" in sheets:
        _load_land(session, stored, coop_id)
    return stored


def _columns(record: Any) -> Record:
    return {column.key: getattr(record, column.key) for column in record.__table__.columns}


def live_entries(session: Session, coop_id: int) -> list[Record]:
    reversal = aliased(MemberAccountEntry)
    query = (
        select(
            MemberAccountEntry.id,
            MemberAccountEntry.member_id,
            Member.code.label("member_code"),
            MemberAccountEntry.kind,
            MemberAccountEntry.entry_on,
            MemberAccountEntry.amount,
            MemberAccountEntry.area_mu,
            MemberAccountEntry.premium,
            MemberAccountEntry.memo,
            MemberAccountEntry.source,
            MemberAccountEntry.origin,
        )
        .join(Member, Member.id == MemberAccountEntry.member_id)
        .where(
            Member.cooperative_id == coop_id,
            MemberAccountEntry.kind.in_(ENTRY_KINDS),
            MemberAccountEntry.reverses_id.is_(None),
            ~exists().where(reversal.reverses_id == MemberAccountEntry.id),
        )
        .order_by(MemberAccountEntry.id)
    )
    return [dict(row) for row in session.execute(query).mappings()]


def _load_trades(session: Session, stored: Stored, coop_id: int) -> None:
    query = (
        select(*TRADE_FIELDS, Member.code.label("member_code"), Product.name.label("product"))
        .join(Product, Product.id == Trade.product_id)
        .outerjoin(Member, Member.id == Trade.member_id)
        .where(Trade.cooperative_id == coop_id)
        .order_by(Trade.id)
    )
    stored.trades = [dict(row) for row in session.execute(query).mappings()]
    linked = select(delivery_trade.c.trade_id).join(Trade, Trade.id == delivery_trade.c.trade_id)
    stored.linked_trades = set(session.scalars(linked.where(Trade.cooperative_id == coop_id)))


def _load_land(session: Session, stored: Stored, coop_id: int) -> None:
    parcels = session.execute(
        select(LandParcel, Member.code)
        .join(Member, Member.id == LandParcel.member_id)
        .where(LandParcel.cooperative_id == coop_id)
    )
    by_id: dict[int, str] = {}
    for parcel, member_code in parcels:
        stored.parcels[parcel.code] = _columns(parcel) | {"member_code": member_code}
        by_id[parcel.id] = parcel.code
    shares = session.execute(
        select(LandShare, Member.code)
        .join(Member, Member.id == LandShare.member_id)
        .join(LandParcel, and_(LandParcel.id == LandShare.parcel_id, LandParcel.cooperative_id == coop_id))
    )
    stored.shares = [
        _columns(share) | {"member_code": member_code, "parcel_code": by_id[share.parcel_id]}
        for share, member_code in shares
    ]


def party_branch_id(session: Session, name: str, village_id: int | None) -> int | None:
    """Return the branch of that name, preferring the village's own when several share the name."""
    rows = session.execute(select(PartyBranch.id, PartyBranch.village_id).where(PartyBranch.name == name)).all()
    own = [row.id for row in rows if row.village_id == village_id]
    return own[0] if own else (rows[0].id if rows else None)
