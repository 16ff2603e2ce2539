"""收支 rows in the books: their 对方科目 (counter_account), every cooperative's chart, a voucher for every row

From here on 本年盈余 is read from the books (coopcore.services.year_end.year_surplus), no longer summed from
the 收支 rows. A database written before the books existed has 收支 rows and no account or voucher; this
revision gives it what the release that introduced the books would have booked, so that every cooperative's
本年盈余 of every year is the same figure after the upgrade as before:

- income_expense.counter_account, the 对方科目 a row is booked against: 102 银行存款 for every existing row
  (what every row was booked against until now).
- every cooperative without accounts gets the 2021 chart (coopcore/charts/cooperative_2021.csv as it is in this
  revision, copied below: the migration must not change when the chart file does later).
- every 收支 row without a voucher (source_ref "income_expense:<id>", or a later version "…#2") gets one, a draft
  booked by "system" with origin income_expense, numbered after the last voucher of its month, with the lines
  coopcore.services.ledger.sync books for it: a land guarantee Dr 521 / Cr 114—its household, a federation's
  returns Dr 113—the federation / Cr 511, any other row Dr counter / Cr 5xx for income and Dr 5xx / Cr counter
  for an expense (an investment loss the other way round). A row of zero books nothing, as in sync.

Written in core SQL with its own copies of the chart and of those line rules (today's models and rules change
later; this revision must keep doing what it did). Idempotent: a row already booked is left alone, so a
database that the books' own release kept up to date gets only the new column. Bulk inserts: a few statements
whatever the number of rows. The audit trail (*_version) gets no rows for what is booked here, as for any
bulk write. Downgrade drops the column and leaves the books as they are (they are the vouchers the previous
revision's code books for the same rows).

Revision ID: 5b7d3e9a1c42
Revises: 9ebc1ea3f4b6
Create Date: 2026-12-07 09:00:00.000000
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from alembic import op

from coopcore.db.types import ExactDecimal

revision: str = "5b7d3e9a1c42"
down_revision: str | None = "9ebc1ea3f4b6"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BANK = "102"
CHART_NAME = "cooperative_2021"
CHART = """\
code,parent,name,name_en,class,side,member_detail,poverty_split
101,,库存现金,Cash on hand,asset,debit,no,no
102,,银行存款,Bank deposits,asset,debit,no,no
109,,其他货币资金,Other monetary funds,asset,debit,no,no
113,,应收款,Receivables,asset,debit,no,no
114,,成员往来,Member current accounts,asset,debit,yes,no
121,,产品物资,Products and materials,asset,debit,no,no
122,,包装物,Packaging,asset,debit,no,no
124,,委托加工物资,Materials in outside processing,asset,debit,no,no
125,,委托代销商品,Goods consigned for sale,asset,debit,no,no
127,,受托代购商品,Goods purchased on behalf,asset,debit,no,no
128,,受托代销商品,Goods held for sale on behalf,asset,debit,no,no
131,,对外投资,Investments,asset,debit,no,no
141,,消耗性生物资产,Consumable biological assets,asset,debit,no,yes
142,,生产性生物资产,Productive biological assets,asset,debit,no,yes
143,,生产性生物资产累计折旧,Accumulated depreciation of productive biological assets,asset,credit,no,no
144,,公益性生物资产,Public-welfare biological assets,asset,debit,no,no
151,,固定资产,Fixed assets,asset,debit,no,yes
152,,累计折旧,Accumulated depreciation,asset,credit,no,no
153,,在建工程,Construction in progress,asset,debit,no,no
154,,固定资产清理,Disposal of fixed assets,asset,debit,no,no
161,,无形资产,Intangible assets,asset,debit,no,yes
162,,累计摊销,Accumulated amortisation,asset,credit,no,no
171,,长期待摊费用,Long-term deferred expenses,asset,debit,no,no
181,,待处理财产损溢,Property losses pending,asset,debit,no,no
201,,短期借款,Short-term borrowings,liability,credit,no,no
211,,应付款,Payables,liability,credit,no,no
212,,应付工资,Wages payable,liability,credit,no,no
213,,应付劳务费,Labour fees payable,liability,credit,no,no
214,,应交税费,Taxes payable,liability,credit,no,no
215,,应付利息,Interest payable,liability,credit,no,no
221,,应付盈余返还,Patronage returns payable,liability,credit,yes,no
222,,应付剩余盈余,Residual surplus payable,liability,credit,yes,no
231,,长期借款,Long-term borrowings,liability,credit,no,no
235,,专项应付款,Special payables,liability,credit,no,no
301,,股金,Share capital,equity,credit,yes,no
311,,专项基金,Special fund,equity,credit,no,no
321,,资本公积,Capital reserve,equity,credit,no,no
322,,盈余公积,Surplus reserve,equity,credit,no,no
331,,本年盈余,Surplus of the year,equity,credit,no,no
332,,盈余分配,Surplus distribution,equity,credit,no,no
33201,332,各项分配,Distributions,equity,credit,no,no
33202,332,未分配盈余,Undistributed surplus,equity,credit,no,no
401,,生产成本,Production cost,cost,debit,no,no
501,,经营收入,Operating income,income,credit,no,no
502,,其他收入,Other income,income,credit,no,no
511,,投资收益,Investment income,income,credit,no,no
521,,经营支出,Operating expense,expense,debit,no,no
522,,税金及附加,Taxes and surcharges,expense,debit,no,no
523,,管理费用,Administrative expense,expense,debit,no,no
524,,财务费用,Finance expense,expense,debit,no,no
529,,其他支出,Other expense,expense,debit,no,no
531,,所得税费用,Income tax expense,expense,debit,no,no
"""
PREFIX = "income_expense:"
VERSION = "#"
SYSTEM = "system"
CHUNK = 2000
# 收支 categories: (their account, the 摘要 of a row without a memo, whether income) as coopcore.rules.entries has them.
CATEGORIES = {
    "operating_income": ("501", "经营收入", True),
    "other_income": ("502", "其他收入", True),
    "investment_income": ("511", "投资收益", True),
    "operating_expense": ("521", "经营支出", False),
    "taxes": ("522", "税金及附加", False),
    "admin_expense": ("523", "管理费用", False),
    "finance_expense": ("524", "财务费用", False),
    "other_expense": ("529", "其他支出", False),
    "income_tax": ("531", "所得税费用", False),
}
LAND_GUARANTEE = "土地入股保底收益"  # Dr 521 / Cr 114—household (coopcore.rules.entries.land_guarantee)
FEDERATION_RETURN = "应收联合社盈余返还"  # Dr 113—federation / Cr 511 (federation_return_declared)
ZERO = Decimal("0.00")

money = ExactDecimal(14, 2)
cooperative = sa.table("cooperative", sa.column("id", sa.Integer), sa.column("name", sa.String))
distribution = sa.table("distribution", sa.column("id", sa.Integer), sa.column("cooperative_id", sa.Integer))
member = sa.table("member", sa.column("id", sa.Integer), sa.column("cooperative_id", sa.Integer))
account = sa.table(
    "account",
    *(sa.column(name, sa.Integer) for name in ("id", "cooperative_id", "parent_id")),
    *(sa.column(name, sa.String) for name in ("code", "name", "name_en", "account_class", "side", "chart")),
    *(sa.column(name, sa.Boolean) for name in ("member_detail", "poverty_split", "is_active")),
)
income_expense = sa.table(
    "income_expense",
    sa.column("id", sa.Integer),
    sa.column("cooperative_id", sa.Integer),
    sa.column("recorded_on", sa.Date),
    sa.column("amount", money),
    *(sa.column(name, sa.String) for name in ("category", "memo", "source", "origin", "counter_account")),
)
voucher = sa.table(
    "voucher",
    *(sa.column(name, sa.Integer) for name in ("id", "cooperative_id", "year", "month", "number", "attachments")),
    sa.column("voucher_date", sa.Date),
    *(sa.column(name, sa.String) for name in ("word", "summary", "state", "prepared_by", "audited_by", "posted_by")),
    *(sa.column(name, sa.String) for name in ("origin", "source_ref")),
)
voucher_line = sa.table(
    "voucher_line",
    *(sa.column(name, sa.Integer) for name in ("voucher_id", "line_no", "cooperative_id", "year", "month")),
    *(sa.column(name, sa.Integer) for name in ("account_id", "member_id")),
    *(sa.column(name, sa.String) for name in ("summary", "counterparty", "project")),
    sa.column("debit", money),
    sa.column("credit", money),
)
Line = tuple[str, Decimal, Decimal, str, int | None, str]  # account, debit, credit, 摘要, member id, counterparty


def upgrade() -> None:
    with op.batch_alter_table("income_expense") as batch_op:
        batch_op.add_column(sa.Column("counter_account", sa.String(length=20), server_default=BANK, nullable=False))
    with op.batch_alter_table("income_expense_version") as batch_op:
        batch_op.add_column(
            sa.Column("counter_account", sa.String(length=20), server_default=BANK, autoincrement=False, nullable=True)
        )
    connection = op.get_bind()
    _seed_charts(connection)
    _book_income_expense(connection)


def downgrade() -> None:
    with op.batch_alter_table("income_expense_version") as batch_op:
        batch_op.drop_column("counter_account")
    with op.batch_alter_table("income_expense") as batch_op:
        batch_op.drop_column("counter_account")


def _seed_charts(connection: sa.Connection) -> None:
    """The chart for every cooperative without accounts (one that has any was seeded whole by the books' code)."""
    seeded = set(connection.scalars(sa.select(account.c.cooperative_id).distinct()))
    missing = [id_ for id_ in connection.scalars(sa.select(cooperative.c.id)) if id_ not in seeded]
    rows = list(csv.DictReader(io.StringIO(CHART)))
    done: set[str] = set()
    while len(done) < len(rows):  # parents before their detail accounts
        level = [row for row in rows if row["code"] not in done and (not row["parent"] or row["parent"] in done)]
        parents = _account_ids(connection) if any(row["parent"] for row in level) else {}
        values = [
            {
                "cooperative_id": cooperative_id,
                "code": row["code"],
                "name": row["name"],
                "name_en": row["name_en"],
                "account_class": row["class"],
                "side": row["side"],
                "parent_id": parents[cooperative_id, row["parent"]] if row["parent"] else None,
                "member_detail": row["member_detail"] == "yes",
                "poverty_split": row["poverty_split"] == "yes",
                "is_active": True,
                "chart": CHART_NAME,
            }
            for cooperative_id in missing
            for row in level
        ]
        for chunk in _chunks(values):
            connection.execute(account.insert(), chunk)
        done |= {row["code"] for row in level}


def _account_ids(connection: sa.Connection) -> dict[tuple[int, str], int]:
    query = sa.select(account.c.cooperative_id, account.c.code, account.c.id)
    return {(cooperative_id, code): id_ for cooperative_id, code, id_ in connection.execute(query)}


def _book_income_expense(connection: sa.Connection) -> None:
    """A draft voucher for every 收支 row not booked yet, numbered after its month's last voucher."""
    refs = sa.select(voucher.c.source_ref).where(voucher.c.source_ref.like(PREFIX + "%"))
    booked = {str(ref).split(VERSION, 1)[0] for ref in connection.scalars(refs)}
    last = sa.select(voucher.c.cooperative_id, voucher.c.year, voucher.c.month, sa.func.max(voucher.c.number))
    numbers = {
        (cooperative_id, year, month): number
        for cooperative_id, year, month, number in connection.execute(
            last.group_by(voucher.c.cooperative_id, voucher.c.year, voucher.c.month)
        )
    }
    federations = dict(
        connection.execute(
            sa.select(distribution.c.id, cooperative.c.name).join(
                cooperative, cooperative.c.id == distribution.c.cooperative_id
            )
        ).all()
    )
    members = {
        (cooperative_id, id_)
        for cooperative_id, id_ in connection.execute(sa.select(member.c.cooperative_id, member.c.id))
    }
    vouchers: list[dict[str, Any]] = []
    lines: dict[tuple[int, str], list[Line]] = {}
    for row in connection.execute(sa.select(income_expense).order_by(income_expense.c.id)):
        ref = f"{PREFIX}{row.id}"
        found = _lines(row, federations, members)
        if ref in booked or not found:
            continue
        day = row.recorded_on
        key = (row.cooperative_id, day.year, day.month)
        numbers[key] = numbers.get(key, 0) + 1
        summary = row.memo if row.memo else found[0][3]
        vouchers.append(
            {
                "cooperative_id": row.cooperative_id, "year": day.year, "month": day.month, "word": "记",
                "number": numbers[key], "voucher_date": day, "summary": summary.strip()[:200], "attachments": 0,
                "state": "draft", "prepared_by": SYSTEM, "audited_by": "", "posted_by": "",
                "origin": "income_expense", "source_ref": ref,
            }
        )  # fmt: skip
        lines[row.cooperative_id, ref] = found
    for chunk in _chunks(vouchers):
        connection.execute(voucher.insert(), chunk)
    if not vouchers:
        return
    ids = {
        (cooperative_id, ref): id_
        for id_, cooperative_id, ref in connection.execute(
            sa.select(voucher.c.id, voucher.c.cooperative_id, voucher.c.source_ref).where(
                voucher.c.origin == "income_expense", voucher.c.source_ref.like(PREFIX + "%")
            )
        )
    }
    accounts = _account_ids(connection)
    values = [
        {
            "voucher_id": ids[cooperative_id, ref],
            "line_no": number,
            "cooperative_id": cooperative_id,
            "year": booked_voucher["year"],
            "month": booked_voucher["month"],
            "account_id": accounts[cooperative_id, code],
            "member_id": member_id,
            "summary": summary,
            "counterparty": counterparty[:100],
            "project": "",
            "debit": debit,
            "credit": credit,
        }  # fmt: skip
        for booked_voucher in vouchers
        for cooperative_id, ref in [(booked_voucher["cooperative_id"], booked_voucher["source_ref"])]
        for number, (code, debit, credit, summary, member_id, counterparty) in enumerate(
            lines[cooperative_id, ref], start=1
        )
    ]
    for chunk in _chunks(values):
        connection.execute(voucher_line.insert(), chunk)


def _lines(row: Any, federations: dict[int, str], members: set[tuple[int, int]]) -> list[Line]:
    """The lines coopcore.services.ledger.sync books for a 收支 row (as of this revision), debits first."""
    account_code, default_summary, is_income = CATEGORIES[row.category]
    amount = Decimal(row.amount)
    if not amount:
        return []
    household = _household(row)
    if household is not None and (row.cooperative_id, household) in members:
        text = (row.memo or LAND_GUARANTEE).strip()[:200]
        return [("521", amount, ZERO, text, None, ""), ("114", ZERO, amount, text, household, "")]
    federation = _federation(row, federations)
    if federation is not None and amount > 0:
        text = (row.memo or FEDERATION_RETURN).strip()[:200]
        return [("113", amount, ZERO, text, None, federation), ("511", ZERO, amount, text, None, "")]
    text = (row.memo or default_summary).strip()[:200]
    towards_counter = amount if is_income else -amount
    counter = _side(row.counter_account or BANK, towards_counter, text)
    own = _side(account_code, -towards_counter, text)
    return [counter, own] if counter[1] else [own, counter]


def _household(row: Any) -> int | None:
    """The member a land guarantee row owes its rent to ("land_guarantee:<year>:<member id>").

    A row whose member is gone (which the books' own code cannot book at all) is booked like any other expense
    row, against its counter account: its expense, and so 本年盈余, is the same.
    """
    if row.origin != "land_guarantee":
        return None
    key = row.source.rsplit(":", 1)[1]
    return int(key) if key.isdigit() else None


def _federation(row: Any, federations: dict[int, str]) -> str | None:
    """The federation whose posted distribution wrote the row ("distribution:<id>")."""
    if row.origin != "distribution" or row.category != "investment_income":
        return None
    key = row.source.rsplit(":", 1)[1]
    name = federations.get(int(key)) if key.isdigit() else None
    return name if name and name.strip() else None


def _side(code: str, debit_minus_credit: Decimal, text: str) -> Line:
    if debit_minus_credit < 0:
        return (code, ZERO, -debit_minus_credit, text, None, "")
    return (code, debit_minus_credit, ZERO, text, None, "")


def _chunks(values: list[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    for start in range(0, len(values), CHUNK):
        yield values[start : start + CHUNK]
