"""Build township data by hand: villages with income, improvement plans, projects and order contracts."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

from sqlalchemy.orm import Session

from coopcore.models import (
    Contract,
    ContractGrade,
    Cooperative,
    Delivery,
    DeliveryWindow,
    Enterprise,
    EnterpriseLevel,
    FundingLine,
    FundingSource,
    ImprovementPlan,
    Milestone,
    PlanStatus,
    PriceRule,
    Product,
    Project,
    ProjectKind,
    ProjectStatus,
    Township,
    Village,
    VillageIncome,
    VillageIncomeCategory,
    WeakVillageThreshold,
)

D = Decimal
_ENTERPRISES = itertools.count(1)


def make_township(session: Session, name: str = "示例镇", villages: int = 1) -> Township:
    """A township with some villages named 一村, 二村 …"""
    township = Township(name=name)
    session.add(township)
    for number in range(1, villages + 1):
        session.add(Village(township=township, name=f"{name}{number}村", region_code=f"{number:03d}"))
    session.flush()
    return township


def make_cooperative(session: Session, credit_code: str, village: Village | None = None) -> Cooperative:
    """A cooperative with nothing but a name, a credit code and a village (a new township when none is given)."""
    if village is None:
        village = make_township(session, f"镇{credit_code[-4:]}").villages[0]
    cooperative = Cooperative(name=f"示例合作社{credit_code[-4:]}", credit_code=credit_code, village_id=village.id)
    session.add(cooperative)
    session.flush()
    return cooperative


def add_income(session: Session, village: Village, year: int, amount: str, category: str = "operating") -> None:
    session.add(
        VillageIncome(village_id=village.id, year=year, category=VillageIncomeCategory(category), amount=D(amount))
    )
    session.flush()


def add_threshold(session: Session, year: int, weak_below: str, township: Township | None = None) -> None:
    session.add(
        WeakVillageThreshold(
            effective_year=year, township_id=township.id if township else None, weak_below=D(weak_below)
        )
    )
    session.flush()


def make_plan(
    session: Session,
    village: Village,
    *,
    baseline: str = "21000.00",
    target: str = "100000.00",
    target_year: int = 2025,
    status: PlanStatus = PlanStatus.IN_PROGRESS,
) -> ImprovementPlan:
    plan = ImprovementPlan(
        village_id=village.id,
        filed_on=dt.date(2022, 3, 1),
        baseline_year=2022,
        baseline_income=D(baseline),
        target_income=D(target),
        target_year=target_year,
        status=status,
    )
    session.add(plan)
    session.flush()
    return plan


def add_project(
    session: Session,
    plan: ImprovementPlan,
    *,
    name: str = "冷库项目",
    status: ProjectStatus = ProjectStatus.UNDERWAY,
    milestones: tuple[tuple[str, dt.date, dt.date | None], ...] = (),
) -> Project:
    project = Project(
        plan_id=plan.id,
        name=name,
        kind=ProjectKind.SERVICE,
        budget=D("300000.00"),
        start_on=dt.date(2023, 3, 1),
        due_on=dt.date(2024, 12, 1),
        status=status,
    )
    session.add(project)
    session.flush()
    for title, due_on, done_on in milestones:
        session.add(Milestone(project_id=project.id, title=title, due_on=due_on, done_on=done_on))
    session.flush()
    return project


def add_funding(
    session: Session,
    plan: ImprovementPlan,
    *,
    allocated: str,
    received: str = "0.00",
    spent: str = "0.00",
    received_on: dt.date | None = None,
    project: Project | None = None,
    source: FundingSource = FundingSource.CONNECTION_FUND,
) -> FundingLine:
    line = FundingLine(
        plan_id=plan.id,
        project_id=project.id if project else None,
        source=source,
        allocated=D(allocated),
        received=D(received),
        spent=D(spent),
        received_on=received_on,
    )
    session.add(line)
    session.flush()
    return line


def make_contract(
    session: Session,
    cooperative: Cooperative,
    *,
    rule: PriceRule,
    code: str = "DD2024-01",
    quantity: str = "10000",
    fixed: str | None = None,
    protective: str | None = None,
    premium: str | None = None,
    advance: str = "0.00",
    deposit: str = "0.00",
    enterprise: Enterprise | None = None,
) -> Contract:
    """A 2024 apple contract: grades 特级 ×1.15, 一级 ×1.00, 二级 ×0.80, 等外 rejected; two delivery windows."""
    if enterprise is None:
        number = next(_ENTERPRISES)
        enterprise = Enterprise(
            name=f"示例食品{number}有限公司",
            credit_code=f"91370600MA{number:07d}X",
            level=EnterpriseLevel.PROVINCIAL,
            recognised_year=2019,
        )
    product = session.query(Product).filter_by(name="示例苹果").one_or_none() or Product(name="示例苹果")
    contract = Contract(
        cooperative=cooperative,
        enterprise=enterprise,
        code=code,
        product=product,
        signed_on=dt.date(2024, 6, 1),
        start_on=dt.date(2024, 9, 1),
        end_on=dt.date(2024, 11, 30),
        quantity=D(quantity),
        tolerance=D("0.05"),
        price_rule=rule,
        fixed_price=D(fixed) if fixed else None,
        protective_price=D(protective) if protective else None,
        premium=D(premium) if premium else None,
        advance=D(advance),
        deposit=D(deposit),
        shortfall_penalty_per_unit=D("0.30"),
        payment_term_days=30,
    )
    session.add(contract)
    for grade, coefficient in (("特级", "1.15"), ("一级", "1.00"), ("二级", "0.80")):
        session.add(ContractGrade(contract=contract, grade=grade, coefficient=D(coefficient)))
    session.add(ContractGrade(contract=contract, grade="等外", is_rejected=True))
    session.add(
        DeliveryWindow(
            contract=contract, start_on=dt.date(2024, 9, 1), end_on=dt.date(2024, 10, 15), quantity=D(quantity) / 2
        )
    )
    session.add(
        DeliveryWindow(
            contract=contract, start_on=dt.date(2024, 10, 16), end_on=dt.date(2024, 11, 30), quantity=D(quantity) / 2
        )
    )
    session.flush()
    return contract


def deliver(
    session: Session,
    contract: Contract,
    day: dt.date,
    grade: str,
    quantity: str,
    *,
    accepted: str | None = None,
    market: str | None = None,
    paid: str = "0.00",
    paid_on: dt.date | None = None,
) -> Delivery:
    delivery = Delivery(
        contract_id=contract.id,
        delivered_on=day,
        grade=grade,
        quantity=D(quantity),
        accepted_quantity=D(accepted if accepted is not None else quantity),
        market_price=D(market) if market else None,
        paid_amount=D(paid),
        paid_on=paid_on,
        ticket_no=f"{contract.code}-{day.isoformat()}-{grade}",
    )
    session.add(delivery)
    session.flush()
    return delivery
