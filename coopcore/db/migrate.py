"""Run the Alembic migrations of the top-level `alembic/` folder from code (used by `coop init` and tests)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

ALEMBIC_DIR = Path(__file__).resolve().parents[2] / "alembic"


def alembic_config(engine: Engine) -> Config:
    """Return an Alembic config that migrates on the given engine's connection."""
    config = Config()
    config.set_main_option("script_location", str(ALEMBIC_DIR))
    config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine, revision: str = "head") -> set[str]:
    """Migrate the database up to a revision (default: the newest); return the revisions it applied."""
    config = alembic_config(engine)
    with engine.begin() as connection:
        current = MigrationContext.configure(connection).get_current_revision()
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
        reached = MigrationContext.configure(connection).get_current_revision()
    if reached is None or reached == current:
        return set()
    walked = ScriptDirectory.from_config(config).iterate_revisions(reached, current)
    return {script.revision for script in walked}


def downgrade(engine: Engine, revision: str = "base") -> None:
    """Migrate the database down to a revision (default: empty)."""
    config = alembic_config(engine)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, revision)


def revisions(engine: Engine) -> tuple[str | None, str | None]:
    """The database's schema revision (None before `coop init`) and the newest the code knows."""
    with engine.connect() as connection:
        current = MigrationContext.configure(connection).get_current_revision()
    return current, ScriptDirectory.from_config(alembic_config(engine)).get_current_head()
