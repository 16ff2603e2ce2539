"""What a payment run's line claims, so that nothing is paid twice: one claim string per thing paid.

A line holds its claim while it is pending and, for a distribution's 221 or 222 part, for good once paid: the
part is paid and can never be chosen again. A line paying a household's 114 credit gives its claim up once
settled (the books then hold the payment, and next year's rent is owed anew); a returned or cancelled line gives
it up at once, so that what it would have paid can go in the next run. The column is unique (NULL admitted many
times), so two runs that claim the same thing at the same time are refused by the database too.
"""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import select
from sqlalchemy.orm import Session

from coopcore.models import PaymentRun, PaymentRunLine
from coopcore.terms import PayoutKind


def part_claim(account: str, distribution_line_id: int) -> str:
    """The claim on a distribution line's 221 or 222 part: "221:dl42"."""
    return f"{account}:dl{distribution_line_id}"


def credit_claim(member_id: int, kind: PayoutKind) -> str:
    """The claim on a household's 114 credit of one kind while a run pays it: "114:m7:rent"."""
    return f"114:m{member_id}:{kind.value}"


def runs_holding(session: Session, distribution_line_ids: Collection[int]) -> dict[int, list[int]]:
    """The numbers of the runs whose pending or paid lines claim a part of each distribution line, by its id."""
    if not distribution_line_ids:
        return {}
    query = (
        select(PaymentRunLine.distribution_line_id, PaymentRun.number)
        .join(PaymentRun, PaymentRun.id == PaymentRunLine.run_id)
        .where(PaymentRunLine.distribution_line_id.in_(sorted(distribution_line_ids)))
        .where(PaymentRunLine.claim.is_not(None))
        .order_by(PaymentRun.number)
    )
    found: dict[int, list[int]] = {}
    for line_id, number in session.execute(query):
        if line_id is not None and number not in found.setdefault(line_id, []):
            found[line_id].append(number)
    return found
