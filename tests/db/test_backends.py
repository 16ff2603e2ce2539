"""An unreachable database server is skipped on a laptop, and fails the run when CI is set; the copies the tests
run on are faithful to a migrated database."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, text

from coopcore.db import migrate
from coopcore.models import Base
from tests.backends import backend_of, scratch_engine

UNREACHABLE = "postgresql+psycopg://nobody@127.0.0.1:1/none"


def test_an_unreachable_server_is_skipped_with_the_variable_to_set(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setenv("COOP_TEST_POSTGRES_URL", UNREACHABLE)
    with pytest.raises(pytest.skip.Exception, match="COOP_TEST_POSTGRES_URL"), scratch_engine("postgresql", tmp_path):
        pass


def test_an_unreachable_server_fails_the_run_under_ci(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("CI", "1")
    monkeypatch.setenv("COOP_TEST_MARIADB_URL", "mysql+pymysql://nobody@127.0.0.1:1/none")
    with pytest.raises(pytest.fail.Exception, match="CI is set"), scratch_engine("mariadb", tmp_path):
        pass


# The triggers and routines that guard closed years and books: a copy that lost one would let tests pass wrongly.
GUARDS = {
    "sqlite": "SELECT count(*) FROM sqlite_master WHERE type = 'trigger'",
    "postgresql": "SELECT (SELECT count(*) FROM pg_trigger WHERE NOT tgisinternal)"
    " + (SELECT count(*) FROM pg_proc JOIN pg_namespace n ON n.oid = pronamespace WHERE nspname = 'public')",
    "mariadb": "SELECT (SELECT count(*) FROM information_schema.triggers WHERE trigger_schema = DATABASE())"
    " + (SELECT count(*) FROM information_schema.routines WHERE routine_schema = DATABASE())",
}


def test_a_copy_of_the_migrated_template_has_the_models_schema_and_every_guard(engine: Engine, tmp_path: Path) -> None:
    backend = backend_of(engine)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True, "target_metadata": Base.metadata})
        assert compare_metadata(context, Base.metadata) == []
        guards = connection.execute(text(GUARDS[backend])).scalar_one()
    with scratch_engine(backend, tmp_path) as fresh:
        migrate.upgrade(fresh)
        with fresh.connect() as connection:
            assert connection.execute(text(GUARDS[backend])).scalar_one() == guards > 0
