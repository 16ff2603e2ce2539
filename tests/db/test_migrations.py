"""The migration history builds exactly the models' schema on every backend, and comes down again."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text

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


ORIGINS_REVISION = "2bc6b600c240"  # record origins (issue 13, item 1)


@pytest.mark.parametrize("backend", BACKENDS)
def test_the_origins_migration_infers_each_existing_rows_origin_and_comes_down_again(
    backend: str, tmp_path: Path
) -> None:
    with scratch_engine(backend, tmp_path) as engine:
        migrate.upgrade(engine, f"{ORIGINS_REVISION}-1")
        with engine.begin() as connection:
            connection.execute(text("INSERT INTO township (id, name, district, is_demo) VALUES (1, '镇', '区', false)"))
            connection.execute(text("INSERT INTO village (id, township_id, name) VALUES (1, 1, '村')"))
            connection.execute(
                text("INSERT INTO cooperative (id, name, credit_code, village_id, status, is_federation, is_demo, "
                     "brand, business_type) VALUES (1, '社', '93370602MA3C000010', 1, 'active', false, false, '', '')")
            )  # fmt: skip
            income = ["land_guarantee:2024:7", "distribution:3", "admin", "demo", "import", ""]
            for number, source in enumerate(income, start=1):
                connection.execute(
                    text("INSERT INTO income_expense (id, cooperative_id, recorded_on, category, amount, memo, source) "
                         "VALUES (:id, 1, '2024-12-31', 'operating_expense', 100, '', :source)"),
                    {"id": number, "source": source},
                )  # fmt: skip
            for number, source in enumerate(["manual", "cooperative_dividend", "land_rent"], start=1):
                connection.execute(
                    text("INSERT INTO village_income (id, village_id, year, category, amount, source, source_ref, "
                         "memo) VALUES (:id, 1, 2024, 'operating', 100, :source, :ref, '')"),
                    {"id": number, "source": source, "ref": None if source == "manual" else f"ref:{number}"},
                )  # fmt: skip
        migrate.upgrade(engine)
        with engine.connect() as connection:
            origins = connection.execute(text("SELECT origin FROM income_expense ORDER BY id")).scalars().all()
            villages = connection.execute(text("SELECT origin FROM village_income ORDER BY id")).scalars().all()
        assert origins == ["land_guarantee", "distribution", "manual", "manual", "workbook", "workbook"]
        assert villages == ["workbook", "distribution", "land_guarantee"]

        migrate.downgrade(engine, f"{ORIGINS_REVISION}-1")
        with engine.connect() as connection:
            sources = connection.execute(text("SELECT source FROM village_income ORDER BY id")).scalars().all()
            columns = {column["name"] for column in inspect(connection).get_columns("income_expense")}
        assert sources == ["manual", "cooperative_dividend", "land_rent"]
        assert "origin" not in columns
