"""The demo data set: the district of docs/domain.md §16, valid identifiers, exact trades, determinism, refusal."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

import pytest
from sqlalchemy import Table, func, select
from sqlalchemy.orm import Session
from sqlalchemy_continuum import version_class

from coopcore.db.base import Base
from coopcore.models import (
    AccountEntryKind,
    Contract,
    Cooperative,
    Distribution,
    DistributionState,
    Enterprise,
    FiscalYear,
    FiscalYearState,
    FundingLine,
    ImprovementPlan,
    IncomeExpense,
    LandParcel,
    LandShare,
    Member,
    MemberAccountEntry,
    MemberKind,
    Origin,
    PriceRule,
    Project,
    Role,
    Township,
    Trade,
    User,
    Village,
    VillageCollective,
    VillageIncome,
)
from coopcore.services.ledger import trial_balance
from coopcore.services.ledger.reconcile import reconcile
from coopcore.services.statements import statements
from coopcore.services.statements.township import township_statements
from coopcore.services.users import authenticate
from coopcore.services.year_end import year_surplus
from coopcore.validation import credit_code, resident_id
from demo import DEMO_PASSWORD, DemoAlreadyLoaded, DemoSummary, build_demo, load_demo
from demo.context import YEARS
from demo.dataset import DemoSet
from demo.history import POSTED_YEARS
from demo.writer import BULK
from tests.backends import backend_of, demo_summary
from tests.statements.identities import assert_identities

CHENLIANG = "晨靓果业专业合作社"
# What 301 股金 holds per member: contributions less refunds (conversions follow with the distribution's vouchers).
CONTRIBUTIONS_AND_REFUNDS = [kind for kind in AccountEntryKind if kind.is_contribution] + [AccountEntryKind.REFUND]


@pytest.fixture
def demo(demo_session: Session) -> tuple[Session, DemoSummary]:
    """The demo database of a backend (loaded once per run) and what load_demo returned when it loaded it."""
    return demo_session, demo_summary(backend_of(demo_session.get_bind()))


@pytest.fixture(scope="module")
def generated() -> DemoSet:
    """The demo rows as generated, without a database."""
    return build_demo()


def demo_cooperatives(session: Session) -> list[Cooperative]:
    return list(session.scalars(select(Cooperative).where(Cooperative.is_demo.is_(True)).order_by(Cooperative.id)))


def test_the_district_has_two_demo_townships_of_villages_with_collectives_and_branches(
    demo: tuple[Session, DemoSummary],
) -> None:
    session, _ = demo
    townships = session.scalars(select(Township).where(Township.is_demo.is_(True))).all()
    assert len(townships) == 2
    villages = [village for township in townships for village in township.villages]
    assert len(villages) == 30
    assert all(v.collective is not None and v.collective.credit_code for v in villages)
    assert all(v.party_branch is not None and v.party_branch.name == f"{v.name}党支部" for v in villages)


def test_twenty_one_cooperatives_are_led_by_party_branches_and_federations_join_three_or_more(
    demo: tuple[Session, DemoSummary],
) -> None:
    session, _ = demo
    cooperatives = demo_cooperatives(session)
    led = [c for c in cooperatives if c.is_party_branch_led and not c.is_federation]
    federations = [c for c in cooperatives if c.is_federation]
    assert len(led) == 21
    assert 2 <= len(federations) <= 3
    codes = {c.id: c.credit_code for c in cooperatives}
    for federation in federations:
        assert "联合社" in federation.name
        assert len(federation.members) >= 3  # [L-56]
        for member in federation.members:
            assert member.kind is MemberKind.COOPERATIVE
            assert member.member_cooperative_id is not None
            assert member.id_number == codes[member.member_cooperative_id]
    for cooperative in led:
        collective = cooperative.members[0]
        assert collective.kind is MemberKind.VILLAGE_COLLECTIVE
        assert collective.village_collective_id is not None
        assert sum(1 for m in cooperative.members if m.is_founder) >= 5  # [L-12]


def test_chenliang_has_over_a_hundred_households_five_hundred_mu_and_the_jiumeishan_brand(
    demo: tuple[Session, DemoSummary],
) -> None:
    session, _ = demo
    chenliang = session.scalars(select(Cooperative).where(Cooperative.name == CHENLIANG)).one()
    assert chenliang.brand == "九妹山"
    households = [m for m in chenliang.members if m.kind is MemberKind.FARMER and m.left_on is None]
    assert len(households) >= 100
    land_mu = session.scalar(
        select(func.sum(LandShare.area_mu))
        .join(LandParcel, LandShare.parcel_id == LandParcel.id)
        .where(LandParcel.cooperative_id == chenliang.id)
    )
    assert land_mu is not None
    assert land_mu >= Decimal("500")


def test_twelve_leading_enterprises_each_have_contracts_using_every_price_rule(
    demo: tuple[Session, DemoSummary],
) -> None:
    session, _ = demo
    enterprises = session.scalars(select(Enterprise).where(Enterprise.is_demo.is_(True))).all()
    assert len(enterprises) == 12
    assert all(enterprise.contracts for enterprise in enterprises)
    contracts = [contract for enterprise in enterprises for contract in enterprise.contracts]
    assert {c.price_rule for c in contracts} == set(PriceRule)
    assert all(any(g.is_rejected for g in c.grades) for c in contracts)
    # Exactly one 定金 above 20% of the contract amount, for the [MF-586] check to flag.
    over = [c for c in contracts if c.fixed_price and c.deposit * 5 > c.quantity * c.fixed_price]
    assert len(over) == 1
    assert any(delivery.trades for c in contracts for delivery in c.deliveries)


def test_fifteen_weak_villages_have_a_plan_each_with_twenty_seven_projects_funded_over_fifteen_million(
    demo: tuple[Session, DemoSummary],
) -> None:
    session, _ = demo
    demo_villages = select(Village.id).join(Township).where(Township.is_demo.is_(True))
    plans = session.scalars(select(ImprovementPlan).where(ImprovementPlan.village_id.in_(demo_villages))).all()
    assert len({plan.village_id for plan in plans}) == len(plans) == 15
    assert all(plan.baseline_income < Decimal("100000") <= plan.target_income for plan in plans)
    plan_ids = [plan.id for plan in plans]
    assert session.scalar(select(func.count()).select_from(Project).where(Project.plan_id.in_(plan_ids))) == 27
    funding = session.scalar(select(func.sum(FundingLine.allocated)).where(FundingLine.plan_id.in_(plan_ids)))
    assert funding is not None
    assert funding >= Decimal("15000000.00")


def test_2022_and_2023_are_posted_and_closed_and_2024_is_open(demo: tuple[Session, DemoSummary]) -> None:
    session, _ = demo
    years: dict[int, list[tuple[int, FiscalYearState]]] = defaultdict(list)
    for year in session.scalars(select(FiscalYear).order_by(FiscalYear.year)):
        years[year.cooperative_id].append((year.year, year.state))
    closed, open_ = FiscalYearState.CLOSED, FiscalYearState.OPEN
    assert all(years[c.id] == [(2022, closed), (2023, closed), (2024, open_)] for c in demo_cooperatives(session))
    paid = session.scalars(select(Distribution.state).where(Distribution.year.in_([2022, 2023]))).all()
    assert len(paid) == 2 * len(demo_cooperatives(session))
    assert set(paid) == {DistributionState.PAID}
    dividends = session.scalars(select(VillageIncome).where(VillageIncome.origin == Origin.DISTRIBUTION)).all()
    assert dividends and {income.year for income in dividends} == {2022, 2023}
    typed_in = session.scalars(select(VillageIncome.memo).where(VillageIncome.origin == Origin.MANUAL))
    assert not any("分红" in memo for memo in typed_in)  # a typed-in dividend would count twice once posted


def test_every_demo_row_but_the_dated_records_written_in_bulk_has_its_first_audit_version(
    demo: tuple[Session, DemoSummary], generated: DemoSet
) -> None:
    session, _ = demo
    models = {mapper.local_table.name: mapper.class_ for mapper in Base.registry.mappers}
    audited = [models[name] for name in generated.rows if name not in BULK and hasattr(models[name], "__versioned__")]
    assert len(audited) >= 15  # townships, villages, cooperatives, members, land, enterprises, plans, projects …
    for model in audited:
        table, versions = model.__table__, version_class(model).__table__
        assert isinstance(table, Table) and isinstance(versions, Table)
        # One version per row and transaction: a row the same load changed later (a year closed) has one too.
        unrecorded = select(func.count()).select_from(table).where(table.c.id.not_in(select(versions.c.id)))
        assert session.scalar(unrecorded) == 0, table.name
    # The dated records (those with an origin) go through coopcore.db.bulk, as a workbook import writes them.
    assert {name for name in generated.rows if "origin" in Base.metadata.tables[name].c} == BULK
    assert {"township", "village", "cooperative", "member", "land_parcel", "land_share", "contract", "project"} <= {
        model.__tablename__ for model in audited
    }


def test_every_resident_id_and_credit_code_validates(demo: tuple[Session, DemoSummary]) -> None:
    session, _ = demo
    for kind, number in session.execute(select(Member.kind, Member.id_number)):
        if kind.is_person:
            assert resident_id.is_valid(number, today=dt.date(2025, 1, 1)), number
        else:
            assert credit_code.is_valid(number), number
    codes = [
        *session.scalars(select(VillageCollective.credit_code)),
        *session.scalars(select(Cooperative.credit_code)),
        *session.scalars(select(Enterprise.credit_code)),
    ]
    assert codes
    assert all(code is not None and credit_code.is_valid(code) for code in codes)


def test_every_trade_amount_is_quantity_times_price_rounded_half_up(demo: tuple[Session, DemoSummary]) -> None:
    session, summary = demo
    rows = session.execute(select(Trade.quantity, Trade.unit_price, Trade.amount)).all()
    assert len(rows) == summary.trades
    for quantity, price, amount in rows:
        assert amount == (quantity * price).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def test_the_summary_counts_what_is_in_the_database(demo: tuple[Session, DemoSummary]) -> None:
    session, summary = demo
    assert summary.townships == 2
    assert summary.cooperatives == 21
    assert summary.enterprises == 12
    assert summary.weak_villages == 15
    assert summary.projects == 27
    assert summary.funding_total >= Decimal("15000000.00")
    assert 15_000 <= summary.trades <= 30_000
    assert summary.members == session.scalar(select(func.count()).select_from(Member))
    assert summary.contracts == session.scalar(select(func.count()).select_from(Contract))
    assert summary.land_mu == session.scalar(select(func.sum(LandShare.area_mu)))
    assert summary.users == 5


def test_demo_users_log_in_with_their_scopes(demo: tuple[Session, DemoSummary]) -> None:
    session, _ = demo
    accountant = authenticate(session, "accountant", DEMO_PASSWORD)
    assert accountant is not None
    assert accountant.role is Role.ACCOUNTANT
    assert len(accountant.cooperatives) == 3
    supervisor = session.scalars(select(User).where(User.username == "supervisor")).one()
    assert [c.name for c in supervisor.cooperatives] == [CHENLIANG]
    officials = session.scalars(select(User).where(User.role == Role.TOWNSHIP_OFFICIAL)).all()
    assert sorted(u.username for u in officials) == ["official1", "official2"]


def test_loading_the_demo_twice_is_refused(demo: tuple[Session, DemoSummary]) -> None:
    session, _ = demo
    with pytest.raises(DemoAlreadyLoaded, match="already loaded"):
        load_demo(session)


def rows_surplus(session: Session, cooperative_id: int, year: int) -> Decimal:
    """本年盈余 as it was summed from the 收支 rows before the books held it: income less expenses."""
    totals = session.execute(
        select(IncomeExpense.category, func.sum(IncomeExpense.amount))
        .where(IncomeExpense.cooperative_id == cooperative_id)
        .where(IncomeExpense.recorded_on.between(dt.date(year, 1, 1), dt.date(year, 12, 31)))
        .group_by(IncomeExpense.category)
    )
    return sum((total if category.is_income else -total for category, total in totals), Decimal("0.00"))


def test_every_demo_year_is_in_the_books_balanced_with_the_year_s_surplus(demo: tuple[Session, DemoSummary]) -> None:
    session, _ = demo
    for cooperative in demo_cooperatives(session):
        for year in YEARS:
            balance = trial_balance(session, cooperative, year, include_unposted=True)
            assert balance.balanced, (cooperative.name, year, balance.totals)
            # 本年盈余 is read from the books; the 收支 rows it was summed from before must still say the same.
            assert rows_surplus(session, cooperative.id, year) == year_surplus(session, cooperative.id, year), (
                cooperative.name,
                year,
            )
            # 2022 and 2023 are closed: profit and loss carried to 331, then to 332—未分配盈余 [KJ 331 二、三].
            for code in ("501", "331", "33201") if year in POSTED_YEARS else ():
                closing = balance.row(code).columns
                assert closing.closing_debit == closing.closing_credit == 0, (cooperative.name, year, code)
        contributions = trial_balance(session, cooperative, YEARS[-1], include_unposted=True).row("301").columns
        held = session.scalar(
            select(func.coalesce(func.sum(MemberAccountEntry.amount), 0))
            .join(Member)
            .where(Member.cooperative_id == cooperative.id, MemberAccountEntry.kind.in_(CONTRIBUTIONS_AND_REFUNDS))
        )
        assert contributions.closing_credit - contributions.closing_debit == held, cooperative.name


def test_every_demo_cooperative_s_member_register_reconciles_with_its_books(demo: tuple[Session, DemoSummary]) -> None:
    """301, 221 and 222 per member and 322 against the provident shares, at the end of each year of the demo (2022
    and 2023 closed, 2024 open with its event vouchers unposted)."""
    session, _ = demo
    for cooperative in demo_cooperatives(session):
        for year in YEARS:
            found = reconcile(session, cooperative, dt.date(year, 12, 31))
            assert found == [], (cooperative.name, year, [finding.message("en") for finding in found[:3]])


def test_every_demo_cooperative_s_statements_keep_their_identities_every_year(
    demo: tuple[Session, DemoSummary],
) -> None:
    """01表 balances and adds up, 02表 follows its formulas, 03表 meets 01表, 上年金额 is last year's 本年金额 and
    the year opens where the last closed (issue 16), for every cooperative and federation and every demo year; the
    posted years' 02表 says what their distributions said."""
    session, _ = demo
    for cooperative in demo_cooperatives(session):
        before = None
        for year in YEARS:
            found = statements(session, cooperative, year, include_unposted=year not in POSTED_YEARS)
            assert_identities(found, before)
            if before is not None:
                assert found.opening == before.closing, (cooperative.name, year)
            if year in POSTED_YEARS:
                plan = session.scalars(select(Distribution).where(Distribution.cooperative_id == cooperative.id,
                                                                  Distribution.year == year)).one()  # fmt: skip
                lines = found.this_year
                # The plan's loss_covered is the year's surplus covering last year's loss (inside line 16); the
                # demo never covers one with the provident fund (line 14).
                assert (lines[12], lines[13], lines[14], lines[15]) == (
                    plan.surplus, plan.opening_undistributed, 0, plan.provident_fund
                ), (cooperative.name, year)  # fmt: skip
                # A loss leaves nothing to distribute; the form still shows line 16 by its formula, negative.
                assert lines[16] == plan.distributable if plan.distributable > 0 else lines[16] <= 0
                assert lines[17] + lines[18] + lines[19] == plan.patronage_pool + plan.residual_pool
            before = found


def test_every_demo_member_cooperative_books_its_federation_contribution_and_the_township_counts_it_once(
    demo: tuple[Session, DemoSummary],
) -> None:
    """The federations' 出资 from member cooperatives are those cooperatives' 对外投资 (131), booked by the service
    from the same entries: a township's roll-up takes them out once and finds nothing unmatched."""
    session, _ = demo
    contributed = session.scalar(
        select(func.sum(MemberAccountEntry.amount))
        .join(Member)
        .where(Member.member_cooperative_id.is_not(None), MemberAccountEntry.kind.in_(CONTRIBUTIONS_AND_REFUNDS))
    )
    invested = Decimal("0.00")
    for cooperative in demo_cooperatives(session):
        row = trial_balance(session, cooperative, YEARS[-1], include_unposted=True).row("131").columns
        invested += row.closing_debit - row.closing_credit
    assert invested == contributed and invested > 0
    counted = Decimal("0.00")
    for township in session.scalars(select(Township).where(Township.is_demo.is_(True)).order_by(Township.id)):
        for year in YEARS:
            rolled = township_statements(session, township, year, include_unposted=year not in POSTED_YEARS)
            assert rolled.unmatched == 0, (township.name, year, rolled.unmatched)
            counted += rolled.counted_once
    assert counted > 0
