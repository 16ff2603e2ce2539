"""How the 附注 reads: each item as sentences and tables in the reader's language, the same for `coop statements`,
the PDF and the workbook (each formats the tables' cells its own way)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from coopcore.i18n import Lang, format_day, format_money, render
from coopcore.labels import label
from coopcore.rules.statements.notes import GENERATED, ITEMS, Notes, support_totals

Cell = str | int | Decimal | dt.date | None
Kind = Literal["text", "money", "percent", "count", "date"]

TITLE = "Notes to the statements"
NUMBERED = "{number}. {title}"
NOT_WRITTEN = "Not written yet."
STILL_TO_WRITE = {
    2: "Main service targets and main business: not written yet.",
    3: "Chair, directors and supervisors, and their changes: not written yet.",
    7: (
        "Changes of main business, import and export, major disposals, large borrowing, investments and guarantees, "
        "tax relief, pending litigation or arbitration: not written yet."
    ),
}
SHARE_CAPITAL = "Share capital at the end of {year}: {amount}."
MEMBERS = "Members at the end of the year: {members}, of whom farmers {farmers} ({share})."
BUSINESS_TYPE = "Business on the cooperative's record: {business}."
ORGANISATIONS = (
    "Enterprise, institution and social-organisation members (village collectives counted with them): {count} "
    "({share})."
)
EQUITY_TABLE = "Each member's contribution and quantified provident-fund share at the end of {year}"
REGISTER_GAP = (
    "Share capital on the books differs from the contributions in the member accounts by {amount}: look for a "
    "contribution or refund booked on one side only."
)
JOINED = "Members who joined in {year}"
LEFT = "Members who left in {year}"
NONE_JOINED = "No member joined in {year}."
NONE_LEFT = "No member left in {year}."
EQUITY_CHANGES = "Changes in member equity: see the statement of changes in member equity (Form 03)."
SUPPORT = "Fiscal support in {year}"
SUPPORT_TOTALS = (
    "Fiscal support received in the year: {received}; unused money returned: {returned}; subsidy money not yet "
    "spent (special payables) at the end of the year: {unspent}."
)
NO_SUPPORT = "No fiscal support was recorded in {year}."
DONATIONS = "Donations received in {year}"
NO_DONATIONS = "No donation was recorded in {year}."
BUSINESS = "Business with members and with non-members in {year}"
NO_BUSINESS = "No business was recorded in {year}."
ALL_BUSINESS = "All business"
RATE_OF_PLAN = "Provident-fund extraction rate: {rate}, as the year's distribution plan applies it."
RATE_OF_BYLAWS = "Provident-fund extraction rate: {rate}, by the bylaws in force on 31 December."
NO_RATE = "Provident-fund extraction rate: no bylaws in force record one."
PLAN = (
    "Surplus-distribution plan ({state}): surplus of the year {surplus}, provident fund {provident}, distributable "
    "surplus {distributable}, of which returns by patronage {patronage} and residual distribution {residual}."
)
LOSS_PLAN = "Loss plan ({state}): loss of the year {loss}, covered from the surplus reserve {covered}."
PUBLISHED = "Published on {day}."
APPROVED = "Member assembly on {day}: {resolution}"
NO_PLAN = "No surplus-distribution plan for {year} yet."
HEADERS = ("Code", "Name", "Kind", "Contribution", "Provident-fund share", "Left on", "Joined on", "Date",
           "Record", "Project or memo", "Amount", "With members", "Tickets", "With non-members",
           "Members' share", "Kind of business", "Total")  # fmt: skip
TEMPLATES = (TITLE, NUMBERED, NOT_WRITTEN, *STILL_TO_WRITE.values(), SHARE_CAPITAL, MEMBERS, BUSINESS_TYPE,
             ORGANISATIONS, EQUITY_TABLE, REGISTER_GAP, JOINED, LEFT, NONE_JOINED, NONE_LEFT, EQUITY_CHANGES,
             SUPPORT, SUPPORT_TOTALS, NO_SUPPORT, DONATIONS, NO_DONATIONS, BUSINESS, NO_BUSINESS, ALL_BUSINESS,
             RATE_OF_PLAN, RATE_OF_BYLAWS, NO_RATE, PLAN, LOSS_PLAN, PUBLISHED, APPROVED, NO_PLAN, *HEADERS,
             *ITEMS)  # fmt: skip


@dataclass(frozen=True)
class Grid:
    """A table of a notes item: a caption, its columns (header and what they hold), rows, and a totals row."""

    caption: str
    headers: tuple[str, ...]
    kinds: tuple[Kind, ...]
    rows: tuple[tuple[Cell, ...], ...]
    total: tuple[Cell, ...] | None = None


Block = str | Grid


@dataclass(frozen=True)
class Section:
    """One item of the notes: its numbered title and what it says, in order."""

    number: int
    title: str
    blocks: tuple[Block, ...]


def note_sections(notes: Notes, lang: Lang) -> list[Section]:
    """The nine items in order, each with its generated sentences and tables first and the accountant's text last."""
    generated = {2: _basic, 3: _equity, 7: _other_matters}
    sections = []
    for number, title in enumerate(ITEMS, start=1):
        blocks: list[Block] = list(generated[number](notes, lang)) if number in GENERATED else []
        written = notes.texts.get(number, "")
        blocks.append(written or render(STILL_TO_WRITE.get(number, NOT_WRITTEN), lang))
        heading = render(NUMBERED, lang, number=number, title=render(title, lang))
        sections.append(Section(number, heading, tuple(blocks)))
    return sections


def _percent(value: Decimal | None) -> str:
    return "—" if value is None else f"{value}%"


def _words(template: str, lang: Lang, **fields: object) -> str:
    """A sentence: amounts as money, days as days, the rest as they are."""
    shown = {
        name: format_money(value, lang) if isinstance(value, Decimal) else
        format_day(value, lang) if isinstance(value, dt.date) else value
        for name, value in fields.items()
    }  # fmt: skip
    return render(template, lang, **shown)


def _headers(lang: Lang, *names: str) -> tuple[str, ...]:
    return tuple(render(name, lang) for name in names)


def _basic(notes: Notes, lang: Lang) -> list[Block]:
    roster = notes.roster
    blocks: list[Block] = [
        _words(SHARE_CAPITAL, lang, year=notes.year, amount=notes.share_capital),
        render(MEMBERS, lang, members=roster.members, farmers=roster.farmers, share=_percent(roster.farmer_share)),
    ]
    if notes.business_type:
        blocks.append(render(BUSINESS_TYPE, lang, business=notes.business_type))
    return blocks


def _equity(notes: Notes, lang: Lang) -> list[Block]:
    roster = notes.roster
    blocks: list[Block] = [
        render(ORGANISATIONS, lang, count=roster.organisations, share=_percent(roster.organisation_share)),
        Grid(
            render(EQUITY_TABLE, lang, year=notes.year),
            _headers(lang, "Code", "Name", "Kind", "Contribution", "Provident-fund share", "Left on"),
            ("text", "text", "text", "money", "money", "date"),
            tuple(
                (m.code, m.name, label(m.kind, lang), m.contribution, m.provident_share, m.left_on)
                for m in notes.equity
            ),
            (render("Total", lang), None, None, notes.contributions, notes.provident_shares, None),
        ),
    ]
    if notes.register_gap:
        blocks.append(_words(REGISTER_GAP, lang, amount=notes.register_gap))
    for changes, caption, none, header in ((notes.joined, JOINED, NONE_JOINED, "Joined on"),
                                           (notes.left, LEFT, NONE_LEFT, "Left on")):  # fmt: skip
        if not changes:
            blocks.append(render(none, lang, year=notes.year))
            continue
        rows = tuple((c.code, c.name, label(c.kind, lang), c.on) for c in changes)
        blocks.append(Grid(render(caption, lang, year=notes.year), _headers(lang, "Code", "Name", "Kind", header),
                           ("text", "text", "text", "date"), rows))  # fmt: skip
    blocks.append(render(EQUITY_CHANGES, lang))
    return blocks


def _other_matters(notes: Notes, lang: Lang) -> list[Block]:
    blocks: list[Block] = []
    support_headers = _headers(lang, "Date", "Record", "Project or memo", "Amount")
    support_kinds: tuple[Kind, ...] = ("date", "text", "text", "money")
    for records, caption, none in ((notes.support, SUPPORT, NO_SUPPORT), (notes.donations, DONATIONS, NO_DONATIONS)):
        if not records:
            blocks.append(render(none, lang, year=notes.year))
            continue
        listed = tuple((r.on, label(r.kind, lang), r.description, r.amount) for r in records)
        blocks.append(Grid(render(caption, lang, year=notes.year), support_headers, support_kinds, listed))
        if records is notes.support:
            totals = support_totals(records)
            blocks.append(_words(SUPPORT_TOTALS, lang, received=totals.received, returned=totals.returned,
                                 unspent=notes.unspent_subsidy))  # fmt: skip
    if notes.business:
        rows: tuple[tuple[Cell, ...], ...] = tuple(
            (label(b.kind, lang) if b.kind is not None else render(ALL_BUSINESS, lang), b.member_amount,
             b.member_tickets, b.other_amount, b.other_tickets, b.member_share)
            for b in notes.business
        )  # fmt: skip
        headers = _headers(lang, "Kind of business", "With members", "Tickets", "With non-members", "Tickets",
                           "Members' share")  # fmt: skip
        grid = Grid(render(BUSINESS, lang, year=notes.year), headers,
                    ("text", "money", "count", "money", "count", "percent"), rows[:-1], rows[-1])  # fmt: skip
        blocks.append(grid)
    else:
        blocks.append(render(NO_BUSINESS, lang, year=notes.year))
    if notes.provident_rate is None:
        blocks.append(render(NO_RATE, lang))
    else:
        rate = f"{(notes.provident_rate * 100).normalize():f}%"
        blocks.append(render(RATE_OF_PLAN if notes.rate_from_plan else RATE_OF_BYLAWS, lang, rate=rate))
    blocks.extend(_plan(notes, lang))
    return blocks


def _plan(notes: Notes, lang: Lang) -> list[Block]:
    plan = notes.plan
    if plan is None:
        return [render(NO_PLAN, lang, year=notes.year)]
    state = label(plan.state, lang)
    if plan.surplus < 0:
        said = _words(LOSS_PLAN, lang, state=state, loss=-plan.surplus, covered=plan.loss_covered)
    else:
        said = _words(PLAN, lang, state=state, surplus=plan.surplus, provident=plan.provident_fund,
                      distributable=plan.distributable, patronage=plan.patronage_pool,
                      residual=plan.residual_pool)  # fmt: skip
    blocks: list[Block] = [said]
    if plan.published_on is not None:
        blocks.append(_words(PUBLISHED, lang, day=plan.published_on))
    if plan.assembly_on is not None:
        blocks.append(_words(APPROVED, lang, day=plan.assembly_on, resolution=plan.resolution or "—"))
    return blocks
