"""trade date index: lists across every cooperative, newest first

Revision ID: 3d1f0c9a7b42
Revises: 9ac7e2b10e8b
Create Date: 2026-11-25 07:10:00
"""
from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = '3d1f0c9a7b42'
down_revision: str | None = '9ac7e2b10e8b'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index('ix_trade_traded_on_id', 'trade', ['traded_on', 'id'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_trade_traded_on_id', table_name='trade')
