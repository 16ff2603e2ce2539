"""record origins: every dated record knows which path wrote it (issue 13, item 1)

An import treats a workbook as the complete record only of the rows that came from workbooks; rows typed in the
admin or booked by a service must never be removed by a workbook that lacks them. This adds `origin`
(coopcore.terms.Origin) to income_expense, trade, member_account_entry and special_fund, and makes
village_income's `source` (manual / cooperative_dividend / land_rent) the same `origin`.

Existing rows get an origin inferred from what was recorded about them:
- income_expense.source: "land_guarantee:<year>:<member>" (coopcore.services.land) → land_guarantee;
  "distribution:<id>" (a federation's dividend booked in a member cooperative) → distribution;
  "admin" (the admin form) and "demo" (coop demo) → manual; "import" and anything else → workbook.
- member_account_entry.source: "distribution:…" (posting, payment in capital, reversal) → distribution;
  "exit:<member>" → exit; "admin" and "demo" → manual; "import:…" and anything else → workbook.
- trade and special_fund recorded nothing about their writer: every row → workbook, which is how the import
  treated them until now (so their behaviour does not change; a trade typed in the admin before this
  migration cannot be told apart from an imported one).
- village_income.source: cooperative_dividend → distribution, land_rent → land_guarantee, manual → workbook
  (the village workbook import replaced these rows as its own; ones typed in the admin cannot be told apart).
The same inference is applied to the audit trail's *_version rows.

Revision ID: 2bc6b600c240
Revises: 9ac7e2b10e8b
Create Date: 2026-12-04 23:22:37.806244
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = "2bc6b600c240"
down_revision: str | None = "9ac7e2b10e8b"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ORIGINS = ("manual", "workbook", "land_guarantee", "distribution", "exit")
VILLAGE_SOURCES = ("manual", "cooperative_dividend", "land_rent")
DATED = ("income_expense", "trade", "member_account_entry", "special_fund")
VERSIONED = ("income_expense", "trade", "special_fund")
# (table, SQL CASE over its recorded source) for the tables that recorded one.
INFERRED = {
    "income_expense": (
        "CASE WHEN source LIKE 'land_guarantee:%' THEN 'land_guarantee' "
        "WHEN source LIKE 'distribution:%' THEN 'distribution' "
        "WHEN source IN ('admin', 'demo') THEN 'manual' ELSE 'workbook' END"
    ),
    "member_account_entry": (
        "CASE WHEN source LIKE 'distribution:%' THEN 'distribution' WHEN source LIKE 'exit:%' THEN 'exit' "
        "WHEN source IN ('admin', 'demo') THEN 'manual' ELSE 'workbook' END"
    ),
}
VILLAGE_UP = (
    "CASE source WHEN 'cooperative_dividend' THEN 'distribution' WHEN 'land_rent' THEN 'land_guarantee' "
    "ELSE 'workbook' END"
)
VILLAGE_DOWN = (
    "CASE origin WHEN 'distribution' THEN 'cooperative_dividend' WHEN 'land_guarantee' THEN 'land_rent' "
    "ELSE 'manual' END"
)


def _enum(values: tuple[str, ...], name: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=32)


def _origin(*, version: bool) -> sa.Column:
    # The server default makes a row nobody claims count as typed by hand: never removed by an import.
    if version:
        return sa.Column(
            "origin", _enum(ORIGINS, "origin"), server_default="manual", autoincrement=False, nullable=True
        )
    return sa.Column("origin", _enum(ORIGINS, "origin"), server_default="manual", nullable=False)


def upgrade() -> None:
    for table in DATED:
        with op.batch_alter_table(table) as batch_op:
            batch_op.add_column(_origin(version=False))
        op.execute(f"UPDATE {table} SET origin = {INFERRED.get(table, repr('workbook'))}")
    for table in VERSIONED:
        with op.batch_alter_table(f"{table}_version") as batch_op:
            batch_op.add_column(_origin(version=True))
        op.execute(f"UPDATE {table}_version SET origin = {INFERRED.get(table, repr('workbook'))}")

    with op.batch_alter_table("village_income") as batch_op:
        batch_op.add_column(_origin(version=False))
    op.execute(f"UPDATE village_income SET origin = {VILLAGE_UP}")
    with op.batch_alter_table("village_income") as batch_op:
        batch_op.drop_constraint(op.f("uq_village_income_source_source_ref"), type_="unique")
        batch_op.create_unique_constraint(op.f("uq_village_income_origin_source_ref"), ["origin", "source_ref"])
        batch_op.drop_constraint(op.f("ck_village_income_source"), type_="check")
        batch_op.drop_column("source")
    with op.batch_alter_table("village_income_version") as batch_op:
        batch_op.add_column(_origin(version=True))
    op.execute(f"UPDATE village_income_version SET origin = {VILLAGE_UP}")
    with op.batch_alter_table("village_income_version") as batch_op:
        batch_op.drop_constraint(op.f("ck_village_income_version_source"), type_="check")
        batch_op.drop_column("source")


def downgrade() -> None:
    for table in ("village_income", "village_income_version"):
        with op.batch_alter_table(table) as batch_op:
            batch_op.add_column(sa.Column("source", _enum(VILLAGE_SOURCES, "source"), nullable=True))
        op.execute(f"UPDATE {table} SET source = {VILLAGE_DOWN}")
    with op.batch_alter_table("village_income") as batch_op:
        batch_op.alter_column("source", existing_type=sa.String(32), nullable=False)
        batch_op.drop_constraint(op.f("uq_village_income_origin_source_ref"), type_="unique")
        batch_op.create_unique_constraint(op.f("uq_village_income_source_source_ref"), ["source", "source_ref"])
        batch_op.drop_constraint(op.f("ck_village_income_origin"), type_="check")
        batch_op.drop_column("origin")
    with op.batch_alter_table("village_income_version") as batch_op:
        batch_op.drop_constraint(op.f("ck_village_income_version_origin"), type_="check")
        batch_op.drop_column("origin")
    for table in VERSIONED:
        with op.batch_alter_table(f"{table}_version") as batch_op:
            batch_op.drop_constraint(op.f(f"ck_{table}_version_origin"), type_="check")
            batch_op.drop_column("origin")
    for table in DATED:
        with op.batch_alter_table(table) as batch_op:
            batch_op.drop_constraint(op.f(f"ck_{table}_origin"), type_="check")
            batch_op.drop_column("origin")
