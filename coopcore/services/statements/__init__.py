"""The statements (会计报表) of a cooperative or federation, filled from its books: 资产负债表 (会农社01表),
盈余及盈余分配表 (会农社02表) and 成员权益变动表 (会农社03表) of a year, or of its months to a month's end.

Reads only; the lines and how they are filled are coopcore.rules.statements.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from coopcore.models import Cooperative
from coopcore.rules.statements import Statements, fill_statements
from coopcore.services.statements.books import read_books


def statements(
    session: Session, cooperative: Cooperative, year: int, month: int = 12, *, include_unposted: bool = False
) -> Statements:
    """Fill the three statements of a year (or of its months to `month`) from the cooperative's books.

    上年金额 is the year before's 本年金额 for the same months (02表 编制说明 2), read from its books the same way.
    """
    before = read_books(session, cooperative, year - 1, month, include_unposted=include_unposted)
    last_year = fill_statements(year - 1, month, before).this_year
    books = read_books(session, cooperative, year, month, include_unposted=include_unposted)
    return fill_statements(year, month, books, last_year)


__all__ = ["Statements", "statements"]
