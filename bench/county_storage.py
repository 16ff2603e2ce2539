"""What a county's database weighs and what its nightly backup and a restore take (issue #18, docs/scale.md).

    .venv/bin/python bench/county_storage.py URL      # a PostgreSQL database kept by county_bench.py --keep

Prints each large table's rows, its size with indexes and the bytes per row; then times `pg_dump -Fc` of the
whole database (the size of the dump) and `pg_restore -j 2` of that dump into a new database (dropped after).
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import make_url

from coopcore.db.engine import make_engine

SIZES = """
SELECT c.relname, c.reltuples::bigint, pg_total_relation_size(c.oid), pg_relation_size(c.oid)
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind = 'r' AND n.nspname = 'public'
ORDER BY pg_total_relation_size(c.oid) DESC LIMIT 12
"""


def libpq(url: str) -> list[str]:
    """pg_dump's connection options for a SQLAlchemy URL."""
    parsed = make_url(url)
    host = parsed.query.get("host") or parsed.host or "/var/run/postgresql"
    return ["-h", str(host), "-U", parsed.username or "postgres", "-p", str(parsed.port or 5432)]


def main(url: str) -> int:
    engine = make_engine(url)
    with engine.connect() as connection:
        total = connection.execute(text("SELECT pg_database_size(current_database())")).scalar_one()
        print(f"database: {total / 2**30:.2f} GiB")
        print(f"{'table':<24}{'rows':>14}{'with indexes':>16}{'table only':>14}{'bytes/row':>12}")
        for name, rows, size, heap in connection.execute(text(SIZES)):
            per_row = size / rows if rows > 0 else 0
            print(f"{name:<24}{rows:>14,}{size / 2**20:>13,.0f} MiB{heap / 2**20:>10,.0f} MiB{per_row:>12,.0f}")
    name = make_url(url).database
    with tempfile.TemporaryDirectory() as folder:
        dump = Path(folder) / "county.dump"
        started = time.perf_counter()
        subprocess.run(["pg_dump", *libpq(url), "-Fc", "-f", str(dump), name], check=True)
        dumped = time.perf_counter() - started
        print(f"pg_dump -Fc: {dumped:.0f} s, {dump.stat().st_size / 2**30:.2f} GiB")
        copy = f"coop_restore_{uuid.uuid4().hex[:8]}"
        server = make_engine(make_url(url).set(database="postgres").render_as_string(hide_password=False),
                             isolation_level="AUTOCOMMIT")  # fmt: skip
        with server.connect() as connection:
            connection.execute(text(f"CREATE DATABASE {copy}"))
        try:
            started = time.perf_counter()
            subprocess.run(["pg_restore", *libpq(url), "-j", "2", "-d", copy, str(dump)], check=True)
            print(f"pg_restore -j 2: {time.perf_counter() - started:.0f} s")
        finally:
            with server.connect() as connection:
                connection.execute(text(f"DROP DATABASE IF EXISTS {copy} WITH (FORCE)"))
            server.dispose()
    engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
