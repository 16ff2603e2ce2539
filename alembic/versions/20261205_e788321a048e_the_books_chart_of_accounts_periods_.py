"""the books: chart of accounts, periods, vouchers and their lines (issue 15)

Revision ID: e788321a048e
Revises: 16d8e29af6dc
Create Date: 2026-12-05 03:54:23.188575
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import coopcore.db.types


revision: str = 'e788321a048e'
down_revision: str | None = '16d8e29af6dc'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('account_version',
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('cooperative_id', sa.Integer(), autoincrement=False, nullable=True),
    sa.Column('code', sa.String(length=20), autoincrement=False, nullable=True),
    sa.Column('name', sa.String(length=60), autoincrement=False, nullable=True),
    sa.Column('name_en', sa.String(length=120), autoincrement=False, nullable=True),
    sa.Column('account_class', sa.Enum('asset', 'liability', 'equity', 'cost', 'income', 'expense', name='account_class', native_enum=False, create_constraint=True, length=32), autoincrement=False, nullable=True),
    sa.Column('side', sa.Enum('debit', 'credit', name='side', native_enum=False, create_constraint=True, length=32), autoincrement=False, nullable=True),
    sa.Column('parent_id', sa.Integer(), autoincrement=False, nullable=True),
    sa.Column('member_detail', sa.Boolean(), autoincrement=False, nullable=True),
    sa.Column('poverty_split', sa.Boolean(), autoincrement=False, nullable=True),
    sa.Column('is_active', sa.Boolean(), autoincrement=False, nullable=True),
    sa.Column('chart', sa.String(length=40), autoincrement=False, nullable=True),
    sa.Column('transaction_id', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('end_transaction_id', sa.BigInteger(), nullable=True),
    sa.Column('operation_type', sa.SmallInteger(), nullable=False),
    sa.PrimaryKeyConstraint('id', 'transaction_id', name=op.f('pk_account_version'))
    )
    with op.batch_alter_table('account_version', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_account_version_end_transaction_id'), ['end_transaction_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_account_version_operation_type'), ['operation_type'], unique=False)
        batch_op.create_index('ix_account_version_pk_transaction_id', ['id', sa.literal_column('transaction_id DESC')], unique=False)
        batch_op.create_index('ix_account_version_pk_validity', ['id', 'transaction_id', 'end_transaction_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_account_version_transaction_id'), ['transaction_id'], unique=False)

    op.create_table('voucher_version',
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('cooperative_id', sa.Integer(), autoincrement=False, nullable=True),
    sa.Column('year', sa.Integer(), autoincrement=False, nullable=True),
    sa.Column('month', sa.Integer(), autoincrement=False, nullable=True),
    sa.Column('word', sa.String(length=4), autoincrement=False, nullable=True),
    sa.Column('number', sa.Integer(), autoincrement=False, nullable=True),
    sa.Column('voucher_date', sa.Date(), autoincrement=False, nullable=True),
    sa.Column('summary', sa.String(length=200), autoincrement=False, nullable=True),
    sa.Column('attachments', sa.Integer(), autoincrement=False, nullable=True),
    sa.Column('state', sa.Enum('draft', 'audited', 'posted', name='state', native_enum=False, create_constraint=True, length=32), autoincrement=False, nullable=True),
    sa.Column('prepared_by', sa.String(length=60), autoincrement=False, nullable=True),
    sa.Column('audited_by', sa.String(length=60), autoincrement=False, nullable=True),
    sa.Column('posted_by', sa.String(length=60), autoincrement=False, nullable=True),
    sa.Column('posted_at', sa.DateTime(), autoincrement=False, nullable=True),
    sa.Column('origin', sa.Enum('manual', 'workbook', 'opening', 'income_expense', 'contribution', 'trade', 'land_guarantee', 'special_fund', 'distribution', 'payment', 'exit', 'federation', 'year_end', name='origin', native_enum=False, create_constraint=True, length=32), autoincrement=False, nullable=True),
    sa.Column('source_ref', sa.String(length=80), autoincrement=False, nullable=True),
    sa.Column('reverses_id', sa.Integer(), autoincrement=False, nullable=True),
    sa.Column('transaction_id', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('end_transaction_id', sa.BigInteger(), nullable=True),
    sa.Column('operation_type', sa.SmallInteger(), nullable=False),
    sa.PrimaryKeyConstraint('id', 'transaction_id', name=op.f('pk_voucher_version'))
    )
    with op.batch_alter_table('voucher_version', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_voucher_version_end_transaction_id'), ['end_transaction_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_voucher_version_operation_type'), ['operation_type'], unique=False)
        batch_op.create_index('ix_voucher_version_pk_transaction_id', ['id', sa.literal_column('transaction_id DESC')], unique=False)
        batch_op.create_index('ix_voucher_version_pk_validity', ['id', 'transaction_id', 'end_transaction_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_voucher_version_transaction_id'), ['transaction_id'], unique=False)

    op.create_table('account',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cooperative_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=60), nullable=False),
    sa.Column('name_en', sa.String(length=120), nullable=False),
    sa.Column('account_class', sa.Enum('asset', 'liability', 'equity', 'cost', 'income', 'expense', name='account_class', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('side', sa.Enum('debit', 'credit', name='side', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('member_detail', sa.Boolean(), nullable=False),
    sa.Column('poverty_split', sa.Boolean(), nullable=False),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.Column('chart', sa.String(length=40), nullable=False),
    sa.Column('version', sa.Integer(), server_default=sa.text('1'), nullable=False),
    sa.ForeignKeyConstraint(['cooperative_id'], ['cooperative.id'], name=op.f('fk_account_cooperative_id_cooperative')),
    sa.ForeignKeyConstraint(['parent_id'], ['account.id'], name=op.f('fk_account_parent_id_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_account')),
    sa.UniqueConstraint('cooperative_id', 'code', name='uq_account_cooperative_id_code')
    )
    op.create_table('ledger_period',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cooperative_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('month', sa.Integer(), nullable=False),
    sa.Column('state', sa.Enum('open', 'closed', name='state', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('closed_at', sa.DateTime(), nullable=True),
    sa.Column('closed_by', sa.String(length=60), nullable=False),
    sa.CheckConstraint('month BETWEEN 1 AND 12', name=op.f('ck_ledger_period_month')),
    sa.ForeignKeyConstraint(['cooperative_id'], ['cooperative.id'], name=op.f('fk_ledger_period_cooperative_id_cooperative')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ledger_period')),
    sa.UniqueConstraint('cooperative_id', 'year', 'month', name='uq_ledger_period_cooperative_id_year_month')
    )
    op.create_table('voucher',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cooperative_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('month', sa.Integer(), nullable=False),
    sa.Column('word', sa.String(length=4), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('voucher_date', sa.Date(), nullable=False),
    sa.Column('summary', sa.String(length=200), nullable=False),
    sa.Column('attachments', sa.Integer(), nullable=False),
    sa.Column('state', sa.Enum('draft', 'audited', 'posted', name='state', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('prepared_by', sa.String(length=60), nullable=False),
    sa.Column('audited_by', sa.String(length=60), nullable=False),
    sa.Column('posted_by', sa.String(length=60), nullable=False),
    sa.Column('posted_at', sa.DateTime(), nullable=True),
    sa.Column('origin', sa.Enum('manual', 'workbook', 'opening', 'income_expense', 'contribution', 'trade', 'land_guarantee', 'special_fund', 'distribution', 'payment', 'exit', 'federation', 'year_end', name='origin', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('source_ref', sa.String(length=80), nullable=True),
    sa.Column('reverses_id', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), server_default=sa.text('1'), nullable=False),
    sa.CheckConstraint('month BETWEEN 1 AND 12', name=op.f('ck_voucher_month')),
    sa.ForeignKeyConstraint(['cooperative_id'], ['cooperative.id'], name=op.f('fk_voucher_cooperative_id_cooperative')),
    sa.ForeignKeyConstraint(['reverses_id'], ['voucher.id'], name=op.f('fk_voucher_reverses_id_voucher')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_voucher')),
    sa.UniqueConstraint('cooperative_id', 'source_ref', name='uq_voucher_source_ref'),
    sa.UniqueConstraint('cooperative_id', 'year', 'month', 'number', name='uq_voucher_number'),
    sa.UniqueConstraint('reverses_id', name='uq_voucher_reverses_id')
    )
    with op.batch_alter_table('voucher', schema=None) as batch_op:
        batch_op.create_index('ix_voucher_cooperative_id_voucher_date', ['cooperative_id', 'voucher_date'], unique=False)

    op.create_table('voucher_line',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('voucher_id', sa.Integer(), nullable=False),
    sa.Column('line_no', sa.Integer(), nullable=False),
    sa.Column('cooperative_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('month', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('summary', sa.String(length=200), nullable=False),
    sa.Column('debit', coopcore.db.types.ExactDecimal(precision=14, scale=2), nullable=False),
    sa.Column('credit', coopcore.db.types.ExactDecimal(precision=14, scale=2), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=True),
    sa.Column('counterparty', sa.String(length=100), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=True),
    sa.Column('project', sa.String(length=100), nullable=False),
    sa.Column('poverty_asset', sa.Boolean(), nullable=True),
    sa.Column('quantity', coopcore.db.types.ExactDecimal(precision=14, scale=4), nullable=True),
    sa.Column('unit_price', coopcore.db.types.ExactDecimal(precision=14, scale=4), nullable=True),
    sa.CheckConstraint('(debit = 0) <> (credit = 0)', name=op.f('ck_voucher_line_one_side')),
    sa.CheckConstraint('debit >= 0 AND credit >= 0', name=op.f('ck_voucher_line_amounts')),
    sa.ForeignKeyConstraint(['account_id'], ['account.id'], name=op.f('fk_voucher_line_account_id_account')),
    sa.ForeignKeyConstraint(['cooperative_id'], ['cooperative.id'], name=op.f('fk_voucher_line_cooperative_id_cooperative')),
    sa.ForeignKeyConstraint(['member_id'], ['member.id'], name=op.f('fk_voucher_line_member_id_member')),
    sa.ForeignKeyConstraint(['product_id'], ['product.id'], name=op.f('fk_voucher_line_product_id_product')),
    sa.ForeignKeyConstraint(['voucher_id'], ['voucher.id'], name=op.f('fk_voucher_line_voucher_id_voucher'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_voucher_line'))
    )
    with op.batch_alter_table('voucher_line', schema=None) as batch_op:
        batch_op.create_index('ix_voucher_line_balances', ['cooperative_id', 'year', 'account_id', 'member_id'], unique=False)
        batch_op.create_index('ix_voucher_line_voucher_id', ['voucher_id'], unique=False)



def downgrade() -> None:
    # Dropping a table drops its indexes (MariaDB refuses to drop an index a foreign key needs first).
    for table in ("voucher_line", "voucher", "ledger_period", "account", "voucher_version", "account_version"):
        op.drop_table(table)
