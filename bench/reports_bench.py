"""Benchmark of the PDF reports for a cooperative of 200 and of 2,000 members: time, memory and size (issue #7).

    .venv/bin/python bench/reports_bench.py [--members 200 2000] [--reports accounts slips distribution notice]
                                            [--keep DIR]

For each size the script builds one cooperative in a new SQLite file (members with Chinese names and addresses,
a cash contribution each, five deliveries of two products each in 2024, the year's books) and takes its 2024
distribution through plan, publication, approval and posting, so that every report has its full content. Each
report is then generated in a new process (so that its peak resident memory is its own): once timed, once under
tracemalloc (fonts and matplotlib are loaded before either). The table shows per report and size the pages, the
time, the tracemalloc peak, the process's peak RSS, the peak RSS of qpdf where the report joined parts with it
(reports/parts.py; run under GNU time through a wrapper on PATH), the PDF's size, and the ratio 2,000 / 200.
Goal: memory flat in the number of members. The time includes the report's workbook where it has one.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from coopcore.db.engine import make_engine
from coopcore.db.migrate import upgrade
from coopcore.models import (
    AccountEntryKind,
    Bylaws,
    Cooperative,
    FiscalYear,
    IncomeCategory,
    IncomeExpense,
    Member,
    MemberAccountEntry,
    MemberKind,
    Product,
    Township,
    Trade,
    Village,
)
from coopcore.services import distribution as workflow
from coopcore.services import lookups
from reports.parts import JOINER

YEAR = 2024
FOUNDED = dt.date(2020, 3, 1)
CREDIT_CODE = "93370602MA3RPTB00X"
REPORTS = ("accounts", "slips", "distribution", "notice")
JOIN_LOG = "COOP_BENCH_JOIN_LOG"
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"  # noqa: E501
GIVEN = "建国秀英志强立新桂兰明华春梅德福玉珍文军海燕永红丽娟淑芬宝山金凤长林凤英桂芝树林翠花玉兰德胜振华国庆秋菊红梅新民学军爱民桂香淑珍宏伟春生冬梅晓东玉梅兰英瑞芳家乐凤兰中华子健佳怡雨欣浩然俊杰思远梓涵"  # noqa: E501


def build(url: str, members: int, seed: int = YEAR) -> None:
    """Migrate a new database and fill it with one cooperative whose 2024 distribution is posted."""
    engine = make_engine(url)
    upgrade(engine)
    rng = random.Random(seed)
    with Session(engine) as session, session.begin():
        cooperative = Cooperative(
            name="基准报表果品专业合作社",
            credit_code=CREDIT_CODE,
            village=Village(township=Township(name="报表镇"), name="杏花村"),
            founded_on=FOUNDED,
        )
        bylaws = Bylaws(
            cooperative=cooperative,
            effective_on=FOUNDED,
            provident_fund_rate=Decimal("0.10"),
            patronage_ratio=Decimal("0.60"),
        )
        products = [Product(name="红富士苹果"), Product(name="大樱桃")]
        session.add_all([cooperative, bylaws, FiscalYear(cooperative=cooperative, year=YEAR), *products])
        session.flush()
        session.execute(insert(Member), [member_row(rng, cooperative.id, n) for n in range(1, members + 1)])
        member_ids = list(session.scalars(select(Member.id).where(Member.cooperative_id == cooperative.id)))
        session.execute(insert(MemberAccountEntry), [contribution_row(rng, member_id) for member_id in member_ids])
        session.execute(insert(Trade), list(trade_rows(rng, cooperative.id, member_ids, [p.id for p in products])))
        session.execute(insert(IncomeExpense), list(books_rows(cooperative.id, members)))
        distribution = workflow.plan_distribution(session, cooperative, YEAR)
        published, assembly = dt.date(YEAR + 1, 3, 1), dt.date(YEAR + 1, 3, 20)
        workflow.publish_distribution(session, distribution, published_on=published, assembly_on=assembly)
        workflow.approve_distribution(
            session, distribution, assembly_on=assembly, members_present=members, votes_for=members
        )
        workflow.post_distribution(session, distribution)
    engine.dispose()


def member_row(rng: random.Random, cooperative_id: int, number: int) -> dict[str, Any]:
    """Return a member with a Chinese name (so that the font subsets hold a realistic variety of characters)."""
    farmer = number % 50 != 0
    name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))
    return {
        "cooperative_id": cooperative_id,
        "code": f"M{number:05d}",
        "name": name if farmer else f"{rng.choice(SURNAMES)}家庄村股份经济合作社",
        "kind": MemberKind.FARMER if farmer else MemberKind.VILLAGE_COLLECTIVE,
        "id_number": f"3706021960{number:08d}",
        "household_head": name if farmer else None,
        "household_size": rng.randint(1, 6) if farmer else None,
        "address": f"杏花村{rng.randint(1, 12)}组{rng.randint(1, 80)}号",
        "joined_on": FOUNDED,
    }


def contribution_row(rng: random.Random, member_id: int) -> dict[str, Any]:
    return {
        "member_id": member_id,
        "entry_on": FOUNDED,
        "kind": AccountEntryKind.CONTRIBUTION_CASH,
        "amount": Decimal(rng.randrange(5, 101) * 100),
        "source": "bench",
    }


def trade_rows(
    rng: random.Random, cooperative_id: int, member_ids: list[int], product_ids: list[int]
) -> Iterator[dict[str, Any]]:
    """Yield five deliveries per member in 2024, amount = quantity × unit price exactly."""
    for member_id in member_ids:
        for number in range(5):
            quantity = Decimal(rng.randrange(20, 4000)) / 2
            unit_price = Decimal(rng.randrange(10, 150)).scaleb(-1)
            yield {
                "cooperative_id": cooperative_id,
                "member_id": member_id,
                "traded_on": dt.date(YEAR, rng.randint(6, 11), rng.randint(1, 28)),
                "product_id": product_ids[number % 2],
                "quantity": quantity,
                "unit": "kg",
                "unit_price": unit_price,
                "amount": quantity * unit_price,
                "ticket_no": f"T{member_id}-{number}",
            }


def books_rows(cooperative_id: int, members: int) -> Iterator[dict[str, Any]]:
    """Yield the year's income and expenses: a surplus of 600 yuan a member."""
    for category, amount in (
        (IncomeCategory.OPERATING_INCOME, Decimal(2000 * members)),
        (IncomeCategory.OPERATING_EXPENSE, Decimal(1400 * members)),
    ):
        yield {"cooperative_id": cooperative_id, "recorded_on": dt.date(YEAR, 12, 28), "category": category,
               "amount": amount}  # fmt: skip


def builder(report: str) -> Callable[..., list[Path]]:
    from reports.accounts import build_member_accounts
    from reports.distribution import build_distribution_report
    from reports.notice import build_publicity_notice
    from reports.slips import build_dividend_slips

    return {
        "accounts": build_member_accounts,
        "slips": build_dividend_slips,
        "distribution": build_distribution_report,
        "notice": build_publicity_notice,
    }[report]


def measure(url: str, report: str, out: Path) -> dict[str, Any]:
    """Generate one report twice in this process: timed, then under tracemalloc."""
    from reports import charts
    from reports.cli import read_only
    from reports.fonts import configure_matplotlib, register_pdf_font

    register_pdf_font()  # constant costs, the same for every size: fonts, matplotlib
    configure_matplotlib()
    _ = charts
    make = builder(report)
    engine = make_engine(url)
    base_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with read_only(engine) as session:
        cooperative = lookups.cooperative_by_code(session, CREDIT_CODE)
        start = time.perf_counter()
        paths = make(session, cooperative, YEAR, out / "timed", "zh")
        seconds = time.perf_counter() - start
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    log = Path(os.environ.get(JOIN_LOG, "/nonexistent"))
    child_rss = max((int(line) for line in log.read_text().split()), default=0) if log.exists() else 0
    with read_only(engine) as session:
        cooperative = lookups.cooperative_by_code(session, CREDIT_CODE)
        tracemalloc.start()
        make(session, cooperative, YEAR, out / "traced", "zh")
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    pdf = next(path for path in paths if path.suffix == ".pdf")
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    return {
        "seconds": seconds,
        "traced_peak": peak,
        "base_rss": base_rss * 1024,
        "rss": rss * 1024,
        "child_rss": child_rss * 1024,  # qpdf's, if the report joined parts
        "pages": pages,
        "size": pdf.stat().st_size,
        "pdf": str(pdf),
    }


def watch_joiner(folder: Path) -> dict[str, str]:
    """An environment whose qpdf is the real one run under GNU time, which logs its peak RSS (KiB)."""
    env = dict(os.environ)
    real, timer = shutil.which(JOINER), shutil.which("time") or "/usr/bin/time"
    if real is None or not Path(timer).exists():
        return env
    folder.mkdir(parents=True)
    wrapper = folder / JOINER
    wrapper.write_text(f'#!/bin/sh\nexec {timer} -a -o "${JOIN_LOG}" -f %M {real} "$@"\n')
    wrapper.chmod(0o755)
    env["PATH"] = f"{folder}{os.pathsep}{env.get('PATH', '')}"
    env[JOIN_LOG] = str(folder / "rss.log")
    return env


def mib(value: float) -> str:
    return f"{value / 2**20:.1f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, nargs="+", default=[200, 2000])
    parser.add_argument("--reports", nargs="+", choices=REPORTS, default=list(REPORTS))
    parser.add_argument("--keep", type=Path, help="Keep the databases and PDFs in this folder.")
    parser.add_argument("--measure", nargs=3, metavar=("URL", "REPORT", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        url, report, out = args.measure
        print(json.dumps(measure(url, report, Path(out))))
        return
    with tempfile.TemporaryDirectory(prefix="coop-reports-bench-") as scratch:
        folder = args.keep or Path(scratch)
        results: dict[tuple[str, int], dict[str, Any]] = {}
        for members in args.members:
            database = folder / f"reports-{members}.sqlite3"
            url = f"sqlite:///{database}"
            if not database.exists():
                start = time.perf_counter()
                build(url, members)
                print(f"built {members} members in {time.perf_counter() - start:.1f} s", file=sys.stderr)
            for report in args.reports:
                out = folder / f"out-{members}-{report}"
                command = [sys.executable, __file__, "--measure", url, report, str(out)]
                env = watch_joiner(Path(scratch) / f"joiner-{members}-{report}")
                done = subprocess.run(command, capture_output=True, text=True, check=False, env=env)
                if done.returncode:
                    sys.exit(done.stderr)
                results[report, members] = json.loads(done.stdout.splitlines()[-1])
                print(f"{report} {members}: {results[report, members]}", file=sys.stderr)
        print_table(results, args.reports, args.members)


def print_table(results: dict[tuple[str, int], dict[str, Any]], reports: list[str], sizes: list[int]) -> None:
    print("| report | members | pages | time | traced peak | peak RSS | qpdf RSS | PDF size |")
    print("|---|---|---|---|---|---|---|---|")
    for report in reports:
        for members in sizes:
            r = results[report, members]
            print(
                f"| {report} | {members:,} | {r['pages']:,} | {r['seconds']:.1f} s | {mib(r['traced_peak'])} MiB "
                f"| {mib(r['rss'])} MiB | {mib(r['child_rss'])} MiB | {mib(r['size'])} MiB |"
            )
        if len(sizes) >= 2:
            small, large = results[report, sizes[0]], results[report, sizes[-1]]
            ratios = [large[key] / small[key] for key in ("pages", "seconds", "traced_peak", "rss", "size")]
            print(
                f"| {report} | ratio {sizes[-1]:,} / {sizes[0]:,} | {ratios[0]:.2f} | {ratios[1]:.2f} "
                f"| **{ratios[2]:.2f}** | **{ratios[3]:.2f}** | | {ratios[4]:.2f} |"
            )


if __name__ == "__main__":
    main()
