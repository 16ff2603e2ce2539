"""Any payment runs over any deliveries, guaranteed rents and partly converted distribution keep every household's
owed balance equal to the books, book exactly what they paid and pay nothing twice, on every backend (issue #17).

Each example builds Example 1 with random 2024 deliveries, plans, publishes, approves (random partial or whole
conversions per member, with the resolution) and posts its distribution, then takes random steps in 2025:
deliveries and input purchases, guaranteed rents, runs chosen (random kinds, households, bank or cash, some
back-dated a few days), sent, settled with random returned transfers (序号), cancelled, the old path of paying a
distribution, vouchers posted. After every step the invariants below hold; at the end every open run is settled
and whatever is left is paid, which re-runs the returned lines, and nothing may be left owed.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter
from collections.abc import Iterable
from decimal import ROUND_DOWN, Decimal
from typing import Any

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from coopcore.errors import CoopError
from coopcore.models import (
    Cooperative,
    Distribution,
    Member,
    PaymentRun,
    Product,
    Trade,
)
from coopcore.money import ZERO
from coopcore.rules import entries
from coopcore.rules.entries.accounts import MEMBER_ACCOUNTS, first_level
from coopcore.rules.transfers import transfers
from coopcore.services import distribution as workflow
from coopcore.services import ledger, payouts
from coopcore.services.ledger.balances import net_by_account
from coopcore.services.ledger.books import entry_lines
from coopcore.services.ledger.owed import OWED_ACCOUNTS, member_statements, owed_on
from coopcore.services.ledger.payment_run_events import PAID_FROM, PAYMENT_RUNS
from coopcore.services.ledger.sync import TRADES, sync_events
from coopcore.terms import (
    DistributionState,
    PaymentMethod,
    PaymentRunState,
    PayoutChannel,
    PayoutKind,
    PayoutResult,
    TradeKind,
)
from tests.distribution.builders import make_example_1
from tests.payouts.builders import ACCOUNTS, RESOLUTION, guarantee, post_all

CODES = tuple(ACCOUNTS)  # M01 … M06
PARTS = (PayoutKind.RETURNS, PayoutKind.RESIDUAL)
RETURNS, RESIDUAL = "221", "222"
OPEN = (PaymentRunState.DRAFT, PaymentRunState.SENT)
START = dt.date(2025, 4, 1)  # after the assembly of 20 March 2025
END = dt.date(2025, 12, 31)  # every step's voucher is dated before it; the last run is settled on it

member = st.sampled_from(CODES)
cents = st.integers(1, 3_000_000).map(lambda value: Decimal(value).scaleb(-2))  # 0.01 … 30,000.00
some = st.sets(member, min_size=1, max_size=4).map(sorted)
households = st.one_of(st.none(), st.none(), some)  # None: every household
pick = st.integers(0, 3)  # a run: of the open ones if any, latest first
setup = st.fixed_dictionaries(
    {
        "deliveries": st.lists(st.tuples(member, cents), max_size=4),  # 2024 produce: the patronage
        # Per member: nothing converted, a share converted (percent of the dividend) or all of it [L-44].
        "converted": st.tuples(*[st.one_of(st.none(), st.integers(1, 99), st.just(100))] * len(CODES)),
        "without_account": st.sampled_from(((), (), ("M03",), ("M01", "M05"))),  # a bank run naming them
    }
)
kinds = st.one_of(st.just(sorted(PayoutKind)), st.sets(st.sampled_from(tuple(PayoutKind)), min_size=1).map(sorted))
# A run may be chosen on a day a few days back (the day its list was drawn up, typed in later).
choose = st.tuples(st.just("choose"), kinds, households, st.sampled_from(tuple(PayoutChannel)), st.integers(0, 8))
returned = st.sampled_from(((), (1,), (2,), (1, 3), (2, 5, 9), (4,)))  # transfer numbers, modulo the run's
settle = st.tuples(st.just("settle"), pick, returned)
trade_kind = st.sampled_from((TradeKind.INTAKE, TradeKind.INPUT_PURCHASE))  # delivered, or inputs bought
moves = {
    "choose": choose,
    "settle": settle,
    "deliver": st.tuples(st.just("deliver"), member, cents, trade_kind),
    "rent": st.tuples(st.just("rent"), member, cents),
    "send": st.tuples(st.just("send"), pick),
    "cancel": st.tuples(st.just("cancel"), pick),
    "pay by hand": st.tuples(st.just("pay by hand"), some),
    "post": st.tuples(st.just("post"), st.just(None)),
}
# Runs chosen and settled most often; the move is drawn first (sampled_from draws each alike).
step = st.sampled_from(("choose", "settle", "deliver", "settle", "rent", "choose", "send", "settle", "cancel",
                        "pay by hand", "choose", "post")).flatmap(lambda move: moves[move])  # fmt: skip
days = st.integers(0, 6)  # between two steps
steps = st.tuples(choose, st.lists(st.tuples(days, step), min_size=4, max_size=12))  # a run is chosen first


class NoRun(Exception):
    """A step that needs a run came before any."""


class Books:
    """One example's cooperative and what the steps need to find again."""

    def __init__(self, session: Session, number: int, drawn: dict[str, Any]) -> None:
        self.session = session
        self.number = number
        self.cooperative = make_example_1(session, number=number)
        self.members = {m.code: m for m in session.scalars(select(Member).where(
            Member.cooperative_id == self.cooperative.id))}  # fmt: skip
        self.product = session.scalars(select(Product).where(Product.name == f"示例苹果{number}")).one()
        self.tickets = itertools.count(1)
        self.returned: set[str] = set()  # what a returned line was paying: "221:dl7", "114:m3:rent"
        self.rents: Counter[str] = Counter()  # the guaranteed rent credited, by member code
        for code, amount in drawn["deliveries"]:
            self.trade(code, amount, TradeKind.INTAKE, dt.date(2024, 10, 15))
        sync_events(session, self.cooperative, [TRADES])  # Example 1's own deliveries of September 2024 too
        self.distribution = self.distribute(drawn["converted"])
        for code, (account, bank, name) in ACCOUNTS.items():
            holder = self.members[code]
            if code not in drawn["without_account"]:
                holder.payee_account, holder.payee_bank, holder.payee_name = account, bank, name
        session.flush()

    def trade(self, code: str, amount: Decimal, kind: TradeKind, on: dt.date) -> None:
        trade = Trade(cooperative_id=self.cooperative.id, member_id=self.members[code].id, kind=kind, traded_on=on,
                      product=self.product, quantity=Decimal(1), unit="批", unit_price=amount, amount=amount,
                      ticket_no=f"P{self.number}-{next(self.tickets)}")  # fmt: skip
        self.session.add(trade)
        self.session.flush()
        sync_events(self.session, self.cooperative, [TRADES], {TRADES.ref(f"{on:%Y-%m}", kind.value)})

    def distribute(self, converted: tuple[int | None, ...]) -> Distribution:
        session = self.session
        distribution = workflow.plan_distribution(session, self.cooperative, 2024)
        workflow.publish_distribution(session, distribution, published_on=dt.date(2025, 3, 5))
        conversions = {}
        for line, percent in zip(sorted(distribution.lines, key=lambda line: line.member_code), converted,
                                 strict=True):  # fmt: skip
            share = line.patronage_return + line.residual_distribution
            value = (share * percent / 100).quantize(Decimal("0.01"), ROUND_DOWN) if percent else ZERO
            if value > 0:
                conversions[line.member_code] = value
        event(f"members converting: {len(conversions)}")
        workflow.approve_distribution(session, distribution, assembly_on=dt.date(2025, 3, 20), members_present=6,
                                      votes_for=6, resolution=RESOLUTION, conversions=conversions)  # fmt: skip
        workflow.post_distribution(session, distribution)
        return distribution

    def runs(self) -> list[PaymentRun]:
        """The cooperative's runs, latest first."""
        query = select(PaymentRun).where(PaymentRun.cooperative_id == self.cooperative.id)
        return list(self.session.scalars(query.order_by(PaymentRun.number.desc())))

    def apply(self, on: dt.date, drawn: tuple[Any, ...]) -> None:
        """One step; a refusal (nothing to pay, a run in the wrong state, no account) changes nothing."""
        kind = drawn[0]
        try:
            with self.session.begin_nested():
                self._apply(on, drawn)
        except NoRun:
            event(f"{kind}: no run yet")
        except CoopError as refusal:
            event(f"{kind} refused: {type(refusal).__name__}")
        else:
            event(f"{kind} done")

    def _apply(self, on: dt.date, drawn: tuple[Any, ...]) -> None:
        session, cooperative = self.session, self.cooperative
        kind = drawn[0]
        if kind == "deliver":
            self.trade(drawn[1], drawn[2], drawn[3], on)
        elif kind == "rent":
            guarantee(session, cooperative, self.members[drawn[1]], drawn[2], on)
            self.rents[drawn[1]] += drawn[2]
        elif kind == "choose":
            made_on = on - dt.timedelta(days=drawn[4])
            run = payouts.choose_run(session, cooperative, made_on=made_on, channel=drawn[3], purpose="付款",
                                     kinds=drawn[1], member_codes=drawn[2])  # fmt: skip
            if any(line.claim in self.returned for line in run.lines):
                event("a returned line is chosen again")
        elif kind == "pay by hand":
            workflow.pay_distribution(session, self.distribution, paid_on=on, member_codes=drawn[1])
        elif kind == "post":
            post_all(session, cooperative)
        else:
            runs = [run for run in self.runs() if run.state in OPEN] or self.runs()
            if not runs:
                raise NoRun()
            run = runs[drawn[1] % len(runs)]
            if kind == "send":
                payouts.mark_sent(session, run, on)
            elif kind == "cancel":
                payouts.cancel_run(session, run)
            else:
                self.settle(run, on, drawn[2])

    def settle(self, run: PaymentRun, on: dt.date, returned: Iterable[int]) -> None:
        if run.channel is PayoutChannel.BANK and run.state is PaymentRunState.DRAFT:
            payouts.mark_sent(self.session, run, on)
        found = transfers(run.lines)
        numbers = {(number - 1) % len(found) + 1 for number in returned}
        claims = {line.claim for transfer in found if transfer.number in numbers for line in transfer.lines}
        payouts.settle_run(self.session, run, settled_on=on, returned={number: "账号不存在" for number in numbers})
        self.returned |= {claim for claim in claims if claim}
        if numbers:
            event("a run settled with returned transfers")
        if any(len(transfer.lines) > 1 for transfer in found if transfer.number in numbers):
            event("a transfer of several lines returned")

    def pay_the_rest(self) -> None:
        """Settle every open run whole, then pay in cash whatever is still owed, on the last day."""
        for run in self.runs():
            if run.state in OPEN:
                self.settle(run, END, ())
        try:
            with self.session.begin_nested():
                run = payouts.choose_run(self.session, self.cooperative, made_on=END, channel=PayoutChannel.CASH,
                                         purpose="结清", kinds=tuple(PayoutKind))  # fmt: skip
                if any(line.claim in self.returned for line in run.lines):
                    event("a returned line is chosen again")
                self.settle(run, END, ())
        except payouts.NothingToPay:
            event("nothing left to pay at the end")


def owed(session: Session, cooperative: Cooperative, on: dt.date, *, unposted: bool) -> dict[tuple[str, str], Decimal]:
    """What each household is owed on 114, 221 and 222 at the end of a day (owed.py), by (member code, account)."""
    found = owed_on(session, cooperative, on, include_unposted=unposted)
    return {(m.code, code): m.balances[code] for m in found.members for code in OWED_ACCOUNTS}


def assert_owed_is_the_books(books: Books) -> None:
    """owed.py agrees with the books household by household, posted and with the unposted vouchers counted, and
    each household's statement of 2025 adds up from its opening, through its lines, to its closing."""
    session, cooperative = books.session, books.cooperative
    accounts = {account.id: first_level(code) for code, account in ledger.chart_accounts(session, cooperative).items()
                if account.id is not None and first_level(code) in OWED_ACCOUNTS}  # fmt: skip
    everything = owed(session, cooperative, END, unposted=True)
    posted = owed(session, cooperative, END, unposted=False)
    trial = ledger.trial_balance(session, cooperative, 2025, include_unposted=True)
    for code in OWED_ACCOUNTS:
        in_books = ledger.member_balances(session, cooperative, code, 2025)  # posted vouchers: debit − credit
        for member in books.members.values():
            assert posted.get((member.code, code), ZERO) == -in_books.get(member.code, ZERO), (member.code, code)
        # Every line on the three names its household: the accounts' own balances are the households' summed.
        assert trial.row(code).columns.closing == -sum((v for (_, a), v in everything.items() if a == code), ZERO)
    for member in books.members.values():
        net = net_by_account(session, cooperative.id, before=(2026, 1), accounts=list(accounts), member_id=member.id,
                             include_unposted=True)  # fmt: skip
        for code in OWED_ACCOUNTS:
            in_books = sum((value for account_id, value in net.items() if accounts[account_id] == code), ZERO)
            assert everything.get((member.code, code), ZERO) == -in_books, (member.code, code)
        for code in (RETURNS, RESIDUAL):  # a dividend is never paid beyond what was declared
            assert everything.get((member.code, code), ZERO) >= 0, (member.code, code)

    opening = owed(session, cooperative, dt.date(2024, 12, 31), unposted=True)
    paid = payments(books)
    statements = member_statements(session, cooperative, dt.date(2025, 1, 1), END, include_unposted=True)
    assert {s.code for s in statements} >= {code for (code, _), value in everything.items() if value}
    for statement in statements:
        for code in OWED_ACCOUNTS:
            key = (statement.code, code)
            sums = statement.accounts[code]
            moved = sum((line.change for line in statement.lines if line.account == code), ZERO)
            assert sums.opening == opening.get(key, ZERO), key
            assert sums.closing == sums.opening + sums.credits - sums.debits - sums.payments
            assert sums.closing == sums.opening + moved == everything.get(key, ZERO), key
            # The payments column is what runs and the old path paid out, nothing else (inputs bought are debits).
            assert sums.payments == paid.get(key, ZERO), key


def payments(books: Books) -> Counter[tuple[str, str]]:
    """What was paid out to each household on each account: runs' paid lines, and distribution lines paid by hand."""
    paid: Counter[tuple[str, str]] = Counter()
    for run in books.runs():
        for line in run.lines:
            if line.result is PayoutResult.PAID:
                paid[(line.member.code, line.account)] += line.amount
    for line in books.distribution.lines:
        if line.payment_method is PaymentMethod.CASH:
            returned, residual = entries.net_of_conversion(line.patronage_return, line.residual_distribution,
                                                           line.converted)  # fmt: skip
            paid[(line.member_code, RETURNS)] += returned
            paid[(line.member_code, RESIDUAL)] += residual
    return paid


def assert_runs_book_what_they_paid_once(books: Books) -> None:
    """A settled run's voucher pays each paid line from 102 (bank) or 101 (cash), its total credited to money;
    no other run has a voucher; each part of a distribution line is paid at most once, by one path, in full."""
    session, cooperative = books.session, books.cooperative
    runs = books.runs()
    for run in runs:
        voucher = ledger.event_voucher(session, cooperative, PAYMENT_RUNS.ref(run.id))
        paid = [line for line in run.lines if line.result is PayoutResult.PAID]
        if run.state is PaymentRunState.SETTLED:
            assert {line.result for line in run.lines} <= {PayoutResult.PAID, PayoutResult.RETURNED}
        for transfer in transfers(run.lines):  # a transfer is paid or returned whole, with one reason
            assert len({(line.result, line.return_reason) for line in transfer.lines}) == 1, run.number
            assert len({(line.payee_name, line.payee_account, line.payee_bank) for line in transfer.lines}) == 1
        if run.state is not PaymentRunState.SETTLED:
            assert not paid
        if not paid:
            assert voucher is None, run.number
            continue
        assert voucher is not None and voucher.voucher_date == run.settled_on
        lines = entry_lines(session, voucher)
        money = Counter[str]()
        for entry in lines:
            money[first_level(entry.account)] += entry.credit
        money = +money
        assert money == Counter({PAID_FROM[run.channel]: sum((line.amount for line in paid), ZERO)}), run.number
        debits = Counter[tuple[str | None, str]]()
        for entry in lines:
            debits[(entry.member, first_level(entry.account))] += entry.debit
        expected = Counter[tuple[str | None, str]]()
        for line in paid:
            expected[(line.member.code, line.account)] += line.amount
        assert +debits == expected, run.number
    every = [line for run in runs for line in run.lines]
    for line in every:  # what a line holds: pending in an open run, a paid dividend part for good
        holds = line.result is PayoutResult.PENDING and line.run.state in OPEN
        holds |= line.result is PayoutResult.PAID and line.account != MEMBER_ACCOUNTS
        assert (line.claim is not None) == holds, (line.run.number, line.line_no)
    for share in books.distribution.lines:
        parts = dict(zip(PARTS, entries.net_of_conversion(share.patronage_return, share.residual_distribution,
                                                          share.converted), strict=True))  # fmt: skip
        for kind, part in parts.items():
            mine = [line for line in every if line.distribution_line_id == share.id and line.kind is kind]
            paid_lines = [line for line in mine if line.result is PayoutResult.PAID]
            held = [line for line in mine if line.claim is not None]
            assert len(paid_lines) <= 1 and len(held) <= 1, (share.member_code, kind)
            assert all(line.amount == part for line in mine), (share.member_code, kind)
            if share.payment_method is PaymentMethod.CASH:  # paid by hand: no run pays or holds it
                assert not paid_lines and not held, share.member_code
        by_runs = all(any(line.distribution_line_id == share.id and line.kind is kind and line.result is
                          PayoutResult.PAID for line in every) for kind, part in parts.items() if part)  # fmt: skip
        if share.payment_method is PaymentMethod.RUN:
            assert by_runs, share.member_code
        elif share.paid_on is None:
            assert not (by_runs and any(parts.values())), share.member_code
    # Of 114, no household is ever paid more rent, or more produce money, than it was credited.
    delivered = Counter[str]()
    query = select(Trade.member_id, Trade.amount).where(Trade.cooperative_id == cooperative.id,
                                                        Trade.kind == TradeKind.INTAKE)  # fmt: skip
    codes = {m.id: m.code for m in books.members.values()}
    for member_id, amount in session.execute(query):
        delivered[codes[member_id]] += amount
    credited = {PayoutKind.RENT: books.rents, PayoutKind.PRODUCE: delivered}
    for kind, credits in credited.items():
        paid_out = Counter[str]()
        for line in every:
            if line.kind is kind and line.result is PayoutResult.PAID:
                paid_out[line.member.code] += line.amount
        for code, amount in paid_out.items():
            assert amount <= credits[code], (code, kind)
    done = all(share.paid_on is not None for share in books.distribution.lines)
    assert (books.distribution.state is DistributionState.PAID) == done


def assert_nothing_held_is_offered(books: Books, on: dt.date) -> None:
    """payable_items offers no part a run holds or paid, and of 114 no more than is owed less what runs hold."""
    session, cooperative = books.session, books.cooperative
    items = payouts.payable_items(session, cooperative, kinds=tuple(PayoutKind), on=on)
    every = [line for run in books.runs() for line in run.lines]
    held = {line.claim for line in every if line.claim is not None}
    assert len({item.claim for item in items}) == len(items)
    assert not held & {item.claim for item in items}
    shares = {share.id: share for share in books.distribution.lines}
    for item in items:
        if item.distribution_line_id is not None:
            share = shares[item.distribution_line_id]
            assert share.paid_on is None
            part = dict(zip(PARTS, entries.net_of_conversion(share.patronage_return, share.residual_distribution,
                                                             share.converted), strict=True))[item.kind]  # fmt: skip
            assert item.amount == part
            assert not [line for line in every if line.distribution_line_id == share.id and line.kind is item.kind
                        and line.result is not PayoutResult.RETURNED and line.run.state is not
                        PaymentRunState.CANCELLED]  # fmt: skip
    balances = owed(session, cooperative, on, unposted=True)
    for member in books.members.values():
        pending = [line for line in every if line.member_id == member.id and line.account == MEMBER_ACCOUNTS
                   and line.claim is not None]  # fmt: skip
        later = sum((line.amount for line in every if line.member_id == member.id and line.account ==
                     MEMBER_ACCOUNTS and line.result is PayoutResult.PAID and line.run.settled_on and
                     line.run.settled_on > on), ZERO)  # fmt: skip
        offered = sum((item.amount for item in items if item.member_id == member.id and item.account ==
                       MEMBER_ACCOUNTS), ZERO)  # fmt: skip
        left = max(ZERO, balances.get((member.code, MEMBER_ACCOUNTS), ZERO) - later -
                   sum((line.amount for line in pending), ZERO))  # fmt: skip
        assert offered <= left, member.code
        if not pending:  # every credit is rent or produce: all of what is owed can be paid
            assert offered == left, member.code


def assert_everything_holds(books: Books, on: dt.date) -> None:
    books.session.expire_all()
    assert_owed_is_the_books(books)
    assert_runs_book_what_they_paid_once(books)
    assert_nothing_held_is_offered(books, on)


def test_any_payment_runs_keep_what_each_household_is_owed_equal_to_the_books(engine: Engine, backend: str) -> None:
    examples = {"sqlite": 20, "postgresql": 15, "mysql": 12}[backend]  # backend: the dialect name
    numbers = itertools.count(1)

    @settings(max_examples=examples, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(drawn=setup, walk=steps)
    def check(drawn: dict[str, Any], walk: tuple[tuple[Any, ...], list[tuple[int, tuple[Any, ...]]]]) -> None:
        with engine.connect() as connection:
            outer = connection.begin()
            with Session(bind=connection, join_transaction_mode="create_savepoint") as session:
                books = Books(session, next(numbers), drawn)
                on = START
                assert_everything_holds(books, on)
                first, rest = walk
                for gap, drawn_step in [(0, first), *rest]:
                    on += dt.timedelta(days=gap)
                    books.apply(on, drawn_step)
                    assert_everything_holds(books, on)
                books.pay_the_rest()
                assert_everything_holds(books, END)
                left = owed(session, books.cooperative, END, unposted=True)
                assert payouts.payable_items(session, books.cooperative, kinds=tuple(PayoutKind), on=END) == []
                assert all(value == 0 for (_, code), value in left.items() if code != MEMBER_ACCOUNTS), left
                assert all(value <= 0 for value in left.values()), left  # 114: nothing owed that no run can pay
                # Paid, unless the assembly converted every dividend whole: then there was nothing to pay.
                payable = any(line.payable for line in books.distribution.lines)
                assert books.distribution.state is DistributionState.PAID or not payable
                post_all(session, books.cooperative)
                assert owed(session, books.cooperative, END, unposted=False) == left
                assert_everything_holds(books, END)
            outer.rollback()

    check()
