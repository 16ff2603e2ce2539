"""The data model, one module per aggregate; importing this package maps every table."""

from __future__ import annotations

from sqlalchemy.orm import configure_mappers

import coopcore.db.audit  # first: versioning must be set up before any model is declared
import coopcore.models.period_guard  # noqa: F401  (registers the closed-year guard)
from coopcore.db.base import Base
from coopcore.models.cooperative import Bylaws, Cooperative, FiscalYear
from coopcore.models.distribution import Distribution, DistributionLine
from coopcore.models.enterprise import Contract, ContractGrade, Delivery, DeliveryWindow, Enterprise
from coopcore.models.finance import IncomeExpense, SpecialFund, SpecialPayable
from coopcore.models.geography import PartyBranch, Township, Village, VillageCollective
from coopcore.models.land import LandParcel, LandShare
from coopcore.models.ledger import Account, Period, PeriodBalance, Voucher, VoucherLine
from coopcore.models.member import Member, MemberAccountEntry
from coopcore.models.payment_run import PaymentRun, PaymentRunLine
from coopcore.models.statement_note import StatementNote
from coopcore.models.trade import Product, ProductTradeModel, Trade
from coopcore.models.user import User
from coopcore.models.village_plan import (
    FundingLine,
    ImprovementPlan,
    Milestone,
    ProgressEntry,
    Project,
    VillageIncome,
    WeakVillageThreshold,
)
from coopcore.terms import *  # noqa: F403

# Continuum builds the *_version tables when the mappers are configured; do it now so that
# Base.metadata is complete for Alembic and create_all.
configure_mappers()

__all__ = [
    "Account",
    "Base",
    "Bylaws",
    "Contract",
    "ContractGrade",
    "Cooperative",
    "Delivery",
    "DeliveryWindow",
    "Distribution",
    "DistributionLine",
    "Enterprise",
    "FiscalYear",
    "FundingLine",
    "ImprovementPlan",
    "IncomeExpense",
    "LandParcel",
    "LandShare",
    "Member",
    "MemberAccountEntry",
    "Milestone",
    "PartyBranch",
    "PaymentRun",
    "PaymentRunLine",
    "Period",
    "PeriodBalance",
    "Product",
    "ProductTradeModel",
    "ProgressEntry",
    "Project",
    "SpecialFund",
    "SpecialPayable",
    "StatementNote",
    "Township",
    "Trade",
    "User",
    "Village",
    "VillageCollective",
    "VillageIncome",
    "Voucher",
    "VoucherLine",
    "WeakVillageThreshold",
]
