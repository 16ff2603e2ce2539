"""A county on one database (issue #18): every screen and command a county uses, each against the bare SQL of the
same answer, measured in one run.

    .venv/bin/python bench/county_bench.py --db "postgresql+psycopg://postgres@/postgres?host=/var/run/postgresql"
    .venv/bin/python bench/county_bench.py                       # SQLite at a tenth of the size
    .venv/bin/python bench/county_bench.py --db URL --keep --build-only; … --reuse KEPT_URL

bench/county_build.py builds the county (1,000 cooperatives, 200,000 members, 10,000,000 trades with their
vouchers, 300 villages; --scale shrinks it). The measures, in bench/county_measures.py, are printed as one table:
what, the time coopcore takes, the bare SQL's, the ratio and the goal.
"""

from __future__ import annotations

import argparse
import sys
import time
from contextlib import nullcontext

from admin_bench import scratch_database
from county_build import build, describe

from coopcore.db.engine import make_engine


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="sqlite://", help="sqlite:// (a temp file) or a server URL")
    parser.add_argument("--scale", type=float, help="share of a county (default 1; 0.1 on SQLite)")
    parser.add_argument("--keep", action="store_true", help="keep the scratch database")
    parser.add_argument("--reuse", metavar="URL", help="measure a database kept by --keep")
    parser.add_argument("--build-only", action="store_true", help="build (with --keep) and stop")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per measure (median)")
    args = parser.parse_args(argv)
    sqlite = (args.reuse or args.db).startswith("sqlite")
    scale = args.scale if args.scale is not None else (0.1 if sqlite else 1.0)
    database = nullcontext(args.reuse) if args.reuse else scratch_database(args.db, args.keep)
    with database as url:
        engine = make_engine(url)
        if not args.reuse:
            started = time.perf_counter()
            county = build(engine, scale, log=lambda line: print(line, flush=True))
            print(f"built in {time.perf_counter() - started:.0f} s: {describe(county)}", flush=True)
            if args.keep:
                print(f"kept: {url}", flush=True)
        if args.build_only:
            return 0
        from county_measures import measure_all  # the admin and reports load only when measuring

        measure_all(url, engine, args.repeat)
        engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
