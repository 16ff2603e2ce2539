"""payee details and payment runs

- member.payee_*: where payment runs pay a household (bank, account or card number, holder, checked and when),
  kept in member_version like the rest of the member.
- payment_run and payment_run_line (with their version tables): a batch of payments to households, its lines
  frozen when it is chosen; payment_run_line.claim is unique so that what a line pays is claimed once.
- distribution_line.payment_method admits "run": a line paid through a payment run, which books it. No table
  with triggers is rebuilt (SQLite rebuilds distribution_line, which has none).

Revision ID: 3f9a2c7e1d54
Revises: 6b1d4e8f2a90
Create Date: 2026-12-06 07:02:04.434715
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import coopcore.db.types

revision: str = "3f9a2c7e1d54"
down_revision: str | None = "6b1d4e8f2a90"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


METHODS = ("cash", "capital")


def _payment_methods(methods: tuple[str, ...]) -> None:
    listed = ", ".join(f"'{method}'" for method in methods)
    with op.batch_alter_table("distribution_line") as batch_op:
        batch_op.drop_constraint(op.f("ck_distribution_line_payment_method"), type_="check")
        batch_op.create_check_constraint(
            op.f("ck_distribution_line_payment_method"), sa.text(f"payment_method IN ({listed})")
        )


def upgrade() -> None:
    _payment_methods((*METHODS, "run"))
    op.create_table(
        "payment_run_line_version",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("run_id", sa.Integer(), autoincrement=False, nullable=True),
        sa.Column("line_no", sa.Integer(), autoincrement=False, nullable=True),
        sa.Column("member_id", sa.Integer(), autoincrement=False, nullable=True),
        sa.Column(
            "kind",
            sa.Enum(
                "returns",
                "residual",
                "rent",
                "produce",
                name="kind",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            autoincrement=False,
            nullable=True,
        ),
        sa.Column("account", sa.String(length=4), autoincrement=False, nullable=True),
        sa.Column("distribution_line_id", sa.Integer(), autoincrement=False, nullable=True),
        sa.Column("amount", coopcore.db.types.ExactDecimal(precision=14, scale=2), autoincrement=False, nullable=True),
        sa.Column("payee_name", sa.String(length=100), autoincrement=False, nullable=True),
        sa.Column("payee_account", sa.String(length=40), autoincrement=False, nullable=True),
        sa.Column("payee_bank", sa.String(length=100), autoincrement=False, nullable=True),
        sa.Column(
            "result",
            sa.Enum("pending", "paid", "returned", name="result", native_enum=False, create_constraint=True, length=32),
            autoincrement=False,
            nullable=True,
        ),
        sa.Column("return_reason", sa.String(length=200), autoincrement=False, nullable=True),
        sa.Column("claim", sa.String(length=80), autoincrement=False, nullable=True),
        sa.Column("transaction_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("end_transaction_id", sa.BigInteger(), nullable=True),
        sa.Column("operation_type", sa.SmallInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", "transaction_id", name=op.f("pk_payment_run_line_version")),
    )
    with op.batch_alter_table("payment_run_line_version", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_payment_run_line_version_end_transaction_id"), ["end_transaction_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_payment_run_line_version_operation_type"), ["operation_type"], unique=False
        )
        batch_op.create_index(
            "ix_payment_run_line_version_pk_transaction_id",
            ["id", sa.literal_column("transaction_id DESC")],
            unique=False,
        )
        batch_op.create_index(
            "ix_payment_run_line_version_pk_validity", ["id", "transaction_id", "end_transaction_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_payment_run_line_version_transaction_id"), ["transaction_id"], unique=False
        )

    op.create_table(
        "payment_run_version",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("cooperative_id", sa.Integer(), autoincrement=False, nullable=True),
        sa.Column("number", sa.Integer(), autoincrement=False, nullable=True),
        sa.Column("made_on", sa.Date(), autoincrement=False, nullable=True),
        sa.Column(
            "channel",
            sa.Enum("bank", "cash", name="channel", native_enum=False, create_constraint=True, length=32),
            autoincrement=False,
            nullable=True,
        ),
        sa.Column("purpose", sa.String(length=60), autoincrement=False, nullable=True),
        sa.Column(
            "state",
            sa.Enum(
                "draft",
                "sent",
                "settled",
                "cancelled",
                name="state",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            autoincrement=False,
            nullable=True,
        ),
        sa.Column("sent_on", sa.Date(), autoincrement=False, nullable=True),
        sa.Column("settled_on", sa.Date(), autoincrement=False, nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            autoincrement=False,
            nullable=True,
        ),
        sa.Column("transaction_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("end_transaction_id", sa.BigInteger(), nullable=True),
        sa.Column("operation_type", sa.SmallInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", "transaction_id", name=op.f("pk_payment_run_version")),
    )
    with op.batch_alter_table("payment_run_version", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_payment_run_version_end_transaction_id"), ["end_transaction_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_payment_run_version_operation_type"), ["operation_type"], unique=False)
        batch_op.create_index(
            "ix_payment_run_version_pk_transaction_id", ["id", sa.literal_column("transaction_id DESC")], unique=False
        )
        batch_op.create_index(
            "ix_payment_run_version_pk_validity", ["id", "transaction_id", "end_transaction_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_payment_run_version_transaction_id"), ["transaction_id"], unique=False)

    op.create_table(
        "payment_run",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cooperative_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("made_on", sa.Date(), nullable=False),
        sa.Column(
            "channel",
            sa.Enum("bank", "cash", name="channel", native_enum=False, create_constraint=True, length=32),
            nullable=False,
        ),
        sa.Column("purpose", sa.String(length=60), nullable=False),
        sa.Column(
            "state",
            sa.Enum(
                "draft",
                "sent",
                "settled",
                "cancelled",
                name="state",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("sent_on", sa.Date(), nullable=True),
        sa.Column("settled_on", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False),
        sa.Column("version", sa.Integer(), server_default=sa.text("1"), nullable=False),
        sa.ForeignKeyConstraint(
            ["cooperative_id"], ["cooperative.id"], name=op.f("fk_payment_run_cooperative_id_cooperative")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payment_run")),
        sa.UniqueConstraint("cooperative_id", "number", name=op.f("uq_payment_run_cooperative_id_number")),
    )
    op.create_table(
        "payment_run_line",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("line_no", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "returns",
                "residual",
                "rent",
                "produce",
                name="kind",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("account", sa.String(length=4), nullable=False),
        sa.Column("distribution_line_id", sa.Integer(), nullable=True),
        sa.Column("amount", coopcore.db.types.ExactDecimal(precision=14, scale=2), nullable=False),
        sa.Column("payee_name", sa.String(length=100), nullable=False),
        sa.Column("payee_account", sa.String(length=40), nullable=False),
        sa.Column("payee_bank", sa.String(length=100), nullable=False),
        sa.Column(
            "result",
            sa.Enum("pending", "paid", "returned", name="result", native_enum=False, create_constraint=True, length=32),
            nullable=False,
        ),
        sa.Column("return_reason", sa.String(length=200), nullable=False),
        sa.Column("claim", sa.String(length=80), nullable=True),
        sa.CheckConstraint("amount > 0", name=op.f("ck_payment_run_line_amount")),
        sa.ForeignKeyConstraint(
            ["distribution_line_id"],
            ["distribution_line.id"],
            name=op.f("fk_payment_run_line_distribution_line_id_distribution_line"),
        ),
        sa.ForeignKeyConstraint(["member_id"], ["member.id"], name=op.f("fk_payment_run_line_member_id_member")),
        sa.ForeignKeyConstraint(["run_id"], ["payment_run.id"], name=op.f("fk_payment_run_line_run_id_payment_run")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payment_run_line")),
        sa.UniqueConstraint("claim", name=op.f("uq_payment_run_line_claim")),
        sa.UniqueConstraint("run_id", "line_no", name=op.f("uq_payment_run_line_run_id_line_no")),
    )
    with op.batch_alter_table("payment_run_line", schema=None) as batch_op:
        batch_op.create_index("ix_payment_run_line_member_id", ["member_id"], unique=False)

    op.add_column("member", sa.Column("payee_bank", sa.String(length=100), nullable=True))
    op.add_column("member", sa.Column("payee_account", sa.String(length=40), nullable=True))
    op.add_column("member", sa.Column("payee_name", sa.String(length=100), nullable=True))
    op.add_column("member", sa.Column("payee_checked", sa.Boolean(), server_default=sa.false(), nullable=False))
    op.add_column("member", sa.Column("payee_checked_on", sa.Date(), nullable=True))

    op.add_column("member_version", sa.Column("payee_bank", sa.String(length=100), autoincrement=False, nullable=True))
    op.add_column(
        "member_version", sa.Column("payee_account", sa.String(length=40), autoincrement=False, nullable=True)
    )
    op.add_column("member_version", sa.Column("payee_name", sa.String(length=100), autoincrement=False, nullable=True))
    op.add_column(
        "member_version",
        sa.Column("payee_checked", sa.Boolean(), server_default=sa.false(), autoincrement=False, nullable=True),
    )
    op.add_column("member_version", sa.Column("payee_checked_on", sa.Date(), autoincrement=False, nullable=True))


def downgrade() -> None:
    for table in ("member_version", "member"):
        for column in ("payee_checked_on", "payee_checked", "payee_name", "payee_account", "payee_bank"):
            op.drop_column(table, column)
    for table in ("payment_run_line", "payment_run", "payment_run_version", "payment_run_line_version"):
        op.drop_table(table)
    _payment_methods(METHODS)
