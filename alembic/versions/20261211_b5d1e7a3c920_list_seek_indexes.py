"""indexes the admin's lists seek by

- trade (traded_on, id, cooperative_id) and income_expense (recorded_on, id, cooperative_id): the lists' default
  order (newest first, the id breaking ties) read from an index, page after page by key (admin.keyset), with the
  cooperative in the index so that a user's reach is checked without reading the row.

Revision ID: b5d1e7a3c920
Revises: 3f9a2c7e1d54
Create Date: 2026-12-11 07:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "b5d1e7a3c920"
down_revision: str | None = "3f9a2c7e1d54"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_trade_traded_on_id", "trade", ["traded_on", "id", "cooperative_id"])
    op.create_index("ix_income_expense_recorded_on_id", "income_expense", ["recorded_on", "id", "cooperative_id"])


def downgrade() -> None:
    op.drop_index("ix_income_expense_recorded_on_id", table_name="income_expense")
    op.drop_index("ix_trade_traded_on_id", table_name="trade")
