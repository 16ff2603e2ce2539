"""Keyset (seek) pagination: a list page found from its neighbour's edge row by the sort key, not by OFFSET.

A page link carries the page's number (for its label) and, when it leads to a neighbouring page, the sort key of
the row next to it: `after=` (the next page: the rows after this page's last one) or `before=` (the previous page:
the rows before its first one). The database seeks its index to that key and reads one page, so a page costs the
same at page 1 and at page 50,000. A page number alone (the first and last pages, a typed number, a new sort) is
read by OFFSET from the nearer end of the list, on the ids and sort keys only; negative numbers count from the end
(-1 is the last page), which is how the last page is read without counting when the count is estimated.

Every query here narrows the query it is given: the reach (the user's cooperatives) and the filters stay in it,
and a key in a link only says where to start reading within them.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import enum
import json
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from math import ceil
from typing import Any

from sqlalchemy import ColumnElement, and_, literal, or_, text, tuple_
from sqlalchemy.orm import Session

# The arguments of a list's URL that belong to the pager: the page, the key it seeks from, a number typed in.
AFTER, BEFORE, GOTO = "after", "before", "goto"
SEEK_ARGS = (AFTER, BEFORE, GOTO)
# Unfiltered lists of an unrestricted user above this many rows show the table's row estimate (the catalogue's,
# kept ESTIMATE_SECONDS) instead of counting every row on every page.
ESTIMATE_FROM = 100_000
ESTIMATE_SECONDS = 300.0
# A list that finds at most this many rows (exactly counted) is read whole in its order and cut here: with a LIMIT,
# PostgreSQL walks the sort's index hoping to meet the few matching rows early, and a filter that matches few rows
# of a big table (a month and a product of three cooperatives in a county) took 14 s instead of 0.1 s.
WHOLE_FROM_BELOW = 1_000


@dataclass(frozen=True)
class SortKey:
    """A list's order: (column, descending) pairs, the primary key last so that every row has one place."""

    columns: tuple[tuple[Any, bool], ...]

    def order(self, reverse: bool = False) -> list[Any]:
        """ORDER BY clauses, or those of the reversed order (reading from the end)."""
        return [column.desc() if desc != reverse else column.asc() for column, desc in self.columns]

    def of(self, row: Any) -> tuple[Any, ...]:
        """The key of an ORM row (its attributes) or of a result row (its labelled columns)."""
        return tuple(getattr(row, column.key) for column, _desc in self.columns)

    def beyond(self, values: Sequence[Any], *, forward: bool) -> ColumnElement[bool]:
        """The rows after `values` in the order (forward), or before them."""
        directions = {desc for _column, desc in self.columns}
        columns = [column for column, _desc in self.columns]
        if len(directions) == 1:
            # One direction: a row-value comparison, which PostgreSQL and SQLite seek in an index as one range.
            # MariaDB gets the same rows, with the leading column's bound for its range (below).
            later = forward != directions.pop()
            # Each value bound as its column's type (an exact decimal is a scaled integer on SQLite).
            row, bound = tuple_(*columns), tuple_(*(literal(v, c.type) for c, v in zip(columns, values, strict=True)))
            if not isinstance(self, _ExpandedKey):
                return row > bound if later else row < bound
        # Mixed directions: the rows equal on the first i-1 columns and beyond on the i-th, for each i.
        parts = []
        for i, (column, desc) in enumerate(self.columns):
            later = forward != desc
            step = column > values[i] if later else column < values[i]
            parts.append(and_(*[c == v for (c, _d), v in zip(self.columns[:i], values, strict=False)], step))
        first, desc = self.columns[0]
        lead = first >= values[0] if forward != desc else first <= values[0]
        return and_(lead, or_(*parts))

    def encode(self, values: Sequence[Any]) -> str:
        """A key as it travels in a link: JSON of its plain values, base64url without padding."""
        plain = [_plain(value) for value in values]
        raw = json.dumps(plain, separators=(",", ":"), ensure_ascii=False).encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    def decode(self, text: str) -> tuple[Any, ...]:
        """A key from a link, typed as its columns; ValueError for anything else."""
        try:
            raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
            plain = json.loads(raw)
        except (binascii.Error, ValueError) as error:
            raise ValueError(text) from error
        if not isinstance(plain, list) or len(plain) != len(self.columns):
            raise ValueError(text)
        return tuple(_typed(column, value) for (column, _desc), value in zip(self.columns, plain, strict=True))


class _ExpandedKey(SortKey):
    """The same key compared column by column (MariaDB: a row-value `<` is not a range to its optimizer)."""


def sort_key(columns: Sequence[tuple[Any, bool]], primary_key: Any, dialect: str) -> SortKey:
    """The key of an order, with the primary key added (in the last column's direction) unless it is there."""
    pairs = tuple(columns)
    if not any(column is primary_key for column, _desc in pairs):
        pairs = (*pairs, (primary_key, pairs[-1][1] if pairs else False))
    return _ExpandedKey(pairs) if dialect == "mysql" else SortKey(pairs)


def keyable(column: Any) -> bool:
    """True if a list can seek by this column: a plain, non-null column of the model's own table."""
    prop = getattr(column, "property", None)
    columns = getattr(prop, "columns", None)
    if not columns or len(columns) != 1:
        return False
    return not getattr(columns[0], "nullable", True)


def _plain(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dt.date):  # datetimes too
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _typed(column: Any, value: Any) -> Any:
    try:
        kind = column.type.python_type
    except NotImplementedError:
        kind = object
    try:
        if isinstance(kind, type) and issubclass(kind, enum.Enum):
            return kind(value)
        if kind is dt.datetime:
            return dt.datetime.fromisoformat(value)
        if kind is dt.date:
            return dt.date.fromisoformat(value)
        if kind is Decimal:
            return Decimal(str(value))
        if kind is bool:
            if not isinstance(value, bool):
                raise ValueError(value)
            return value
        if kind is int:
            if isinstance(value, bool) or not isinstance(value, int):
                raise ValueError(value)
            return value
        if kind is str and not isinstance(value, str):
            raise ValueError(value)
    except (TypeError, InvalidOperation) as error:
        raise ValueError(value) from error
    return value


@dataclass(frozen=True)
class Seek:
    """Which page a request asks for: its number (negative: from the end) and the key it starts beyond, if any."""

    page: int
    after: tuple[Any, ...] | None = None
    before: tuple[Any, ...] | None = None


def read_seek(args: Mapping[str, str], key: SortKey, page: int) -> Seek:
    """The request's page: `goto` (a number typed, from 1), else `page` with `after` or `before`."""
    typed = args.get(GOTO, "").strip()
    if typed:
        if not typed.isdigit() or int(typed) < 1:
            raise ValueError(typed)
        return Seek(int(typed) - 1)
    if args.get(AFTER):
        return Seek(page, after=key.decode(args[AFTER]))
    if args.get(BEFORE):
        return Seek(page, before=key.decode(args[BEFORE]))
    return Seek(page)


@dataclass(frozen=True)
class Count:
    """How many rows a list finds: counted, or the table's estimate (an unfiltered list over a huge table)."""

    rows: int
    estimated: bool = False

    def pages(self, page_size: int) -> int:
        return max(ceil(self.rows / page_size), 1)


@dataclass(frozen=True)
class Window:
    """A page read: its rows' keys (or rows) in list order, its number, and whether pages lie before and after."""

    rows: list[Any]
    page: int  # from 0; negative: counted from the end (the count is an estimate)
    has_prev: bool
    has_next: bool


def read_window(
    select_page: Callable[[list[Any], ColumnElement[bool] | None, int, int], list[Any]],
    key: SortKey,
    seek: Seek,
    count: Count,
    page_size: int,
) -> Window:
    if not count.estimated and count.rows <= WHOLE_FROM_BELOW:
        select_page = _read_whole(select_page, count)
    return _read_window(select_page, key, seek, count, page_size)


def _read_whole(
    select_page: Callable[[list[Any], ColumnElement[bool] | None, int, int], list[Any]], count: Count
) -> Callable[[list[Any], ColumnElement[bool] | None, int, int], list[Any]]:
    """The same reads without a LIMIT: every row the list finds, in the database's order, cut here."""

    def whole(order: list[Any], beyond: ColumnElement[bool] | None, offset: int, limit: int) -> list[Any]:
        if count.rows == 0:
            return []
        return select_page(order, beyond, 0, 0)[offset : offset + limit]

    return whole


def _read_window(
    select_page: Callable[[list[Any], ColumnElement[bool] | None, int, int], list[Any]],
    key: SortKey,
    seek: Seek,
    count: Count,
    page_size: int,
) -> Window:
    """Read one page through `select_page(order, beyond, offset, limit)`, which runs the list's own query.

    By key: the page after or before a row, one row more than a page to know whether the list goes on.
    By number: OFFSET from the nearer end, which needs an exact count; with an estimate, numbers from the start
    count from the start and negative ones from the end.
    """
    n = page_size
    if seek.after is not None:
        rows = select_page(key.order(), key.beyond(seek.after, forward=True), 0, n + 1)
        return Window(rows[:n], seek.page, True, len(rows) > n)
    if seek.before is not None:
        rows = select_page(key.order(reverse=True), key.beyond(seek.before, forward=False), 0, n + 1)
        more = len(rows) > n
        return Window(rows[:n][::-1], seek.page if more else 0, more, True)
    page = seek.page
    if page < 0 and not count.estimated:
        page = max(count.pages(n) + page, 0)
    if page >= 0 and (count.estimated or page * 2 < count.pages(n)):
        rows = select_page(key.order(), None, page * n, n + 1)
        return Window(rows[:n], page, page > 0, len(rows) > n)
    if page < 0:  # the k-th page from the end of an estimated count: whole pages counted back from the last row
        rows = select_page(key.order(reverse=True), None, (-page - 1) * n, n + 1)
        return Window(rows[:n][::-1], page, len(rows) > n, page < -1)
    # The later half of an exactly counted list: read backwards from its last row.
    end = min((page + 1) * n, count.rows)
    start = page * n
    if start >= count.rows:
        return Window([], page, page > 0, False)
    rows = select_page(key.order(reverse=True), None, count.rows - end, end - start)
    return Window(rows[::-1], page, page > 0, end < count.rows)


@dataclass(frozen=True)
class Pager:
    """The links under a list: first, previous, next and last page, where the list is, and a number to type."""

    first: str | None
    prev: str | None
    next: str | None
    last: str | None
    page: int  # from 1; negative: from the end
    pages: int
    estimated: bool
    hidden: list[tuple[str, str]]  # the list's other arguments, kept by the "go to page" form


def pager(
    window: Window,
    key: SortKey,
    key_of: Callable[[Any], tuple[Any, ...]],
    count: Count,
    page_size: int,
    url: Callable[[int | None, dict[str, str]], str],
    args: Sequence[tuple[str, str]],
) -> Pager:
    """The pager of a page read by read_window; `url(page, seek_args)` writes a link to the same list."""
    rows = window.rows
    prev = next_ = None
    if window.has_prev and rows:
        prev = url(window.page - 1, {BEFORE: key.encode(key_of(rows[0]))})
    if window.has_next and rows:
        next_ = url(window.page + 1, {AFTER: key.encode(key_of(rows[-1]))})
    at_start, at_end = not window.has_prev, not window.has_next
    kept = [(name, value) for name, value in args if name not in (*SEEK_ARGS, "page")]
    page = window.page + 1 if window.page >= 0 else window.page
    return Pager(
        first=None if at_start else url(None, {}),
        prev=prev,
        next=next_,
        last=None if at_end else url(-1, {}),
        page=page,
        pages=count.pages(page_size),
        estimated=count.estimated,
        hidden=kept,
    )


_estimates: dict[tuple[str, str], tuple[float, int | None]] = {}


def estimated_rows(session: Session, table: str) -> int | None:
    """The catalogue's estimate of a table's rows (None if it has none), kept ESTIMATE_SECONDS per database."""
    bind = session.get_bind()
    cache_key = (bind.engine.url.render_as_string(hide_password=True), table)
    kept = _estimates.get(cache_key)
    now = time.monotonic()
    if kept is not None and now - kept[0] < ESTIMATE_SECONDS:
        return kept[1]
    rows = _catalogue_rows(session, bind.dialect.name, table)
    _estimates[cache_key] = (now, rows)
    return rows


def _catalogue_rows(session: Session, dialect: str, table: str) -> int | None:
    if dialect == "postgresql":
        # reltuples is -1 until the table is first vacuumed or analyzed (PostgreSQL 14+).
        value = session.scalar(text("SELECT reltuples::bigint FROM pg_class WHERE oid = to_regclass(:t)"), {"t": table})
    elif dialect == "mysql":
        value = session.scalar(
            text(
                "SELECT table_rows FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = :t"
            ),
            {"t": table},
        )
    elif dialect == "sqlite":
        # ANALYZE writes each index's row count first in sqlite_stat1.stat; no table, no estimate.
        has_stats = session.scalar(text("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'"))
        stats: list[str] = []
        if has_stats:
            stats = list(session.scalars(text("SELECT stat FROM sqlite_stat1 WHERE tbl = :t"), {"t": table}))
        value = max((int(stat.split()[0]) for stat in stats if stat), default=None)
    else:
        value = None
    return int(value) if value is not None and value >= 0 else None
