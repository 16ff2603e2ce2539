"""明细账 (detail ledgers) of a year or a month: per account, and per member on the accounts kept per member
(114, 221, 222, 301), the opening balance, each line with its date, voucher, 摘要, debit, credit, 借/贷 and
running balance, and the period's totals. The figures are coopcore.services.ledger's detail ledgers.

    python -m reports.detail_ledger --db URL --coop CREDIT_CODE --year 2024 [--month 3] [--account 114]
        [--member M002] [--out DIR] [--lang zh|en]
    coop report detail-ledger --coop CREDIT_CODE --year 2024 [--month 3] [--account 114] [--member M002]
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import click
from reportlab.platypus import Flowable, PageBreak, Spacer
from sqlalchemy import select
from sqlalchemy.orm import Session

from coopcore.errors import NotFound, Term
from coopcore.i18n import Lang
from coopcore.models import Account, Cooperative, Member
from coopcore.services import ledger
from coopcore.services.ledger import DetailLedger
from reports import base, pdf, text, xlsx
from reports.cli import Progress, cooperative_command, standalone
from reports.ledger_text import MONTH, balance_cells, blank_zero, output, posted_only, red_negatives
from reports.voucher_rows import period_name

Target = tuple[Account, str | None]  # an account, and a member's code on an account kept per member


def build_detail_ledger(
    session: Session,
    cooperative: Cooperative,
    year: int,
    out_dir: Path,
    lang: Lang = "zh",
    *,
    month: int | None = None,
    account: str | None = None,
    member: str | None = None,
    progress: Progress | None = None,
) -> list[Path]:
    """Write detail ledgers (PDF, each ledger from a new page, and XLSX); return both paths.

    Without `account`, every account without detail accounts that has a balance or entries; without `member`,
    every member with a balance or entries on an account kept per member.
    """
    accounts = ledger.accounts_by_code(session, cooperative)
    query = select(Member.code, Member.name).where(Member.cooperative_id == cooperative.id)
    names = {code: name for code, name in session.execute(query)}
    if member is not None and member not in names:
        raise NotFound(what=Term("Member"), key=member)
    targets = _targets(session, cooperative, accounts, year, month, account, member)
    period = period_name(year, month, lang)
    title = text.tr("Detail ledger {period}", lang, period=period)
    detail = "-".join(part for part in (account, member) if part)
    pdf_path = output(out_dir, cooperative, year, month, "detail ledger", "pdf", lang, detail)
    xlsx_path = output(out_dir, cooperative, year, month, "detail ledger", "xlsx", lang, detail)
    book = xlsx.new_book()
    sheet = xlsx.Sheet(book, text.tr("detail ledger", lang), _xlsx_columns(lang), f"{cooperative.name} {title}", lang)
    letterhead = pdf.Letterhead(title, base.issuer(cooperative, lang), lang)

    def story() -> Iterator[Flowable]:
        printed = 0
        for done, (target, member_code) in enumerate(targets, start=1):
            book_of = ledger.detail_ledger(session, cooperative, target.code, year, member=member_code, month=month)
            if book_of.opening or book_of.rows:
                heading = _heading(target, member_code, names, lang)
                rows = _rows(book_of, month, lang)
                totals = _totals(book_of, month, lang)
                who = [target.code, _account_name(target, lang), member_code or "", names.get(member_code or "", "")]
                for row in rows:
                    sheet.row([*who, *row])
                sheet.row([*who, *totals], total=True)
                if printed:
                    yield PageBreak()
                yield from _ledger(heading, rows, totals, _total_words(month), title, lang)
                printed += 1
            if progress is not None:
                progress(done, len(targets))
        if not printed:
            yield pdf.para(text.tr("No posted entries in {period}.", lang, period=period))

    pdf.ReportDoc(pdf_path, letterhead).build_from(story())
    return [pdf_path, xlsx.save(book, xlsx_path)]


def _targets(
    session: Session,
    cooperative: Cooperative,
    accounts: dict[str, Account],
    year: int,
    month: int | None,
    account: str | None,
    member: str | None,
) -> list[Target]:
    """The ledgers to print: the account asked for, or every account without detail accounts; per member where
    the account is kept per member. Whether a ledger has anything to print is the service's to say: a sale and its
    red reversal leave the period's totals at zero, yet both lines belong in the ledger."""
    if account is not None:
        if account not in accounts:
            raise NotFound(what=Term("Account"), key=account)
        chosen = [accounts[account]]
    else:  # every account without detail accounts; those without a balance or lines print nothing
        parents = {a.parent_id for a in accounts.values() if a.parent_id is not None}
        chosen = [a for _, a in sorted(accounts.items()) if a.id not in parents]
    targets: list[Target] = []
    for chosen_account in chosen:
        kept_per_member = chosen_account.member_detail or any(
            a.member_detail for a in accounts.values() if a.code.startswith(chosen_account.code)
        )
        if member is not None:
            if kept_per_member:
                targets.append((chosen_account, member))
        elif kept_per_member:
            targets += [(chosen_account, code) for code in _members(session, cooperative, chosen_account, year, month)]
        else:
            targets.append((chosen_account, None))
    return targets


def _members(session: Session, cooperative: Cooperative, account: Account, year: int, month: int | None) -> list[str]:
    """The members with a balance at the period's start or lines in it, on an account kept per member."""
    before = (year - 1, 12) if month in (None, 1) else (year, (month or 1) - 1)
    opening = ledger.member_balances(session, cooperative, account.code, *before)
    whole = ledger.detail_ledger(session, cooperative, account.code, year, month=month)
    found = {code for code, balance in opening.items() if balance} | {row.member for row in whole.rows if row.member}
    return sorted(found)


def _rows(book: DetailLedger, month: int | None, lang: Lang) -> list[list[pdf.Cell]]:
    """The opening balance, then each line with the balance after it."""
    opening = "Opening balance of the year" if month is None else "Opening balance of the period"
    rows: list[list[pdf.Cell]] = [[None, "", text.tr(opening, lang), None, None, *balance_cells(book.opening, lang)]]
    for row in book.rows:
        rows.append(
            [
                row.voucher_date,
                row.voucher,
                row.summary,
                blank_zero(row.debit),
                blank_zero(row.credit),
                *balance_cells(row.balance, lang),
            ]
        )
    return rows


def _totals(book: DetailLedger, month: int | None, lang: Lang) -> list[pdf.Cell]:
    """本期合计 (本年合计 for a year): the period's debits and credits, and the closing balance."""
    return [None, "", text.tr(_total_words(month), lang), book.debit, book.credit, *balance_cells(book.closing, lang)]


def _total_words(month: int | None) -> str:
    return "Year total" if month is None else "Period total"


def _ledger(
    heading: str, rows: list[list[pdf.Cell]], totals: list[pdf.Cell], total_words: str, title: str, lang: Lang
) -> Iterator[Flowable]:
    width, _ = pdf.frame_size(pdf.PORTRAIT)
    yield pdf.title(title, 15)
    yield Spacer(1, 4)
    table = pdf.PagedTable(
        _columns(width, lang), lang, caption=heading, size=8, row_height=14, orientation=pdf.PORTRAIT,
        subtotals=False, colours=red_negatives, totals_label=total_words,
    )  # fmt: skip
    yield from table.flowables(rows, totals)
    yield Spacer(1, 4)
    yield pdf.para(posted_only(lang), 8)


def _heading(account: Account, member: str | None, names: dict[str, str], lang: Lang) -> str:
    colon = "：" if lang == "zh" else ": "
    words = text.tr("Account", lang) + colon + f"{account.code} {_account_name(account, lang)}"
    if member is not None:
        gap = "\u00a0" * 6  # a paragraph collapses plain (and ideographic) spaces into one
        words += gap + text.tr("Member", lang) + colon + f"{names.get(member, '')}（{member}）"
    return words


def _account_name(account: Account, lang: Lang) -> str:
    return account.name_en or account.name if lang == "en" else account.name


def _columns(width: float, lang: Lang) -> list[pdf.Column]:
    fixed = 52 + 62 + 76 + 76 + 30 + 80
    return [
        pdf.Column(text.tr("Date", lang), 52, "date"),
        pdf.Column(text.tr("Voucher No.", lang), 62),
        pdf.Column(text.tr("Summary", lang), width - fixed),
        pdf.Column(text.tr("Debit amount", lang), 76, "money", total=True),
        pdf.Column(text.tr("Credit amount", lang), 76, "money", total=True),
        pdf.Column(text.tr("Debit or credit", lang), 30),
        pdf.Column(text.tr("Balance", lang), 80, "money"),
    ]


def _xlsx_columns(lang: Lang) -> list[pdf.Column]:
    def column(header: str, width: float, kind: pdf.Kind = "text") -> pdf.Column:
        return pdf.Column(text.tr(header, lang), 0, kind, xlsx_width=width)

    return [
        column("Account code", 10),
        column("Account name", 18),
        column("Member code", 10),
        column("Member name", 14),
        column("Date", 11, "date"),
        column("Voucher No.", 13),
        column("Summary", 28),
        column("Debit amount", 15, "money"),
        column("Credit amount", 15, "money"),
        column("Debit or credit", 8),
        column("Balance", 15, "money"),
    ]


ACCOUNT = click.option("--account", help="Account code (e.g. 114); every account with entries if left out.")
MEMBER = click.option("--member", help="Member code, on accounts kept per member; every member if left out.")
command = cooperative_command(
    "detail-ledger",
    build_detail_ledger,
    "Detail ledgers (明细账) of the year or a month, per account and per member, with the running balance "
    "(PDF and XLSX).",
    options=(MONTH, ACCOUNT, MEMBER),
    progress="Detail ledgers",
)

if __name__ == "__main__":
    standalone(command, "reports.detail_ledger")
