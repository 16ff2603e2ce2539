"""Import, export and template of the accountants' workbook (issue #3): the service the CLI and the admin call.

`import_workbook` reads and checks the whole workbook first and reports every problem at once; only when
none is blocking does it write, in the caller's transaction (it flushes, never commits). Re-importing the
same or a corrected workbook updates by natural key and never duplicates.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import exc
from sqlalchemy.orm import Session

from coopcore.i18n import Lang
from coopcore.services.access import ADMINISTRATOR, Scope
from coopcore.services.workbook.apply import apply_plan
from coopcore.services.workbook.export import export_workbook
from coopcore.services.workbook.plan import Plan, plan_cooperative, plan_fiscal_years
from coopcore.services.workbook.plan_books import plan_books, surplus_changes
from coopcore.services.workbook.plan_land import plan_land
from coopcore.services.workbook.plan_members import plan_members
from coopcore.services.workbook.reach import check_reach
from coopcore.services.workbook.reader import Progress, read_workbook
from coopcore.services.workbook.report import ImportReport, Problems, SheetCounts
from coopcore.services.workbook.roster import check_roster
from coopcore.services.workbook.schema import MEMBERS, SHEETS
from coopcore.services.workbook.stored import load_stored
from coopcore.services.workbook.template import write_template
from coopcore.services.workbook.validate import check_cooperative, check_members, cooperative_row, member_dates
from coopcore.services.workbook.validate_books import check_books
from coopcore.validation import credit_code

__all__ = ["ImportReport", "SheetCounts", "export_workbook", "import_workbook", "write_template"]

REFUSED = "The database refused the data: {reason}"
TEMPLATES = (REFUSED,)


def import_workbook(
    session: Session,
    path: Path | str,
    *,
    dry_run: bool = False,
    lang: Lang = "zh",
    today: dt.date | None = None,
    progress: Progress | None = None,
    actor: Scope = ADMINISTRATOR,
) -> ImportReport:
    """Check a workbook and, unless a problem is blocking or this is a dry run, write it; return the report.

    `today` bounds the dates of recorded facts and is the day the membership rules are checked on. `actor` is
    who imports: the `coop` command is the local administrator; the admin passes the signed-in user's scope,
    and each row that needs an administrator's rights is a blocking problem.
    """
    today = today or dt.date.today()
    problems = Problems()
    book = read_workbook(Path(path), problems, today=today, progress=progress)
    report = ImportReport(problems.items, {}, lang=lang, dry_run=dry_run)
    row = cooperative_row(book, problems)
    if row is None or not book.has(MEMBERS):
        return report  # without its cooperative or roster, every other check would only echo that
    check_cooperative(row, problems)
    code = row.get("uscc")
    report.credit_code = credit_code.compact(code) if code else None
    place = (row.get("township"), row.get("village")) if row.get("township") and row.get("village") else None
    stored = load_stored(session, report.credit_code, place, set(book.sheets))
    check_members(book, row.get("founded_on"), problems)
    check_books(book, stored, member_dates(book, stored), problems)
    plan = Plan()
    plan_books(book, stored, plan, problems)
    plan_land(book, stored, plan)
    if None not in (code, row.get("name"), place, row.get("provident_fund_rate"), row.get("patronage_ratio")):
        plan_cooperative(book, row, stored, plan, problems)
    plan_members(book, stored, plan, problems)
    plan_fiscal_years(book, stored, plan, problems, now=dt.datetime.now(dt.UTC).replace(tzinfo=None))
    check_reach(session, actor, book, row, plan, stored, problems)
    if plan.roster_complete:
        # The rules judge the whole roster: with member rows left off it they would misjudge it.
        check_roster(book, plan, stored, problems, on=today)
    report.counts = {sheet.key: plan.counts[sheet.key] for sheet in SHEETS if sheet.key in plan.counts}
    report.surplus = surplus_changes(stored, plan)
    if problems.blocking or dry_run or not plan.cooperative:
        return report
    try:
        with session.begin_nested():
            apply_plan(session, plan, stored, progress)
    except exc.IntegrityError as error:
        # The checks should have caught it; if a constraint still objects, report it rather than crash.
        problems.error(REFUSED, reason=str(error.orig).splitlines()[0])
        return report
    report.written = True
    return report
