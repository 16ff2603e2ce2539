"""The migration history builds exactly the models' schema on every backend, and comes down again."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from coopcore.db import migrate
from coopcore.models import Base
from tests.backends import BACKENDS, scratch_engine


@pytest.mark.parametrize("backend", BACKENDS)
def test_migrations_go_up_match_the_models_and_come_down(backend: str, tmp_path: Path) -> None:
    with scratch_engine(backend, tmp_path) as engine:
        migrate.upgrade(engine)
        with engine.connect() as connection:
            context = MigrationContext.configure(
                connection, opts={"compare_type": True, "target_metadata": Base.metadata}
            )
            diff = compare_metadata(context, Base.metadata)
            assert diff == [], f"models and migrations disagree on {backend}: {diff}"
            tables = set(inspect(connection).get_table_names())
        assert set(Base.metadata.tables) <= tables

        migrate.downgrade(engine)
        with engine.connect() as connection:
            assert set(inspect(connection).get_table_names()) <= {"alembic_version"}

        # Down and up again: a downgrade leaves nothing behind that blocks the next upgrade.
        migrate.upgrade(engine)
        with engine.connect() as connection:
            assert set(Base.metadata.tables) <= set(inspect(connection).get_table_names())
