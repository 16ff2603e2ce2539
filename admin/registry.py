"""Every screen of the admin, its menu place and its URL (names and categories are English msgids)."""

from __future__ import annotations

from flask_admin import Admin

from admin.database import RequestSession
from admin.views import (
    audit,
    cooperatives,
    distribution,
    exits,
    home,
    ledger,
    member_account,
    members,
    oversight,
    reference,
    reports,
    statements,
)
from admin.views import workbook as workbook_page
from admin.views.books import balances as book_balances
from admin.views.books import chart as book_chart
from admin.views.books import entry as book_entry
from admin.views.books import payment_runs as book_payment_runs
from admin.views.books import periods as book_periods
from admin.views.books import vouchers as book_vouchers

COOPERATIVES = "Cooperatives"
BOOKS = "Books"
LEDGER = "Ledger"
TOWNSHIP = "Township"
SYSTEM = "System"

MODEL_VIEWS = (
    # (view class, name, endpoint, category)
    (cooperatives.CooperativeView, "Cooperatives", "cooperative", COOPERATIVES),
    (cooperatives.BylawsView, "Bylaws", "bylaws", COOPERATIVES),
    (cooperatives.ProductTradeModelView, "Trade models by product", "product_trade_model", COOPERATIVES),
    (cooperatives.FiscalYearView, "Fiscal years", "fiscal_year", COOPERATIVES),
    (members.MemberView, "Members", "member", COOPERATIVES),
    (members.ContributionView, "Contributions", "contribution", COOPERATIVES),
    (members.AccountEntryView, "Account entries", "account_entry", COOPERATIVES),
    (members.LandParcelView, "Land parcels", "land_parcel", COOPERATIVES),
    (members.LandShareView, "Land shares", "land_share", COOPERATIVES),
    (ledger.TradeView, "Transactions", "trade", BOOKS),
    (ledger.IncomeExpenseView, "Income and expense", "income_expense", BOOKS),
    (ledger.SpecialFundView, "Special funds", "special_fund", BOOKS),
    (ledger.SpecialPayableView, "Subsidy money (235)", "special_payable", BOOKS),
    (ledger.StatementNoteView, "Notes to the statements", "statement_note", BOOKS),
    (cooperatives.DistributionView, "Distributions", "distribution_list", BOOKS),
    (cooperatives.ContractView, "Contracts", "contract", BOOKS),
    (cooperatives.DeliveryView, "Deliveries", "delivery", BOOKS),
    (reference.EnterpriseView, "Leading enterprises", "enterprise", BOOKS),
    (reference.ProductView, "Products", "product", BOOKS),
    (oversight.PlanView, "Improvement plans", "plan", TOWNSHIP),
    (oversight.ProjectView, "Projects", "project", TOWNSHIP),
    (oversight.MilestoneView, "Milestones", "milestone", TOWNSHIP),
    (oversight.FundingLineView, "Funding lines", "funding_line", TOWNSHIP),
    (oversight.ProgressEntryView, "Progress entries", "progress_entry", TOWNSHIP),
    (oversight.VillageIncomeView, "Village income", "village_income", TOWNSHIP),
    (oversight.VillageView, "Villages", "village", TOWNSHIP),
    (oversight.VillageCollectiveView, "Village collectives", "village_collective", TOWNSHIP),
    (oversight.PartyBranchView, "Party branches", "party_branch", TOWNSHIP),
    (oversight.TownshipView, "Townships", "township", TOWNSHIP),
    (oversight.ThresholdView, "Weak-village lines", "threshold", TOWNSHIP),
    (reference.UserView, "Users", "user", SYSTEM),
)
BOOK_PAGES = (
    # (page class, name, endpoint, URL under /admin/books): the cooperative's books (账簿)
    (book_entry.VoucherEntryPage, "Voucher entry", "book_entry", "entry"),
    (book_vouchers.VoucherListPage, "Vouchers", "book_vouchers", "vouchers"),
    (book_chart.ChartPage, "Chart of accounts", "book_chart", "chart"),
    (book_periods.PeriodsPage, "Period close", "book_periods", "periods"),
    (book_balances.TrialBalancePage, "Trial balance", "book_trial_balance", "trial-balance"),
    (book_balances.GeneralLedgerPage, "General ledger", "book_general_ledger", "general-ledger"),
    (book_balances.DetailLedgerPage, "Detail ledger", "book_detail_ledger", "detail-ledger"),
    (book_balances.CashJournalPage, "Cash journal", "book_cash_journal", "cash-journal"),
    (book_balances.BankJournalPage, "Bank journal", "book_bank_journal", "bank-journal"),
    (statements.StatementsPage, "Statements", "book_statements", "statements"),
    (book_payment_runs.PaymentRunsPage, "Payment runs", "book_payment_runs", "payment-runs"),
)


def register_views(admin: Admin, session: RequestSession) -> None:
    """Add every view to the admin (fresh instances: views hold per-app state)."""
    admin.add_view(home.VillagesDashboard(name="Weak villages", endpoint="villages", url="/admin/villages"))
    admin.add_view(
        distribution.DistributionPage(name="Distribution", endpoint="distribution", url="/admin/distribution")
    )
    admin.add_view(workbook_page.WorkbookPage(name="Workbook import", endpoint="workbook", url="/admin/workbook"))
    for view, name, endpoint, category in MODEL_VIEWS:
        admin.add_view(view(session, name, endpoint=endpoint, category=category))
    for page, name, endpoint, path in BOOK_PAGES:
        admin.add_view(page(name=name, endpoint=endpoint, url=f"/admin/books/{path}", category=LEDGER))
    admin.add_view(
        statements.TownshipStatementsPage(
            name="Statements roll-up", endpoint="township_statements", url="/admin/township-statements",
            category=TOWNSHIP,
        )
    )  # fmt: skip
    admin.add_view(reports.ReportsPage(name="Reports", endpoint="reports", url="/admin/reports"))
    admin.add_view(audit.AuditPage(name="Audit log", endpoint="audit", url="/admin/audit", category=SYSTEM))
    # Reached from the member list, not from the menu.
    admin.add_view(
        member_account.MemberAccountPage(name="Member account", endpoint="member_account", url="/admin/member-account")
    )
    # Reached from the member account page.
    admin.add_view(exits.MemberExitPage(name="Member exit", endpoint="member_exit", url="/admin/member-exit"))
