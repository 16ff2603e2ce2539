"""The measures of bench/county_bench.py: each screen or command against the bare SQL of the same answer.

* List pages: bench/admin_bench.py's own pages and measure (first, middle by the next link, last, filtered, typed)
  for the administrator (the county) and an accountant (three cooperatives of T01).
* Dashboards: the official's home, the weak-village dashboard and the statements roll-up page of T01, the
  administrator's home and the county's dashboard; the bare SQL is every statement the page sent, run again on a
  raw DB-API cursor.
* Commands, in this process through click's test runner (no interpreter start-up): `coop villages status` for the
  county and for T01, `coop statements --township`, `coop report township` and `coop report township-statements`
  for T01 (a tenth of the county) and T02 (a fiftieth); the bare SQL is every SELECT the command sent, run again.
  Memory: tracemalloc's peak of one run of each, T01 against T02.
* `coop distribution plan-all --township T01`: against the sum over its cooperatives of the bare aggregate of the
  year's trades per member and the bare store of the plan's lines (INSERT … SELECT from a copy of them).
"""

from __future__ import annotations

import gc
import statistics
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from admin_bench import measure, median_seconds, pages
from click.testing import CliRunner
from distribution_bench import aggregate_rows
from sqlalchemy import Engine, event, select, text
from sqlalchemy.orm import Session

from admin.app import create_app
from coopcore.cli import main as coop
from coopcore.models import Cooperative, Distribution, Township, User, Village
from coopcore.services.users import set_password
from demo import DEMO_PASSWORD

YEAR = 2025
BIG, SMALL = "T01", "T02"
Row = tuple[str, str, str, str, str, str, str]  # what, who, ms, sql ms, ratio, queries, goal


@contextmanager
def recorded() -> Iterator[list[tuple[str, Any]]]:
    """Every statement any engine sends while the block runs, with its parameters."""
    statements: list[tuple[str, Any]] = []

    def record(conn: Any, cursor: Any, statement: str, parameters: Any, *args: Any) -> None:
        statements.append((statement, parameters))

    event.listen(Engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(Engine, "before_cursor_execute", record)


def bare_seconds(engine: Engine, statements: list[tuple[str, Any]], repeat: int) -> float:
    """The median time of a command's reads run again on a raw cursor, every row fetched."""
    reads = [(s, p) for s, p in statements if s.lstrip().upper().startswith(("SELECT", "WITH"))]

    def run() -> None:
        raw = engine.raw_connection()
        try:
            cursor = raw.cursor()
            for statement, parameters in reads:
                cursor.execute(statement, parameters)
                cursor.fetchall()
            cursor.close()
        finally:
            raw.close()

    return median_seconds(run, repeat)


def invoke(url: str, args: list[str]) -> Callable[[], None]:
    def run() -> None:
        result = CliRunner().invoke(coop, ["--db", url, *args], catch_exceptions=False)
        assert result.exit_code == 0, (args, result.output)

    return run


def traced_peak(action: Callable[[], None]) -> int:
    gc.collect()
    tracemalloc.start()
    try:
        action()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def command_rows(url: str, engine: Engine, repeat: int, folder: str) -> list[Row]:
    """Each command for T01 and T02 (the county for villages status): time, bare SQL, queries and peak memory."""
    commands = [
        ("coop villages status (county)", "", ["villages", "status", "--year", str(YEAR)]),
        ("coop villages status --json (county)", "", ["villages", "status", "--year", str(YEAR), "--json"]),
        ("coop villages status", BIG, ["villages", "status", "--year", str(YEAR), "--township", BIG]),
    ]
    for township in (SMALL, BIG):
        commands += [
            ("coop statements --township", township, ["statements", "--township", township, "--year", str(YEAR)]),
            ("coop report township", township,
             ["report", "township", "--township", township, "--year", str(YEAR), "--out", folder]),
            ("coop report township-statements", township,
             ["report", "township-statements", "--township", township, "--year", str(YEAR), "--out", folder]),
        ]  # fmt: skip
    rows: list[Row] = []
    for what, township, args in commands:
        run = invoke(url, args)
        seconds = median_seconds(run, repeat)
        with recorded() as statements:
            run()
        sql = bare_seconds(engine, statements, repeat)
        peak = traced_peak(run)
        rows.append(
            (what, township or "county", f"{seconds * 1000:,.0f}", f"{sql * 1000:,.0f}", f"{seconds / sql:.2f}",
             str(len(statements)), f"≤ 3; peak {peak / 2**20:.1f} MiB")
        )  # fmt: skip
    return rows


def plan_all_row(url: str, engine: Engine) -> Row:
    """plan-all of T01 against the sum of each cooperative's bare aggregate and bare store of its lines."""
    with Session(engine) as session:
        ids = list(
            session.scalars(
                select(Cooperative.id).join(Village).join(Township).where(Township.name == BIG).order_by(Cooperative.id)
            )
        )
    run = invoke(url, ["distribution", "plan-all", "--township", BIG, "--year", str(YEAR)])
    run()  # warm-up; each later run re-plans the drafts
    runs = []
    for _ in range(3):
        started = time.perf_counter()
        run()
        runs.append(time.perf_counter() - started)
    plan = statistics.median(runs)
    aggregate = store = 0.0
    for cooperative_id in ids:
        started = time.perf_counter()
        aggregate_rows(engine, cooperative_id, YEAR)
        aggregate += time.perf_counter() - started
        store += bare_store(engine, cooperative_id)
    return (
        f"coop distribution plan-all ({len(ids)} cooperatives)", BIG, f"{plan * 1000:,.0f}",
        f"{(aggregate + store) * 1000:,.0f}", f"{plan / (aggregate + store):.2f}", "",
        f"≤ 1.5 (aggregate {aggregate * 1000:,.0f} + store {store * 1000:,.0f} ms)",
    )  # fmt: skip


def bare_store(engine: Engine, cooperative_id: int) -> float:
    """The server storing a cooperative's plan lines again from a copy of them, in a transaction rolled back."""
    with engine.connect() as connection:
        draft = connection.execute(
            select(Distribution.id).where(Distribution.cooperative_id == cooperative_id, Distribution.year == YEAR)
        ).scalar_one()
        connection.execute(
            text("CREATE TEMPORARY TABLE line_copy AS SELECT * FROM distribution_line WHERE distribution_id = :d"),
            {"d": draft},
        )
        connection.execute(text("DELETE FROM distribution_line WHERE distribution_id = :d"), {"d": draft})
        started = time.perf_counter()
        connection.execute(text("INSERT INTO distribution_line SELECT * FROM line_copy"))
        elapsed = time.perf_counter() - started
        connection.rollback()
    return elapsed


def page_rows(url: str, engine: Engine, repeat: int) -> list[Row]:
    """The list pages (admin_bench's) and the dashboards, through the admin's test client."""
    with tempfile.TemporaryDirectory() as instance:
        app = create_app({"COOP_DATABASE_URL": url, "COOP_INSTANCE_PATH": instance, "SECRET_KEY": "bench",
                          "COOP_LOGIN_LIMIT": "1000 per minute"})  # fmt: skip
        app_engine = app.extensions["coop_database"].engine
        with Session(engine) as session:
            big = session.scalars(select(Township.id).where(Township.name == BIG)).one()
        dashboards = {
            "official": [
                ("home (T01)", "", "official's home", "/admin/"),
                ("weak villages (T01)", "", "dashboard", "/admin/villages/"),
                ("statements roll-up (T01)", "", "page", f"/admin/township-statements/?year={YEAR}"),
            ],
            "admin": [
                ("home (county)", "", "administrator's home", "/admin/"),
                ("weak villages (county)", "", "dashboard", "/admin/villages/"),
                ("weak villages (T01)", "", "dashboard", f"/admin/villages/?township={big}"),
            ],
        }
        gc.freeze()  # as `coop admin` does: the start-up heap stays out of every later collection
        rows: list[Row] = []
        for role in ("admin", "accountant", "official"):
            wanted = dashboards.get(role, []) + (pages(engine, role, month=f"{YEAR}-09") if role != "official" else [])
            for who, name, label, admin_ms, sql_ms, ratio, _in_request, queries in measure(
                app, app_engine, role, wanted, repeat
            ):
                rows.append((f"{name}: {label}", who, admin_ms, sql_ms, ratio, queries, "≤ 3"))
        app_engine.dispose()
    return rows


def measure_all(url: str, engine: Engine, repeat: int) -> None:
    with Session(engine) as session, session.begin():  # the bench's users sign in with the demo's password
        for user in session.scalars(select(User).where(User.username.in_(("admin", "official", "accountant")))):
            set_password(user, DEMO_PASSWORD)
    rows = page_rows(url, engine, repeat)
    with tempfile.TemporaryDirectory() as folder:
        rows += command_rows(url, engine, repeat, folder)
    rows.append(plan_all_row(url, engine))
    header: Row = ("what", "who", "ms", "bare sql ms", "ratio", "queries", "goal")
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    for row in [header, *rows]:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)), flush=True)
