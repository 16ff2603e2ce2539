"""The workbooks people fill in: their formats, and the one import the CLI and the admin call for each.

`run_import` reads and checks the whole workbook first and reports every problem at once; only when none is
blocking does it write, inside a savepoint of the caller's transaction (it flushes, never commits). A format
declares its sheets and its planner (coopcore.services.workbook.format); everything else is shared, also the
check that a stale copy does not remove or change rows written after it was exported (workbook.newer).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import exc
from sqlalchemy.orm import Session

from coopcore.i18n import Lang
from coopcore.services.access import ADMINISTRATOR, Scope
from coopcore.services.workbook import schema, village_schema, voucher_schema
from coopcore.services.workbook.cooperative import plan_cooperative_workbook
from coopcore.services.workbook.export import export_workbook
from coopcore.services.workbook.format import Format
from coopcore.services.workbook.newer import check_newer
from coopcore.services.workbook.notes import NOTES
from coopcore.services.workbook.reader import Progress, read_workbook
from coopcore.services.workbook.report import ImportReport, Problems, SheetCounts
from coopcore.services.workbook.template import write_template
from coopcore.services.workbook.village_plan import plan_villages
from coopcore.services.workbook.voucher_export import export_vouchers
from coopcore.services.workbook.voucher_plan import plan_vouchers

__all__ = [
    "COOPERATIVE",
    "VILLAGES",
    "VOUCHERS",
    "ImportReport",
    "SheetCounts",
    "export_vouchers",
    "export_workbook",
    "run_import",
    "write_template",
]

# The accountants' workbook of one cooperative (issue #3): `coop template`, `coop import`, the admin's upload.
COOPERATIVE = Format("cooperative", schema.SHEETS, schema.INSTRUCTIONS, plan_cooperative_workbook, NOTES)
# The township's weak-village plans, projects, funding and income: `coop villages template`, `coop villages import`.
VILLAGES = Format("villages", village_schema.SHEETS, village_schema.INSTRUCTIONS, plan_villages)
# A cooperative's books (issue 15): chart additions, opening balances and vouchers, in and out of Excel.
VOUCHERS = Format("vouchers", voucher_schema.SHEETS, voucher_schema.INSTRUCTIONS, plan_vouchers, voucher_schema.NOTES)

REFUSED = "The database refused the data: {reason}"
TEMPLATES = (REFUSED,)


def run_import(
    session: Session,
    path: Path | str,
    format: Format,
    *,
    dry_run: bool = False,
    lang: Lang = "zh",
    today: dt.date | None = None,
    progress: Progress | None = None,
    actor: Scope = ADMINISTRATOR,
    replace_newer: bool = False,
) -> ImportReport:
    """Read, check and plan a workbook of the format and, unless a problem blocks or this is a dry run, write it.

    `today` bounds the dates of recorded facts and is the day rules are judged on. `actor` is who imports: the
    `coop` commands are the local administrator; the admin passes the signed-in user's scope. `replace_newer`
    removes and changes rows written after the workbook was exported, on purpose: without it they block.
    """
    today = today or dt.date.today()
    problems = Problems()
    book = read_workbook(Path(path), format, problems, today=today, progress=progress)
    report = ImportReport(format, problems.items, lang=lang, dry_run=dry_run)
    if not book.sheets:
        return report  # unreadable, or none of the format's sheets: already reported
    planned = format.planner(session, book, problems, today=today, actor=actor)
    report.counts, report.credit_code, report.surplus = planned.counts, planned.credit_code, planned.surplus
    check_newer(session, book.stamp, planned.touched, problems, replace=replace_newer)
    if problems.blocking or dry_run or planned.write is None:
        return report
    try:
        with session.begin_nested():
            planned.write(session, progress)
    except exc.IntegrityError as error:
        # The checks should have caught it; if a constraint still objects, report it rather than crash.
        problems.error(REFUSED, reason=str(error.orig).splitlines()[0])
        return report
    report.written = True
    return report
