"""statement notes: the 附注 items the accountant writes per cooperative and year

statement_note holds one item (1-9 of domain.md §2.3) of a year's notes to the statements, with its origin and
row version like the other records, and a version table for the audit trail. No closed-year triggers: the final
statements (and their notes) of a year are written after its distribution closes it.

Revision ID: 6b1d4e8f2a90
Revises: 7e4c2a9d5b31
Create Date: 2026-12-10 09:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "6b1d4e8f2a90"
down_revision: str | None = "7e4c2a9d5b31"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ORIGINS = ("manual", "workbook", "land_guarantee", "distribution", "exit")
TABLE = "statement_note"


def _common() -> list[sa.Column[object]]:
    return [
        sa.Column("cooperative_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("item", sa.Integer(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column(
            "origin",
            sa.Enum(*ORIGINS, name="origin", native_enum=False, create_constraint=True, length=32),
            server_default="manual",
            nullable=False,
        ),
    ]


def upgrade() -> None:
    op.create_table(
        TABLE,
        sa.Column("id", sa.Integer(), nullable=False),
        *_common(),
        sa.Column("version", sa.Integer(), server_default=sa.text("1"), nullable=False),
        sa.CheckConstraint("item BETWEEN 1 AND 9", name=op.f("ck_statement_note_item")),
        sa.CheckConstraint("year BETWEEN 1990 AND 2200", name=op.f("ck_statement_note_year_range")),
        sa.ForeignKeyConstraint(
            ["cooperative_id"], ["cooperative.id"], name=op.f("fk_statement_note_cooperative_id_cooperative")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_statement_note")),
        sa.UniqueConstraint("cooperative_id", "year", "item", name=op.f("uq_statement_note_cooperative_id_year_item")),
    )
    versioned = [sa.Column(column.name, column.type, autoincrement=False, nullable=True) for column in _common()]
    versioned[-1].server_default = sa.DefaultClause("manual")
    version = f"{TABLE}_version"
    op.create_table(
        version,
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        *versioned,
        sa.Column("transaction_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("end_transaction_id", sa.BigInteger(), nullable=True),
        sa.Column("operation_type", sa.SmallInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", "transaction_id", name=op.f(f"pk_{version}")),
    )
    op.create_index(op.f(f"ix_{version}_end_transaction_id"), version, ["end_transaction_id"])
    op.create_index(op.f(f"ix_{version}_operation_type"), version, ["operation_type"])
    op.create_index(f"ix_{version}_pk_transaction_id", version, ["id", sa.literal_column("transaction_id DESC")])
    op.create_index(f"ix_{version}_pk_validity", version, ["id", "transaction_id", "end_transaction_id"])
    op.create_index(op.f(f"ix_{version}_transaction_id"), version, ["transaction_id"])


def downgrade() -> None:
    op.drop_table(TABLE)
    op.drop_table(f"{TABLE}_version")
