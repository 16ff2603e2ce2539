"""the books: the cooperative's setting that books sales under order contracts from their deliveries

- cooperative.ledger_books_sales: sales to leading enterprises under order contracts are booked from the
  contract records (the advance Dr 102 / Cr 211, each delivery Dr 211 / Dr 113 / Cr 501, each payment
  Dr 102 / Cr 113: coopcore.services.ledger.contract_events). Off by default: a cooperative's year's sales
  reach the books through its 收支 summary rows, and booking the deliveries as well would count them twice.

Added with a server default (no table is rebuilt in SQLite batch mode: the tables carry triggers).

Revision ID: c3a8f5d2e917
Revises: f875111710b1
Create Date: 2026-12-08 09:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "c3a8f5d2e917"
down_revision: str | None = "f875111710b1"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SETTING = "ledger_books_sales"


def upgrade() -> None:
    op.add_column("cooperative", sa.Column(SETTING, sa.Boolean(), server_default=sa.false(), nullable=False))
    op.add_column("cooperative_version", sa.Column(SETTING, sa.Boolean(), autoincrement=False, nullable=True))


def downgrade() -> None:
    op.drop_column("cooperative_version", SETTING)
    op.drop_column("cooperative", SETTING)
