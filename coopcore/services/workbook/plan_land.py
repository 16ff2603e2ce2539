"""What an import writes of land: contracted parcels by parcel code, and their shares by parcel and start date.

A parcel the sheet mentions is described completely by its rows: a stored share of it that the sheet no
longer lists is removed. Parcels the sheet does not mention stay as they are.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from coopcore.models import LandShare
from coopcore.services.workbook.newer import Touched
from coopcore.services.workbook.plan import Plan, given, usable
from coopcore.services.workbook.reader import Book, Row
from coopcore.services.workbook.schema import LAND_SHARES
from coopcore.services.workbook.stored import Record, Stored

SHARE_FIELDS = ("member_code", "area_mu", "end_on", "guarantee_per_mu", "shares_per_mu", "share_value")
PARCEL_FIELDS = ("member_code", "certificate_no", "location", "area_mu", "contract_end_on")


def plan_land(book: Book, stored: Stored, plan: Plan) -> None:
    """Plan the parcels and shares of the land sheet, if the workbook has one."""
    if not book.has(LAND_SHARES):
        return
    sheet = LAND_SHARES
    rows = usable(book.rows(sheet), "member_code", "parcel_code", "area_mu", "start_on", "end_on")
    shares = {(r["parcel_code"], r["start_on"]): r for r in stored.shares}
    counts = plan.counts[sheet.key]
    parcels_done: dict[str, bool] = {}  # parcel code → whether the parcel itself changes
    largest: dict[str, Decimal] = {}
    for row in rows:
        largest[row.get("parcel_code")] = max(row.get("area_mu"), largest.get(row.get("parcel_code"), Decimal(0)))
    seen: set[tuple[str, dt.date]] = set()
    for row in rows:
        code = row.get("parcel_code")
        if code not in parcels_done:
            parcels_done[code] = _plan_parcel(book, row, stored.parcels.get(code), plan, largest[code])
        key = (code, row.get("start_on"))
        seen.add(key)
        old = shares.get(key)
        new = {field: _share_value(book, row, old, field) for field in SHARE_FIELDS}
        if old is None:
            plan.shares.inserts.append({"parcel_code": code, "start_on": key[1], **new})
            counts.created += 1
        elif any(old[field] != value for field, value in new.items()):
            plan.shares.updates.append({"id": old["id"], **new})
            label, column = f"{code} {key[1]}", sheet.column("start_on")
            plan.touched.append(Touched(sheet, LandShare, old["id"], label, key[1], row.number, column))
            counts.updated += 1
        elif parcels_done[code]:
            counts.updated += 1
        else:
            counts.unchanged += 1
    for key, record in shares.items():
        if key[0] in parcels_done and key not in seen:
            plan.shares.deletes.append(record["id"])
            plan.touched.append(Touched(sheet, LandShare, record["id"], f"{key[0]} {key[1]}", key[1]))
            counts.removed += 1


def _share_value(book: Book, row: Row, old: Record | None, field: str) -> Any:
    if field in ("member_code", "area_mu", "end_on"):
        return row.get(field)
    return given(book, LAND_SHARES, row, field, old, None)


def _plan_parcel(book: Book, row: Row, old: Record | None, plan: Plan, largest_share: Decimal) -> bool:
    # Without a parcel area the parcel is as large as its largest share (the column's documented default).
    new = {
        "member_code": row.get("member_code"),
        "certificate_no": given(book, LAND_SHARES, row, "certificate_no", old, None),
        "location": given(book, LAND_SHARES, row, "location", old, ""),
        "area_mu": row.get("parcel_area_mu") or largest_share,
        "contract_end_on": given(book, LAND_SHARES, row, "contract_end_on", old, None),
    }
    if old is None:
        plan.parcels.inserts.append({"code": row.get("parcel_code"), **new})
        return True
    if any(old[field] != value for field, value in new.items()):
        plan.parcels.updates.append({"id": old["id"], **new})
        return True
    return False
