"""The statements (会计报表) of a cooperative or federation, filled from its books: 资产负债表 (会农社01表),
盈余及盈余分配表 (会农社02表) and 成员权益变动表 (会农社03表) of a year, or of its months to a month's end.

Reads only; the lines and how they are filled are coopcore.rules.statements.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from sqlalchemy import select
from sqlalchemy.orm import Session

from coopcore.models import Cooperative, Period, PeriodState
from coopcore.rules.statements import Statements, fill_statements
from coopcore.services.statements.books import read_books_of


def statements(
    session: Session, cooperative: Cooperative, year: int, month: int = 12, *, include_unposted: bool = False
) -> Statements:
    """Fill the three statements of a year (or of its months to `month`) from the cooperative's books.

    上年金额 is the year before's 本年金额 for the same months (02表 编制说明 2), read from its books the same way.
    """
    return next(statements_of(session, [cooperative], year, month, include_unposted=include_unposted))[1]


def statements_of(
    session: Session, cooperatives: Iterable[Cooperative], year: int, month: int = 12, *, include_unposted: bool = False
) -> Iterator[tuple[Cooperative, Statements]]:
    """The statements of each of several cooperatives, in the order of their ids, one at a time: as many statements
    for a township as for one cooperative (coopcore.services.statements.books.read_books_of)."""
    chosen = list(cooperatives)
    before = read_books_of(session, chosen, year - 1, month, include_unposted=include_unposted)
    books = read_books_of(session, chosen, year, month, include_unposted=include_unposted)
    for (cooperative, last_books), (_, this_books) in zip(before, books, strict=True):
        last_year = fill_statements(year - 1, month, last_books).this_year
        yield cooperative, fill_statements(year, month, this_books, last_year)


def closed_cooperatives(session: Session, cooperative_ids: Iterable[int], year: int, month: int = 12) -> set[int]:
    """The cooperatives (by id) whose books have the period's last month closed (结账)."""
    ids = sorted(cooperative_ids)
    if not ids:
        return set()
    return set(
        session.scalars(
            select(Period.cooperative_id).where(
                Period.cooperative_id.in_(ids), Period.year == year, Period.month == month,
                Period.state == PeriodState.CLOSED,
            )
        )
    )  # fmt: skip


def statements_as_they_stand(
    session: Session, cooperative: Cooperative, year: int, month: int = 12
) -> tuple[Statements, bool]:
    """The statements as the books stand, and whether they are final: a period whose last month is closed reads its
    posted vouchers (a closed month holds no other); one not closed reads every voucher, drafts and audited ones
    too, and is unaudited (未审计), so that an open year shows its figures before anyone posts or plans."""
    closed = cooperative.id in closed_cooperatives(session, [cooperative.id], year, month)
    return statements(session, cooperative, year, month, include_unposted=not closed), closed


__all__ = ["Statements", "closed_cooperatives", "statements", "statements_as_they_stand", "statements_of"]
