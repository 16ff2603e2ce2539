"""Benchmark of `plan_distribution` against the bare SQL aggregate of the year's trades per member, and of
`post_distribution` against the bare store of the rows it writes.

    .venv/bin/python bench/distribution_bench.py [--backend sqlite|postgresql|all] [--members 20000]
                                                  [--trades 1000000] [--cooperatives 1] [--profile]

For each backend the script builds one cooperative in a scratch database (a SQLite file in a temporary
directory, or a new PostgreSQL database dropped at the end), migrated with `coopcore.db.migrate.upgrade`:
the members (mostly farmers), one contribution entry each, monthly income and expense records booked into the
ledger (the year's surplus, 2.4 million yuan, is read from the books), the year's trades, and a quarter as many
trades in the year before. A new process (so that its peak resident memory
is the measurement's own) then takes the best of 3 runs after one warm-up of

* aggregate: `SELECT member_id, SUM(amount) FROM trade WHERE cooperative_id = ? AND traded_on BETWEEN ? AND ?
  GROUP BY member_id` through the driver (`connection.exec_driver_sql`), every row fetched;
* plan: `plan_distribution(session, cooperative, year)` in a transaction rolled back afterwards, so each run
  plans a new draft;

* plan given trade sums: the same plan with `year_end.trade_totals` answered from memory (its first answer kept),
  as a summary table maintained on every trade write would answer it: the part of the plan no aggregate explains;
* bare store: the server alone storing the plan's lines (`INSERT INTO distribution_line SELECT * FROM` a temporary
  copy of them): with the aggregate, the least any plan that stores its lines can take;

then the tracemalloc peak of one plan of each year, to compare the two years' trade counts. The table shows
the best times, their ratios, both peaks and the process's peak RSS over the timed runs. Goal (issue #18): plan ≤
1.5 × (aggregate + bare store), memory flat in the number of trades.

With --cooperatives N the township has N cooperatives of half to one and a half times --members (median
--members), and the script times `coop distribution plan-all`'s loop over them (each plan in a transaction of its
own, rolled back) against the sum of their bare aggregates and bare stores, with the same goal, and counts the
statements of one plan.

Posting, each run in a transaction rolled back afterwards, after a plan published and approved in it (not timed)
and the session emptied, as a new request would find it:

* post: `post_distribution(session, distribution)`: the member-account entries and the distribution's vouchers
  (a line per member on 221 and on 222), written in bulk;
* bare store: the same voucher, line and entry rows as a post wrote them, read back once, stored through the
  driver with nothing else: COPY on PostgreSQL, executemany on SQLite.

Goal: post ≤ 2 × bare store. --profile adds a cProfile of one plan and one post on stderr.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import gc
import json
import pstats
import random
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any
from unittest.mock import patch

from sqlalchemy import Engine, event, func, insert, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from coopcore.db.engine import make_engine
from coopcore.db.migrate import upgrade
from coopcore.models import (
    AccountEntryKind,
    Bylaws,
    Cooperative,
    Distribution,
    FiscalYear,
    IncomeCategory,
    IncomeExpense,
    Member,
    MemberAccountEntry,
    MemberKind,
    Product,
    Township,
    Trade,
    TradeKind,
    Village,
)
from coopcore.services import year_end
from coopcore.services.distribution import (
    approve_distribution,
    plan_distribution,
    planned_members,
    post_distribution,
    publish_distribution,
)
from coopcore.services.ledger.sync import CONTRIBUTIONS, INCOME_EXPENSE, sync_events
from coopcore.services.lookups import township_by_name, township_cooperatives
from coopcore.validation import credit_code

POSTGRES_URL = "postgresql+psycopg://postgres@/test?host=/var/run/postgresql"
YEAR = 2025
TOWNSHIP = "基准镇"
FOUNDED = dt.date(2020, 3, 1)
CHUNK = 50_000
REPEAT = 3
PRODUCTS = ("苹果", "樱桃", "葡萄", "复合肥")
PUBLISHED_ON, ASSEMBLY_ON = dt.date(YEAR + 1, 1, 5), dt.date(YEAR + 1, 1, 25)  # 15 days' notice ([L-29])
RESOLUTION = f"{YEAR + 1}年成员大会决议第1号"
AGGREGATE = (
    "SELECT member_id, SUM(amount) FROM trade"
    " WHERE cooperative_id = {0} AND traded_on BETWEEN {0} AND {0} GROUP BY member_id"
)
TRADE_COLUMNS = ("cooperative_id", "member_id", "counterparty", "kind", "traded_on", "product_id", "grade",
                 "quantity", "unit", "unit_price", "amount", "ticket_no")  # fmt: skip


@contextmanager
def scratch_database(backend: str, server_url: str) -> Iterator[str]:
    """Yield the URL of a new, empty database of the backend; it is deleted afterwards."""
    if backend == "sqlite":
        with tempfile.TemporaryDirectory(prefix="coop-bench-") as directory:
            yield f"sqlite:///{Path(directory) / 'distribution.sqlite3'}"
        return
    url = make_url(server_url)
    name = f"coop_bench_{uuid.uuid4().hex[:10]}"
    admin = make_engine(url.render_as_string(hide_password=False), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f"CREATE DATABASE {name}"))
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        admin.dispose()


def build(url: str, members: int, trades: int, small_trades: int, cooperatives: int = 1, seed: int = YEAR) -> None:
    """Migrate the database and fill it with the cooperatives of one township, their members, books and trades.

    One cooperative has `members` members; several have from half to one and a half times as many (their median
    is `members`), and the trades of each year are shared among them by their members.
    """
    engine = make_engine(url)
    upgrade(engine)
    rng = random.Random(seed)
    sizes = cooperative_sizes(members, cooperatives)
    with Session(engine) as session, session.begin():
        township = Township(name=TOWNSHIP)
        products = [Product(name=name) for name in PRODUCTS]
        session.add_all([township, *products])
        session.flush()
        product_ids = [product.id for product in products]
        for number, size in enumerate(sizes, start=1):
            share = size / sum(sizes)
            counts = {YEAR - 1: round(small_trades * share), YEAR: round(trades * share)}
            village = Village(township=township, name=f"基准{number}村")
            add_cooperative(session, rng, number, village, size, product_ids, counts)
    if engine.dialect.name == "postgresql":
        with engine.begin() as connection:
            connection.exec_driver_sql("ANALYZE")  # what autovacuum would do shortly after such a load
    engine.dispose()


def cooperative_sizes(members: int, cooperatives: int) -> list[int]:
    """The members of each cooperative: all of them in one, else evenly from half to one and a half times members."""
    if cooperatives == 1:
        return [members]
    return [round(members * (0.5 + number / (cooperatives - 1))) for number in range(cooperatives)]


def add_cooperative(
    session: Session,
    rng: random.Random,
    number: int,
    village: Village,
    members: int,
    product_ids: list[int],
    trades: dict[int, int],
) -> None:
    """Add one cooperative with its bylaws, members, contributions, booked 收支 and the trades of each year."""
    body = f"93370602MA3C{number:05d}"
    cooperative = Cooperative(name=f"基准果品专业合作社{number}", credit_code=body + credit_code.calc_check_digit(body),
                              village=village, founded_on=FOUNDED)  # fmt: skip
    bylaws = Bylaws(
        cooperative=cooperative,
        effective_on=FOUNDED,
        provident_fund_rate=Decimal("0.10"),
        patronage_ratio=Decimal("0.60"),
    )
    years = [FiscalYear(cooperative=cooperative, year=year) for year in (YEAR - 1, YEAR)]
    session.add_all([cooperative, bylaws, *years])
    session.flush()
    rows = [member_row(rng, cooperative.id, number) for number in range(1, members + 1)]
    session.execute(insert(Member), rows)
    member_ids = list(
        session.scalars(select(Member.id).where(Member.cooperative_id == cooperative.id).order_by(Member.code))
    )
    session.execute(insert(MemberAccountEntry), [contribution_row(rng, member_id) for member_id in member_ids])
    session.execute(insert(IncomeExpense), list(books_rows(cooperative.id)))
    # The plan reads the year's surplus from the books: the 收支 rows and contributions as their vouchers.
    sync_events(session, cooperative, [INCOME_EXPENSE, CONTRIBUTIONS])
    for year, count in trades.items():
        found = trade_rows(rng, cooperative.id, member_ids, product_ids, year, count)
        if session.connection().dialect.name == "postgresql":
            copy_trades(session, found)
        else:
            for chunk in chunks(found, CHUNK):
                session.execute(insert(Trade), chunk)


def member_row(rng: random.Random, cooperative_id: int, number: int) -> dict[str, Any]:
    """Return a member: mostly farmer households, a few organisations."""
    kind = MemberKind.FARMER if number % 50 else rng.choice([MemberKind.ENTERPRISE, MemberKind.VILLAGE_COLLECTIVE])
    return {
        "cooperative_id": cooperative_id,
        "code": f"M{number:06d}",
        "name": f"成员{number}",
        "kind": kind,
        "id_number": f"3706021960{number:08d}",
        "household_size": rng.randint(1, 6) if kind is MemberKind.FARMER else None,
        "joined_on": FOUNDED,
    }


def contribution_row(rng: random.Random, member_id: int) -> dict[str, Any]:
    """Return one cash contribution of 500 to 10,000 yuan."""
    return {
        "member_id": member_id,
        "entry_on": FOUNDED,
        "kind": AccountEntryKind.CONTRIBUTION_CASH,
        "amount": Decimal(rng.randrange(5, 101) * 100),
        "source": "bench",
    }


def books_rows(cooperative_id: int) -> Iterator[dict[str, Any]]:
    """Yield monthly income and expenses of both years, leaving a surplus of 2.4 million yuan a year."""
    for year in (YEAR - 1, YEAR):
        for month in range(1, 13):
            for category, amount in (
                (IncomeCategory.OPERATING_INCOME, Decimal("1500000.00")),
                (IncomeCategory.OPERATING_EXPENSE, Decimal("1200000.00")),
                (IncomeCategory.ADMIN_EXPENSE, Decimal("100000.00")),
            ):
                yield {
                    "cooperative_id": cooperative_id,
                    "recorded_on": dt.date(year, month, 28),
                    "category": category,
                    "amount": amount,
                }


def trade_rows(
    rng: random.Random, cooperative_id: int, member_ids: list[int], product_ids: list[int], year: int, count: int
) -> Iterator[dict[str, Any]]:
    """Yield a year's tickets: 1% non-member business, amount = quantity × unit price exactly."""
    first = dt.date(year, 1, 1)
    days = (dt.date(year, 12, 31) - first).days + 1
    kinds = [TradeKind.INTAKE] * 8 + [TradeKind.SALE, TradeKind.INPUT_PURCHASE]
    for number in range(count):
        member_id = None if rng.random() < 0.01 else rng.choice(member_ids)
        quantity = Decimal(rng.randrange(20, 4000)) / 2  # whole or half kilograms
        unit_price = Decimal(rng.randrange(10, 1500)).scaleb(-1)  # to the jiao: the product has at most 2 places
        yield {
            "cooperative_id": cooperative_id,
            "member_id": member_id,
            "counterparty": "" if member_id else "果品收购商",
            "kind": rng.choice(kinds),
            "traded_on": first + dt.timedelta(days=rng.randrange(days)),
            "product_id": rng.choice(product_ids),
            "grade": "一级",
            "quantity": quantity,
            "unit": "kg",
            "unit_price": unit_price,
            "amount": quantity * unit_price,
            "ticket_no": f"{year}-{number:07d}",
        }


def chunks(rows: Iterator[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    """Yield lists of at most size rows, so that memory stays flat while building."""
    chunk: list[dict[str, Any]] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def copy_trades(session: Session, rows: Iterator[dict[str, Any]]) -> None:
    """Load trades with PostgreSQL's COPY, the fast path a bulk import would take."""
    cursor = session.connection().connection.driver_connection.cursor()  # type: ignore[union-attr]
    with cursor.copy(f"COPY trade ({', '.join(TRADE_COLUMNS)}) FROM STDIN") as copy:
        for row in rows:
            # Enums go in as their stored string value.
            copy.write_row([str(row[column]) if column == "kind" else row[column] for column in TRADE_COLUMNS])


def aggregate_rows(engine: Engine, cooperative_id: int, year: int) -> list[Any]:
    """Return the bare per-member sums of the year's trades, through the driver."""
    placeholder = "?" if engine.dialect.paramstyle == "qmark" else "%s"
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    # pysqlite's date adapter is deprecated; SQLAlchemy stores dates as ISO text there anyway.
    bounds = (first.isoformat(), last.isoformat()) if engine.dialect.name == "sqlite" else (first, last)
    with engine.connect() as connection:
        return list(connection.exec_driver_sql(AGGREGATE.format(placeholder), (cooperative_id, *bounds)).all())


def run_aggregate(engine: Engine, cooperative_id: int, year: int) -> float:
    """Time the bare aggregate, every row fetched."""
    start = time.perf_counter()
    rows = aggregate_rows(engine, cooperative_id, year)
    elapsed = time.perf_counter() - start
    assert rows
    return elapsed


def check_totals(engine: Engine, cooperative_id: int, year: int) -> None:
    """Refuse to report figures unless the plan's transaction amounts add up to the bare aggregate's."""
    rows = aggregate_rows(engine, cooperative_id, year)
    # SQLite stores fen as integers (coopcore.db.types.ExactDecimal); PostgreSQL returns NUMERIC.
    scale = 2 if engine.dialect.name == "sqlite" else 0
    bare = sum((Decimal(total).scaleb(-scale) for member_id, total in rows if member_id is not None), Decimal(0))
    with Session(engine) as session, session.begin():
        distribution = plan_distribution(session, session.get_one(Cooperative, cooperative_id), year)
        planned = sum((line.transaction_amount for line in distribution.lines), Decimal(0))
        session.rollback()
    assert planned == bare, f"plan has {planned} of business, the bare aggregate {bare}"


def run_plan(engine: Engine, cooperative_id: int, year: int, profiler: cProfile.Profile | None = None) -> float:
    """Time one plan_distribution in a transaction that is rolled back (the draft is never kept)."""
    with Session(engine) as session, session.begin():
        cooperative = session.get_one(Cooperative, cooperative_id)
        if profiler:
            profiler.enable()
        start = time.perf_counter()
        distribution = plan_distribution(session, cooperative, year)
        elapsed = time.perf_counter() - start
        if profiler:
            profiler.disable()
        assert distribution.lines
        session.rollback()
    return elapsed


def run_bare_store(engine: Engine, cooperative_id: int, year: int) -> float:
    """Time the server storing a plan's lines with nothing around it: one INSERT … SELECT from a copy.

    The plan is made and its lines copied to a temporary table and deleted first (not timed); the timed INSERT
    does the server's own work of storing them (constraints, foreign keys, indexes). Rolled back afterwards.
    """
    with Session(engine) as session, session.begin():
        distribution = plan_distribution(session, session.get_one(Cooperative, cooperative_id), year)
        session.flush()
        ours = {"id": distribution.id}
        session.execute(
            text("CREATE TEMPORARY TABLE line_copy AS SELECT * FROM distribution_line WHERE distribution_id = :id"),
            ours,
        )
        session.execute(text("DELETE FROM distribution_line WHERE distribution_id = :id"), ours)
        start = time.perf_counter()
        session.execute(text("INSERT INTO distribution_line SELECT * FROM line_copy"))
        elapsed = time.perf_counter() - start
        session.rollback()
    return elapsed


def run_plan_given_trade_sums(engine: Engine, cooperative_id: int, year: int) -> float:
    """Time plans whose per-member trade sums are handed to them instead of summed from the trades.

    That is what a summary table kept up to date on every trade write would give the plan: the time left is the
    part of the plan that no faster aggregate can remove (balances, the waterfall in Python, storing the lines).
    """
    summed: dict[Any, dict[int, tuple[Decimal, Decimal]]] = {}
    sum_trades = year_end.trade_totals

    def given(session: Session, *args: Any, **kwargs: Any) -> dict[int, tuple[Decimal, Decimal]]:
        key = (args, tuple(sorted(kwargs.items())))
        if key not in summed:
            summed[key] = sum_trades(session, *args, **kwargs)
        return summed[key]

    with patch.object(year_end, "trade_totals", given):
        return best_of(REPEAT, lambda: run_plan(engine, cooperative_id, year))  # the warm-up sums them once


# ----- posting ----------------------------------------------------------------------------------------------
Rows = dict[str, list[tuple[Any, ...]]]  # table name -> the rows a post wrote (columns as in COLUMNS)
COLUMNS: dict[str, list[str]] = {}  # table name -> its columns, as read back after a post


def approved(session: Session, cooperative_id: int) -> int:
    """Plan, publish and approve the year's distribution in the session's transaction; return its id.

    The session is emptied afterwards: a post happens in a request of its own, which loads what it needs.
    """
    distribution = plan_distribution(session, session.get_one(Cooperative, cooperative_id), YEAR)
    publish_distribution(session, distribution, published_on=PUBLISHED_ON, assembly_on=ASSEMBLY_ON)
    members = session.scalar(select(func.count()).select_from(Member)) or 0
    approve_distribution(session, distribution, assembly_on=ASSEMBLY_ON, members_present=members,
                         votes_for=members, resolution=RESOLUTION)  # fmt: skip
    session.flush()
    session.expunge_all()
    return distribution.id


def run_post(engine: Engine, cooperative_id: int, profiler: cProfile.Profile | None = None) -> tuple[float, Rows]:
    """Time one post_distribution of an approved plan, rolled back afterwards; return the time and its rows."""
    with Session(engine) as session, session.begin():
        distribution = session.get_one(Distribution, approved(session, cooperative_id))
        gc.collect()  # the plan's garbage is the setup's: the post should not pay for collecting it
        if profiler:
            profiler.enable()
        start = time.perf_counter()
        post_distribution(session, distribution)
        elapsed = time.perf_counter() - start
        if profiler:
            profiler.disable()
        rows = written_rows(session, distribution)
        session.rollback()
    return elapsed, rows


def written_rows(session: Session, distribution: Distribution) -> Rows:
    """The rows a post wrote, as the driver reads them (SQLite: fen as integers, dates as text)."""
    connection = session.connection()
    mark = "?" if connection.dialect.paramstyle == "qmark" else "%s"
    vouchers = (distribution.cooperative_id, f"distribution:{distribution.id}:%")
    queries = {
        "voucher": (f"SELECT * FROM voucher WHERE cooperative_id = {mark} AND source_ref LIKE {mark}", vouchers),
        "voucher_line": (
            "SELECT voucher_line.* FROM voucher_line JOIN voucher ON voucher.id = voucher_line.voucher_id"
            f" WHERE voucher.cooperative_id = {mark} AND voucher.source_ref LIKE {mark}",
            vouchers,
        ),
        "member_account_entry": (f"SELECT * FROM member_account_entry WHERE source = {mark}", (distribution.source,)),
    }
    rows: Rows = {}
    for table, (query, parameters) in queries.items():
        found = connection.exec_driver_sql(query, parameters)
        COLUMNS[table] = list(found.keys())
        rows[table] = [tuple(row) for row in found]
    return rows


def run_bare_post(engine: Engine, cooperative_id: int, rows: Rows) -> float:
    """Time the driver alone storing the rows a post wrote, in the state a post starts from; rolled back.

    The vouchers keep their ids (their lines name them; the post that wrote them was rolled back, so the ids are
    free), the lines and entries get new ones, as in the post; the entries name the distribution planned here.
    """
    with Session(engine) as session, session.begin():
        distribution_id = approved(session, cooperative_id)
        connection = session.connection()
        dialect = connection.dialect
        driver = connection.connection.driver_connection
        assert driver is not None
        tables = [("voucher", rows["voucher"], "")]
        for table in ("voucher_line", "member_account_entry"):
            keep = [index for index, name in enumerate(COLUMNS[table]) if name != "id"]
            tables.append((table, [tuple(row[index] for index in keep) for row in rows[table]], "id"))
        renamed = {"distribution_id": distribution_id, "source": f"distribution:{distribution_id}"}
        gc.collect()  # as before the post
        start = time.perf_counter()
        for table, values, left_out in tables:
            names = [name for name in COLUMNS[table] if name != left_out]
            if table == "member_account_entry":
                places = [names.index(name) for name in renamed]
                values = [renamed_row(row, places, list(renamed.values())) for row in values]
            columns = ", ".join(names)
            if dialect.name == "postgresql":
                with driver.cursor().copy(f"COPY {table} ({columns}) FROM STDIN") as copy:  # type: ignore[attr-defined]
                    for row in values:
                        copy.write_row(row)
            else:
                marks = ", ".join("?" for _ in names)
                driver.cursor().executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", values)
        elapsed = time.perf_counter() - start
        session.rollback()
    return elapsed


def renamed_row(row: tuple[Any, ...], places: list[int], values: list[Any]) -> tuple[Any, ...]:
    changed = list(row)
    for place, value in zip(places, values, strict=True):
        changed[place] = value
    return tuple(changed)


def profile_post(engine: Engine, cooperative_id: int) -> None:
    """Print where one post spends its time (cProfile, by cumulative time) to stderr."""
    profiler = cProfile.Profile()
    run_post(engine, cooperative_id, profiler)
    pstats.Stats(profiler, stream=sys.stderr).sort_stats("cumulative").print_stats(40)


def best_of(runs: int, timed: Callable[[], float]) -> float:
    """Return the shortest of `runs` timings, after one warm-up run."""
    timed()
    return min(timed() for _ in range(runs))


def traced_peak(engine: Engine, cooperative_id: int, year: int) -> int:
    """Return the peak of Python memory allocated during one plan, in bytes (tracemalloc)."""
    run_plan(engine, cooperative_id, year)  # warm caches outside the trace
    tracemalloc.start()
    tracemalloc.reset_peak()
    run_plan(engine, cooperative_id, year)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak


def profile_plan(engine: Engine, cooperative_id: int, year: int) -> None:
    """Print where one plan spends its time (cProfile, by cumulative time) to stderr."""
    profiler = cProfile.Profile()
    run_plan(engine, cooperative_id, year, profiler)
    pstats.Stats(profiler, stream=sys.stderr).sort_stats("cumulative").print_stats(30)


# ----- a township of small cooperatives (plan-all) -----------------------------------------------------------
def run_plan_all(engine: Engine, cooperative_ids: list[int], year: int) -> float:
    """Time plans of the cooperatives one after the other, as `coop distribution plan-all` makes them.

    Each in a transaction of its own that reads what the command shows (distributable surplus, members); rolled
    back here rather than committed, so that every run plans new drafts.
    """
    start = time.perf_counter()
    for cooperative_id in cooperative_ids:
        with Session(engine) as session, session.begin():
            distribution = plan_distribution(session, session.get_one(Cooperative, cooperative_id), year)
            assert distribution.distributable is not None and planned_members(session, distribution)
            session.rollback()
    return time.perf_counter() - start


def statements_of_one_plan(engine: Engine, cooperative_id: int, year: int) -> int:
    """Count the statements SQLAlchemy sends for one cooperative of plan-all (not counted: BEGIN, ROLLBACK, COPY)."""
    sent: list[str] = []

    def count(connection: Any, cursor: Any, statement: str, *args: Any) -> None:
        sent.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        run_plan_all(engine, [cooperative_id], year)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return len(sent)


def measure_township(engine: Engine, profile: bool) -> dict[str, Any]:
    """Measure plan-all over the township's cooperatives against the sum of their bare aggregates and stores."""
    with Session(engine) as session:
        cooperative_ids = [
            cooperative.id for cooperative in township_cooperatives(session, township_by_name(session, TOWNSHIP))
        ]
        sizes = sorted(session.scalars(select(func.count()).select_from(Member).group_by(Member.cooperative_id)).all())
        trades = session.scalar(select(func.count()).where(Trade.traded_on.between(*year_end.year_bounds(YEAR))))
    for cooperative_id in cooperative_ids:
        check_totals(engine, cooperative_id, YEAR)
    aggregate = best_of(REPEAT, lambda: sum(run_aggregate(engine, each, YEAR) for each in cooperative_ids))
    bare_store = best_of(REPEAT, lambda: sum(run_bare_store(engine, each, YEAR) for each in cooperative_ids))
    plan = best_of(REPEAT, lambda: run_plan_all(engine, cooperative_ids, YEAR))
    median = cooperative_ids[len(cooperative_ids) // 2]  # in credit-code order, which is the order of their sizes
    statements = statements_of_one_plan(engine, median, YEAR)
    if profile:
        profiler = cProfile.Profile()
        profiler.enable()
        run_plan_all(engine, cooperative_ids, YEAR)
        profiler.disable()
        pstats.Stats(profiler, stream=sys.stderr).sort_stats("cumulative").print_stats(40)
    engine.dispose()
    return {
        "backend": engine.dialect.name,
        "cooperatives": len(cooperative_ids),
        "members": sum(sizes),
        "median_members": sizes[len(sizes) // 2],
        "trades": trades,
        "aggregate_s": aggregate,
        "plan_s": plan,
        "bare_store_s": bare_store,
        "statements": statements,
    }


def print_township_table(results: list[dict[str, Any]]) -> None:
    """Print the plan-all figures of every backend as a small table."""
    print("backend | cooperatives | members (median) | trades | aggregates s | plans s | bare stores s | "
          "plans / (aggregates + bare stores) | statements of one plan")  # fmt: skip
    for r in results:
        print(
            f"{r['backend']} | {r['cooperatives']} | {r['members']:,} ({r['median_members']}) | {r['trades']:,} | "
            f"{r['aggregate_s']:.3f} | {r['plan_s']:.3f} | {r['bare_store_s']:.3f} | "
            f"**{r['plan_s'] / (r['aggregate_s'] + r['bare_store_s']):.2f}** | {r['statements']}"
        )


def measure(url: str, profile: bool) -> dict[str, Any]:
    """Measure aggregate, plan and memory on a built database; the figures of one backend."""
    engine = make_engine(url)
    with Session(engine) as session:
        several = (session.scalar(select(func.count()).select_from(Cooperative)) or 0) > 1
    if several:
        return measure_township(engine, profile)
    with Session(engine) as session:
        cooperative_id = session.scalars(select(Cooperative.id)).one()
        members = session.scalar(select(func.count()).select_from(Member)) or 0
        counts = {
            year: session.scalar(
                select(func.count()).where(Trade.traded_on.between(dt.date(year, 1, 1), dt.date(year, 12, 31)))
            )
            or 0
            for year in (YEAR - 1, YEAR)
        }
    check_totals(engine, cooperative_id, YEAR)
    aggregate = best_of(REPEAT, lambda: run_aggregate(engine, cooperative_id, YEAR))
    plan = best_of(REPEAT, lambda: run_plan(engine, cooperative_id, YEAR))
    plan_given_sums = run_plan_given_trade_sums(engine, cooperative_id, YEAR)
    bare_store = best_of(REPEAT, lambda: run_bare_store(engine, cooperative_id, YEAR))
    max_rss_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux; before tracemalloc adds its own
    peaks = {year: traced_peak(engine, cooperative_id, year) for year in (YEAR - 1, YEAR)}
    if profile:
        profile_plan(engine, cooperative_id, YEAR)
    # Posting last: each run plans, publishes and approves the distribution first, in its own transaction.
    _, written = run_post(engine, cooperative_id)  # the warm-up; its rows are the bare store's
    post = min(run_post(engine, cooperative_id)[0] for _ in range(REPEAT))
    bare_post = best_of(REPEAT, lambda: run_bare_post(engine, cooperative_id, written))
    if profile:
        profile_post(engine, cooperative_id)
    engine.dispose()
    return {
        "backend": engine.dialect.name,
        "members": members,
        "trades": counts[YEAR],
        "small_trades": counts[YEAR - 1],
        "aggregate_s": aggregate,
        "plan_s": plan,
        "plan_given_sums_s": plan_given_sums,
        "bare_store_s": bare_store,
        "post_s": post,
        "bare_post_s": bare_post,
        "posted": {table: len(rows) for table, rows in written.items()},
        "peak_small_mib": peaks[YEAR - 1] / 2**20,
        "peak_mib": peaks[YEAR] / 2**20,
        "max_rss_mib": max_rss_kib / 1024,
    }


def print_table(results: list[dict[str, Any]]) -> None:
    """Print the figures of every backend as a small table."""
    header = (
        "backend",
        "members",
        "trades",
        "aggregate s",
        "plan s",
        "ratio",
        "plan given trade sums s",
        "its ratio",
        "bare store of the lines s",
        "(aggregate + bare store) / aggregate",
        "plan / (aggregate + bare store)",
        "plan peak (small/full year)",
        "max RSS",
    )
    print(" | ".join(header))
    for r in results:
        print(
            f"{r['backend']} | {r['members']:,} | {r['trades']:,} | {r['aggregate_s']:.3f} | {r['plan_s']:.3f} | "
            f"{r['plan_s'] / r['aggregate_s']:.2f} | {r['plan_given_sums_s']:.3f} | "
            f"{r['plan_given_sums_s'] / r['aggregate_s']:.2f} | {r['bare_store_s']:.3f} | "
            f"{(r['aggregate_s'] + r['bare_store_s']) / r['aggregate_s']:.2f} | "
            f"**{r['plan_s'] / (r['aggregate_s'] + r['bare_store_s']):.2f}** | "
            f"{r['peak_small_mib']:.1f} MiB ({r['small_trades']:,}) / "
            f"{r['peak_mib']:.1f} MiB ({r['trades']:,}) | {r['max_rss_mib']:.0f} MiB"
        )
    print()
    print("backend | members | vouchers | voucher lines | member-account entries | post s | bare store s | ratio")
    for r in results:
        posted = r["posted"]
        print(
            f"{r['backend']} | {r['members']:,} | {posted['voucher']:,} | {posted['voucher_line']:,} | "
            f"{posted['member_account_entry']:,} | {r['post_s']:.3f} | {r['bare_post_s']:.3f} | "
            f"{r['post_s'] / r['bare_post_s']:.2f}"
        )


def main(argv: list[str] | None = None) -> int:
    """Build, measure and print the figures of each backend asked for."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "all"), default="all")
    parser.add_argument("--members", type=int, default=20_000, help="members (of the median cooperative)")
    parser.add_argument("--cooperatives", type=int, default=1, help="cooperatives of the township, planned as plan-all")
    parser.add_argument("--trades", type=int, help="trades of the planned year, in all (default: 50 a member)")
    parser.add_argument("--small-trades", type=int, help="trades of the year before (default: a quarter)")
    parser.add_argument("--postgres-url", default=POSTGRES_URL, help="server where the scratch database is made")
    parser.add_argument("--profile", action="store_true", help="print a cProfile of one plan and one post to stderr")
    parser.add_argument("--measure", metavar="URL", help=argparse.SUPPRESS)  # the child process
    args = parser.parse_args(argv)
    if args.measure:
        print(json.dumps(measure(args.measure, args.profile)))
        return 0
    trades = 50 * sum(cooperative_sizes(args.members, args.cooperatives)) if args.trades is None else args.trades
    small_trades = trades // 4 if args.small_trades is None else args.small_trades
    results = []
    for backend in ("sqlite", "postgresql") if args.backend == "all" else (args.backend,):
        with scratch_database(backend, args.postgres_url) as url:
            start = time.perf_counter()
            build(url, args.members, trades, small_trades, args.cooperatives)
            print(f"{backend}: built in {time.perf_counter() - start:.0f} s", file=sys.stderr, flush=True)
            child = [sys.executable, __file__, "--measure", url, *(["--profile"] if args.profile else [])]
            output = subprocess.run(child, check=True, stdout=subprocess.PIPE, text=True).stdout
            results.append(json.loads(output.splitlines()[-1]))
    if args.cooperatives > 1:
        print_township_table(results)
    else:
        print_table(results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
