"""What `coop check` reports for a cooperative on a day: the membership rules of the law, and its member register
reconciled with its books (coopcore.services.ledger.reconcile)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from coopcore.models import Cooperative
from coopcore.rules.findings import Finding
from coopcore.services import membership
from coopcore.services.ledger.reconcile import reconcile


def check_cooperative(session: Session, cooperative: Cooperative, *, on: dt.date) -> list[Finding]:
    """Every finding of one cooperative on a day."""
    return membership.check_cooperative(session, cooperative, on=on) + reconcile(session, cooperative, on)


def check_all(session: Session, *, on: dt.date) -> dict[int, list[Finding]]:
    """Every finding of each cooperative existing on a day (those membership.check_all checks), by cooperative id."""
    results = membership.check_all(session, on=on)
    for cooperative in session.scalars(select(Cooperative).where(Cooperative.id.in_(results)).order_by(Cooperative.id)):
        results[cooperative.id] += reconcile(session, cooperative, on)
    return results
