"""The demo data set of `coop demo`: an illustrative district of Yantai shaped on the README's demo section

It is fictional and marked as demo everywhere: the district is "黄渤海新区（演示）"; townships, cooperatives
and enterprises have is_demo set; free text (memos, resolutions, notes) ends in "（演示数据）"; member-account
entries and income records have source "demo". The same seed gives the same rows: one random.Random(seed)
makes every choice (no Faker, whose zh_CN names ignore sex and change between releases; no global random;
no today's date: the demo's "now" is the end of 2024). Money, areas and quantities are Decimal throughout.

It lives outside the library (coopcore never imports it) and plugs `coop demo` in through the coopcore.commands
entry point. It writes as the library's own paths do (demo.writer): master data through the ORM, so the audit
trail has each row's first version; the dated records (trades, entries, income and expense) through
coopcore.db.bulk, in bulk and unversioned as an import writes them, with the origin "manual" (no path owns them).

Contents: two townships (凤鸣街道, 泉山街道) of 15 villages, each with its collective (N2 credit code) and
party branch; 21 cooperatives led by their branch, among them 晨靓果业专业合作社 (brand 九妹山, 120+ households,
500+ mu of land shares at 8,000 shares a mu); three federations; twelve leading enterprises with sixteen
order contracts and deliveries 2023–2024; fifteen weak villages with an improvement plan each, 27 projects
and over 15,000,000 yuan of funding lines; members, contributions, land shares, trades, income and expense
and fiscal years 2022–2024.

Findings left in on purpose for `coop check` (every other roster keeps [L-12], [L-20] and §8.2):
* 后庄苹果专业合作社: one household holds about a third of the capital, over the Yantai 20% cap (warning).
* 大柳行樱桃专业合作社: provident-fund rate 0.12, outside the Yantai 5–10% band (warning).
Other seeds for later features: contract DD2023-01 of 杏花葡萄土地股份专业合作社 has a 定金 of 25% of its
amount [MF-586]; 后庄村's suspended project has 衔接资金 received 2022-09-20 and never spent; a project of
下庄头村 spent 8% over its allocation; 李格庄大樱桃专业合作社 made a loss in 2023 carried into 2024.

Demo users, all with the password "coopdemo2024" (demo only: never load the demo into a real installation):
admin; official1 (凤鸣街道) and official2 (泉山街道); accountant (晨靓, 杏花, 姜家疃); supervisor (晨靓).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from coopcore.errors import RuleViolation
from coopcore.models import (
    Contract,
    Cooperative,
    Enterprise,
    FundingLine,
    ImprovementPlan,
    LandShare,
    Member,
    Product,
    Project,
    Role,
    Township,
    Trade,
    User,
    Village,
    WeakVillageThreshold,
)
from coopcore.services.land import book_land_guarantees
from coopcore.services.ledger.register_events import INCOME_EXPENSE
from coopcore.services.ledger.source import Source
from coopcore.services.ledger.sync import SOURCES, sync_events
from coopcore.services.users import create_user
from demo.business import add_products, add_trades
from demo.context import YEARS, DemoContext
from demo.cooperatives import add_cooperatives
from demo.dataset import DemoSet
from demo.enterprises import add_enterprises
from demo.federations import add_federations
from demo.finance import add_finance
from demo.history import close_past_books, post_past_years
from demo.places import add_places, add_threshold
from demo.villages import add_weak_villages
from demo.writer import write_demo

DEMO_PASSWORD = "coopdemo2024"  # documented demo credential, never for real use
ACCOUNTANT_COOPERATIVES = ("晨靓果业专业合作社", "杏花葡萄土地股份专业合作社", "姜家疃苹果种植专业合作社")

__all__ = ["DEMO_PASSWORD", "DemoAlreadyLoaded", "DemoSummary", "build_demo", "load_demo"]


class DemoAlreadyLoaded(RuleViolation):
    """The demo data set is already loaded."""


@dataclass(frozen=True)  # no slots: callers print it with vars()
class DemoSummary:
    """How much of each thing the demo loaded."""

    townships: int
    villages: int
    cooperatives: int
    federations: int
    members: int
    land_mu: Decimal
    trades: int
    enterprises: int
    contracts: int
    weak_villages: int
    projects: int
    funding_total: Decimal
    users: int


def build_demo(seed: int = 2023) -> DemoSet:
    """Generate the demo rows without a database; the same seed always gives the same rows."""
    ctx = DemoContext(random.Random(seed))
    add_places(ctx)
    add_threshold(ctx)
    add_products(ctx)
    add_cooperatives(ctx)
    add_trades(ctx)
    add_federations(ctx)
    add_enterprises(ctx)
    add_finance(ctx)
    add_weak_villages(ctx)
    return ctx.data


def load_demo(session: Session, *, seed: int = 2023) -> DemoSummary:
    """Load the demo data set and its users; flush, never commit; refuse if demo townships exist."""
    if session.scalar(select(Township.id).where(Township.is_demo.is_(True)).limit(1)) is not None:
        raise DemoAlreadyLoaded()
    data = build_demo(seed)
    ids = write_demo(session, data, _existing(session, data))
    _book_land_guarantees(session, data, ids)
    users = _add_users(session, data, ids)
    # The demo writes its records in bulk (coopcore.db.bulk), past the forms: their vouchers are booked here. The
    # 收支 rows first: 本年盈余 is read from the books, and the past years are planned on it.
    _book(session, [INCOME_EXPENSE])
    post_past_years(session, ids[Cooperative.__tablename__])
    _book(session, [source for source in SOURCES if source is not INCOME_EXPENSE])
    close_past_books(session)
    return summarize(data, users=users)


def _book(session: Session, sources: list[Source]) -> None:
    """Book every cooperative's events of these sources, the session emptied first (a flush checks every object
    it holds)."""
    session.flush()
    session.expunge_all()
    for cooperative in session.scalars(select(Cooperative).order_by(Cooperative.id)):
        sync_events(session, cooperative, sources)
    session.flush()


def summarize(data: DemoSet, *, users: int = 0) -> DemoSummary:
    """Count what a generated demo set holds."""
    cooperatives = data.rows_of(Cooperative)
    federations = sum(1 for row in cooperatives if row["is_federation"])
    return DemoSummary(
        townships=data.count(Township),
        villages=data.count(Village),
        cooperatives=len(cooperatives) - federations,
        federations=federations,
        members=data.count(Member),
        land_mu=sum((row["area_mu"] for row in data.rows_of(LandShare)), Decimal("0.00")),
        trades=data.count(Trade),
        enterprises=data.count(Enterprise),
        contracts=data.count(Contract),
        weak_villages=data.count(ImprovementPlan),
        projects=data.count(Project),
        funding_total=sum((row["allocated"] for row in data.rows_of(FundingLine)), Decimal("0.00")),
        users=users,
    )


def _existing(session: Session, data: DemoSet) -> dict[str, dict[int, int]]:
    # Shared reference rows are reused rather than duplicated: products by name, the district-wide threshold.
    names = {row["name"]: index for index, row in enumerate(data.rows_of(Product))}
    products = session.execute(select(Product.id, Product.name).where(Product.name.in_(list(names))))
    known = {Product.__tablename__: {names[name]: product_id for product_id, name in products}}
    threshold = session.scalar(
        select(WeakVillageThreshold.id).where(
            WeakVillageThreshold.effective_year == 2020, WeakVillageThreshold.township_id.is_(None)
        )
    )
    if threshold is not None:
        known[WeakVillageThreshold.__tablename__] = {0: threshold}
    return known


def _book_land_guarantees(session: Session, data: DemoSet, ids: dict[str, list[int]]) -> None:
    """Book each year's guaranteed land rent through the land service, as an accountant would (§7.3 view A)."""
    cooperative_ids = ids[Cooperative.__tablename__]
    for cooperative in session.scalars(select(Cooperative).where(Cooperative.id.in_(cooperative_ids))):
        for year in YEARS:
            book_land_guarantees(session, cooperative, year)


def _add_users(session: Session, data: DemoSet, ids: dict[str, list[int]]) -> int:
    townships = [session.get_one(Township, township_id) for township_id in ids[Township.__tablename__]]
    coop_ids = {row["name"]: ids[Cooperative.__tablename__][i] for i, row in enumerate(data.rows_of(Cooperative))}
    keeps = list(
        session.scalars(select(Cooperative).where(Cooperative.id.in_(coop_ids[n] for n in ACCOUNTANT_COOPERATIVES)))
    )
    keeps.sort(key=lambda c: ACCOUNTANT_COOPERATIVES.index(c.name))
    accounts = [
        ("admin", Role.ADMIN, "系统管理员（演示）", None, None),
        ("official1", Role.TOWNSHIP_OFFICIAL, f"{townships[0].name}农经站（演示）", townships[0], None),
        ("official2", Role.TOWNSHIP_OFFICIAL, f"{townships[1].name}农经站（演示）", townships[1], None),
        ("accountant", Role.ACCOUNTANT, "代理记账会计（演示）", None, keeps),
        ("supervisor", Role.SUPERVISOR, "晨靓监事（演示）", None, keeps[:1]),
    ]
    taken = set(session.scalars(select(User.username).where(User.username.in_([a[0] for a in accounts]))))
    created = 0
    for username, role, display_name, township, cooperatives in accounts:
        if username in taken:  # an installation's own admin stays as it is
            continue
        create_user(
            session,
            username,
            DEMO_PASSWORD,
            role,
            display_name=display_name,
            township=township,
            cooperatives=cooperatives,
        )
        created += 1
    return created
