"""Benchmark of `coopcore.services.imports.run_import` against a bare read and a bare bulk insert (issue #3).

    .venv/bin/python bench/import_bench.py [--db URL] [--members 2000] [--transactions 200000]

The workbook (2,000 members, 200,000 transactions) is generated once and cached in the temp directory.
Each measurement runs in its own process, on its own new database, so that timings and peak memory
(ru_maxrss) do not leak into each other:

* read:   pandas.read_excel(engine="calamine") of every sheet, nothing else;
* insert: session.execute(insert(Model), rows) of the same members, contributions and tickets, rows prepared
          beforehand (the time of the INSERT statements and the commit only);
* copy:   on PostgreSQL, the same with psycopg's COPY for the contributions and tickets (what the import uses);
* import: run_import on the file, validation, membership rules and the commit included.

The goal is import ≤ 1.5 × (read + the faster of insert and copy) and a peak under 1 GiB. --db takes
"sqlite://" (a new file in a temporary directory per phase) or a PostgreSQL/MariaDB server URL (a scratch
database is created and dropped there per phase); default: COOP_BENCH_URL, else SQLite.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from sqlalchemy import Engine, insert, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from coopcore.db import migrate
from coopcore.db.engine import make_engine
from coopcore.validation import credit_code, resident_id

FEN = Decimal("0.01")
FOUNDED = dt.date(2020, 3, 1)
PRODUCTS = ("苹果", "樱桃", "葡萄", "芸豆", "桃")
GRADES = ("特级", "一级", "二级")


def cooperative_code() -> str:
    body = "93370602MA3C99999"
    return body + credit_code.calc_check_digit(body)


def person_id(number: int) -> str:
    body = f"370602{dt.date(1950, 1, 1) + dt.timedelta(days=number * 7):%Y%m%d}{number % 1000:03d}"
    return body + resident_id.calc_check_digit(body)


def generate(path: Path, members: int, transactions: int) -> None:
    """Write the benchmark workbook: one cooperative, its members and contributions, many tickets."""
    rng = random.Random(2024)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("合作社")
    sheet.append(
        [
            "名称*",
            "统一社会信用代码*",
            "所在乡镇*",
            "所在村*",
            "领办党支部",
            "成立日期",
            "公积金提取比例*",
            "盈余返还比例*",
        ]
    )
    sheet.append(
        ["基准测试果品专业合作社", cooperative_code(), "基准街道", "基准村", "基准村党支部", FOUNDED, 0.1, 0.7]
    )
    sheet = workbook.create_sheet("成员")
    sheet.append(["基准测试果品专业合作社成员花名册"])
    sheet.append(["成员编号*", "姓名或名称*", "成员类型*", "证件号码*", "入社日期*", "联系电话"])
    codes = [f"M{n:04d}" for n in range(1, members + 1)]
    for n, code in enumerate(codes, start=1):
        joined = FOUNDED if n <= 10 else FOUNDED + dt.timedelta(days=1 + n % 900)
        sheet.append([code, f"社员{n}", "农民", person_id(n), joined, f"138{n:08d}"])
    sheet = workbook.create_sheet("出资")
    sheet.append(["成员编号*", "日期*", "出资方式*", "金额*"])
    for n, code in enumerate(codes, start=1):
        sheet.append([code, FOUNDED if n <= 10 else FOUNDED + dt.timedelta(days=1 + n % 900), "货币", 1000.0])
    sheet = workbook.create_sheet("交易")
    sheet.append(["成员编号*", "日期*", "产品*", "数量*", "单位*", "单价*", "金额", "等级", "单据号"])
    for i in range(transactions):
        quantity = Decimal(rng.randint(10, 25000)).scaleb(-1)
        price = Decimal(rng.randint(100, 3000)).scaleb(-2)
        amount = (quantity * price).quantize(FEN, rounding=ROUND_HALF_UP)
        day = dt.date(2023, 1, 1) + dt.timedelta(days=rng.randint(0, 700))
        product, grade = rng.choice(PRODUCTS), rng.choice(GRADES)
        sheet.append(
            [
                rng.choice(codes[10:]),
                day,
                product,
                float(quantity),
                "kg",
                float(price),
                float(amount),
                grade,
                f"RK{i:07d}",
            ]
        )
    sheet = workbook.create_sheet("年度结转")
    sheet.append(["年度*", "年初未分配盈余*"])
    sheet.append([2023, 0.0])
    workbook.save(str(path))


@contextmanager
def fresh_database(url: str) -> Iterator[str]:
    """Yield the URL of a new, migrated, empty database; drop it afterwards (server backends)."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        with tempfile.TemporaryDirectory() as directory:
            new = f"sqlite:///{Path(directory) / 'bench.sqlite3'}"
            engine = make_engine(new)
            migrate.upgrade(engine)
            engine.dispose()
            yield new
        return
    name = f"coop_bench_{uuid.uuid4().hex[:8]}"
    admin = make_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f"CREATE DATABASE {name}"))
    new = parsed.set(database=name).render_as_string(hide_password=False)
    try:
        engine = make_engine(new)
        migrate.upgrade(engine)
        engine.dispose()
        yield new
    finally:
        with admin.connect() as connection:
            connection.execute(text(f"DROP DATABASE IF EXISTS {name}"))
        admin.dispose()


@contextmanager
def disposing(engine: Engine) -> Iterator[Engine]:
    """Close the engine's connections even on failure, so that its scratch database can be dropped."""
    try:
        yield engine
    finally:
        engine.dispose()


def phase_read(path: Path, url: str) -> float:
    import pandas as pd  # the bare baseline only; coopcore itself never imports pandas

    start = time.perf_counter()
    frames = pd.read_excel(path, sheet_name=None, engine="calamine")
    elapsed = time.perf_counter() - start
    assert len(frames["交易"]) > 0
    return elapsed


def phase_insert(path: Path, url: str, *, copy: bool = False) -> float:
    """Insert the workbook's rows with plain bulk INSERTs (or COPY); the rows are prepared before the clock starts."""
    import pandas as pd

    from coopcore.models import Bylaws, Cooperative, Member, MemberAccountEntry, Product, Township, Trade, Village

    frames = pd.read_excel(path, sheet_name=None, engine="calamine", dtype=str)
    members = pd.read_excel(path, sheet_name="成员", engine="calamine", dtype=str, header=1)
    with fresh_database(url) as database, disposing(make_engine(database)) as engine:
        with Session(engine) as session, session.begin():
            village = Village(township=Township(name="基准街道"), name="基准村")
            coop = Cooperative(name="基准测试果品专业合作社", credit_code=cooperative_code(), village=village)
            session.add_all(
                [
                    coop,
                    Bylaws(
                        cooperative=coop,
                        effective_on=FOUNDED,
                        provident_fund_rate=Decimal("0.1"),
                        patronage_ratio=Decimal("0.7"),
                    ),
                ]
            )
            session.add_all(Product(name=name) for name in PRODUCTS)
            session.flush()
            coop_id = coop.id
            products = {p.name: p.id for p in session.query(Product)}
        member_rows = [
            {
                "cooperative_id": coop_id,
                "code": r["成员编号*"],
                "name": r["姓名或名称*"],
                "kind": "farmer",
                "id_number": r["证件号码*"],
                "joined_on": dt.date.fromisoformat(r["入社日期*"][:10]),
                "phone": r["联系电话"],
            }
            for r in members.to_dict("records")
        ]
        trades = frames["交易"].to_dict("records")
        start = time.perf_counter()
        with Session(engine) as session, session.begin():
            session.execute(insert(Member), member_rows)
            ids = dict(session.query(Member.code, Member.id).all())
            prepared = time.perf_counter()
            entries = [
                {
                    "member_id": ids[r["成员编号*"]],
                    "entry_on": dt.date.fromisoformat(r["日期*"][:10]),
                    "kind": "contribution_cash",
                    "amount": Decimal(r["金额*"]),
                    "memo": "",
                    "source": "bench",
                }
                for r in frames["出资"].to_dict("records")
            ]
            trade_rows = [
                {
                    "cooperative_id": coop_id,
                    "member_id": ids[r["成员编号*"]],
                    "traded_on": dt.date.fromisoformat(r["日期*"][:10]),
                    "product_id": products[r["产品*"]],
                    "quantity": Decimal(r["数量*"]),
                    "unit": r["单位*"],
                    "unit_price": Decimal(r["单价*"]),
                    "amount": Decimal(r["金额"]),
                    "grade": r["等级"],
                    "ticket_no": r["单据号"],
                    "counterparty": "",
                    "kind": "intake",
                }
                for r in trades
            ]
            preparing = time.perf_counter() - prepared  # row preparation is not insert time
            if copy:
                _copy(session, "member_account_entry", entries)
                _copy(session, "trade", trade_rows)
            else:
                session.execute(insert(MemberAccountEntry), entries)
                for batch in range(0, len(trade_rows), 10_000):
                    session.execute(insert(Trade), trade_rows[batch : batch + 10_000])
        elapsed = time.perf_counter() - start - preparing
    return elapsed


def _copy(session: Session, table: str, rows: list[dict[str, Any]]) -> None:
    columns = list(rows[0])
    cursor = session.connection().connection.driver_connection.cursor()  # type: ignore[union-attr]
    with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row([row[column] for column in columns])


def phase_copy(path: Path, url: str) -> float:
    return phase_insert(path, url, copy=True)


def phase_import(path: Path, url: str) -> float:
    from coopcore.services.imports import COOPERATIVE, run_import

    with fresh_database(url) as database, disposing(make_engine(database)) as engine:
        start = time.perf_counter()
        with Session(engine) as session, session.begin():
            report = run_import(session, path, COOPERATIVE, today=dt.date(2025, 6, 30))
        elapsed = time.perf_counter() - start
    assert report.written, report.messages()[:10]
    return elapsed


PHASES = {"read": phase_read, "insert": phase_insert, "copy": phase_copy, "import": phase_import}


def run_phase(name: str, path: Path, url: str) -> dict[str, Any]:
    """Run one phase in a child process; return its seconds and peak resident memory in MiB."""
    child = subprocess.run(
        [sys.executable, __file__, "--phase", name, "--workbook", str(path), "--db", url],
        capture_output=True,
        text=True,
        check=False,
    )
    if child.returncode != 0:
        raise SystemExit(f"phase {name} failed:\n{child.stderr}")
    return dict(json.loads(child.stdout.strip().splitlines()[-1]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default=os.environ.get("COOP_BENCH_URL", "sqlite://"), help="default: SQLite")
    parser.add_argument("--members", type=int, default=2000)
    parser.add_argument("--transactions", type=int, default=200_000)
    parser.add_argument("--workbook", type=Path)
    parser.add_argument("--phase", choices=PHASES)
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    path = args.workbook or Path(tempfile.gettempdir()) / f"coop_bench_{args.members}_{args.transactions}.xlsx"
    if args.phase:
        seconds = PHASES[args.phase](path, args.db)
        peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB
        print(json.dumps({"seconds": seconds, "peak_mib": peak_mib}))
        return
    if not path.exists():
        start = time.perf_counter()
        generate(path, args.members, args.transactions)
        print(f"generated {path} ({path.stat().st_size / 2**20:.1f} MiB) in {time.perf_counter() - start:.1f} s")
    backend = make_url(args.db).get_backend_name()
    # COPY is a PostgreSQL statement: there the bare baseline is the faster of INSERT and COPY.
    phases = [name for name in PHASES if name != "copy" or backend == "postgresql"]
    for _ in range(args.repeat):
        results = {name: run_phase(name, path, args.db) for name in phases}
        seconds = {name: result["seconds"] for name, result in results.items()}
        bare = min(seconds["insert"], seconds.get("copy", seconds["insert"]))
        print(f"{backend}: {args.members} members, {args.transactions} transactions")
        for name in phases:
            print(f"  {name:<7} {seconds[name]:7.2f} s   peak {results[name]['peak_mib']:6.0f} MiB")
        ratio = seconds["import"] / (seconds["read"] + bare)
        print(f"  ratio   {ratio:7.2f}   (import / (read + fastest bare write); goal ≤ 1.5)")


if __name__ == "__main__":
    main()
