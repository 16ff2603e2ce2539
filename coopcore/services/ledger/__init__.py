"""The cooperative's books (账簿, [KJ 第四、八条]): chart, vouchers, events booked once, periods, balances.

Services flush and never commit; the entry point owns the transaction. Every write takes its turn on the
cooperative's row (coopcore.db.locks), refuses a closed month (PeriodClosed) and never changes a posted voucher;
the database refuses the same (migration 9ebc1ea3f4b6). Only posted vouchers count in balances; the figures read
before a month's close (本年盈余, the member register reconciled with the books in .reconcile) count the vouchers
booked from business events posted or not (balances.COUNTED).
"""

from __future__ import annotations

from coopcore.services.ledger.balances import (
    BalanceRow,
    Columns,
    DetailLedger,
    LedgerRow,
    TrialBalance,
    detail_ledger,
    journal,
    member_balances,
    trial_balance,
)
from coopcore.services.ledger.books import SYSTEM, voucher_name
from coopcore.services.ledger.bulk import Draft, add_vouchers
from coopcore.services.ledger.chart import accounts_by_code, add_account, chart_accounts, ensure_chart, seed_chart
from coopcore.services.ledger.errors import CloseRefused, VoucherRefused, VouchersRefused, period_name
from coopcore.services.ledger.events import book_event, event_voucher
from coopcore.services.ledger.general import GeneralLedgerAccount, MonthTotal, general_ledger
from coopcore.services.ledger.periods import Closed, close_period, latest_closed, reopen_period
from coopcore.services.ledger.vouchers import (
    add_voucher,
    audit_voucher,
    change_voucher,
    delete_voucher,
    post_voucher,
    reverse_voucher,
    unaudit_voucher,
    voucher_by_number,
)

__all__ = [
    "SYSTEM",
    "BalanceRow",
    "CloseRefused",
    "Closed",
    "Columns",
    "DetailLedger",
    "Draft",
    "GeneralLedgerAccount",
    "LedgerRow",
    "MonthTotal",
    "TrialBalance",
    "VoucherRefused",
    "VouchersRefused",
    "accounts_by_code",
    "add_account",
    "add_voucher",
    "add_vouchers",
    "audit_voucher",
    "book_event",
    "change_voucher",
    "chart_accounts",
    "close_period",
    "delete_voucher",
    "detail_ledger",
    "ensure_chart",
    "event_voucher",
    "general_ledger",
    "journal",
    "latest_closed",
    "member_balances",
    "period_name",
    "post_voucher",
    "reopen_period",
    "reverse_voucher",
    "seed_chart",
    "trial_balance",
    "unaudit_voucher",
    "voucher_by_number",
    "voucher_name",
]
