"""the audit trail records the operating-system login of a `coop` command

A change made from the command line was recorded with nobody as its author: `coop` never said who acted. The
audit transaction gets `cli_login`, the operating-system login that ran the `coop` command (with its user id when
`coop --user` names one); NULL for the admin's changes. Transactions recorded before are left NULL: where they
came from was not recorded, and is not guessed now.

Revision ID: 8b8312c1efbe
Revises: b5d1e7a3c920
Create Date: 2026-12-06 14:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "8b8312c1efbe"
down_revision: str | None = "b5d1e7a3c920"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("transaction") as batch_op:
        batch_op.add_column(sa.Column("cli_login", sa.String(length=100), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("transaction") as batch_op:
        batch_op.drop_column("cli_login")
