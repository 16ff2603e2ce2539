"""Speed of the admin's transactions list on 1,000,000 trades, against the bare SQL of the same page (issue #6).

    .venv/bin/python bench/admin_bench.py                                  # SQLite, a new file in /tmp
    .venv/bin/python bench/admin_bench.py --db "postgresql+psycopg://postgres@/postgres?host=/var/run/postgresql"
    .venv/bin/python bench/admin_bench.py --rows 200000 --repeat 7

The database gets the schema, the demo data set (users, 24 cooperatives, 835 members) and then 1,000,000 more
trades by bulk insert (SQLAlchemy Core executemany on SQLite, psycopg COPY on PostgreSQL; a PostgreSQL URL
names a server, where a scratch database is created and dropped). For each page (first page, a filtered page:
one month and one product, a late page) and role (administrator: every cooperative; accountant: three of
them), the script times:

* admin: the server time of GET /admin/trade/… through the Flask test client (Flask, Flask-Admin, access
  rules, the SQL, the template); the median of --repeat runs after one warm-up, with the start-up heap frozen
  out of the garbage collector as `coop admin` does;
* sql: the statements that page sent to the database about trades (the COUNT for the pager and the SELECT of
  the rows, same SQL text and parameters, captured with an event listener), run again on a raw DB-API cursor
  with nothing around them; the median of --repeat runs.

ratio = admin / sql. Goal: ≤ 3 on SQLite and PostgreSQL.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import random
import re
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, event, func, insert, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from admin.app import create_app
from coopcore.db import migrate
from coopcore.db.engine import make_engine
from coopcore.models import Cooperative, Member, Product, Trade, TradeKind, User
from coopcore.models.user import user_cooperative
from demo import DEMO_PASSWORD, load_demo

FEN = Decimal("0.01")
CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
START, DAYS = dt.date(2022, 1, 1), 3 * 365
COPY_COLUMNS = (
    "cooperative_id",
    "member_id",
    "counterparty",
    "kind",
    "traded_on",
    "product_id",
    "grade",
    "quantity",
    "unit",
    "unit_price",
    "amount",
    "ticket_no",
)


@contextmanager
def scratch_database(url: str, keep: bool) -> Iterator[str]:
    """A new, empty database: a SQLite file in a temp directory, or a scratch database on the server."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        folder = Path(tempfile.mkdtemp(prefix="coop-admin-bench-"))
        try:
            yield f"sqlite:///{folder / 'bench.sqlite3'}"
        finally:
            if not keep:
                shutil.rmtree(folder, ignore_errors=True)
        return
    name = f"coop_admin_bench_{uuid.uuid4().hex[:8]}"
    server = make_engine(url, isolation_level="AUTOCOMMIT")
    with server.connect() as connection:
        connection.execute(text(f"CREATE DATABASE {name}"))
    try:
        yield parsed.set(database=name).render_as_string(hide_password=False)
    finally:
        if not keep:
            with server.connect() as connection:
                connection.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        server.dispose()


def trade_rows(engine: Engine, count: int) -> Iterator[dict[str, Any]]:
    """Generate `count` trades spread over the demo's cooperatives, members, products and three years."""
    rng = random.Random(2024)
    members: dict[int, list[int]] = {}
    with Session(engine) as session:  # closed before the writing starts (SQLite has one writer)
        for member_id, cooperative_id in session.execute(select(Member.id, Member.cooperative_id)):
            members.setdefault(cooperative_id, []).append(member_id)
        cooperatives = sorted(session.scalars(select(Cooperative.id)))
        products = list(session.scalars(select(Product.id)))
    for number in range(count):
        cooperative = rng.choice(cooperatives)
        member = rng.choice(members[cooperative]) if members.get(cooperative) and rng.random() < 0.9 else None
        quantity = Decimal(rng.randint(100, 30000)).scaleb(-1)
        price = Decimal(rng.randint(150, 900)).scaleb(-2)
        yield {
            "cooperative_id": cooperative,
            "member_id": member,
            "counterparty": "" if member else "收购商（压测）",
            "kind": TradeKind.INTAKE,
            "traded_on": START + dt.timedelta(days=rng.randrange(DAYS)),
            "product_id": rng.choice(products),
            "grade": rng.choice(("特级", "一级", "二级")),
            "quantity": quantity,
            "unit": "kg",
            "unit_price": price,
            "amount": (quantity * price).quantize(FEN, rounding=ROUND_HALF_UP),
            "ticket_no": f"BENCH-{number:07d}",
        }


def fill(engine: Engine, count: int) -> float:
    """Load the demo, then bulk insert the trades; return the seconds the trades took."""
    migrate.upgrade(engine)
    with Session(engine) as session, session.begin():
        load_demo(session)
    started = time.perf_counter()
    rows = trade_rows(engine, count)
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
            with cursor.copy(f"COPY trade ({', '.join(COPY_COLUMNS)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row([row[c].value if c == "kind" else row[c] for c in COPY_COLUMNS])
        else:
            batch: list[dict[str, Any]] = []
            for row in rows:
                batch.append(row)
                if len(batch) == 50_000:
                    connection.execute(insert(Trade.__table__), batch)
                    batch = []
            if batch:
                connection.execute(insert(Trade.__table__), batch)
    seconds = time.perf_counter() - started
    with engine.connect() as connection:
        connection.execute(text("ANALYZE"))
        connection.commit()
    return seconds


def sign_in(client: Any, username: str) -> None:
    token = CSRF.search(client.get("/login").text)
    assert token, "no sign-in form"
    response = client.post(
        "/login", data={"csrf_token": token.group(1), "username": username, "password": DEMO_PASSWORD}
    )
    assert response.status_code == 302, f"cannot sign in as {username}"


class Recorder:
    """The statements an app sends, with their parameters and the seconds each took, while recording is on."""

    def __init__(self, engine: Engine) -> None:
        self.statements: list[tuple[str, Any]] = []
        self.seconds = 0.0
        self.on = False
        self._started = 0.0
        event.listen(engine, "before_cursor_execute", self._before)
        event.listen(engine, "after_cursor_execute", self._after)

    def _before(self, conn: Any, cursor: Any, statement: str, parameters: Any, *args: Any) -> None:
        if self.on:
            self.statements.append((statement, parameters))
            self._started = time.perf_counter()

    def _after(self, *args: Any) -> None:
        if self.on:
            self.seconds += time.perf_counter() - self._started


def median_seconds(action: Any, repeat: int) -> float:
    action()  # warm-up: templates compiled, pages cached by the database
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def measure(app: Any, engine: Engine, role: str, pages: dict[str, str], repeat: int) -> list[tuple[str, ...]]:
    client = app.test_client()
    sign_in(client, role)
    recorder = Recorder(engine)
    results = []
    for label, path in pages.items():
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        admin = median_seconds(lambda path=path: client.get(path), repeat)
        recorder.statements.clear()
        recorder.seconds = 0.0
        recorder.on = True
        client.get(path)
        recorder.on = False
        in_request = recorder.seconds
        trade_sql = [(s, p) for s, p in recorder.statements if re.search(r"\bFROM trade\b", s)]

        def bare(trade_sql: list[tuple[str, Any]] = trade_sql) -> None:
            raw = engine.raw_connection()
            try:
                cursor = raw.cursor()
                for statement, parameters in trade_sql:
                    cursor.execute(statement, parameters)
                    cursor.fetchall()
                cursor.close()
            finally:
                raw.close()

        sql = median_seconds(bare, repeat)
        results.append(
            (
                role,
                label,
                f"{admin * 1000:.1f}",
                f"{sql * 1000:.1f}",
                f"{admin / sql:.2f}",
                f"{in_request * 1000:.1f}",
                str(len(recorder.statements)),
            )
        )
    return results


def pages(engine: Engine, role: str) -> dict[str, str]:
    """The three pages, the late one two pages before the end of what the role sees."""
    with Session(engine) as session:
        apples = session.scalar(select(Product.id).where(Product.name == "苹果"))
        count = select(func.count(Trade.id))
        if role != "admin":
            assigned = (
                select(user_cooperative.c.cooperative_id)
                .join(User, User.id == user_cooperative.c.user_id)
                .where(User.username == role)
            )
            count = count.where(Trade.cooperative_id.in_(assigned))
        trades = session.scalar(count) or 0
    late = max(trades // 20 - 2, 0)
    return {
        "first page": "/admin/trade/",
        "filtered: 2024-03, apples": f"/admin/trade/?flt0_0=2024-03-01+to+2024-03-31&flt1_1={apples}",
        f"late page ({late + 1})": f"/admin/trade/?page={late}",
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="sqlite://", help="sqlite:// (a temp file) or a server URL")
    parser.add_argument("--rows", type=int, default=1_000_000, help="trades to add to the demo")
    parser.add_argument("--repeat", type=int, default=9, help="timed runs per measurement (median)")
    parser.add_argument("--keep", action="store_true", help="keep the scratch database")
    args = parser.parse_args(argv)
    with scratch_database(args.db, args.keep) as url, tempfile.TemporaryDirectory() as instance:
        engine = make_engine(url)
        seconds = fill(engine, args.rows)
        print(
            f"{engine.dialect.name}: {args.rows:,} trades inserted in {seconds:.1f} s "
            f"({args.rows / seconds:,.0f} rows/s)",
            flush=True,
        )
        app = create_app(
            {
                "COOP_DATABASE_URL": url,
                "COOP_INSTANCE_PATH": instance,
                "SECRET_KEY": "bench",
                "COOP_LOGIN_LIMIT": "1000 per minute",
            }
        )
        app_engine = app.extensions["coop_database"].engine
        gc.freeze()  # as `coop admin` does: the start-up heap stays out of every later collection
        rows = []
        for role in ("admin", "accountant"):
            rows += measure(app, app_engine, role, pages(engine, role), args.repeat)
        header = ("role", "page", "admin ms", "sql ms", "ratio", "all sql in request ms", "queries")
        widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
        for row in [header, *rows]:
            print("  ".join(str(cell).ljust(width) for cell, width in zip(row, widths, strict=True)))
        if args.keep:
            print(f"kept: {url}")
        app_engine.dispose()
        engine.dispose()


if __name__ == "__main__":
    sys.exit(main())
