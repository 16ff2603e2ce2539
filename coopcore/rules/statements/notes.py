"""The 附注 (notes to the statements, [KJ 第五十八条; 附录 (四)]): its nine items in order, and the figures of
items 2, 3 and 7 that come from the books and the register, as values (pure: the service loads the records)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from coopcore.money import ZERO, round_half_up
from coopcore.rules.findings import Finding, error
from coopcore.terms import DistributionState, FundForm, FundSource, MemberKind, SpecialPayableKind, TradeKind

# domain.md §2.3, in this order; the English is the translation key (notes.po has the official Chinese).
ITEMS: tuple[str, ...] = (
    "Statement of compliance with the accounting rules for farmer cooperatives",
    "Basic information of the cooperative",
    "Structure of member equity",
    "Further explanation of important items of the statements",
    "Losses incurred and not yet approved for write-off",
    "Assets carried at a nominal value of one yuan",
    "Other important matters",
    "Reconciliation of the surplus to the Enterprise Income Tax Law",
    "Other matters the law requires to be disclosed",
)
GENERATED = frozenset({2, 3, 7})  # items the books and the register fill; the accountant's text adds to them
LONGEST = 20_000  # characters of one item's text: pages of a notes item, not a book

NO_SUCH_ITEM = "The notes have items 1 to 9; there is no item {value}."
TOO_LONG = "The text of a notes item may be {most} characters at most; this one has {length}."


def check_note(item: int | None, body: str | None) -> list[Finding]:
    """A notes item is one of the nine, and its text is a few pages at most."""
    if item is not None and not 1 <= item <= len(ITEMS):
        return error("note_item", NO_SUCH_ITEM, key="item", article="KJ 58", value=item)
    if body is not None and len(body.strip()) > LONGEST:
        return error("note_length", TOO_LONG, key="body", most=LONGEST, length=len(body.strip()))
    return []


def clean_text(body: str | None) -> str:
    """An item's text as kept: without the blank lines and spaces around it (a form's textarea adds some)."""
    return (body or "").strip()


def percent(part: Decimal | int, whole: Decimal | int) -> Decimal | None:
    """part of whole in percent, half up (四舍五入) to 0.01; None when the whole is zero (no share to speak of)."""
    if not whole:
        return None
    return round_half_up(Decimal(part) * 100 / Decimal(whole))


@dataclass(frozen=True)
class Roster:
    """Item 2 and 3: who is on the roster at the year's end, counted as [L-20] counts them."""

    members: int
    farmers: int
    organisations: int  # enterprises, institutions, social organisations and village collectives (domain.md §1.1)

    @property
    def farmer_share(self) -> Decimal | None:
        return percent(self.farmers, self.members)

    @property
    def organisation_share(self) -> Decimal | None:
        return percent(self.organisations, self.members)


def count_roster(kinds: Iterable[MemberKind]) -> Roster:
    """Count the members on a roster by their kinds."""
    counted = list(kinds)
    return Roster(
        members=len(counted),
        farmers=sum(kind is MemberKind.FARMER for kind in counted),
        organisations=sum(kind.is_organisation for kind in counted),
    )


@dataclass(frozen=True)
class MemberEquity:
    """Item 3: a member's 出资 and quantified 公积金份额 at the year's end, from the member account; a member who
    has left and is not yet paid back (left_on) still holds them, and 股金 on the books with them."""

    code: str
    name: str
    kind: MemberKind
    contribution: Decimal
    provident_share: Decimal
    left_on: dt.date | None = None


@dataclass(frozen=True)
class RosterChange:
    """Item 3: a member who joined or left in the year, and the day."""

    code: str
    name: str
    kind: MemberKind
    on: dt.date


@dataclass(frozen=True)
class Support:
    """Item 7: a record of fiscal support (国家财政直接补助) or a donation of the year."""

    on: dt.date
    kind: SpecialPayableKind | FundForm  # 235 money moved, or 311 property formed (and how)
    source: FundSource
    amount: Decimal
    description: str  # the project, or the record's memo

    @property
    def received(self) -> bool:
        """True for what came in: money to 235, property given as it is, money donated. Property bought with
        235 money (FundForm.FROM_SUBSIDY) and money spent or applied came in before: counted once, on arrival."""
        return self.kind in (SpecialPayableKind.RECEIVED, FundForm.ASSET, FundForm.CASH)


@dataclass(frozen=True)
class SupportTotals:
    received: Decimal
    returned: Decimal


def support_totals(records: Iterable[Support]) -> SupportTotals:
    """What came in during the year, and what subsidy money was returned."""
    kept = list(records)
    return SupportTotals(
        received=sum((r.amount for r in kept if r.received), ZERO),
        returned=sum((r.amount for r in kept if r.kind is SpecialPayableKind.RETURNED), ZERO),
    )


@dataclass(frozen=True)
class Business:
    """Item 7 ([L-41], [L-43]): business of one kind with members and with non-members, kept apart."""

    kind: TradeKind | None  # None: all kinds together
    member_amount: Decimal = ZERO
    member_tickets: int = 0
    other_amount: Decimal = ZERO
    other_tickets: int = 0

    @property
    def member_share(self) -> Decimal | None:
        """Members' part of the amount, in percent."""
        return percent(self.member_amount, self.member_amount + self.other_amount)


def business_by_kind(rows: Iterable[tuple[TradeKind, bool, Decimal, int]]) -> tuple[Business, ...]:
    """Each kind's business (rows: kind, with a member, amount, tickets) in TradeKind's order, then all together."""
    found: dict[TradeKind, Business] = {}
    for kind, with_member, amount, tickets in rows:
        old = found.get(kind, Business(kind))
        if with_member:
            old = Business(kind, old.member_amount + amount, old.member_tickets + tickets, old.other_amount,
                           old.other_tickets)  # fmt: skip
        else:
            old = Business(kind, old.member_amount, old.member_tickets, old.other_amount + amount,
                           old.other_tickets + tickets)  # fmt: skip
        found[kind] = old
    kinds = [found[kind] for kind in TradeKind if kind in found]
    total = Business(
        None,
        sum((b.member_amount for b in kinds), ZERO),
        sum(b.member_tickets for b in kinds),
        sum((b.other_amount for b in kinds), ZERO),
        sum(b.other_tickets for b in kinds),
    )
    return (*kinds, total) if kinds else ()


@dataclass(frozen=True)
class Plan:
    """Item 7: the year's surplus-distribution (or loss) plan as it stands, from the distribution workflow."""

    state: DistributionState
    surplus: Decimal  # 本年盈余 (negative: a loss)
    loss_covered: Decimal  # a loss covered from 盈余公积 (02表 line 14)
    provident_fund: Decimal
    distributable: Decimal
    patronage_pool: Decimal
    residual_pool: Decimal
    published_on: dt.date | None
    assembly_on: dt.date | None
    resolution: str


@dataclass(frozen=True)
class Notes:
    """The nine items of a year's 附注: the accountant's text of each, and what the records say for 2, 3 and 7."""

    year: int
    texts: dict[int, str]  # by item number; an item nobody wrote is ""
    share_capital: Decimal  # 01表 line 36 期末余额
    business_type: str  # what the cooperative's record says it does
    roster: Roster
    equity: tuple[MemberEquity, ...]
    joined: tuple[RosterChange, ...]
    left: tuple[RosterChange, ...]
    support: tuple[Support, ...]  # fiscal support of the year
    donations: tuple[Support, ...]
    unspent_subsidy: Decimal  # 01表 line 33 专项应付款 期末余额
    business: tuple[Business, ...]
    provident_rate: Decimal | None  # a fraction (0.10)
    rate_from_plan: bool  # the rate frozen with the year's plan, not the bylaws in force on 31 December
    plan: Plan | None

    @property
    def contributions(self) -> Decimal:
        return sum((member.contribution for member in self.equity), ZERO)

    @property
    def register_gap(self) -> Decimal:
        """What 股金 on the books holds beyond (or short of) the contributions the member accounts record."""
        return self.share_capital - self.contributions

    @property
    def provident_shares(self) -> Decimal:
        return sum((member.provident_share for member in self.equity), ZERO)
