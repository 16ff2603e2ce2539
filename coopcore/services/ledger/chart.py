"""A cooperative's chart of accounts: copied from a chart kept as data, and its own detail accounts."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from coopcore.db.locks import hold
from coopcore.errors import NotFound, Term
from coopcore.models import Account, Cooperative
from coopcore.rules.ledger import AccountRule, check_detail_account
from coopcore.services.ledger.errors import AccountCodeNotDigits, AccountCodeNotUnder, AccountCodeTaken
from coopcore.terms import AccountClass, Side

CHARTS = Path(__file__).resolve().parents[2] / "charts"
DEFAULT_CHART = "cooperative_2021"  # 财会〔2021〕37号, 附录一
REFUSALS = {cls.__doc__: cls for cls in (AccountCodeNotDigits, AccountCodeTaken, AccountCodeNotUnder)}


@dataclass(frozen=True)
class ChartRow:
    """One account of a chart definition (a row of coopcore/charts/<chart>.csv)."""

    code: str
    parent: str
    name: str
    name_en: str
    account_class: AccountClass
    side: Side
    member_detail: bool
    poverty_split: bool
    optional: bool


@cache
def chart_rows(chart: str = DEFAULT_CHART) -> tuple[ChartRow, ...]:
    """The accounts of a chart, parents before their detail accounts."""
    path = CHARTS / f"{chart}.csv"
    if not path.is_file():
        raise NotFound(what=Term("Chart of accounts"), key=chart)
    with path.open(encoding="utf-8", newline="") as handle:
        return tuple(
            ChartRow(
                row["code"],
                row["parent"],
                row["name"],
                row["name_en"],
                AccountClass(row["class"]),
                Side(row["side"]),
                row["member_detail"] == "yes",
                row["poverty_split"] == "yes",
                row["optional"] == "yes",
            )
            for row in csv.DictReader(handle)
        )


def seed_chart(session: Session, cooperative: Cooperative, chart: str = DEFAULT_CHART) -> list[Account]:
    """Copy a chart into the cooperative's accounts; accounts it already has stay as they are (idempotent).

    The optional accounts (109 其他货币资金, 122 包装物) are copied too and in use: a cooperative that does not
    need one simply books nothing to it.
    """
    hold(session, cooperative)  # two first uses of the books at once must not both seed
    existing = {account.code: account for account in _accounts(session, cooperative)}
    added = []
    for row in chart_rows(chart):
        if row.code in existing:
            continue
        account = Account(
            cooperative_id=cooperative.id,
            code=row.code,
            name=row.name,
            name_en=row.name_en,
            account_class=row.account_class,
            side=row.side,
            member_detail=row.member_detail,
            poverty_split=row.poverty_split,
            chart=chart,
            parent=existing[row.parent] if row.parent else None,
        )
        session.add(account)
        existing[row.code] = account
        added.append(account)
    session.flush()
    return added


def ensure_chart(session: Session, cooperative: Cooperative) -> None:
    """Give a cooperative its chart the first time its books are used."""
    if not session.scalar(select(exists().where(Account.cooperative_id == cooperative.id))):
        seed_chart(session, cooperative)


def add_account(
    session: Session, cooperative: Cooperative, code: str, name: str, parent_code: str, *, name_en: str = ""
) -> Account:
    """Add a detail account (50101 苹果销售 under 501): it keeps its parent's class, side and auxiliaries."""
    ensure_chart(session, cooperative)
    hold(session, cooperative)
    code = code.strip()
    accounts = {account.code: account for account in _accounts(session, cooperative)}
    parent = accounts.get(parent_code.strip())
    if parent is None:
        raise NotFound(what=Term("Account"), key=parent_code)
    for finding in check_detail_account(code, parent.code, accounts):
        fields: dict[str, Any] = dict(finding.fields)
        raise REFUSALS[finding.template](**fields)
    account = Account(
        cooperative_id=cooperative.id,
        code=code,
        name=name.strip(),
        name_en=name_en.strip(),
        account_class=parent.account_class,
        side=parent.side,
        parent=parent,
        member_detail=parent.member_detail,
        poverty_split=parent.poverty_split,
        chart="",
    )
    session.add(account)
    session.flush()
    return account


def accounts_by_code(session: Session, cooperative: Cooperative) -> dict[str, Account]:
    """The cooperative's accounts by code (its chart seeded first if it has none yet)."""
    ensure_chart(session, cooperative)
    return {account.code: account for account in _accounts(session, cooperative)}


def chart_accounts(session: Session, cooperative: Cooperative) -> dict[str, Account]:
    """The cooperative's accounts by code, for reading: a cooperative whose books were never used has its chart's,
    unsaved (a report writes nothing, and there is no line on them to read)."""
    accounts = {account.code: account for account in _accounts(session, cooperative)}
    if accounts:
        return accounts
    for row in chart_rows(DEFAULT_CHART):
        accounts[row.code] = Account(
            cooperative_id=cooperative.id, code=row.code, name=row.name, name_en=row.name_en,
            account_class=row.account_class, side=row.side, member_detail=row.member_detail,
            poverty_split=row.poverty_split, chart=DEFAULT_CHART, parent=accounts[row.parent] if row.parent else None,
        )  # fmt: skip
    return accounts


def stored_accounts(session: Session, cooperative: Cooperative) -> dict[str, Account]:
    """The accounts the cooperative's books hold, by code (none before its books are first used)."""
    return {account.code: account for account in _accounts(session, cooperative)}


def account_rules(accounts: dict[str, Account]) -> dict[str, AccountRule]:
    """What the voucher checks need of each account: in use, without detail accounts, its auxiliaries."""
    parents = {account.parent_id for account in accounts.values() if account.parent_id is not None}
    return {
        code: AccountRule(
            code, account.is_active, account.id not in parents, account.member_detail, account.poverty_split
        )
        for code, account in accounts.items()
    }


def _accounts(session: Session, cooperative: Cooperative) -> list[Account]:
    return list(session.scalars(select(Account).where(Account.cooperative_id == cooperative.id)))
