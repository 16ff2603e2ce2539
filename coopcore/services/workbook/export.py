"""Export a cooperative from the database as the import workbook, so that export → import round-trips.

Every dated row carries its 记录来源 (工作簿, 手工, 系统记账：…): re-importing the export matches the rows typed
in the admin and booked by services to themselves, instead of taking them for the workbook's own. A very hidden
last sheet carries the export's stamp, so that importing a stale copy does not remove what was written since.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from sqlalchemy import select
from sqlalchemy.orm import Session

from coopcore.i18n import Lang
from coopcore.models import (
    Cooperative,
    FiscalYear,
    IncomeExpense,
    LandParcel,
    LandShare,
    Member,
    Product,
    SpecialFund,
    SpecialPayable,
    Trade,
)
from coopcore.services.lookups import cooperative_by_code
from coopcore.services.safe_cells import text_row
from coopcore.services.workbook.format import Sheet
from coopcore.services.workbook.newer import take_stamp
from coopcore.services.workbook.schema import (
    CONTRIBUTIONS,
    COOPERATIVE,
    FISCAL_YEARS,
    INCOME_EXPENSE,
    LAND_SHARES,
    MEMBERS,
    PROVIDENT_SHARES,
    SPECIAL_FUNDS,
    SPECIAL_PAYABLES,
    TRANSACTIONS,
)
from coopcore.services.workbook.stamp import write_stamp
from coopcore.services.workbook.stored import live_entries
from coopcore.services.workbook.template import cell_value, new_sheet

Records = Iterable[dict[str, Any]]
# Workbook column → model attribute, where the names differ; every other column has its attribute's name.
MEMBER_COLUMNS = {"member_code": "code"}
INCOME_COLUMNS = {"date": "recorded_on"}
FUND_COLUMNS = {"date": "received_on"}
YEAR_COLUMNS = {"closed": "is_closed"}


def export_workbook(session: Session, credit_code: str, path: Path | str, *, lang: Lang = "zh") -> None:
    """Write one cooperative's data as an import workbook (live account entries only: reversed pairs cancel)."""
    cooperative = cooperative_by_code(session, credit_code)
    stamp = take_stamp(session)  # before the rows are read: a row written meanwhile counts as newer
    coop_id = cooperative.id
    entries = sorted(live_entries(session, coop_id), key=lambda e: (e["entry_on"], e["member_code"], e["id"]))
    members = select(Member).where(Member.cooperative_id == coop_id).order_by(Member.code)
    income = select(IncomeExpense).where(IncomeExpense.cooperative_id == coop_id).order_by(IncomeExpense.recorded_on)
    funds = select(SpecialFund).where(SpecialFund.cooperative_id == coop_id).order_by(SpecialFund.received_on)
    payables = select(SpecialPayable).where(SpecialPayable.cooperative_id == coop_id)
    payables = payables.order_by(SpecialPayable.moved_on, SpecialPayable.id)
    years = select(FiscalYear).where(FiscalYear.cooperative_id == coop_id).order_by(FiscalYear.year)
    sheets: tuple[tuple[Sheet, Records], ...] = (
        (COOPERATIVE, [_cooperative(cooperative)]),
        (MEMBERS, _objects(MEMBERS, session.scalars(members), MEMBER_COLUMNS)),
        (CONTRIBUTIONS, (_entry(entry, "note") for entry in entries if entry["kind"].is_contribution)),
        (PROVIDENT_SHARES, (_entry(entry, "memo") for entry in entries if not entry["kind"].is_contribution)),
        (TRANSACTIONS, _trades(session, coop_id)),
        (INCOME_EXPENSE, _objects(INCOME_EXPENSE, session.scalars(income.order_by(IncomeExpense.id)), INCOME_COLUMNS)),
        (SPECIAL_FUNDS, _objects(SPECIAL_FUNDS, session.scalars(funds.order_by(SpecialFund.id)), FUND_COLUMNS)),
        (SPECIAL_PAYABLES, _objects(SPECIAL_PAYABLES, session.scalars(payables), {"date": "moved_on"})),
        (FISCAL_YEARS, _objects(FISCAL_YEARS, session.scalars(years), YEAR_COLUMNS)),
        (LAND_SHARES, _land(session, coop_id)),
    )
    workbook = Workbook(write_only=True)
    for sheet, records in sheets:
        worksheet = new_sheet(workbook, sheet, lang)
        for record in records:
            values = (cell_value(column, record.get(column.key), lang) for column in sheet.columns)
            worksheet.append(text_row(worksheet, values))  # a name such as "=HYPERLINK(…)" stays a name
    write_stamp(workbook, stamp, lang)
    workbook.save(str(path))


def _objects(sheet: Sheet, objects: Iterable[Any], renamed: dict[str, str]) -> Records:
    for record in objects:
        yield {column.key: getattr(record, renamed.get(column.key, column.key)) for column in sheet.columns}


def _cooperative(cooperative: Cooperative) -> dict[str, Any]:
    # The workbook has one bylaws version: the latest. Earlier versions stay in the database, untouched.
    bylaws = cooperative.bylaws[-1] if cooperative.bylaws else None
    record: dict[str, Any] = {
        "name": cooperative.name,
        "uscc": cooperative.credit_code,
        "township": cooperative.village.township.name,
        "village": cooperative.village.name,
        "party_branch": cooperative.party_branch.name if cooperative.party_branch else None,
        "founded_on": cooperative.founded_on,
        "business_type": cooperative.business_type,
        "brand": cooperative.brand,
        "is_federation": cooperative.is_federation,
        "trade_model": cooperative.trade_model,
    }
    if bylaws is not None:
        record |= {
            "provident_fund_rate": bylaws.provident_fund_rate,
            "patronage_ratio": bylaws.patronage_ratio,
            "provident_basis": bylaws.provident_basis,
            "patronage_measure": bylaws.patronage_measure,
            "land_guarantee": bylaws.land_guarantee_treatment,
            "bylaws_effective_on": bylaws.effective_on,
            "resolution": bylaws.resolution,
        }
    return record


def _entry(entry: dict[str, Any], memo_column: str) -> dict[str, Any]:
    return {
        "member_code": entry["member_code"],
        "date": entry["entry_on"],
        "method": entry["kind"],
        "amount": entry["amount"],
        "area_mu": entry["area_mu"],
        "premium": entry["premium"],
        memo_column: entry["memo"],
        "origin": entry["origin"],
    }


def _trades(session: Session, coop_id: int) -> Records:
    query = (
        select(Trade, Member.code, Product.name)
        .join(Product, Product.id == Trade.product_id)
        .outerjoin(Member, Member.id == Trade.member_id)
        .where(Trade.cooperative_id == coop_id)
        .order_by(Trade.traded_on, Trade.ticket_no, Trade.id)
        .execution_options(yield_per=5000)
    )
    for trade, member_code, product in session.execute(query):
        yield {
            "member_code": member_code,
            "date": trade.traded_on,
            "product": product,
            **{key: getattr(trade, key) for key in ("quantity", "unit", "unit_price", "amount", "grade")},
            **{key: getattr(trade, key) for key in ("ticket_no", "kind", "counterparty", "service_fee", "origin")},
        }


def _land(session: Session, coop_id: int) -> Records:
    query = (
        select(LandShare, LandParcel, Member.code)
        .join(LandParcel, LandParcel.id == LandShare.parcel_id)
        .join(Member, Member.id == LandShare.member_id)
        .where(LandParcel.cooperative_id == coop_id)
        .order_by(LandParcel.code, LandShare.start_on)
    )
    for share, parcel, member_code in session.execute(query):
        yield {
            "member_code": member_code,
            "parcel_code": parcel.code,
            "certificate_no": parcel.certificate_no,
            "location": parcel.location,
            "parcel_area_mu": parcel.area_mu,
            "contract_end_on": parcel.contract_end_on,
            **{key: getattr(share, key) for key in ("area_mu", "start_on", "end_on", "guarantee_per_mu")},
            **{key: getattr(share, key) for key in ("shares_per_mu", "share_value")},
        }
