"""What a kind of business event is to the books: a reader of its records and the vouchers they book.

A source reads its records and returns, per event, the voucher it books (coopcore.rules.entries builds the
lines); coopcore.services.ledger.sync brings the books up to date with them. A reference names one event
("trade:2024-09:intake") or, followed by ":", the group of events under it ("distribution:12" names each
voucher of distribution 12): a group that no longer books an event has that event's voucher taken out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from coopcore.models import Cooperative, Member
from coopcore.rules.ledger import EntryLine
from coopcore.terms import VoucherOrigin


@dataclass(frozen=True)
class Event:
    """What one business event books: its reference, the voucher's date and 摘要, and its lines."""

    source_ref: str
    on: dt.date
    summary: str
    lines: list[EntryLine]


Reader = Callable[[Session, Cooperative, "set[str] | None"], Iterator[Event]]


@dataclass(frozen=True)
class Source:
    """One kind of business event: the origin of its vouchers, the prefix of their references, its reader."""

    origin: VoucherOrigin
    prefix: str
    read: Reader

    def ref(self, *key: object) -> str:
        return ":".join([self.prefix, *map(str, key)])

    def keys(self, refs: set[str] | None) -> set[str] | None:
        """The keys named by references of this source (None: every record)."""
        if refs is None:
            return None
        return {ref.split(":", 1)[1] for ref in refs if ref.startswith(self.prefix + ":")}

    def ids(self, refs: set[str] | None) -> set[int] | None:
        """The record ids that name events or groups of events of this source ("distribution:12:patronage": 12)."""
        keys = self.keys(refs)
        if keys is None:
            return None
        return {int(first) for first in (key.split(":", 1)[0] for key in keys) if first.isdigit()}


def member_codes(session: Session, cooperative: Cooperative) -> dict[int, str]:
    """The cooperative's member codes by member id: lines name members by code."""
    query = select(Member.id, Member.code).where(Member.cooperative_id == cooperative.id)
    return {member_id: code for member_id, code in session.execute(query)}


def covers(ref: str, refs: Iterable[str]) -> bool:
    """Whether a reference is one of refs or an event of a group among them."""
    return any(ref == given or ref.startswith(given + ":") for given in refs)


def red(lines: Iterable[EntryLine]) -> list[EntryLine]:
    """The same lines on the other side: what a correcting (negative) record books against the original."""
    return [replace(line, debit=line.credit, credit=line.debit) for line in lines]


def with_ids(ids: set[int] | None, column: InstrumentedAttribute[int]) -> list[ColumnElement[bool]]:
    """The condition that keeps the records named (none: every record)."""
    return [] if ids is None else [column.in_(sorted(ids))]
