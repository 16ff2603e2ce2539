"""conversions decided with the distribution, and the bylaws' trade model per cooperative and product

- distribution_line.converted: what the member assembly converted into contribution when it approved the plan
  (domain.md §15 rule 25b); 0.00 for every existing line, which is what they booked.
- cooperative.trade_model (and its audit column): the bylaws' model for members' produce, purchase (121) or
  agency (128); every existing cooperative gets purchase, the model the books have used until now.
- product_trade_model: a product a cooperative takes under the other model, unique per cooperative and product.

Columns are added, never rebuilt: the books' triggers (9ebc1ea3f4b6) and the closed-year triggers
(16d8e29af6dc) stay as they are. SQLite cannot add a CHECK constraint to an existing table, so the enum
column gets its CHECK in its own column definition there.

Revision ID: c3f1a7d2e9b4
Revises: c3a8f5d2e917
Create Date: 2026-12-08 09:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from coopcore.db.types import ExactDecimal

revision: str = "c3f1a7d2e9b4"
down_revision: str | None = "c3a8f5d2e917"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MODELS = ("purchase", "agency")


def _enum(name: str) -> sa.Enum:
    return sa.Enum(*MODELS, name=name, native_enum=False, create_constraint=True, length=32)


def _add_trade_model(table: str, *, version: bool) -> None:
    nullable = "" if version else " DEFAULT 'purchase' NOT NULL"
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            f"ALTER TABLE {table} ADD COLUMN trade_model VARCHAR(32){nullable} "
            f"CONSTRAINT ck_{table}_trade_model CHECK (trade_model IN ('purchase', 'agency'))"
        )
    elif version:
        op.add_column(table, sa.Column("trade_model", _enum("trade_model"), autoincrement=False, nullable=True))
    else:
        op.add_column(
            table, sa.Column("trade_model", _enum("trade_model"), server_default="purchase", nullable=False)
        )


def upgrade() -> None:
    op.add_column("distribution_line", sa.Column("converted", ExactDecimal(14, 2), server_default="0", nullable=False))
    _add_trade_model("cooperative", version=False)
    _add_trade_model("cooperative_version", version=True)
    op.create_table(
        "product_trade_model",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cooperative_id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("model", _enum("model"), nullable=False),
        sa.Column("version", sa.Integer(), server_default=sa.text("1"), nullable=False),
        sa.ForeignKeyConstraint(
            ["cooperative_id"], ["cooperative.id"], name=op.f("fk_product_trade_model_cooperative_id_cooperative")
        ),
        sa.ForeignKeyConstraint(["product_id"], ["product.id"], name=op.f("fk_product_trade_model_product_id_product")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_product_trade_model")),
        sa.UniqueConstraint(
            "cooperative_id", "product_id", name=op.f("uq_product_trade_model_cooperative_id_product_id")
        ),
    )


def downgrade() -> None:
    op.drop_table("product_trade_model")
    for table in ("cooperative_version", "cooperative"):
        if op.get_bind().dialect.name != "sqlite":
            op.drop_constraint(op.f(f"ck_{table}_trade_model"), table, type_="check")
        op.drop_column(table, "trade_model")
    op.drop_column("distribution_line", "converted")
