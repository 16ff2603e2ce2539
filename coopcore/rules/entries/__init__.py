"""Which journal entries each business event books (domain.md §2.4): pure builders that return balanced lines.

Each builder takes plain facts (Decimal yuan, member codes, account codes, terms) and returns the lines of one
voucher, or (the distribution, the year end) a list of JournalEntry (summary, lines) pairs. A line names its member
exactly on the accounts kept per member (114, 221, 222, 301) and says 是否扶贫项目资产 exactly on the assets split
by it (141, 142, 151, 161). Lines of 0.00 are left out, so an event with nothing to book returns no lines.
The ledger service stores them as vouchers (coopcore.services.ledger); nothing here touches the database.
"""

from __future__ import annotations

from coopcore.rules.entries.accounts import WRONG_ACCOUNT
from coopcore.rules.entries.carried import years_before_books
from coopcore.rules.entries.contributions import (
    NOT_A_CONTRIBUTION,
    cash_contribution,
    contribution,
    contribution_refund,
    exit_refund,
    in_kind_contribution,
    land_contribution,
    poverty_asset_contribution,
    provident_share_refund,
)
from coopcore.rules.entries.distribution import (
    NOT_A_COVER,
    NOT_POSITIVE,
    ConversionExceedsShare,
    CoverExceedsLoss,
    CoverExceedsReserve,
    CoverExceedsShares,
    CoverResolutionRequired,
    check_conversions,
    check_loss_cover,
    close_distributions,
    distribution_vouchers,
    loss_left,
    net_of_conversion,
    provident_fund_covers_loss,
)
from coopcore.rules.entries.funds import (
    asset_received,
    cash_donation,
    special_fund,
    special_payable,
    subsidy_for_past_expense,
    subsidy_received,
    subsidy_returned,
    subsidy_spent_on_asset,
    subsidy_spent_on_services,
)
from coopcore.rules.entries.income import (
    COUNTER_IS_PROFIT_AND_LOSS,
    COUNTER_NOT_DIGITS,
    COUNTER_PER_MEMBER,
    check_counter_account,
    income_expense,
    transfer_year_surplus,
    year_end_vouchers,
    year_result,
)
from coopcore.rules.entries.land import land_amortisation, land_guarantee
from coopcore.rules.entries.lines import (
    MEMBER_REQUIRED,
    NOT_AN_AMOUNT,
    NOT_IN_FEN,
    JournalEntry,
    ResolutionRequired,
    UnbalancedEntry,
)
from coopcore.rules.entries.payments import (
    Payable,
    RunPayment,
    check_investment_account,
    convert_returns,
    federation_investment,
    federation_return_declared,
    federation_return_received,
    invested_with,
    pay_returns,
    pay_run,
)
from coopcore.rules.entries.trades import (
    CONTRACT_VALUE_REQUIRED,
    PAID_OVER_PRICE,
    advance_received,
    input_purchase,
    intake,
    member_paid,
    member_pays,
    receivable_collected,
    sale,
)

# The builders' refusals (their 摘要 are Chinese data, not messages): entries.po translates exactly these.
MESSAGES = (
    WRONG_ACCOUNT,
    NOT_AN_AMOUNT,
    NOT_IN_FEN,
    MEMBER_REQUIRED,
    NOT_A_CONTRIBUTION,
    CONTRACT_VALUE_REQUIRED,
    PAID_OVER_PRICE,
    COUNTER_NOT_DIGITS,
    COUNTER_IS_PROFIT_AND_LOSS,
    COUNTER_PER_MEMBER,
    NOT_POSITIVE,
    NOT_A_COVER,
    *(
        (error.__doc__ or "").strip().splitlines()[0]
        for error in (
            UnbalancedEntry,
            ResolutionRequired,
            ConversionExceedsShare,
            CoverResolutionRequired,
            CoverExceedsLoss,
            CoverExceedsReserve,
            CoverExceedsShares,
        )
    ),
)

__all__ = [
    "MESSAGES",
    "ConversionExceedsShare",
    "CoverExceedsLoss",
    "CoverExceedsReserve",
    "CoverExceedsShares",
    "CoverResolutionRequired",
    "JournalEntry",
    "Payable",
    "ResolutionRequired",
    "RunPayment",
    "UnbalancedEntry",
    "advance_received",
    "asset_received",
    "cash_contribution",
    "cash_donation",
    "check_conversions",
    "check_counter_account",
    "check_investment_account",
    "check_loss_cover",
    "close_distributions",
    "contribution",
    "contribution_refund",
    "convert_returns",
    "distribution_vouchers",
    "exit_refund",
    "federation_investment",
    "federation_return_declared",
    "federation_return_received",
    "in_kind_contribution",
    "income_expense",
    "input_purchase",
    "intake",
    "invested_with",
    "land_amortisation",
    "land_contribution",
    "land_guarantee",
    "loss_left",
    "member_paid",
    "member_pays",
    "net_of_conversion",
    "pay_returns",
    "pay_run",
    "poverty_asset_contribution",
    "provident_fund_covers_loss",
    "provident_share_refund",
    "receivable_collected",
    "sale",
    "special_fund",
    "special_payable",
    "subsidy_for_past_expense",
    "subsidy_received",
    "subsidy_returned",
    "subsidy_spent_on_asset",
    "subsidy_spent_on_services",
    "transfer_year_surplus",
    "year_end_vouchers",
    "year_result",
    "years_before_books",
]
