"""Benchmark of the books on 1,000,000 voucher lines: trial balance, a member's detail ledger and December's close,
each against the bare SQL it needs.

    .venv/bin/python bench/ledger_bench.py [--sqlite] [--postgresql] [--lines 1000000] [--members 20000]

Without --sqlite or --postgresql both run. For each backend the script builds one cooperative in a scratch
database (a SQLite file in a temporary directory, or a new PostgreSQL database on --postgres-url, dropped at the
end) migrated with `coopcore.db.migrate.upgrade`: 20,000 members and a year (2025) of posted vouchers booked
from business events, written with `coopcore.services.ledger.add_vouchers` one month at a time (the project's own
bulk path, so its time is printed too). The mix: intakes from members (121 / 114 by member, with product,
quantity and price), payments to members (114 / 102), inputs sold to members on account (114 / 501 and their
cost 521 / 121), sales to enterprises (102 / 501 and cost), wages, expenses, fixed assets and contributions.

The lines go in in three rounds over the whole year (a quarter, another quarter, the last half). After each
round the script takes the tracemalloc peak of the trial balance with every month open, then closes January to
November (as the books stand in December) and takes the peaks of the trial balance, the detail ledger and the
close of December; it reopens the eleven months before the next round. After the last round it times:

* trial balance: `trial_balance(session, cooperative, 2025)` against
  `SELECT account_id, SUM(debit), SUM(credit) FROM voucher_line WHERE cooperative_id = ? AND year = ? GROUP BY
  account_id`, with every month open and with January to November closed. The bare time is the faster of that
  and the same with `AND month BETWEEN 1 AND 12`: SQLite's planner serves the first from ix_voucher_line_balances,
  which has no amounts, and looks up every line in the table; the second from ix_voucher_line_months alone;
* detail ledger: `detail_ledger(session, cooperative, "114", 2025, member)` of one member against the bare
  SELECT of that member's 114 lines of the year with their vouchers' date, word and number, in date order;
* close: `close_period(session, cooperative, 2025, 12)` with January to November closed, against the aggregate
  its checks need, the year's closing balance of every account (`... AND year <= ? GROUP BY account_id`).

A library call is timed alone, in a transaction with the cooperative loaded, rolled back afterwards (the close
too). Each time is the best of 3 after a warm-up (of 50 for the detail ledger, which takes about a millisecond,
so that the machine's other load does not decide it); the bare queries go through the driver
(`exec_driver_sql`), every row fetched. Goals: trial balance ≤ 1.5 ×, detail ledger ≤ 3 ×, close ≤ 2 ×, memory
flat in the number of lines.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
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

from sqlalchemy import Engine, insert, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from coopcore.db.engine import make_engine
from coopcore.db.migrate import upgrade
from coopcore.models import (
    Account,
    Cooperative,
    Member,
    MemberKind,
    Product,
    Township,
    Village,
    VoucherOrigin,
    VoucherState,
)
from coopcore.rules.ledger import EntryLine
from coopcore.services import ledger
from coopcore.services.ledger import Draft, add_vouchers

POSTGRES_URL = "postgresql+psycopg://postgres@/test?host=/var/run/postgresql"
YEAR = 2025
FOUNDED = dt.date(2020, 3, 1)
REPEAT = 3
SHORT = 50  # runs of the detail ledger (a millisecond): the best of 3 would measure the machine's other load
ROUNDS = (0.25, 0.25, 0.5)  # the share of the lines each round adds: a quarter, half, all of them
PRODUCTS = ("苹果", "樱桃", "葡萄", "复合肥")
COUNTERPARTIES = ("果品收购公司", "农产品批发市场", "连锁超市")
SUMS = "SELECT account_id, SUM(debit), SUM(credit) FROM voucher_line WHERE cooperative_id = {0} AND year "
TRIAL = SUMS + "= {0} GROUP BY account_id"
TRIAL_MONTHS = SUMS + "= {0} AND month BETWEEN 1 AND 12 GROUP BY account_id"  # the same, another plan (see above)
CLOSING = SUMS + "<= {0} GROUP BY account_id"
DETAIL = (
    "SELECT l.line_no, l.summary, l.debit, l.credit, v.voucher_date, v.word, v.number, v.summary"
    " FROM voucher_line l JOIN voucher v ON v.id = l.voucher_id"
    " WHERE l.cooperative_id = {0} AND l.year = {0} AND l.account_id = {0} AND l.member_id = {0}"
    " ORDER BY v.voucher_date, v.number, l.line_no"
)


@contextmanager
def scratch_database(backend: str, server_url: str) -> Iterator[str]:
    """Yield the URL of a new, empty database of the backend; it is deleted afterwards."""
    if backend == "sqlite":
        with tempfile.TemporaryDirectory(prefix="coop-bench-") as directory:
            yield f"sqlite:///{Path(directory) / 'ledger.sqlite3'}"
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


# ----- building ---------------------------------------------------------------------------------------------
def make_cooperative(engine: Engine, members: int) -> int:
    """One cooperative with its members, products and chart; return its id."""
    with Session(engine) as session, session.begin():
        cooperative = Cooperative(
            name="基准账簿专业合作社",
            credit_code="93370602MA3C00000X",
            village=Village(township=Township(name="基准镇"), name="基准村"),
            founded_on=FOUNDED,
        )
        session.add_all([cooperative, *(Product(name=name) for name in PRODUCTS)])
        session.flush()
        session.execute(insert(Member), [member_row(cooperative.id, number) for number in range(1, members + 1)])
        ledger.accounts_by_code(session, cooperative)  # the chart
        return cooperative.id


def member_row(cooperative_id: int, number: int) -> dict[str, Any]:
    return {
        "cooperative_id": cooperative_id,
        "code": member_code(number),
        "name": f"成员{number}",
        "kind": MemberKind.FARMER,
        "id_number": f"3706021960{number:08d}",
        "joined_on": FOUNDED,
    }


def member_code(number: int) -> str:
    return f"M{number:06d}"


def yuan(rng: random.Random, low: int, high: int) -> Decimal:
    return Decimal(rng.randrange(low * 100, high * 100)).scaleb(-2)


def month_drafts(rng: random.Random, month: int, lines: int, members: int, serial: Iterator[int]) -> list[Draft]:
    """A month's vouchers, about `lines` lines, in date order: mostly member business on 114."""
    drafts: list[Draft] = []
    written = 0
    last_day = (dt.date(YEAR + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)).day
    while written < lines:
        on = dt.date(YEAR, month, rng.randint(1, last_day))
        draft = one_draft(rng, on, member_code(rng.randint(1, members)), next(serial))
        drafts.append(draft)
        written += len(draft.lines)
    drafts.sort(key=lambda draft: draft.on)
    return drafts


def one_draft(rng: random.Random, on: dt.date, member: str, serial: int) -> Draft:
    """One voucher of the mix (shares of vouchers: intake 45%, payment 25%, inputs 12%, sale 10%, the rest 8%)."""
    pick = rng.random()
    trade, ref = VoucherOrigin.TRADE, f"trade:{serial}"
    if pick < 0.45:
        product = rng.choice(PRODUCTS[:3])
        quantity = Decimal(rng.randrange(20, 4000)) / 2
        price = Decimal(rng.randrange(10, 150)).scaleb(-1)
        amount = (quantity * price).quantize(Decimal("0.01"))
        return Draft(on, f"收购{product}", [
            EntryLine("121", debit=amount, product=product, quantity=quantity, unit_price=price),
            EntryLine("114", credit=amount, member=member),
        ], trade, ref)  # fmt: skip
    if pick < 0.70:
        amount = yuan(rng, 100, 20_000)
        return Draft(on, "支付货款", [EntryLine("114", debit=amount, member=member),
                                      EntryLine("102", credit=amount)], VoucherOrigin.PAYMENT, ref)  # fmt: skip
    if pick < 0.82:
        amount = yuan(rng, 50, 2000)
        cost = (amount * Decimal("0.8")).quantize(Decimal("0.01"))
        return Draft(on, "赊销复合肥", [
            EntryLine("114", debit=amount, member=member), EntryLine("501", credit=amount),
            EntryLine("521", debit=cost), EntryLine("121", credit=cost, product="复合肥"),
        ], trade, ref)  # fmt: skip
    if pick < 0.92:
        amount = yuan(rng, 5000, 200_000)
        cost = (amount * Decimal("0.85")).quantize(Decimal("0.01"))
        return Draft(on, "销售果品", [
            EntryLine("102", debit=amount, counterparty=rng.choice(COUNTERPARTIES)), EntryLine("501", credit=amount),
            EntryLine("521", debit=cost), EntryLine("121", credit=cost),
        ], trade, ref)  # fmt: skip
    other = VoucherOrigin.INCOME_EXPENSE
    if pick < 0.96:
        amount = yuan(rng, 50, 3000)
        return Draft(on, "办公费", [EntryLine("523", debit=amount), EntryLine("101", credit=amount)], other, ref)
    if pick < 0.98:
        amount = yuan(rng, 2000, 9000)
        return Draft(on, "工资", [EntryLine("523", debit=amount), EntryLine("102", credit=amount)], other, ref)
    if pick < 0.99:
        amount = yuan(rng, 10_000, 300_000)
        return Draft(on, "购置设备", [EntryLine("151", debit=amount, poverty_asset=rng.random() < 0.2),
                                      EntryLine("102", credit=amount)], other, ref)  # fmt: skip
    amount = yuan(rng, 500, 10_000)
    return Draft(on, "成员出资", [EntryLine("102", debit=amount), EntryLine("301", credit=amount, member=member)],
                 VoucherOrigin.CONTRIBUTION, ref)  # fmt: skip


def add_round(engine: Engine, cooperative_id: int, rng: random.Random, lines: int, members: int,
              serial: Iterator[int]) -> float:  # fmt: skip
    """Book a round of lines over the whole year, a month per add_vouchers; return the seconds add_vouchers took."""
    spent = 0.0
    for month in range(1, 13):
        drafts = month_drafts(rng, month, lines // 12, members, serial)
        with Session(engine) as session, session.begin():
            cooperative = session.get_one(Cooperative, cooperative_id)
            start = time.perf_counter()
            add_vouchers(session, cooperative, drafts, state=VoucherState.POSTED)
            spent += time.perf_counter() - start
    with engine.begin() as connection:
        connection.exec_driver_sql("ANALYZE")  # what autovacuum would do shortly after such a load
    return spent


# ----- measuring --------------------------------------------------------------------------------------------
Library = Callable[[Session, Cooperative], Any]


class Subject:
    """The cooperative, the member and account whose books are read, and the bare queries' parameters."""

    def __init__(self, engine: Engine, cooperative_id: int, member: str) -> None:
        self.engine, self.cooperative_id, self.member = engine, cooperative_id, member
        with Session(engine) as session:
            self.member_id = session.scalars(select(Member.id).where(Member.code == member)).one()
            self.account_id = session.scalars(
                select(Account.id).where(Account.cooperative_id == cooperative_id, Account.code == "114")
            ).one()
        self.mark = "?" if engine.dialect.paramstyle == "qmark" else "%s"

    def bare(self, query: str, *parameters: Any) -> list[Any]:
        with self.engine.connect() as connection:
            return list(connection.exec_driver_sql(query.format(self.mark), parameters).all())

    def bare_trial(self) -> list[Any]:
        return self.bare(TRIAL, self.cooperative_id, YEAR)

    def bare_trial_months(self) -> list[Any]:
        return self.bare(TRIAL_MONTHS, self.cooperative_id, YEAR)

    def bare_detail(self) -> list[Any]:
        return self.bare(DETAIL, self.cooperative_id, YEAR, self.account_id, self.member_id)

    def bare_closing(self) -> list[Any]:
        return self.bare(CLOSING, self.cooperative_id, YEAR)

    def trial(self, session: Session, cooperative: Cooperative) -> Any:
        return ledger.trial_balance(session, cooperative, YEAR)

    def detail(self, session: Session, cooperative: Cooperative) -> Any:
        return ledger.detail_ledger(session, cooperative, "114", YEAR, self.member)

    def close(self, session: Session, cooperative: Cooperative) -> Any:
        """Close December (and every open month before it)."""
        return ledger.close_period(session, cooperative, YEAR, 12, by="基准")

    def library(self, call: Library, trace: bool = False) -> float:
        """Run a library call on the loaded cooperative in a transaction rolled back afterwards; return its
        seconds, or with `trace` its tracemalloc peak in MiB."""
        with Session(self.engine) as session, session.begin():
            cooperative = session.get_one(Cooperative, self.cooperative_id)
            if trace:
                tracemalloc.start()
                tracemalloc.reset_peak()
            start = time.perf_counter()
            call(session, cooperative)
            elapsed = time.perf_counter() - start
            if trace:
                elapsed = tracemalloc.get_traced_memory()[1] / 2**20
                tracemalloc.stop()
            session.rollback()
        return elapsed

    def timed(self, call: Library, runs: int = REPEAT) -> float:
        """The best of `runs` runs of a library call, after a warm-up."""
        return best_of(lambda: self.library(call), runs)

    def traced(self, call: Library) -> float:
        """The tracemalloc peak of a library call, after a warm-up outside the trace."""
        self.library(call)
        return self.library(call, trace=True)


def bare_time(query: Callable[[], list[Any]]) -> float:
    start = time.perf_counter()
    query()
    return time.perf_counter() - start


def best_of(timed: Callable[[], float], runs: int = REPEAT) -> float:
    """The shortest of `runs` timings, after one warm-up run."""
    timed()
    return min(timed() for _ in range(runs))


def check(subject: Subject) -> None:
    """Refuse to print figures unless the library and the bare SQL agree on what they read."""
    scale = 2 if subject.engine.dialect.name == "sqlite" else 0  # SQLite stores fen (coopcore.db.types)
    bare_debit = sum((Decimal(debit).scaleb(-scale) for _, debit, _ in subject.bare_trial()), Decimal(0))
    with Session(subject.engine) as session:
        cooperative = session.get_one(Cooperative, subject.cooperative_id)
        balance = subject.trial(session, cooperative)
        assert balance.balanced and balance.totals.debit == bare_debit, (balance.totals, bare_debit)
        detail = subject.detail(session, cooperative)
        assert len(detail.rows) == len(subject.bare_detail()), (len(detail.rows), len(subject.bare_detail()))


def close_months(subject: Subject, through: int) -> None:
    with Session(subject.engine) as session, session.begin():
        ledger.close_period(session, session.get_one(Cooperative, subject.cooperative_id), YEAR, through, by="基准")


def reopen_months(subject: Subject, through: int) -> None:
    """Reopen the months closed by close_months, latest first, so that the next round can add lines to them."""
    with Session(subject.engine) as session, session.begin():
        cooperative = session.get_one(Cooperative, subject.cooperative_id)
        for month in range(through, 0, -1):
            ledger.reopen_period(session, cooperative, YEAR, month, by="基准")


def run(backend: str, url: str, lines: int, members: int) -> dict[str, Any]:
    """Build the books in rounds and measure; the figures of one backend."""
    engine = make_engine(url)
    upgrade(engine)
    rng = random.Random(YEAR)
    serial = iter(range(1, 10**9))
    cooperative_id = make_cooperative(engine, members)
    subject = Subject(engine, cooperative_id, member_code(members // 2))
    result: dict[str, Any] = {"backend": backend, "members": members, "peaks": [], "build_s": 0.0, "times": {}}
    times = result["times"]
    timed = subject.timed
    bare_detail = lambda: bare_time(subject.bare_detail)  # noqa: E731

    def bare_trial() -> float:  # the faster of the two spellings
        return min(bare_time(subject.bare_trial), bare_time(subject.bare_trial_months))

    for index, share in enumerate(ROUNDS):
        last = index == len(ROUNDS) - 1
        result["build_s"] += add_round(engine, cooperative_id, rng, int(lines * share), members, serial)
        with engine.connect() as connection:
            stored = connection.exec_driver_sql("SELECT count(*) FROM voucher_line").scalar_one()
            vouchers = connection.exec_driver_sql("SELECT count(*) FROM voucher").scalar_one()
        print(f"{backend}: {stored:,} lines in {vouchers:,} vouchers, add_vouchers {result['build_s']:.0f} s",
              file=sys.stderr, flush=True)  # fmt: skip
        check(subject)
        peaks = [subject.traced(subject.trial)]
        if last:
            times["trial balance, every month open"] = (timed(subject.trial), best_of(bare_trial))
            times["detail ledger, every month open"] = (timed(subject.detail, SHORT), best_of(bare_detail, SHORT))
        close_months(subject, 11)
        check(subject)
        peaks += [subject.traced(subject.trial), subject.traced(subject.detail), subject.traced(subject.close)]
        result["peaks"].append((stored, *peaks))
        if last:
            times["trial balance, Jan-Nov closed"] = (timed(subject.trial), best_of(bare_trial))
            times["detail ledger, Jan-Nov closed"] = (timed(subject.detail, SHORT), best_of(bare_detail, SHORT))
            times["close December"] = (timed(subject.close), best_of(lambda: bare_time(subject.bare_closing)))
        else:
            reopen_months(subject, 11)
    result["lines"], result["vouchers"] = stored, vouchers
    result["detail_rows"] = len(subject.bare_detail())
    engine.dispose()
    return result


GOALS = {"trial balance": 1.5, "detail ledger": 3.0, "close": 2.0}


def print_results(results: list[dict[str, Any]]) -> None:
    """Print the times, ratios and memory peaks of every backend as Markdown tables."""
    print("backend | lines | vouchers | add_vouchers (whole build) | measure | library s | bare SQL s | ratio | goal")
    print("---|---|---|---|---|---|---|---|---")
    for r in results:
        for name, (library, bare) in r["times"].items():
            goal = next(value for key, value in GOALS.items() if name.startswith(key))
            print(f"{r['backend']} | {r['lines']:,} | {r['vouchers']:,} | {r['build_s']:.1f} s | {name} | "
                  f"{library:.4f} | {bare:.4f} | {library / bare:.2f} | ≤ {goal}")  # fmt: skip
    print()
    print(
        "backend | lines | trial balance, every month open | trial balance, Jan-Nov closed | detail ledger | "
        "close December"
    )
    print("---|---|---|---|---|---")
    for r in results:
        for stored, *peaks in r["peaks"]:
            print(f"{r['backend']} | {stored:,} | " + " | ".join(f"{peak:.2f} MiB" for peak in peaks))
    for r in results:
        print(f"\n{r['backend']}: the member's detail ledger has {r['detail_rows']} lines on 114")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sqlite", action="store_true", help="run on SQLite (default: both backends)")
    parser.add_argument("--postgresql", action="store_true", help="run on PostgreSQL (default: both backends)")
    parser.add_argument("--lines", type=int, default=1_000_000, help="voucher lines of the year")
    parser.add_argument("--members", type=int, default=20_000)
    parser.add_argument("--postgres-url", default=POSTGRES_URL, help="server where the scratch database is made")
    args = parser.parse_args(argv)
    backends = [name for name, wanted in (("sqlite", args.sqlite), ("postgresql", args.postgresql)) if wanted]
    results = []
    for backend in backends or ["sqlite", "postgresql"]:
        with scratch_database(backend, args.postgres_url) as url:
            results.append(run(backend, url, args.lines, args.members))
    print_results(results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
