"""The demo's past years: 2022 and 2023 distributed, approved, posted and paid, as the books would show them."""

from __future__ import annotations

import datetime as dt
import math

from sqlalchemy import select
from sqlalchemy.orm import Session

from coopcore.models import Cooperative, Voucher
from coopcore.services import distribution, ledger, year_end
from demo.settlement import settle_trades

POSTED_YEARS = (2022, 2023)
ACCOUNTANT, AUDITOR = "演示会计", "演示审核"


def post_past_years(session: Session, cooperative_ids: list[int]) -> None:
    """Run each past year end: plan, publish, approve (85% present, all in favour), post, pay in cash."""
    for year in POSTED_YEARS:
        # Federations first: posting writes their investment income into member cooperatives' open years.
        ids = session.execute(
            select(Cooperative.id)
            .where(Cooperative.id.in_(cooperative_ids))
            .order_by(Cooperative.is_federation.desc(), Cooperative.id)
        ).scalars()
        for cooperative_id in list(ids):
            _close_year(session, session.get_one(Cooperative, cooperative_id), year)
            # Keep the session small: the audit trail inspects every object it holds at each flush.
            session.expunge_all()


def _close_year(session: Session, cooperative: Cooperative, year: int) -> None:
    plan = distribution.plan_distribution(session, cooperative, year)
    distribution.publish_distribution(session, plan, published_on=dt.date(year + 1, 2, 20))
    roster = year_end.roster(session, cooperative.id, dt.date(year, 12, 31))
    present = max(math.ceil(len(roster) * 2 / 3), math.ceil(len(roster) * 0.85))
    additional = sum(member.additional_votes for member in roster)
    distribution.approve_distribution(
        session,
        plan,
        assembly_on=dt.date(year + 1, 3, 10),
        members_present=present,
        votes_for=present + additional,
        resolution=f"{year}年度盈余分配方案（演示数据）",
    )
    distribution.post_distribution(session, plan)
    distribution.pay_distribution(session, plan, paid_on=dt.date(year + 1, 4, 15))


def close_past_books(session: Session) -> None:
    """Settle every cooperative's trades month by month and close its books through December of the last past
    year, as its accountant would: the voucher carrying in the years before the books is audited first (its
    assumption is the demo's own)."""
    last = POSTED_YEARS[-1]
    session.flush()
    session.expunge_all()
    for cooperative_id in session.scalars(select(Cooperative.id).order_by(Cooperative.id)).all():
        cooperative = session.get_one(Cooperative, cooperative_id)
        carried = session.scalars(
            select(Voucher).where(Voucher.cooperative_id == cooperative.id, Voucher.source_ref.like("carried:%"))
        )
        for voucher in carried:
            ledger.audit_voucher(session, voucher, by=AUDITOR)
        settle_trades(session, cooperative, accountant=ACCOUNTANT, auditor=AUDITOR)
        ledger.close_period(session, cooperative, last, 12, by=ACCOUNTANT)
        session.flush()
        session.expunge_all()  # as in post_past_years: every flush inspects every object the session holds
