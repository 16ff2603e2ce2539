"""Many vouchers at once: what add_voucher does for each, written in bulk (a year's trades, a distribution).

The same rules as add_voucher: the cooperative's one writer, open months, lines checked by the same functions
(coopcore.services.ledger.books), numbers continuing each month's last without gaps, in the drafts' order.
Every problem of every draft is refused before anything is written. The rows then go in by PostgreSQL's COPY
or multi-row INSERTs (coopcore.db.bulk), and the vouchers' audit versions with them (coopcore.db.audit), as
Continuum would write them for add_voucher: a voucher's history starts where it was written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import and_, select, text
from sqlalchemy.orm import Session
from sqlalchemy_continuum.operation import Operation

from coopcore.db.audit import write_versions
from coopcore.db.bulk import insert_rows
from coopcore.errors import InvalidValue, Term
from coopcore.labels import term
from coopcore.models import Cooperative, Voucher, VoucherLine, VoucherOrigin, VoucherState
from coopcore.rules.findings import Finding, error
from coopcore.rules.ledger import EntryLine
from coopcore.services.ledger.books import (
    CHUNK,
    SYSTEM,
    LineRefs,
    hold_books,
    line_findings,
    line_refs,
    line_values,
    next_number,
    require_open,
)
from coopcore.services.ledger.errors import POST_AUDITED_FIRST, SOURCE_TAKEN, VouchersRefused
from coopcore.services.ledger.periods import post_where
from coopcore.services.ledger.vouchers import SUMMARY_LENGTH

BATCH = 10_000  # rows per statement: bounds the memory of a write of a million lines
ANALYZE_FROM = 1000  # new vouchers that make PostgreSQL's statistics of the table worth renewing
Month = tuple[int, int]


@dataclass(frozen=True)
class Draft:
    """One voucher to write: its date, 摘要, lines, and the business event it books, if any."""

    on: dt.date
    summary: str
    lines: list[EntryLine] = field(default_factory=list)
    origin: VoucherOrigin = VoucherOrigin.MANUAL
    source_ref: str | None = None


def add_vouchers(
    session: Session,
    cooperative: Cooperative,
    drafts: Sequence[Draft],
    *,
    by: str = SYSTEM,
    state: VoucherState = VoucherState.DRAFT,
) -> list[int]:
    """Write vouchers as add_voucher writes each, posted if asked; return their ids in the drafts' order.

    Posting straight away is what post_voucher allows without an audit: vouchers of business events, where the
    cooperative does not review them first. Anything refused (VouchersRefused, PeriodClosed) writes nothing.
    """
    if state not in (VoucherState.DRAFT, VoucherState.POSTED):
        raise InvalidValue(value=state.value)
    if not drafts:
        return []
    hold_books(session, cooperative)
    months = sorted({(draft.on.year, draft.on.month) for draft in drafts})
    for year, month in months:
        require_open(session, cooperative, year, month)
    refs = line_refs(session, cooperative, (line for draft in drafts for line in draft.lines))
    _refuse_problems(session, cooperative, drafts, refs, state)
    numbers = _numbers(session, cooperative, drafts, months)
    for start in range(0, len(drafts), BATCH):
        rows = [
            _voucher_row(cooperative, draft, number, by)
            for draft, number in zip(drafts[start : start + BATCH], numbers[start : start + BATCH], strict=True)
        ]
        insert_rows(session, Voucher, rows)
    firsts = _firsts(drafts, numbers)
    if len(drafts) >= ANALYZE_FROM and session.connection().dialect.name == "postgresql":
        # The guards on the lines join each COPY's rows to their vouchers (9ebc1ea3f4b6); planned on statistics
        # from before thousands of new vouchers, that join took 6 s for 10,000 lines instead of 0.4 s.
        session.execute(text("ANALYZE voucher"))
    ids = _ids(session, cooperative, firsts)
    batch: list[dict[str, Any]] = []
    for row in _line_rows(cooperative, drafts, numbers, ids, refs):
        batch.append(row)
        if len(batch) == BATCH:
            insert_rows(session, VoucherLine, batch)
            batch = []
    insert_rows(session, VoucherLine, batch)
    for (year, month), first in firsts.items():
        new = (Voucher.cooperative_id == cooperative.id, Voucher.year == year, Voucher.month == month,
               Voucher.number >= first)  # fmt: skip
        if state is VoucherState.POSTED:
            # And their versions: one each, an UPDATE, as Continuum keeps a voucher written and posted at once.
            post_where(session, new, by, written_now=True)
        else:
            write_versions(session, Voucher, and_(*new), operation=Operation.INSERT)
    return [ids[(draft.on.year, draft.on.month, number)] for draft, number in zip(drafts, numbers, strict=True)]


def _refuse_problems(
    session: Session, cooperative: Cooperative, drafts: Sequence[Draft], refs: LineRefs, state: VoucherState
) -> None:
    """Every problem of every draft at once, each placed at its draft's position (row, from 1)."""
    findings: list[Finding] = []
    straight = not cooperative.ledger_review_events
    taken = _taken_references(session, cooperative, drafts)
    for position, draft in enumerate(drafts, start=1):
        found = line_findings(draft.lines, refs)
        if state is VoucherState.POSTED and not (draft.origin.is_event and straight):
            found += error("bulk_post", POST_AUDITED_FIRST, key="origin", origin=Term(term(draft.origin)))
        if draft.source_ref is not None and draft.source_ref in taken:
            found += error("bulk_source", SOURCE_TAKEN, key="source_ref", source_ref=draft.source_ref)
        findings += [replace(finding, row=position) for finding in found]
    if findings:
        first = drafts[(findings[0].row or 1) - 1]
        raise VouchersRefused(findings, count=len(drafts), on=first.on)


def _taken_references(session: Session, cooperative: Cooperative, drafts: Sequence[Draft]) -> set[str]:
    """The drafts' source_refs that the books already have, or that two drafts share (one voucher per event)."""
    seen: set[str] = set()
    taken: set[str] = set()
    for draft in drafts:
        if draft.source_ref is not None:
            if draft.source_ref in seen:
                taken.add(draft.source_ref)
            seen.add(draft.source_ref)
    references = sorted(seen)
    for start in range(0, len(references), CHUNK):
        chunk = references[start : start + CHUNK]
        stored = select(Voucher.source_ref).where(Voucher.cooperative_id == cooperative.id)
        taken.update(ref for ref in session.scalars(stored.where(Voucher.source_ref.in_(chunk))) if ref)
    return taken


def _numbers(session: Session, cooperative: Cooperative, drafts: Sequence[Draft], months: list[Month]) -> list[int]:
    """Each draft's number: its month's next, in the drafts' order, as add_voucher would give them one by one."""
    following = {(year, month): next_number(session, cooperative.id, year, month) for year, month in months}
    numbers = []
    for draft in drafts:
        month = (draft.on.year, draft.on.month)
        numbers.append(following[month])
        following[month] += 1
    return numbers


def _firsts(drafts: Sequence[Draft], numbers: list[int]) -> dict[Month, int]:
    """The first new number of each month."""
    firsts: dict[Month, int] = {}
    for draft, number in zip(drafts, numbers, strict=True):
        firsts.setdefault((draft.on.year, draft.on.month), number)
    return firsts


def _voucher_row(cooperative: Cooperative, draft: Draft, number: int, by: str) -> dict[str, Any]:
    return {
        "cooperative_id": cooperative.id,
        "year": draft.on.year,
        "month": draft.on.month,
        "word": "记",
        "number": number,
        "voucher_date": draft.on,
        "summary": draft.summary.strip()[:SUMMARY_LENGTH],
        "attachments": 0,
        "state": VoucherState.DRAFT,  # posted afterwards: the database refuses a voucher inserted as posted
        "prepared_by": by,
        "audited_by": "",
        "posted_by": "",
        "posted_at": None,
        "origin": draft.origin,
        "source_ref": draft.source_ref,
        "reverses_id": None,
    }


def _ids(session: Session, cooperative: Cooperative, firsts: dict[Month, int]) -> dict[tuple[int, int, int], int]:
    """The new vouchers' ids by (year, month, number): COPY and multi-row INSERTs return none, the numbers are
    unique in their month, and this writer holds the books."""
    ids: dict[tuple[int, int, int], int] = {}
    for (year, month), first in firsts.items():
        query = select(Voucher.number, Voucher.id).where(
            Voucher.cooperative_id == cooperative.id,
            Voucher.year == year,
            Voucher.month == month,
            Voucher.number >= first,
        )
        ids.update({(year, month, number): id_ for number, id_ in session.execute(query)})
    return ids


def _line_rows(
    cooperative: Cooperative,
    drafts: Sequence[Draft],
    numbers: list[int],
    ids: dict[tuple[int, int, int], int],
    refs: LineRefs,
) -> Iterator[dict[str, Any]]:
    """The lines of every draft, each with its voucher and period (the database checks they agree)."""
    for draft, number in zip(drafts, numbers, strict=True):
        year, month = draft.on.year, draft.on.month
        placed = {"voucher_id": ids[(year, month, number)], "year": year, "month": month}
        for values in line_values(cooperative.id, draft.lines, refs):
            values.update(placed)
            yield values
