"""总账 (general ledger) of a year: each first-level account's opening balance and its months' debits, credits and
closing balances, as the trial balances of the year and of each month give them (one reading for the report and
the admin)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy.orm import Session

from coopcore.models import Cooperative
from coopcore.services.ledger.balances import BalanceRow, trial_balance


@dataclass(frozen=True)
class MonthTotal:
    """One month of a first-level account: its debits and credits and the balance at its end (debit − credit)."""

    month: int
    debit: Decimal
    credit: Decimal
    closing: Decimal


@dataclass(frozen=True)
class GeneralLedgerAccount:
    """A first-level account of the general ledger: the year's trial balance row and its months with entries."""

    account: BalanceRow
    months: tuple[MonthTotal, ...]


def general_ledger(session: Session, cooperative: Cooperative, year: int) -> list[GeneralLedgerAccount]:
    """The year's first-level accounts with a balance or entries, in code order, each with its months."""
    year_balance = trial_balance(session, cooperative, year)
    accounts = [row for row in year_balance.rows if row.level == 1 and any(row.columns.amounts())]
    months: dict[str, list[MonthTotal]] = {row.code: [] for row in accounts}
    for month in range(1, 13):  # the service's figures of each month, for the accounts shown
        for row in trial_balance(session, cooperative, year, month).rows:
            if row.code in months and (row.columns.debit or row.columns.credit):
                columns = row.columns
                months[row.code].append(MonthTotal(month, columns.debit, columns.credit, columns.closing))
    return [GeneralLedgerAccount(row, tuple(months[row.code])) for row in accounts]
