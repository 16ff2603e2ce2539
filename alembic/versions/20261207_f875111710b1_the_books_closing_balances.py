"""the books: each closed month's sums per account, stored by its close (ledger_balance)

An index on voucher_line (cooperative, year, month, account, amounts) sums months from the index alone, and
two indexes on voucher find the few vouchers that balances treat apart from plain posted ones (unposted ones,
opening balances), so that the lines of open months are summed alone and then corrected by those.

The trial balance, the opening balances and December's close read a closed month's stored sums instead of its
lines (coopcore.services.ledger.balances): a year of 1,000,000 lines closed through November is read from
stored rows and December's lines only. A closed month's lines never change (the guards of 9ebc1ea3f4b6), so
its sums stay right until it is reopened, which deletes them. Months closed before this migration get their
sums here, from their posted vouchers' lines.

Revision ID: f875111710b1
Revises: 5b7d3e9a1c42
Create Date: 2026-12-07 09:00:00.000000
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import coopcore.db.types

revision: str = 'f875111710b1'
down_revision: str | None = '5b7d3e9a1c42'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The same sums the close stores (coopcore.services.ledger.periods), for the months already closed.
BACKFILL = """
INSERT INTO ledger_balance (cooperative_id, year, month, account_id, opening, red, debit, credit)
SELECT l.cooperative_id, l.year, l.month, l.account_id, v.origin = 'opening', v.reverses_id IS NOT NULL,
       SUM(l.debit), SUM(l.credit)
  FROM voucher_line l
  JOIN voucher v ON v.id = l.voucher_id
  JOIN ledger_period p ON p.cooperative_id = l.cooperative_id AND p.year = l.year AND p.month = l.month
 WHERE p.state = 'closed' AND v.state = 'posted'
 GROUP BY l.cooperative_id, l.year, l.month, l.account_id, v.origin = 'opening', v.reverses_id IS NOT NULL
"""


def upgrade() -> None:
    op.create_table('ledger_balance',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cooperative_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('month', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('opening', sa.Boolean(), nullable=False),
    sa.Column('red', sa.Boolean(), nullable=False),
    sa.Column('debit', coopcore.db.types.ExactDecimal(precision=14, scale=2), nullable=False),
    sa.Column('credit', coopcore.db.types.ExactDecimal(precision=14, scale=2), nullable=False),
    sa.CheckConstraint('month BETWEEN 1 AND 12', name=op.f('ck_ledger_balance_month')),
    sa.ForeignKeyConstraint(['account_id'], ['account.id'], name=op.f('fk_ledger_balance_account_id_account')),
    sa.ForeignKeyConstraint(['cooperative_id'], ['cooperative.id'],
                            name=op.f('fk_ledger_balance_cooperative_id_cooperative')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ledger_balance')),
    sa.UniqueConstraint('cooperative_id', 'year', 'month', 'account_id', 'opening', 'red', name='uq_ledger_balance')
    )
    op.execute(BACKFILL)
    op.create_index('ix_voucher_cooperative_id_state', 'voucher', ['cooperative_id', 'state', 'year', 'month'], unique=False)
    op.create_index('ix_voucher_cooperative_id_origin', 'voucher', ['cooperative_id', 'origin', 'year', 'month'], unique=False)
    op.create_index('ix_voucher_line_months', 'voucher_line',
                    ['cooperative_id', 'year', 'month', 'account_id', 'debit', 'credit'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_voucher_line_months', table_name='voucher_line')
    op.drop_index('ix_voucher_cooperative_id_origin', table_name='voucher')
    op.drop_index('ix_voucher_cooperative_id_state', table_name='voucher')
    op.drop_table('ledger_balance')
