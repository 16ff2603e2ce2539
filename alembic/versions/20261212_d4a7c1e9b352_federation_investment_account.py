"""federation investment account

- member.investment_account: for a member cooperative, its own account its contributions to the federation
  leave from in its books (the credit of Dr 131 对外投资, coopcore.services.ledger.federation_events); NULL keeps
  102 for money and what the federation takes in for assets. Kept in member_version like the rest of the member.

Revision ID: d4a7c1e9b352
Revises: 8b8312c1efbe
Create Date: 2026-12-12 08:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "d4a7c1e9b352"
down_revision: str | None = "8b8312c1efbe"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("member", sa.Column("investment_account", sa.String(length=20), nullable=True))
    op.add_column(
        "member_version", sa.Column("investment_account", sa.String(length=20), autoincrement=False, nullable=True)
    )


def downgrade() -> None:
    for table in ("member_version", "member"):
        op.drop_column(table, "investment_account")
