"""The export stamp: where the database stood when a workbook was exported, kept in a very hidden sheet of it.

Editing and saving in Excel or WPS keeps a very hidden sheet (only a macro can show it), while document
properties are rewritten by every save. An import compares each stored row it would remove or change with the
stamp (coopcore.services.workbook.newer): a row added or changed after the export was not in the workbook the
accountant edited, so leaving it out is no instruction to remove it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from openpyxl import Workbook

from coopcore.i18n import Lang

SHEET_NAMES: Mapping[Lang, str] = {"zh": "导出标记", "en": "export_stamp"}
NOTE: Mapping[Lang, str] = {
    "zh": "本表记录导出时数据库的状态，导入时用来发现导出之后别人写入的行。请勿修改。",
    "en": "Where the database stood at the export: the import finds the rows written after it. Do not edit.",
}
EXPORTED_AT, TRANSACTION, TRANSACTION_AT = "exported_at", "transaction", "transaction_at"
LAST_ID = "last_id:"  # + table name: the largest id of that table at the export


@dataclass(frozen=True)
class ExportStamp:
    """When a workbook was exported, the audit trail's last transaction then, and each checked table's last id.

    Times are UTC, as the audit trail keeps them. `transaction_at` tells this database's trail from another's:
    a workbook exported elsewhere names a transaction this database has not, or has with another time.
    """

    exported_at: dt.datetime
    transaction: int
    transaction_at: dt.datetime | None
    last_ids: Mapping[str, int] = field(default_factory=dict)


def is_stamp_sheet(name: str) -> bool:
    """True for the stamp's sheet, by either language's name."""
    return name.strip().lower() in {value.lower() for value in SHEET_NAMES.values()}


def write_stamp(workbook: Workbook, stamp: ExportStamp, lang: Lang) -> None:
    """Add the stamp as the workbook's last, very hidden sheet; values are text, so no editor reformats them."""
    worksheet = workbook.create_sheet(SHEET_NAMES[lang])
    worksheet.sheet_state = "veryHidden"
    worksheet.append([NOTE[lang]])
    worksheet.append([EXPORTED_AT, stamp.exported_at.isoformat()])
    worksheet.append([TRANSACTION, str(stamp.transaction)])
    worksheet.append([TRANSACTION_AT, stamp.transaction_at.isoformat() if stamp.transaction_at else ""])
    for table, last_id in sorted(stamp.last_ids.items()):
        worksheet.append([LAST_ID + table, str(last_id)])


def read_stamp(rows: Iterable[list[Any]]) -> ExportStamp | None:
    """Read the stamp from its sheet's rows; None if it was damaged (then nothing can be checked against it)."""
    values = {str(row[0]).strip(): str(row[1]).strip() for row in rows if len(row) >= 2 and row[0] and row[1]}
    try:
        transaction_at = values.get(TRANSACTION_AT)
        return ExportStamp(
            exported_at=dt.datetime.fromisoformat(values[EXPORTED_AT]),
            transaction=_whole(values[TRANSACTION]),
            transaction_at=dt.datetime.fromisoformat(transaction_at) if transaction_at else None,
            last_ids={
                key.removeprefix(LAST_ID): _whole(value) for key, value in values.items() if key.startswith(LAST_ID)
            },
        )
    except (KeyError, ValueError):
        return None


def _whole(text: str) -> int:
    # A cell an editor turned into a number reads back as 12.0.
    number = float(text) if "." in text else int(text)
    if number != int(number):
        raise ValueError(text)
    return int(number)
