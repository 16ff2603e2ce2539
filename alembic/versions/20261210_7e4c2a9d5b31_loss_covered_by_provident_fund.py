"""a loss covered from the provident fund, decided with the distribution

- distribution.loss_covered_by_provident_fund: what the member assembly took from 盈余公积 (322) to cover the
  loss the year's surplus leaves, when it approved the plan ([L-29(八), L-42; KJ 332 二], 02表 line 14); 0.00
  for every existing distribution, which is what they booked. Never negative.

Columns are added, never rebuilt (a rebuilt SQLite table loses its triggers), so on SQLite the CHECK is written in
the column's own definition.

Revision ID: 7e4c2a9d5b31
Revises: 497b56706659
Create Date: 2026-12-10 09:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from coopcore.db.types import ExactDecimal

revision: str = "7e4c2a9d5b31"
down_revision: str | None = "497b56706659"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMN = "loss_covered_by_provident_fund"
CHECK = f"{COLUMN} >= 0"


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":  # scaled integers (coopcore.db.types.ExactDecimal)
        op.execute(
            f"ALTER TABLE distribution ADD COLUMN {COLUMN} INTEGER DEFAULT '0' NOT NULL "
            f"CONSTRAINT ck_distribution_{COLUMN} CHECK ({CHECK})"
        )
    else:
        op.add_column("distribution", sa.Column(COLUMN, ExactDecimal(14, 2), server_default="0", nullable=False))
        op.create_check_constraint(op.f(f"ck_distribution_{COLUMN}"), "distribution", CHECK)
    op.add_column(
        "distribution_version",
        sa.Column(COLUMN, ExactDecimal(14, 2), server_default="0", autoincrement=False, nullable=True),
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        op.drop_constraint(op.f(f"ck_distribution_{COLUMN}"), "distribution", type_="check")
    op.drop_column("distribution_version", COLUMN)
    op.drop_column("distribution", COLUMN)
