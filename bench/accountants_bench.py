"""Twenty accountants at once on the real admin (issue #18): throughput, latency, and nothing lost or doubled.

    .venv/bin/python bench/accountants_bench.py                       # PostgreSQL on the local socket, 60 s
    .venv/bin/python bench/accountants_bench.py --db sqlite:// --seconds 120
    .venv/bin/python bench/accountants_bench.py --db "postgresql+psycopg://postgres@127.0.0.1/postgres" --threads 8

A scratch database (a SQLite file in a temp directory, or a database created and dropped on the server) gets
the schema and the demo data set, and 20 accountants made with coopcore.services.users: one for each of 19
cooperatives, and a 20th keeping the books of the first one's cooperative with them. Their cooperatives let one
person prepare and audit (ledger_single_person), as a one-accountant cooperative does. `coop admin` (waitress,
--threads request threads) then serves that database on a free port of 127.0.0.1 in its own process, and each
accountant, a thread of this process with its own cookies, signs in and until --seconds have passed:

1. uploads a workbook of its cooperative: the 合作社 and 成员 sheets of the workbook it downloaded from the
   admin once, and a 交易 sheet of every ticket it has typed so far plus --trades new ones with numbers of its
   own (a workbook's trades sheet is the complete record of its years: a ticket left off would be removed);
   "check", then "import now";
2. types --vouchers vouchers in the entry grid (银行存款 / 库存现金, amounts of its own), finds each in the
   voucher list by the name the admin gave it, and presses audit and post;
3. plans its cooperative's 2024 distribution.

Every form is read from its page first (its CSRF token), as a browser does; redirects are followed. A refusal
"someone else changed the same records" (coopcore's ConcurrentChange: a deadlock, a lock not granted, a stale
form) is pressed again, at most --retries times, and counted as a retry; a refusal that stays, any other
refusal, a blocked import and a 5xx are failures that reached the user. The second accountant of the shared
cooperative types its tickets in 2025: two accountants each uploading their own copy of one year's trades would
remove each other's tickets by design (the sheet is the record of its year), which is not what is measured.

After the run the database is checked: every voucher an accountant was told was saved exists once with the
amounts typed, posted if it was told so; every ticket of each accountant's last imported workbook exists once,
with its amount, and no bench ticket beyond them; no voucher number twice in a month; each cooperative's lines
balance; at most one live distribution a cooperative and year. The exit status is 1 if a check fails or a
failure reached a user.
"""

from __future__ import annotations

import argparse
import datetime as dt
import html
import io
import os
import random
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import partial
from http.cookiejar import CookieJar
from pathlib import Path
from typing import Any

from admin_bench import scratch_database
from openpyxl import Workbook, load_workbook
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from coopcore.db import migrate
from coopcore.db.engine import make_engine
from coopcore.models import Cooperative, Distribution, Role, Trade, Voucher, VoucherLine, VoucherState
from coopcore.services.lookups import LIVE_STATES
from coopcore.services.users import create_user
from demo import load_demo

FEN = Decimal("0.01")
PASSWORD = "bench-accountant"  # a scratch database's users, dropped with it
YEAR, SHARED_YEAR = 2024, 2025  # the demo's open year; the shared cooperative's second accountant types 2025
ACCOUNTANTS, SHEETS = 20, ("合作社", "成员")  # the sheets sent back as downloaded
TRADE_HEADER = ("成员编号*", "日期*", "产品*", "数量*", "单位*", "单价*", "金额", "等级", "单据号")
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
ALERT = re.compile(r'<div class="alert alert-(\w+)[^"]*">\s*<button[^>]*>[^<]*</button>\s*(.*?)\s*</div>', re.S)
SAVED = re.compile(r"Voucher (.+?) is saved as a draft\.")
# coopcore.errors.ConcurrentChange's message, in English (each accountant switches the admin to English).
CONFLICT = "Someone else changed the same records at the same time"


@dataclass
class Call:
    """One request as the user waited for it: what it was, how long it took (redirects followed), what came of it."""

    kind: str
    seconds: float
    outcome: str  # ok, retried (refused as a conflict, pressed again), failed


@dataclass
class Ledger:
    """What one accountant was told: vouchers saved and posted, the tickets of its last imported workbook."""

    vouchers: dict[str, tuple[int, Decimal, bool]] = field(default_factory=dict)  # summary: (coop, amount, posted)
    tickets: dict[str, Decimal] = field(default_factory=dict)  # typed so far: ticket number -> amount
    imported: dict[str, Decimal] = field(default_factory=dict)  # those of the last workbook imported
    failures: list[str] = field(default_factory=list)


class Browser:
    """A signed-in user's HTTP session: cookies, redirects followed, every request timed and recorded."""

    def __init__(self, base: str, calls: list[Call]) -> None:
        self.base = base
        self.calls = calls
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))

    def request(self, kind: str, path: str, data: bytes | None = None, content_type: str = "") -> tuple[int, str]:
        headers = {"Content-Type": content_type} if content_type else {}
        started = time.perf_counter()
        try:
            with self.opener.open(urllib.request.Request(self.base + path, data, headers), timeout=300) as answer:
                status, body = answer.status, answer.read().decode()
        except urllib.error.HTTPError as error:
            status, body = error.code, error.read().decode(errors="replace")
        self.calls.append(Call(kind, time.perf_counter() - started, "failed" if status >= 500 else "ok"))
        return status, body

    def get(self, kind: str, path: str) -> str:
        status, body = self.request(kind, path)
        if status != 200:
            raise Failure(f"GET {path}: HTTP {status}")
        return body

    def post(self, kind: str, path: str, fields: list[tuple[str, str]], token_page: str) -> tuple[int, str]:
        """Send a form with the CSRF token of the page it is on."""
        data = urllib.parse.urlencode([("csrf_token", token(token_page)), *fields]).encode()
        return self.request(kind, path, data, "application/x-www-form-urlencoded")

    def upload(self, kind: str, path: str, name: str, content: bytes, token_page: str) -> tuple[int, str]:
        boundary = uuid.uuid4().hex
        field = f'--{boundary}\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n{token(token_page)}\r\n'
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="workbook"; filename="{name}"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n"
        )
        parts = [field.encode(), head.encode(), content, f"\r\n--{boundary}--\r\n".encode()]
        return self.request(kind, path, b"".join(parts), f"multipart/form-data; boundary={boundary}")


class Failure(Exception):
    """A request whose answer no user should get (a 5xx, a refusal that stays, a blocked import)."""


def token(page: str) -> str:
    found = CSRF.search(page)
    if found is None:
        raise Failure("no CSRF token on the page")
    return found.group(1)


def alerts(page: str) -> list[tuple[str, str]]:
    """The flashed messages of a page: (bootstrap category, text)."""
    return [(kind, html.unescape(re.sub(r"<[^>]+>", "", text))) for kind, text in ALERT.findall(page)]


class Accountant:
    """One simulated accountant: imports, books and plans in its cooperative until the deadline."""

    def __init__(self, number: int, cooperative: int, year: int, base: str, options: argparse.Namespace) -> None:
        self.name, self.cooperative, self.year = f"acct{number:02d}", cooperative, year
        self.options = options
        self.calls: list[Call] = []
        self.browser = Browser(base, self.calls)
        self.ledger = Ledger()
        self.rng = random.Random(number)
        self.members: list[tuple[str, dt.date]] = []
        self.products: list[tuple[str, str]] = []
        self.sheets: dict[str, list[tuple[Any, ...]]] = {}
        self.trade_rows: list[tuple[Any, ...]] = []  # every ticket typed so far, in the order typed
        self.typed = 0  # vouchers typed, saved or not: each has a summary of its own
        self.signed_in = False

    def sign_in(self) -> None:
        """Sign in, download the cooperative's workbook, switch to English; a failure leaves the accountant out."""
        try:
            self._sign_in()
            self.signed_in = True
        except Exception as error:  # the user could not start work: it is counted, the others go on
            self.ledger.failures.append(f"{self.name}: cannot sign in: {type(error).__name__}: {error}")

    def _sign_in(self) -> None:
        page = self.browser.get("page", "/login")
        status, home = self.browser.post("sign in", "/login", [("username", self.name), ("password", PASSWORD)], page)
        if status != 200 or 'name="password"' in home:
            raise Failure(f"sign-in refused: HTTP {status}")
        self.download_workbook()  # in Chinese, the language of the sheet names below
        page = self.browser.get("page", "/admin/")
        self.browser.post("page", "/lang", [("lang", "en"), ("next", "/admin/")], page)

    def download_workbook(self) -> None:
        """The cooperative's workbook as the admin exports it: its 合作社 and 成员 sheets are sent back each time."""
        request = urllib.request.Request(f"{self.browser.base}/admin/workbook/export?cooperative={self.cooperative}")
        with self.browser.opener.open(request, timeout=300) as answer:
            status, body = answer.status, answer.read()
        assert status == 200, f"{self.name}: no workbook"
        book = load_workbook(io.BytesIO(body), read_only=True)
        self.sheets = {name: [tuple(row) for row in book[name].iter_rows(values_only=True)] for name in SHEETS}
        header = self.sheets["成员"][0]
        code, joined, left = header.index("成员编号*"), header.index("入社日期*"), header.index("退社日期")
        self.members = [(r[code], r[joined].date()) for r in self.sheets["成员"][1:] if r[code] and r[left] is None]
        trades = [tuple(row) for row in book["交易"].iter_rows(values_only=True)]
        kind, product, unit = trades[0].index("交易类型"), trades[0].index("产品*"), trades[0].index("单位*")
        self.products = sorted({(r[product], r[unit]) for r in trades[1:] if r[kind] == "收购"}) or [("苹果", "kg")]

    def run(self, deadline: float) -> None:
        """Import, book and plan until the deadline; a failure is written down and the accountant goes on."""
        steps = [self.import_workbook, *[self.book_voucher] * self.options.vouchers, self.plan_distribution]
        while self.signed_in and time.monotonic() < deadline:
            for step in steps:
                if time.monotonic() >= deadline:
                    return
                try:
                    step()
                except Failure as failure:
                    self.ledger.failures.append(f"{self.name}: {failure}")
                except Exception as error:  # a broken page, a lost connection: the user sees it, the bench goes on
                    self.ledger.failures.append(f"{self.name}: {type(error).__name__}: {error}")

    def attempt(self, kind: str, press: Callable[[], tuple[int, str]], done: str) -> str:
        """Press a button until it is not refused as a conflict (at most --retries times again); the page shown."""
        for tries in range(self.options.retries + 1):
            status, page = press()
            if status >= 500:
                raise Failure(f"{kind}: HTTP {status}")
            shown = alerts(page)
            # Flashed above the form it came from, or the page of its own (409) when refused before the form's view.
            if CONFLICT in html.unescape(page) and tries < self.options.retries:
                self.calls[-1].outcome = "retried"
                time.sleep(self.rng.uniform(0.05, 0.3))  # a person reads the message before pressing again
                continue
            if done in page:
                return page
            self.calls[-1].outcome = "failed"
            raise Failure(f"{kind}: {[text for category, text in shown if category == 'danger'] or status}")
        raise AssertionError("unreachable")

    def new_trades(self) -> None:
        for _ in range(self.options.trades):
            member, joined = self.rng.choice(self.members)
            on = max(joined, dt.date(self.year, self.rng.randint(1, 11), self.rng.randint(1, 28)))
            product, unit = self.rng.choice(self.products)
            quantity = Decimal(self.rng.randint(100, 30000)).scaleb(-1)
            price = Decimal(self.rng.randint(150, 900)).scaleb(-2)
            number = f"AB{self.year}-{self.name}-{len(self.ledger.tickets) + 1:05d}"
            self.ledger.tickets[number] = (quantity * price).quantize(FEN, rounding=ROUND_HALF_UP)
            self.trade_rows.append((member, on, product, quantity, unit, price, None, "一级", number))

    def workbook(self) -> bytes:
        book = Workbook(write_only=True)
        for name in SHEETS:
            sheet = book.create_sheet(name)
            for row in self.sheets[name]:
                sheet.append(row)
        trades = book.create_sheet("交易")
        trades.append(TRADE_HEADER)
        for row in self.trade_rows:
            trades.append(row)
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()

    def import_workbook(self) -> None:
        self.new_trades()
        content, typed = self.workbook(), dict(self.ledger.tickets)

        def press() -> tuple[int, str]:
            form = self.browser.get("page", "/admin/workbook/")
            status, report = self.browser.upload(
                "workbook check", "/admin/workbook/check", "trades.xlsx", content, form
            )
            if CONFLICT in html.unescape(report):
                return status, report  # pressed again
            if status >= 500 or 'id="apply-workbook"' not in report:
                self.calls[-1].outcome = "failed"
                problems = [cell for cell in re.findall(r"<td>([^<]{12,})</td>", report)][:3]
                raise Failure(f"workbook check: HTTP {status} {problems or alerts(report)}")
            return self.browser.post("workbook import", "/admin/workbook/apply", [], report)

        self.attempt("workbook import", press, "Imported.")
        self.ledger.imported = typed

    def book_voucher(self) -> None:
        on = dt.date(YEAR, self.rng.randint(1, 12), self.rng.randint(1, 28))
        amount = Decimal(self.rng.randint(100, 5_000_000)).scaleb(-2)
        self.typed += 1
        summary = f"压测 {self.name} 存现 {self.typed}"
        entry = f"/admin/books/entry/?cooperative={self.cooperative}&date={on.isoformat()}"
        lines = [("summary", summary), ("account", "102"), ("member", ""), ("poverty", ""), ("debit", str(amount)),
                 ("credit", ""), ("keep", ""), ("summary", summary), ("account", "101"), ("member", ""),
                 ("poverty", ""), ("debit", ""), ("credit", str(amount)), ("keep", "")]  # fmt: skip
        fields = [("cooperative", str(self.cooperative)), ("date", on.isoformat()), ("word", "记"),
                  ("attachments", "1"), *lines]  # fmt: skip

        def save() -> tuple[int, str]:
            return self.browser.post("voucher save", "/admin/books/entry/save", fields, self.browser.get("page", entry))

        page = self.attempt("voucher save", save, "is saved as a draft.")
        named = SAVED.search(html.unescape(page))
        assert named is not None
        name = named.group(1)
        self.ledger.vouchers[summary] = (self.cooperative, amount, False)
        # The month's drafts by number, 100 a page: the new voucher is on the last page (the pager's last link).
        listing = f"/admin/books/vouchers/?cooperative={self.cooperative}&year={YEAR}&month={on.month}&state=draft"
        row = rf'name="ids" value="(\d+)" form="mass-form" aria-label="{re.escape(name)}"'
        found = re.search(row, self.browser.get("page", listing + "&page=-1"))
        if found is None:
            raise Failure(f"voucher {name} is not on the last page of the month's drafts")
        voucher = found.group(1)
        for action, said in (("audit", "is audited."), ("post", "is posted.")):
            show = f"/admin/books/vouchers/show?id={voucher}"

            def press(action: str = action, show: str = show) -> tuple[int, str]:
                form = [("id", voucher), ("action", action), ("back", show)]
                return self.browser.post(
                    f"voucher {action}", "/admin/books/vouchers/step", form, self.browser.get("page", show)
                )

            self.attempt(f"voucher {action}", press, said)
        self.ledger.vouchers[summary] = (self.cooperative, amount, True)

    def plan_distribution(self) -> None:
        page = f"/admin/distribution/?cooperative={self.cooperative}&year={YEAR}"
        fields = [("cooperative", str(self.cooperative)), ("year", str(YEAR))]

        def press() -> tuple[int, str]:
            return self.browser.post(
                "distribution plan", "/admin/distribution/plan", fields, self.browser.get("page", page)
            )

        self.attempt("distribution plan", press, f"The {YEAR} plan is computed")


def prepare(engine: Engine, count: int) -> list[tuple[int, int, int]]:
    """Schema, demo and `count` accountants, the last one sharing the first one's cooperative (two or more);
    each accountant's (number, cooperative, year of its tickets)."""
    migrate.upgrade(engine)
    with Session(engine) as session, session.begin():
        load_demo(session)
        cooperatives = session.scalars(
            select(Cooperative)
            .where(Cooperative.is_federation.is_(False))
            .order_by(Cooperative.id)
            .limit(max(count - 1, 1))
        ).all()
        team = [(number, cooperatives[number - 1], YEAR) for number in range(1, max(count, 2))]
        if count > 1:
            team.append((count, cooperatives[0], SHARED_YEAR))  # the second accountant of the first cooperative
        for number, cooperative, _year in team:
            cooperative.ledger_single_person = True
            create_user(session, f"acct{number:02d}", PASSWORD, Role.ACCOUNTANT, cooperatives=[cooperative])
        return [(number, cooperative.id, year) for number, cooperative, year in team]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def serve(url: str, port: int, threads: int, log: Path) -> subprocess.Popen[bytes]:
    """`coop admin` on the database, in its own process; returns once it answers."""
    coop = Path(sys.executable).with_name("coop")
    command = [str(coop), "--db", url, "admin", "--host", "127.0.0.1", "--port", str(port), "--threads", str(threads)]
    environment = {**os.environ, "COOP_SECRET_KEY": uuid.uuid4().hex + uuid.uuid4().hex}
    server = subprocess.Popen(command, env=environment, stdout=log.open("wb"), stderr=subprocess.STDOUT)
    for _ in range(600):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=5):
                return server
        except OSError:
            if server.poll() is not None:
                raise SystemExit(f"coop admin stopped:\n{log.read_text()}") from None
            time.sleep(0.1)
    server.terminate()
    raise SystemExit("coop admin did not answer within a minute")


def together(work: Iterable[Callable[[], None]]) -> None:
    """Run each in a thread of its own; return when all are done."""
    threads = [threading.Thread(target=one) for one in work]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile of a non-empty list."""
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(share * len(ordered) + 0.5) - 1))]


def print_calls(calls: list[Call], seconds: float) -> None:
    kinds = ["workbook check", "workbook import", "voucher save", "voucher audit", "voucher post",
             "distribution plan", "sign in", "page"]  # fmt: skip
    header = ("request", "count", "per s", "p50 ms", "p99 ms", "max ms", "retried", "failed")
    rows = [header]
    for kind in [*kinds, "all"]:
        chosen = [call for call in calls if kind in ("all", call.kind)]
        if not chosen:
            continue
        times = [call.seconds * 1000 for call in chosen]
        outcomes = Counter(call.outcome for call in chosen)
        rows.append((kind, str(len(chosen)), f"{len(chosen) / seconds:.2f}", f"{percentile(times, 0.5):.0f}",
                     f"{percentile(times, 0.99):.0f}", f"{max(times):.0f}", str(outcomes["retried"]),
                     str(outcomes["failed"])))  # fmt: skip
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    for row in rows:
        print(
            "  ".join(
                cell.rjust(width) if i else cell.ljust(width)
                for i, (cell, width) in enumerate(zip(row, widths, strict=True))
            )
        )


Check = tuple[str, bool, str]  # what is checked, whether it holds, the figures


def check(engine: Engine, team: list[Accountant]) -> list[Check]:
    """The database after the run against what the accountants were told."""
    with Session(engine) as session:
        return [*voucher_checks(session, team), ticket_check(session, team), *book_checks(session, team)]


def voucher_checks(session: Session, team: list[Accountant]) -> list[Check]:
    """Every voucher told saved is there once with the amounts typed (posted if told so), and no other."""
    told = {summary: entry for accountant in team for summary, entry in accountant.ledger.vouchers.items()}
    stored = session.execute(
        select(Voucher.summary, Voucher.cooperative_id, Voucher.state, func.sum(VoucherLine.debit),
               func.sum(VoucherLine.credit), func.count(VoucherLine.id))
        .join(VoucherLine, VoucherLine.voucher_id == Voucher.id)
        .where(Voucher.summary.like("压测 %"))
        .group_by(Voucher.id, Voucher.summary, Voucher.cooperative_id, Voucher.state)
    ).all()  # fmt: skip
    seen = Counter(row[0] for row in stored)
    wrong = []
    for summary, cooperative, state, debit, credit, lines in stored:
        if summary in told:
            expected, amount, posted = told[summary]
            if (cooperative, debit, credit, lines) != (expected, amount, amount, 2) or (
                posted and state is not VoucherState.POSTED
            ):
                wrong.append(summary)
    missing = [summary for summary in told if seen[summary] == 0]
    untold = [summary for summary in seen if summary not in told]  # saved, though the user saw it fail
    doubled = [summary for summary, count in seen.items() if count > 1]
    posted = sum(entry[2] for entry in told.values())
    return [
        ("vouchers told saved are there, as typed (amounts, posted)", not (missing or wrong or untold),
         f"{len(told)} told saved, {posted} posted; missing {missing[:3]}, wrong {wrong[:3]}, "
         f"saved though refused {untold[:3]}"),
        ("no voucher saved twice", not doubled, f"{len(seen)} vouchers of the bench; twice: {doubled[:3]}"),
    ]  # fmt: skip


def ticket_check(session: Session, team: list[Accountant]) -> Check:
    """The tickets of each accountant's last imported workbook are there once, with their amounts, and no other."""
    expected = {number: amount for accountant in team for number, amount in accountant.ledger.imported.items()}
    tickets = session.execute(
        select(Trade.ticket_no, func.count(), func.min(Trade.amount))
        .where(Trade.ticket_no.like("AB20%"))
        .group_by(Trade.ticket_no)
    ).all()
    found = {number: amount for number, _count, amount in tickets}
    twice = [number for number, count, _amount in tickets if count > 1]
    lost = [number for number in expected if number not in found]
    extra = [number for number in found if number not in expected]
    changed = [number for number in expected if number in found and found[number] != expected[number]]
    return (
        "every ticket imported is there once, as typed", not (twice or lost or extra or changed),
        f"{len(expected)} imported, {len(found)} found; lost {lost[:3]}, twice {twice[:3]}, "
        f"not imported {extra[:3]}, changed {changed[:3]}",
    )  # fmt: skip


def book_checks(session: Session, team: list[Accountant]) -> list[Check]:
    """No voucher number twice in a month, balanced books, one live distribution a cooperative and year."""
    cooperatives = sorted({accountant.cooperative for accountant in team})
    numbers = session.execute(
        select(Voucher.cooperative_id, Voucher.year, Voucher.month, Voucher.number)
        .group_by(Voucher.cooperative_id, Voucher.year, Voucher.month, Voucher.number)
        .having(func.count() > 1)
    ).all()
    sums = session.execute(
        select(VoucherLine.cooperative_id, func.sum(VoucherLine.debit), func.sum(VoucherLine.credit))
        .where(VoucherLine.cooperative_id.in_(cooperatives))
        .group_by(VoucherLine.cooperative_id)
    ).all()
    unbalanced = [(cooperative, debit, credit) for cooperative, debit, credit in sums if debit != credit]
    live = session.execute(
        select(Distribution.cooperative_id, Distribution.year, func.count())
        .where(Distribution.cooperative_id.in_(cooperatives), Distribution.state.in_(LIVE_STATES))
        .group_by(Distribution.cooperative_id, Distribution.year)
        .having(func.count() > 1)
    ).all()
    planned = session.scalar(select(func.count()).select_from(Distribution).where(Distribution.year == YEAR))
    return [
        ("no voucher number twice in a month", not numbers, f"{len(numbers)} numbers taken twice"),
        ("each cooperative's books balance (debits = credits)", not unbalanced,
         f"{len(sums)} cooperatives; off: {unbalanced[:3]}"),
        ("one live distribution a cooperative and year", not live, f"{planned} plans of {YEAR}; more: {live}"),
    ]  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="postgresql+psycopg://postgres@/postgres?host=/var/run/postgresql",
                        help="a server URL (a scratch database is made there) or sqlite:// (a temp file)")  # fmt: skip
    parser.add_argument("--accountants", type=int, default=ACCOUNTANTS, help="how many (1: one alone, a baseline)")
    parser.add_argument("--seconds", type=float, default=60, help="how long the accountants work")
    parser.add_argument("--threads", type=int, default=8, help="coop admin's request threads")
    parser.add_argument("--trades", type=int, default=30, help="new tickets in each workbook")
    parser.add_argument("--vouchers", type=int, default=3, help="vouchers booked between two imports")
    parser.add_argument("--retries", type=int, default=3, help="times a user presses again after a conflict")
    parser.add_argument("--keep", action="store_true", help="keep the scratch database")
    args = parser.parse_args(argv)
    log = Path(tempfile.gettempdir()) / f"accountants-bench-admin-{os.getpid()}.log"  # kept: the server's errors
    with scratch_database(args.db, args.keep) as url:
        engine = make_engine(url)
        started = time.perf_counter()
        members = prepare(engine, args.accountants)
        print(
            f"{engine.dialect.name}: demo and {len(members)} accountants in {time.perf_counter() - started:.0f} s",
            flush=True,
        )
        port = free_port()
        server = serve(url, port, args.threads, log)
        try:
            team = [Accountant(number, coop, year, f"http://127.0.0.1:{port}", args) for number, coop, year in members]
            together(accountant.sign_in for accountant in team)  # the clock starts when all are signed in
            load_before = os.getloadavg()
            started = time.perf_counter()
            deadline = time.monotonic() + args.seconds
            together(partial(accountant.run, deadline) for accountant in team)
            elapsed = time.perf_counter() - started
            load_after = os.getloadavg()
        finally:
            server.terminate()
            server.wait(30)
        calls = [call for accountant in team for call in accountant.calls]
        print(
            f"{len(team)} accountants, {elapsed:.1f} s (bound {args.seconds:.0f} s), coop admin --threads "
            f"{args.threads}; load average {load_before[0]:.2f} before, {load_after[0]:.2f} after (1 min), "
            f"{load_after[1]:.2f} (5 min)"
        )
        print_calls(calls, elapsed)
        failures = [failure for accountant in team for failure in accountant.ledger.failures]
        for failure in failures:
            print("FAILED", failure)
        results = check(engine, team)
        for name, passed, detail in results:
            print(f"{'ok  ' if passed else 'FAIL'} {name}: {detail}")
        tracebacks = log.read_text(errors="replace").count("Traceback")
        print(f"coop admin's log: {log} ({tracebacks} tracebacks)")
        engine.dispose()
        if args.keep:
            print(f"kept: {url}")
    return 1 if failures or not all(passed for _name, passed, _detail in results) else 0


if __name__ == "__main__":
    sys.exit(main())
