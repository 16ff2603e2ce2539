"""Build docs/domain.md Example 1 in a database, the way an accountant's books would hold it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy.orm import Session

from coopcore.models import (
    AccountEntryKind,
    Bylaws,
    Cooperative,
    FiscalYear,
    FundSource,
    IncomeCategory,
    IncomeExpense,
    Member,
    MemberAccountEntry,
    MemberKind,
    Product,
    SpecialFund,
    Township,
    Trade,
    Village,
    VillageCollective,
)
from coopcore.services.ledger.sync import INCOME_EXPENSE, sync_events
from tests.workbook.builders import collective_code, cooperative_code

D = Decimal
# code, name, kind, contribution, opening provident share, 2024 transaction amount
EXAMPLE_1 = [
    ("M01", "东院村股份经济合作社", MemberKind.VILLAGE_COLLECTIVE, "60000.00", "0.00", "0.00"),
    ("M02", "王建国", MemberKind.FARMER, "20000.00", "1234.56", "38760.50"),
    ("M03", "李秀英", MemberKind.FARMER, "15000.00", "987.65", "52318.00"),
    ("M04", "张立新", MemberKind.FARMER, "10000.00", "0.00", "27905.25"),
    ("M05", "刘桂兰", MemberKind.FARMER, "5000.00", "456.78", "61240.75"),
    ("M06", "陈志强", MemberKind.FARMER, "8000.00", "320.00", "19775.53"),
]
FARMER_IDS = ["11010519491231002X", "360426199101010071", "370602199001011239", "370611196005051230",
              "370671198505051240"]  # fmt: skip


def make_example_1(
    session: Session, *, credit_code: str = "93370602MA3EXMPL1X", number: int = 0, booked: bool = True
) -> Cooperative:
    """Example 1's cooperative: six members, 2024 books with a surplus of 186,543.27 after a 4,321.09 loss.

    A `number` makes its names and codes its own, for several copies in one database.
    """
    suffix = str(number) if number else ""
    village = Village(township=Township(name=f"示例街道{suffix}"), name="东院村")
    collective = VillageCollective(
        village=village,
        name="东院村股份经济合作社",
        credit_code=collective_code(number) if number else "N2370602MF0000000D",
    )
    cooperative = Cooperative(
        name=f"示例果业专业合作社{suffix}",
        credit_code=cooperative_code(number) if number else credit_code,
        village=village,
    )
    session.add_all([collective, cooperative])
    session.flush()
    session.add(Bylaws(cooperative=cooperative, effective_on=dt.date(2022, 1, 1),
                       provident_fund_rate=D("0.10"), patronage_ratio=D("0.70")))  # fmt: skip
    session.add(FiscalYear(cooperative=cooperative, year=2024, opening_undistributed=D("-4321.09")))
    apples = Product(name=f"示例苹果{suffix}")
    session.add(apples)
    farmer_ids = iter(FARMER_IDS)
    for code, name, kind, contribution, provident, traded in EXAMPLE_1:
        is_collective = kind is MemberKind.VILLAGE_COLLECTIVE
        member = Member(
            cooperative=cooperative, code=code, name=name, kind=kind, joined_on=dt.date(2022, 1, 1), is_founder=True,
            id_number=collective.credit_code if is_collective else next(farmer_ids),
            village_collective_id=collective.id if is_collective else None,
        )  # fmt: skip
        session.add(member)
        session.add(MemberAccountEntry(member=member, entry_on=dt.date(2022, 3, 1),
                                       kind=AccountEntryKind.CONTRIBUTION_CASH, amount=D(contribution)))  # fmt: skip
        if D(provident):
            session.add(MemberAccountEntry(member=member, entry_on=dt.date(2023, 12, 31),
                                           kind=AccountEntryKind.PROVIDENT_SHARE, amount=D(provident)))  # fmt: skip
        if D(traded):
            session.flush()
            session.add(Trade(cooperative_id=cooperative.id, member_id=member.id, traded_on=dt.date(2024, 9, 20),
                              product=apples, quantity=D("1"), unit="批", unit_price=D(traded), amount=D(traded),
                              ticket_no=f"T{code}"))  # fmt: skip
    for category, amount in [
        (IncomeCategory.OPERATING_INCOME, "420000.00"),
        (IncomeCategory.INVESTMENT_INCOME, "12543.27"),
        (IncomeCategory.OTHER_INCOME, "4000.00"),
        (IncomeCategory.OPERATING_EXPENSE, "210000.00"),
        (IncomeCategory.ADMIN_EXPENSE, "30000.00"),
        (IncomeCategory.FINANCE_EXPENSE, "3000.00"),
        (IncomeCategory.TAXES, "2000.00"),
        (IncomeCategory.OTHER_EXPENSE, "5000.00"),
        (IncomeCategory.INCOME_TAX, "0.00"),
    ]:  # 420,000 + 12,543.27 + 4,000 − 250,000 = 186,543.27
        session.add(IncomeExpense(cooperative_id=cooperative.id, recorded_on=dt.date(2024, 12, 20), category=category,
                                  amount=D(amount)))  # fmt: skip
    session.add(SpecialFund(cooperative_id=cooperative.id, received_on=dt.date(2023, 6, 1),
                            source=FundSource.FISCAL_SUBSIDY, amount=D("100000.00"), memo="冷库"))  # fmt: skip
    session.add(SpecialFund(cooperative_id=cooperative.id, received_on=dt.date(2024, 4, 1),
                            source=FundSource.DONATION, amount=D("3000.00")))  # fmt: skip
    session.flush()
    # 本年盈余 is read from the books: the 收支 rows are booked as every path that writes them books them (left
    # out by tests of the books' own prints, which write their own vouchers).
    if booked:
        sync_events(session, cooperative, [INCOME_EXPENSE])
    return cooperative
