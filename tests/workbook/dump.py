"""A canonical dump of one cooperative's rows: what must survive export → import, without ids or provenance.

Left out on purpose: surrogate ids, created_at, the `source` and `origin` provenance of dated records,
the is_demo mark, and reference data the workbook names only (township district and region codes,
product category, party-branch secretary). Account entries are compared as the live ledger: a reversed
entry and its reversal cancel, as the member account does.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

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
    VillageCollective,
)
from coopcore.services.workbook.stored import live_entries


def _plain(value: Any) -> Any:
    return str(value) if value is not None and not isinstance(value, bool | int) else value


def _rows(rows: Any) -> list[tuple[Any, ...]]:
    return sorted((tuple(_plain(v) for v in row) for row in rows), key=lambda row: tuple(map(str, row)))


def dump_cooperative(session: Session, credit_code: str) -> dict[str, Any]:
    """Return every workbook-carried field of a cooperative and its records, in a stable order."""
    coop = session.scalars(select(Cooperative).where(Cooperative.credit_code == credit_code)).one()
    member_coop = aliased(Cooperative)
    members = session.execute(
        select(
            Member.code,
            Member.name,
            Member.kind,
            Member.id_number,
            Member.household_head,
            Member.household_size,
            Member.phone,
            Member.address,
            Member.joined_on,
            Member.exit_applied_on,
            Member.left_on,
            Member.is_founder,
            Member.additional_votes,
            member_coop.credit_code,
            VillageCollective.credit_code,
        )
        .outerjoin(member_coop, member_coop.id == Member.member_cooperative_id)
        .outerjoin(VillageCollective, VillageCollective.id == Member.village_collective_id)
        .where(Member.cooperative_id == coop.id)
    )
    entries = [
        (e["member_code"], e["entry_on"], e["kind"], e["amount"], e["area_mu"], e["memo"], e["premium"])
        for e in live_entries(session, coop.id)
    ]
    trades = session.execute(
        select(
            Trade.ticket_no,
            Member.code,
            Trade.counterparty,
            Trade.kind,
            Trade.traded_on,
            Product.name,
            Trade.grade,
            Trade.quantity,
            Trade.unit,
            Trade.unit_price,
            Trade.amount,
            Trade.service_fee,
        )
        .join(Product, Product.id == Trade.product_id)
        .outerjoin(Member, Member.id == Trade.member_id)
        .where(Trade.cooperative_id == coop.id)
    )
    income = session.execute(
        select(
            IncomeExpense.recorded_on,
            IncomeExpense.category,
            IncomeExpense.amount,
            IncomeExpense.memo,
            IncomeExpense.voucher_no,
        ).where(IncomeExpense.cooperative_id == coop.id)
    )
    funds = session.execute(
        select(
            SpecialFund.received_on,
            SpecialFund.source,
            SpecialFund.amount,
            SpecialFund.memo,
            SpecialFund.is_poverty_asset,
            SpecialFund.disposed_on,
            SpecialFund.form,
            SpecialFund.asset_account,
        ).where(SpecialFund.cooperative_id == coop.id)
    )
    payables = session.execute(
        select(
            SpecialPayable.moved_on,
            SpecialPayable.kind,
            SpecialPayable.amount,
            SpecialPayable.project,
            SpecialPayable.expense_account,
            SpecialPayable.memo,
        ).where(SpecialPayable.cooperative_id == coop.id)
    )
    years = session.execute(
        select(FiscalYear.year, FiscalYear.state, FiscalYear.opening_undistributed).where(
            FiscalYear.cooperative_id == coop.id
        )
    )
    parcels = session.execute(
        select(
            LandParcel.code,
            Member.code,
            LandParcel.certificate_no,
            LandParcel.location,
            LandParcel.area_mu,
            LandParcel.contract_end_on,
        )
        .join(Member, Member.id == LandParcel.member_id)
        .where(LandParcel.cooperative_id == coop.id)
    )
    shares = session.execute(
        select(
            LandParcel.code,
            Member.code,
            LandShare.area_mu,
            LandShare.start_on,
            LandShare.end_on,
            LandShare.guarantee_per_mu,
            LandShare.shares_per_mu,
            LandShare.share_value,
        )
        .join(LandParcel, LandParcel.id == LandShare.parcel_id)
        .join(Member, Member.id == LandShare.member_id)
        .where(LandParcel.cooperative_id == coop.id)
    )
    return {
        "cooperative": (
            coop.name,
            coop.credit_code,
            coop.village.township.name,
            coop.village.name,
            coop.party_branch.name if coop.party_branch else None,
            str(coop.founded_on),
            coop.business_type,
            coop.brand,
            coop.is_federation,
            str(coop.status),
        ),
        "bylaws": _rows(
            (
                b.effective_on,
                b.provident_fund_rate,
                b.patronage_ratio,
                b.provident_basis,
                b.patronage_measure,
                b.land_guarantee_treatment,
                b.resolution,
            )
            for b in coop.bylaws
        ),
        "members": _rows(members),
        "entries": _rows(entries),
        "trades": _rows(trades),
        "income": _rows(income),
        "funds": _rows(funds),
        "payables": _rows(payables),
        "fiscal_years": _rows(years),
        "parcels": _rows(parcels),
        "shares": _rows(shares),
    }
