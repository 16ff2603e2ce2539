"""A county in one database, for bench/county_bench.py (issue #18): 15 townships, 1,000 cooperatives of skewed
sizes, 300 villages with weak-village plans and income, 200,000 members, 10,000,000 trades over 2024–2025 and
the books the project's own ledger sync keeps for them (a summary voucher per month and kind of ticket, the 收支
and the contributions). `scale` shrinks every count alike (SQLite runs a tenth).

The structure (townships, villages, cooperatives, bylaws, users) goes in through the ORM and the users' service;
the many rows (members, contributions, 收支, trades) through `coopcore.db.bulk.insert_rows`, the project's bulk
path (COPY on PostgreSQL); the vouchers through `coopcore.services.ledger.sync.sync_events`, cooperative by
cooperative, as the admin and the workbook import book them.
"""

from __future__ import annotations

import datetime as dt
import math
import multiprocessing
import os
import random
import statistics
import time
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session

from coopcore.db.bulk import insert_rows
from coopcore.db.engine import make_engine
from coopcore.db.migrate import upgrade
from coopcore.models import (
    AccountEntryKind,
    Bylaws,
    Cooperative,
    FiscalYear,
    ImprovementPlan,
    IncomeCategory,
    IncomeExpense,
    Member,
    MemberAccountEntry,
    MemberKind,
    Origin,
    PlanStatus,
    Product,
    Role,
    Township,
    Trade,
    TradeKind,
    Village,
    VillageIncome,
    VillageIncomeCategory,
    WeakVillageThreshold,
)
from coopcore.services.ledger.sync import CONTRIBUTIONS, INCOME_EXPENSE, TRADES, sync_events
from coopcore.services.users import create_user
from coopcore.validation.credit_code import calc_check_digit
from demo import DEMO_PASSWORD as PASSWORD  # admin_bench signs in with it

YEARS = (2024, 2025)
TOWNSHIPS = 15
COOPERATIVES = 1_000
VILLAGES = 300
MEMBERS = 200_000
TRADES_PER_MEMBER_YEAR = 25  # 200,000 members × 25 × 2 years = 10,000,000 trades
BIG = "T01"  # the township measured: a tenth of the county (100 cooperatives, 30 villages)
SMALL = "T02"  # a fiftieth: the same measures on fewer cooperatives, for memory flat in their number
PRODUCTS = ("苹果", "樱桃", "葡萄", "桃", "小米", "复合肥")
BATCH = 50_000
FOUNDED = dt.date(2019, 3, 1)
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎"
GIVEN = "建国秀英桂兰玉梅海军志强秀珍淑华春生明亮红霞金凤德胜永福丽娟国庆文华玉兰"


@dataclass(frozen=True, slots=True)
class County:
    """What the build made, for the measures: ids by township, the cooperatives' sizes, the users."""

    townships: dict[str, int]
    cooperatives: dict[str, list[int]]  # township name → cooperative ids
    villages: dict[str, list[int]]
    sizes: dict[int, int]  # cooperative id → members
    trades: int
    seconds: dict[str, float]


def sizes(count: int, total: int, rng: random.Random) -> list[int]:
    """Cooperative sizes with a median near 60 and a long tail (a few over 2,000) that add up to `total`.

    A log-normal around 60 members; its spread is widened until the county's households are reached, then the
    largest cooperative takes the difference.
    """
    normals = [rng.gauss(0, 1) for _ in range(count)]
    spread = 1.0
    while True:
        drawn = [max(8, min(6_000, round(60 * math.exp(spread * z)))) for z in normals]
        if sum(drawn) >= total or spread > 3:
            break
        spread += 0.01
    drawn.sort(reverse=True)
    drawn[0] = max(8, drawn[0] - (sum(drawn) - total))
    rng.shuffle(drawn)
    return drawn


def credit_code(number: int) -> str:
    """A valid unified social credit code (93: a farmers' cooperative) for the number."""
    first17 = f"93370602MA{number:07d}"
    return first17 + calc_check_digit(first17)


def township_shares(count: int) -> list[int]:
    """How many of `count` each township gets: a tenth to T01, a fiftieth to T02, the rest alike."""
    big, small = round(count / 10), max(1, round(count / 50))
    rest = count - big - small
    others = [rest // (TOWNSHIPS - 2) + (1 if i < rest % (TOWNSHIPS - 2) else 0) for i in range(TOWNSHIPS - 2)]
    return [big, small, *others]


def build(engine: Engine, scale: float, log: Any = print) -> County:
    """Migrate the empty database and fill it with a county of the given scale."""
    rng = random.Random(2026)
    seconds: dict[str, float] = {}
    started = time.perf_counter()
    upgrade(engine)
    cooperative_count = max(TOWNSHIPS * 2, round(COOPERATIVES * scale))
    village_count = max(TOWNSHIPS * 2, round(VILLAGES * scale))
    with Session(engine) as session, session.begin():
        county = _structure(session, rng, cooperative_count, village_count, round(MEMBERS * scale))
    seconds["structure"] = time.perf_counter() - started
    log(f"structure: {cooperative_count:,} cooperatives, {village_count:,} villages ({seconds['structure']:.0f} s)")
    started = time.perf_counter()
    members = _members(engine, county.sizes, rng)
    seconds["members"] = time.perf_counter() - started
    log(f"members: {sum(county.sizes.values()):,} with a contribution each ({seconds['members']:.0f} s)")
    started = time.perf_counter()
    trades = _trades(engine, members, rng)
    seconds["trades"] = time.perf_counter() - started
    log(f"trades: {trades:,} ({seconds['trades']:.0f} s, {trades / seconds['trades']:,.0f} rows/s)")
    started = time.perf_counter()
    vouchers = _books(engine, list(county.sizes), log)
    seconds["books"] = time.perf_counter() - started
    log(f"books: {vouchers:,} vouchers ({seconds['books']:.0f} s)")
    started = time.perf_counter()
    with engine.connect() as connection:
        # What autovacuum does after a bulk load: the planner's statistics and PostgreSQL's visibility map.
        if engine.dialect.name == "postgresql":
            connection.execution_options(isolation_level="AUTOCOMMIT").execute(text("VACUUM ANALYZE"))
        else:
            connection.execute(text("ANALYZE"))
            connection.commit()
    seconds["analyze"] = time.perf_counter() - started
    return County(county.townships, county.cooperatives, county.villages, county.sizes, trades, seconds)


def _structure(
    session: Session, rng: random.Random, cooperative_count: int, village_count: int, members: int
) -> County:
    """Townships, villages (with plans and income), products, cooperatives (bylaws, years) and the users."""
    session.add_all(Product(name=name) for name in PRODUCTS)
    session.add(WeakVillageThreshold(effective_year=2020, township_id=None, weak_below=Decimal("100000.00")))
    townships = [Township(name=f"T{number:02d}", district="基准县") for number in range(1, TOWNSHIPS + 1)]
    session.add_all(townships)
    villages: dict[str, list[Village]] = {}
    for township, share in zip(townships, township_shares(village_count), strict=True):
        villages[township.name] = [Village(township=township, name=f"{township.name}村{n:03d}") for n in range(share)]
        session.add_all(villages[township.name])
    session.flush()
    for number, village in enumerate(v for each in villages.values() for v in each):
        _village_books(session, rng, village, weak=number % 3 == 0)
    cooperatives: dict[str, list[Cooperative]] = {}
    drawn = iter(sizes(cooperative_count, members, rng))
    number = 0
    by_size: dict[Cooperative, int] = {}
    for township, share in zip(townships, township_shares(cooperative_count), strict=True):
        cooperatives[township.name] = []
        for index in range(share):
            number += 1
            cooperative = Cooperative(
                name=f"{township.name}第{index + 1}专业合作社",
                credit_code=credit_code(number),
                village=villages[township.name][index % len(villages[township.name])],
                founded_on=FOUNDED,
            )
            session.add(cooperative)
            session.add(Bylaws(cooperative=cooperative, effective_on=FOUNDED, provident_fund_rate=Decimal("0.10"),
                               patronage_ratio=Decimal("0.60")))  # fmt: skip
            session.add_all(FiscalYear(cooperative=cooperative, year=year) for year in YEARS)
            cooperatives[township.name].append(cooperative)
            by_size[cooperative] = next(drawn)
    session.flush()
    big = townships[0]
    keeps = sorted(cooperatives[BIG], key=lambda c: -by_size[c])[:3]  # the accountant keeps the three largest
    create_user(session, "admin", PASSWORD, Role.ADMIN, display_name="县农经站")
    create_user(session, "official", PASSWORD, Role.TOWNSHIP_OFFICIAL, display_name="T01农经站", township=big)
    create_user(session, "accountant", PASSWORD, Role.ACCOUNTANT, display_name="代理记账", cooperatives=keeps)
    return County(
        townships={t.name: t.id for t in townships},
        cooperatives={name: [c.id for c in each] for name, each in cooperatives.items()},
        villages={name: [v.id for v in each] for name, each in villages.items()},
        sizes={c.id: size for c, size in by_size.items()},
        trades=0,
        seconds={},
    )


def _village_books(session: Session, rng: random.Random, village: Village, *, weak: bool) -> None:
    """Three years of a village's income; a weak one (a third) also has an improvement plan."""
    base = Decimal(rng.randrange(30_000, 95_000) if weak else rng.randrange(110_000, 600_000))
    for year in (2023, *YEARS):
        total = base * Decimal(100 + 8 * (year - 2023)) / 100
        rent = (total * Decimal("0.4")).quantize(Decimal("0.01"))
        for category, amount in (
            (VillageIncomeCategory.OPERATING, total.quantize(Decimal("0.01")) - rent),
            (VillageIncomeCategory.RENT, rent),
            (VillageIncomeCategory.SUBSIDY, Decimal(rng.randrange(10_000, 50_000))),
        ):
            session.add(VillageIncome(village_id=village.id, year=year, category=category, amount=amount,
                                      origin=Origin.MANUAL))  # fmt: skip
    if weak:
        session.add(
            ImprovementPlan(
                village_id=village.id, filed_on=dt.date(2023, 4, 1), baseline_year=2023, baseline_income=base,
                target_income=Decimal("120000.00"), target_year=2026, causes="资源、区位",
                status=rng.choice((PlanStatus.FILED, PlanStatus.IN_PROGRESS, PlanStatus.MONITORED)),
            )
        )  # fmt: skip


def _members(engine: Engine, sizes: dict[int, int], rng: random.Random) -> dict[int, list[int]]:
    """Each cooperative's households with a cash contribution each; return member ids by cooperative."""
    with Session(engine) as session, session.begin():
        batch: list[dict[str, Any]] = []
        for cooperative_id, size in sizes.items():
            for number in range(1, size + 1):
                kind = MemberKind.FARMER if number % 40 else MemberKind.VILLAGE_COLLECTIVE
                batch.append({
                    "cooperative_id": cooperative_id, "code": f"M{number:05d}", "kind": kind,
                    "name": rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.randint(1, 2))),
                    "id_number": f"1401{cooperative_id:06d}{number:08d}", "joined_on": FOUNDED,
                    "household_size": rng.randint(1, 6) if kind is MemberKind.FARMER else None,
                })  # fmt: skip
                if len(batch) == BATCH:
                    insert_rows(session, Member, batch)
                    batch = []
        insert_rows(session, Member, batch)
        members: dict[int, list[int]] = {}
        for member_id, cooperative_id in session.execute(select(Member.id, Member.cooperative_id).order_by(Member.id)):
            members.setdefault(cooperative_id, []).append(member_id)
        contributions = [
            {"member_id": member_id, "entry_on": FOUNDED, "kind": AccountEntryKind.CONTRIBUTION_CASH,
             "amount": Decimal(rng.randrange(5, 101) * 100), "source": "county-bench"}
            for ids in members.values() for member_id in ids
        ]  # fmt: skip
        for start in range(0, len(contributions), BATCH):
            insert_rows(session, MemberAccountEntry, contributions[start : start + BATCH])
        insert_rows(session, IncomeExpense, list(_income_expense(sizes)))
    return members


def _income_expense(sizes: dict[int, int]) -> Iterator[dict[str, Any]]:
    """Monthly 收支 in proportion to the members: each cooperative ends both years with a surplus."""
    for cooperative_id, size in sizes.items():
        for year in YEARS:
            for month in range(1, 13):
                for category, per_member in (
                    (IncomeCategory.OPERATING_INCOME, 800),
                    (IncomeCategory.OPERATING_EXPENSE, 600),
                    (IncomeCategory.ADMIN_EXPENSE, 50),
                ):
                    yield {"cooperative_id": cooperative_id, "recorded_on": dt.date(year, month, 28),
                           "category": category, "amount": Decimal(per_member * size)}  # fmt: skip


def _trades(engine: Engine, members: dict[int, list[int]], rng: random.Random) -> int:
    """Each household's deliveries in the harvest months and its input purchases in spring, both years."""

    with Session(engine) as session:
        products = {name: product_id for name, product_id in session.execute(select(Product.name, Product.id))}
    crops = [products[name] for name in PRODUCTS[:-1]]
    quantities = [Decimal(q) / 2 for q in range(20, 4000, 7)]  # whole or half kilograms
    prices = [Decimal(p).scaleb(-1) for p in range(15, 150)]  # to the jiao
    count = 0
    with Session(engine) as session, session.begin():
        batch: list[dict[str, Any]] = []
        for cooperative_id, ids in members.items():
            crop = crops[cooperative_id % len(crops)]
            for year in YEARS:
                for number in range(len(ids) * TRADES_PER_MEMBER_YEAR):
                    member_id = None if number % 100 == 99 else rng.choice(ids)
                    purchase = number % 10 == 0
                    day = (dt.date(year, 3, 1) + dt.timedelta(days=rng.randrange(90)) if purchase
                           else dt.date(year, 7, 1) + dt.timedelta(days=rng.randrange(150)))  # fmt: skip
                    quantity, price = rng.choice(quantities), rng.choice(prices)
                    batch.append({
                        "cooperative_id": cooperative_id, "member_id": member_id,
                        "counterparty": "" if member_id else "果品收购商",
                        "kind": TradeKind.INPUT_PURCHASE if purchase and member_id else TradeKind.INTAKE,
                        "traded_on": day, "product_id": products["复合肥"] if purchase and member_id else crop,
                        "grade": "一级", "quantity": quantity, "unit": "kg", "unit_price": price,
                        "amount": quantity * price, "ticket_no": f"{year}-{cooperative_id}-{number:06d}",
                    })  # fmt: skip
                    if len(batch) == BATCH:
                        insert_rows(session, Trade, batch)
                        count += len(batch)
                        batch = []
        insert_rows(session, Trade, batch)
        count += len(batch)
    return count


def _books(engine: Engine, cooperative_ids: list[int], log: Any) -> int:
    """Book every cooperative's trades, 收支 and contributions, one transaction per cooperative.

    On a server two processes book at once (as two accountants would); SQLite has one writer.
    """
    url = engine.url.render_as_string(hide_password=False)
    workers = 2 if engine.dialect.name != "sqlite" else 1
    shares = [cooperative_ids[index::workers] for index in range(workers)]
    if workers == 1:
        _book_some(url, shares[0])
    else:
        with multiprocessing.get_context("spawn").Pool(workers) as pool:
            pool.starmap(_book_some, [(url, share) for share in shares])
    with engine.connect() as connection:
        return int(connection.execute(text("SELECT count(*) FROM voucher")).scalar_one())


def _book_some(url: str, cooperative_ids: list[int]) -> None:
    engine = make_engine(url)
    for done, cooperative_id in enumerate(cooperative_ids, start=1):
        with Session(engine) as session, session.begin():
            sync_events(session, session.get_one(Cooperative, cooperative_id), [INCOME_EXPENSE, CONTRIBUTIONS, TRADES])
        if done % 100 == 0:
            print(f"  books of {done:,} cooperatives ({os.getpid()})", flush=True)
    engine.dispose()


def describe(county: County) -> str:
    """The county in one line: how many of each, and how skewed the cooperatives are."""
    values = sorted(county.sizes.values())
    return (
        f"{len(county.townships)} townships, {len(values):,} cooperatives (median {statistics.median(values):.0f} "
        f"members, largest {values[-1]:,}, {sum(v > 2000 for v in values)} over 2,000), "
        f"{sum(len(v) for v in county.villages.values()):,} villages, {sum(values):,} members, "
        f"{county.trades:,} trades"
    )
