"""Speed of the admin's big lists (trades, vouchers, members) at any page, against the bare SQL of the same rows
(issues #6 and #18).

    .venv/bin/python bench/admin_bench.py                                  # SQLite, a new file in /tmp
    .venv/bin/python bench/admin_bench.py --db "postgresql+psycopg://postgres@/postgres?host=/var/run/postgresql"
    .venv/bin/python bench/admin_bench.py --rows 200000 --repeat 7

The database gets the schema, the demo data set (users, 24 cooperatives, 835 members) and then, by the project's
bulk path (coopcore.db.bulk.insert_rows: COPY on PostgreSQL, executemany on SQLite), --rows more trades, one
member per ten trades, and a voucher with two lines for every trade of the accountant's first cooperative (its
books then hold thousands of vouchers a year). A PostgreSQL URL names a server, where a scratch database is
created and dropped. For each role (administrator: every cooperative; accountant: three of them) and list, four
pages: the first, one in the middle reached by the pager's "next" link (a seek from the page before it), the last
(the pager's last-page link) and a filtered first page; and, to show what a typed page number costs, the middle
page reached by its number ("goto", read by OFFSET from the nearer end). For each page the script times:

* admin: the server time of the GET through the Flask test client (Flask, Flask-Admin, access rules, the SQL, the
  template); the median of --repeat runs after one warm-up, with the start-up heap frozen out of the garbage
  collector as `coop admin` does;
* sql: the statements that page sent about the list's table (the count, the page's keys, its rows), same SQL
  text and parameters, captured with an event listener and run again on a raw DB-API cursor with nothing around
  them; the median of --repeat runs.

ratio = admin / sql. Goals: ≤ 3, and the middle and last pages no slower than the first.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import html
import random
import re
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, event, func, select, text, true
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from admin.app import create_app
from coopcore.db import migrate
from coopcore.db.bulk import insert_rows
from coopcore.db.engine import make_engine
from coopcore.models import (
    Account,
    Cooperative,
    Member,
    MemberKind,
    Product,
    Trade,
    TradeKind,
    User,
    Voucher,
    VoucherLine,
    VoucherOrigin,
    VoucherState,
)
from coopcore.models.user import user_cooperative
from demo import DEMO_PASSWORD, load_demo

FEN = Decimal("0.01")
ZERO = Decimal("0.00")
CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
NEXT = re.compile(r'rel="next" href="([^"]+)"')
SURNAMES, GIVEN = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗", "建国明华秀英玉兰志强春梅海涛丽娟德胜桂芳"
BATCH = 50_000
VOUCHER_YEAR = 2025  # a whole year of bench trades
# The demo closes its books through 2023 (a closed year refuses new rows): the bench's trades fall after it.
START, DAYS = dt.date(2024, 1, 1), 1065


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
    """Load the demo, then bulk insert the trades, members and vouchers; return the seconds the trades took."""
    migrate.upgrade(engine)
    with Session(engine) as session, session.begin():
        load_demo(session)
    started = time.perf_counter()
    rows = trade_rows(engine, count)
    with Session(engine) as session, session.begin():
        batch: list[dict[str, Any]] = []
        for row in rows:
            batch.append(row)
            if len(batch) == BATCH:
                insert_rows(session, Trade, batch)
                batch = []
        insert_rows(session, Trade, batch)
    seconds = time.perf_counter() - started
    with Session(engine) as session, session.begin():
        add_members(session, count // 10)
    with Session(engine) as session, session.begin():
        add_vouchers(session, accountant_cooperative(session))
    with engine.connect() as connection:
        # What autovacuum does after a bulk load: statistics for the planner, and the visibility map that lets
        # PostgreSQL read an index without visiting the table.
        if engine.dialect.name == "postgresql":
            connection.execution_options(isolation_level="AUTOCOMMIT").execute(text("VACUUM ANALYZE"))
        else:
            connection.execute(text("ANALYZE"))
            connection.commit()
    return seconds


def add_members(session: Session, count: int) -> None:
    """`count` more households spread over the cooperatives, with codes after the demo's."""
    rng = random.Random(2025)
    cooperatives = sorted(session.scalars(select(Cooperative.id)))
    batch: list[dict[str, Any]] = []
    for number in range(count):
        batch.append(
            {
                "cooperative_id": rng.choice(cooperatives),
                "code": f"B{number:07d}",
                "name": rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.randint(1, 2))),
                "kind": MemberKind.FARMER,
                "id_number": f"3301021970{number % 10_000:04d}{number // 10_000 % 10_000:04d}",
                "joined_on": START + dt.timedelta(days=rng.randrange(DAYS)),
                "is_founder": False,
                "additional_votes": 0,
                "payee_checked": False,
            }
        )
        if len(batch) == BATCH:
            insert_rows(session, Member, batch)
            batch = []
    insert_rows(session, Member, batch)


def accountant_cooperative(session: Session) -> int:
    """The first cooperative (by id) of the demo's accountant."""
    cooperative = session.scalar(
        select(func.min(user_cooperative.c.cooperative_id))
        .join(User, User.id == user_cooperative.c.user_id)
        .where(User.username == "accountant")
    )
    assert cooperative is not None, "the demo has no accountant"
    return int(cooperative)


def add_vouchers(session: Session, cooperative_id: int) -> None:
    """A voucher (bank 102 to 541 or the first two accounts) for each bench trade of one cooperative."""
    chart = select(Account.code, Account.id).where(Account.cooperative_id == cooperative_id)
    accounts = {code: account_id for code, account_id in session.execute(chart)}
    debit, credit = accounts.get("102") or min(accounts.values()), accounts.get("501") or max(accounts.values())
    numbers = {
        f"{year}-{month}": number
        for year, month, number in session.execute(
            select(Voucher.year, Voucher.month, func.max(Voucher.number))
            .where(Voucher.cooperative_id == cooperative_id)
            .group_by(Voucher.year, Voucher.month)
        )
    }
    trades = session.execute(
        select(Trade.id, Trade.traded_on, Trade.amount)
        .where(Trade.cooperative_id == cooperative_id, Trade.ticket_no.like("BENCH-%"))
        .order_by(Trade.traded_on, Trade.id)
    ).all()
    rng = random.Random(2026)
    vouchers: list[dict[str, Any]] = []
    amounts: dict[str | None, Decimal] = {}
    for trade_id, traded_on, amount in trades:
        period = f"{traded_on.year}-{traded_on.month}"
        numbers[period] = (numbers.get(period) or 0) + 1
        state = VoucherState.DRAFT if rng.random() < 0.1 else VoucherState.AUDITED
        ref = f"bench:{trade_id}"
        amounts[ref] = amount
        vouchers.append(
            {
                "cooperative_id": cooperative_id, "year": traded_on.year, "month": traded_on.month, "word": "记",
                "number": numbers[period], "voucher_date": traded_on, "summary": "收购（压测）", "attachments": 1,
                "state": state, "prepared_by": "bench", "audited_by": "bench" if state is VoucherState.AUDITED else "",
                "posted_by": "",
                "origin": VoucherOrigin.TRADE, "source_ref": ref,
            }
        )  # fmt: skip
    for start in range(0, len(vouchers), BATCH):
        insert_rows(session, Voucher, vouchers[start : start + BATCH])
    ids = session.execute(
        select(Voucher.source_ref, Voucher.id, Voucher.year, Voucher.month).where(
            Voucher.cooperative_id == cooperative_id, Voucher.source_ref.like("bench:%")
        )
    ).all()
    lines = []
    for source, voucher_id, year, month in ids:
        common = {"voucher_id": voucher_id, "cooperative_id": cooperative_id, "year": year, "month": month}
        lines.append({**common, "line_no": 1, "account_id": debit, "debit": amounts[source], "credit": ZERO})
        lines.append({**common, "line_no": 2, "account_id": credit, "debit": ZERO, "credit": amounts[source]})
    for start in range(0, len(lines), BATCH):
        insert_rows(session, VoucherLine, lines[start : start + BATCH])


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


def measure(
    app: Any, engine: Engine, role: str, pages: list[tuple[str, str, str, str]], repeat: int
) -> list[tuple[str, ...]]:
    """Time each (list, table, page, path) for a role: the admin's GET and the bare SQL of its table's statements."""
    client = app.test_client()
    sign_in(client, role)
    recorder = Recorder(engine)
    results: list[tuple[str, ...]] = []
    for name, table, label, path in pages:
        if path.startswith("next:"):  # the page after another, by the pager's own link (a seek by key)
            found = NEXT.search(client.get(path[5:]).text)
            assert found, f"no next link on {path[5:]}"
            path = html.unescape(found.group(1))
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        admin = median_seconds(lambda path=path: client.get(path), repeat)
        recorder.statements.clear()
        recorder.seconds = 0.0
        recorder.on = True
        client.get(path)
        recorder.on = False
        in_request = recorder.seconds
        # A list's own table; a dashboard ("" ) answers from all of them.
        own = [(s, p) for s, p in recorder.statements if not table or re.search(rf"\bFROM {table}\b", s)]

        def bare(own: list[tuple[str, Any]] = own) -> None:
            raw = engine.raw_connection()
            try:
                cursor = raw.cursor()
                for statement, parameters in own:
                    cursor.execute(statement, parameters)
                    cursor.fetchall()
                cursor.close()
            finally:
                raw.close()

        sql = median_seconds(bare, repeat)
        results.append(
            (
                role,
                name,
                label,
                f"{admin * 1000:.1f}",
                f"{sql * 1000:.1f}",
                f"{admin / sql:.2f}",
                f"{in_request * 1000:.1f}",
                str(len(recorder.statements)),
            )
        )
    return results


def pages(engine: Engine, role: str, month: str = "2024-03") -> list[tuple[str, str, str, str]]:
    """Each list's first, middle (by the next link, and by number), last and filtered page for a role; the filtered
    trades are the apples of `month`."""
    first, last = dt.date.fromisoformat(f"{month}-01"), dt.date.fromisoformat(f"{month}-28") + dt.timedelta(days=4)
    last -= dt.timedelta(days=last.day)
    with Session(engine) as session:
        apples = session.scalar(select(Product.id).where(Product.name == "苹果"))
        reach = None
        if role != "admin":
            reach = (
                select(user_cooperative.c.cooperative_id)
                .join(User, User.id == user_cooperative.c.user_id)
                .where(User.username == role)
            )
        trades = session.scalar(
            select(func.count(Trade.id)).where(Trade.cooperative_id.in_(reach) if reach is not None else true())
        )
        members = session.scalar(
            select(func.count(Member.id)).where(Member.cooperative_id.in_(reach) if reach is not None else true())
        )
        books = accountant_cooperative(session)
        vouchers = session.scalar(
            select(func.count(Voucher.id)).where(Voucher.cooperative_id == books, Voucher.year == VOUCHER_YEAR)
        )
    lists = [
        ("trades", "trade", "/admin/trade/", trades or 0, 20,
         f"?flt0_0={first}+to+{last}&flt1_1={apples}"),
        ("vouchers", "voucher", f"/admin/books/vouchers/?cooperative={books}&year={VOUCHER_YEAR}", vouchers or 0, 100,
         "&state=draft"),
        ("members", "member", "/admin/member/", members or 0, 20, f"?flt0_0={books}"),
    ]  # fmt: skip
    found = []
    for name, table, path, count, size, filtered in lists:
        middle = max((count + size - 1) // size // 2, 2)  # from 1
        join = "&" if "?" in path else "?"
        last = (count + size - 1) // size
        found += [(name, table, "first page", path)]
        if last > 2:  # a list of a page or two has no middle
            found += [(name, table, f"middle page ({middle:,}) by next link", f"next:{path}{join}goto={middle - 1}")]
        found += [(name, table, f"last page ({last:,})", f"{path}{join}page=-1")]
        found += [(name, table, "filtered", path + filtered)]
        if last > 2:
            found += [(name, table, f"middle page ({middle:,}) typed", f"{path}{join}goto={middle}")]
    return found


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="sqlite://", help="sqlite:// (a temp file) or a server URL")
    parser.add_argument("--rows", type=int, default=1_000_000, help="trades to add to the demo")
    parser.add_argument("--repeat", type=int, default=9, help="timed runs per measurement (median)")
    parser.add_argument("--keep", action="store_true", help="keep the scratch database")
    parser.add_argument("--reuse", metavar="URL", help="measure a database kept by --keep (no new rows)")
    args = parser.parse_args(argv)
    database = nullcontext(args.reuse) if args.reuse else scratch_database(args.db, args.keep)
    with database as url, tempfile.TemporaryDirectory() as instance:
        engine = make_engine(url)
        if not args.reuse:
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
        header = ("role", "list", "page", "admin ms", "sql ms", "ratio", "all sql in request ms", "queries")
        widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
        for row in [header, *rows]:
            print("  ".join(str(cell).ljust(width) for cell, width in zip(row, widths, strict=True)))
        if args.keep:
            print(f"kept: {url}")
        app_engine.dispose()
        engine.dispose()


if __name__ == "__main__":
    sys.exit(main())
