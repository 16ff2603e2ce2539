"""The years before the books as one voucher: the surplus and provident fund the register carries in.

It is dated 1 January of the cooperative's first fiscal year (年度结转), from that year's undistributed surplus
carried in and the provident shares (公积金份额) members hold on that day that no distribution in coopcore wrote:
those dated before it, and an opening row dated the day itself (期初, dated the first day as the opening voucher
of the books is). The register counts such a row in that day's balances; so must the books.
Unlike other event vouchers it is not posted by the close on its own: it rests on an assumption
(coopcore.rules.entries.carried), so the accountant audits it first.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from coopcore.models import AccountEntryKind, Cooperative, FiscalYear, Member, MemberAccountEntry
from coopcore.money import ZERO
from coopcore.rules import entries
from coopcore.rules.entries.carried import CARRIED
from coopcore.services.ledger.source import Event, Source
from coopcore.terms import Origin, VoucherOrigin

PREFIX = "carried"  # "carried:<year>"; what the close leaves for the accountant to audit


def _carried(session: Session, cooperative: Cooperative, refs: set[str] | None) -> Iterator[Event]:
    first = session.scalar(
        select(FiscalYear).where(FiscalYear.cooperative_id == cooperative.id).order_by(FiscalYear.year).limit(1)
    )
    if first is None:
        return
    on = dt.date(first.year, 1, 1)
    provident = session.scalar(
        select(func.sum(MemberAccountEntry.amount))
        .join(Member, Member.id == MemberAccountEntry.member_id)
        .where(Member.cooperative_id == cooperative.id, MemberAccountEntry.entry_on <= on)
        .where(MemberAccountEntry.kind == AccountEntryKind.PROVIDENT_SHARE)
        .where(MemberAccountEntry.origin.not_in([Origin.DISTRIBUTION, Origin.EXIT]))
    )
    lines = entries.years_before_books(first.opening_undistributed, provident or ZERO)
    if lines:
        yield Event(CARRIED_FORWARD.ref(first.year), on, CARRIED, lines)


CARRIED_FORWARD = Source(VoucherOrigin.YEAR_END, PREFIX, _carried)
