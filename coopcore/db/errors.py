"""Database refusals that mean something to a user, turned into coopcore's errors where the driver raises them.

Registered on every engine by coopcore.db.engine (`handle_error`), so the CLI, the admin, the import and the
services all see the same PeriodClosed or ConcurrentChange, whichever statement or driver it came from.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import exc
from sqlalchemy.engine import Connection, ExceptionContext

from coopcore.errors import AppendOnly, ConcurrentChange, CoopError, InvalidValue, PeriodClosed, RuleViolation

# The closed-year triggers of the migration "closed years in the database": PostgreSQL and MariaDB name the year
# and the cooperative; SQLite's RAISE takes only a literal.
CLOSED_YEAR = re.compile(r"coop_period_closed(?::(\d+):(.*))?")
SOME_CLOSED_YEAR = "A fiscal year this change falls in is closed; its records cannot change."
# Another transaction held what this one needed: it was refused, not half done.
BUSY_SQLSTATES = {"40001", "40P01", "55P03"}  # serialization failure, deadlock, lock not available
BUSY_MARIADB = {1205, 1213}  # lock wait timeout, deadlock
BUSY_SQLITE = {"SQLITE_BUSY", "SQLITE_LOCKED", "SQLITE_BUSY_SNAPSHOT"}

# The books' triggers (migration "the books: database guards"): a closed month, a posted voucher, posting an
# unbalanced voucher, a line placed in another period than its voucher's.
CLOSED_PERIOD = re.compile(r"coop_ledger_period_closed(?::(\d+):(\d+):(.*))?")
CLOSED_MONTH = "{period} of {cooperative} is closed (结账): nothing in it can be booked, changed or deleted."
SOME_CLOSED_MONTH = "A period this change falls in is closed (结账): nothing in it can be booked, changed or deleted."
POSTED_VOUCHER = "A posted voucher never changes: correct it with a red reversal (红字冲销)."
UNBALANCED_POSTING = "A voucher is posted only with at least two lines and debits equal to credits."
LINE_MISMATCH = "A voucher line must carry the cooperative, year and month of its voucher."
LEDGER_REFUSALS: dict[str, tuple[type[CoopError], str]] = {
    "coop_voucher_posted": (AppendOnly, POSTED_VOUCHER),
    "coop_voucher_unbalanced": (RuleViolation, UNBALANCED_POSTING),
    "coop_voucher_line_mismatch": (InvalidValue, LINE_MISMATCH),
}

TEMPLATES = (SOME_CLOSED_YEAR,)
LEDGER_TEMPLATES = (CLOSED_MONTH, SOME_CLOSED_MONTH, POSTED_VOUCHER, UNBALANCED_POSTING, LINE_MISMATCH)


def translate(error: BaseException) -> CoopError | None:
    """The coopcore error a database error means, if it means one."""
    message = _message(error)
    found = CLOSED_YEAR.match(message)
    if found is not None:
        if found.group(1) is None:
            return PeriodClosed(SOME_CLOSED_YEAR)
        return PeriodClosed(cooperative=found.group(2), year=int(found.group(1)))
    month = CLOSED_PERIOD.match(message)
    if month is not None:
        if month.group(1) is None:
            return PeriodClosed(SOME_CLOSED_MONTH)
        period = f"{int(month.group(1))}-{int(month.group(2)):02d}"
        return PeriodClosed(CLOSED_MONTH, period=period, cooperative=month.group(3))
    for prefix, (refusal, template) in LEDGER_REFUSALS.items():
        if message.startswith(prefix):
            return refusal(template)
    sqlstate = getattr(error, "sqlstate", None)
    errno = error.args[0] if error.args and isinstance(error.args[0], int) else None
    if sqlstate in BUSY_SQLSTATES or errno in BUSY_MARIADB or getattr(error, "sqlite_errorname", None) in BUSY_SQLITE:
        return ConcurrentChange()
    return None


def _message(error: BaseException) -> str:
    """The database's own message: psycopg's primary message, PyMySQL's text after the error number."""
    diag = getattr(error, "diag", None)
    if diag is not None and diag.message_primary:
        return str(diag.message_primary)
    if len(error.args) > 1 and isinstance(error.args[0], int):
        return str(error.args[1])
    return str(error)


def raise_translated(context: ExceptionContext) -> None:
    """`handle_error` listener: raise the coopcore error instead of the driver's, where there is one."""
    translated = translate(context.original_exception)
    if translated is not None:
        raise translated from context.sqlalchemy_exception


@contextmanager
def driver_errors(connection: Connection, statement: str) -> Iterator[None]:
    """Raise errors of work done on the driver's own cursor (PostgreSQL's COPY) as SQLAlchemy's would be.

    SQLAlchemy neither wraps nor hands such errors to `handle_error`: translate them here, or wrap them
    (a unique key refusing rows is then an IntegrityError, as for an INSERT).
    """
    dbapi = connection.dialect.loaded_dbapi
    try:
        yield
    except dbapi.Error as error:
        translated = translate(error)
        if translated is not None:
            raise translated from error
        raise exc.DBAPIError.instance(statement, None, error, dbapi.Error) from error
