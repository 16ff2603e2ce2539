"""The three database backends the tests run on, each in a private scratch database.

A scratch database starts empty, with the schema at head, or with the demo data set loaded. The last two are
copies of templates the run builds once per backend (a migration costs seconds, the demo half a minute): a file
copy on SQLite, `CREATE DATABASE … TEMPLATE` on PostgreSQL, and the template's tables, rows, routines and triggers
copied on the server on MariaDB. Every copy is private, so a test that writes changes no other test's data.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal, NoReturn

import pytest
from sqlalchemy import Connection, Engine, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.orm import Session

from coopcore.db import migrate
from coopcore.db.engine import make_engine

if TYPE_CHECKING:
    from demo import DemoSummary

BACKENDS = ("sqlite", "postgresql", "mariadb")
SERVER_URLS = {
    "postgresql": ("COOP_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@/test?host=/var/run/postgresql"),
    "mariadb": ("COOP_TEST_MARIADB_URL", "mysql+pymysql://root@127.0.0.1:3306/test"),
}
Contents = Literal["empty", "schema", "demo"]


def backend_of(engine: Engine | Connection) -> str:
    """The name of the backend an engine or connection talks to, as BACKENDS spells it."""
    return engine.dialect.name.replace("mysql", "mariadb")


def server_url(backend: str) -> str:
    """Return the configured URL of a database server."""
    variable, default = SERVER_URLS[backend]
    return os.environ.get(variable, default)


def _unreachable(backend: str, error: Exception) -> NoReturn:
    variable, _ = SERVER_URLS[backend]
    message = f"{backend} is not reachable at {server_url(backend)} (set {variable}): {error}"
    if os.environ.get("CI"):
        pytest.fail(f"CI is set, so an unreachable server is a failure: {message}", pytrace=False)
    pytest.skip(message)


@dataclass(frozen=True)
class Template:
    """A database the run built once and only copies from: a SQLite file, or a database on the server."""

    backend: str
    name: str
    summary: DemoSummary | None = None  # what load_demo returned, for the demo template


_templates: dict[tuple[str, Contents], Template] = {}
_template_folder: list[Path] = []  # the SQLite templates' folder, made on first use


@contextmanager
def scratch_engine(backend: str, tmp_dir: Path, contents: Contents = "empty") -> Iterator[Engine]:
    """Yield an engine on a new database of the backend, dropped afterwards (a SQLite file stays in tmp_dir).

    contents="schema" migrates it to head, contents="demo" loads the demo data set too: both are private copies
    of the run's template. A private database per test run lets several runs (and developers) share one server.
    """
    source = None if contents == "empty" else template(backend, contents)
    if backend == "sqlite":
        path = tmp_dir / f"coop-{uuid.uuid4().hex[:8]}.sqlite3"
        if source is not None:
            shutil.copyfile(source.name, path)
        engine = make_engine(f"sqlite:///{path}")
        try:
            yield engine
        finally:
            engine.dispose()
        return
    name = f"coop_test_{uuid.uuid4().hex[:10]}"
    _create_database(backend, name, source)
    engine = make_engine(_server_url(backend, name))
    try:
        yield engine
    finally:
        engine.dispose()
        _drop_database(backend, name)


def template(backend: str, contents: Contents) -> Template:
    """The run's template of a backend with the schema at head ("schema") or the demo loaded too ("demo")."""
    key = (backend, contents)
    if key not in _templates:
        _templates[key] = _build_template(backend, contents)
    return _templates[key]


def copy_of(database: Path, folder: Path) -> str:
    """A private copy of a SQLite database file in a folder, as a URL (for the tests that hand a URL to an app)."""
    copy = folder / f"copy-{uuid.uuid4().hex[:8]}.sqlite3"
    shutil.copyfile(database, copy)
    return f"sqlite:///{copy}"


def sqlite_copy(contents: Contents, folder: Path) -> str:
    """A private SQLite copy of the run's template in a folder, as a URL (for the tests that run commands on it)."""
    return copy_of(Path(template("sqlite", contents).name), folder)


def drop_templates() -> None:
    """Drop every template the run built (called once, when the run ends)."""
    for key, built in list(_templates.items()):
        if built.backend != "sqlite":
            _drop_database(built.backend, built.name)
        del _templates[key]
    for folder in _template_folder:
        shutil.rmtree(folder, ignore_errors=True)
    _template_folder.clear()


def _build_template(backend: str, contents: Contents) -> Template:
    # The demo template starts as a copy of the schema template: the migrations run once per backend and run.
    source = template(backend, "schema") if contents == "demo" else None
    if backend == "sqlite":
        if not _template_folder:
            _template_folder.append(Path(tempfile.mkdtemp(prefix="coop-templates-")))
        path = _template_folder[0] / f"{contents}.sqlite3"
        if source is not None:
            shutil.copyfile(source.name, path)
        url = f"sqlite:///{path}"
        name = str(path)
    else:
        name = f"coop_template_{os.getpid()}_{contents}_{uuid.uuid4().hex[:6]}"
        _create_database(backend, name, source)
        url = _server_url(backend, name)
    engine = make_engine(url)
    summary = None
    try:
        if contents == "demo":
            summary = _load_demo(engine)
        else:
            migrate.upgrade(engine)
    except BaseException:  # a template half built is no template: drop it, and let the tests report the error
        if backend != "sqlite":
            engine.dispose()
            _drop_database(backend, name)
        raise
    finally:
        engine.dispose()  # PostgreSQL copies no template that has a connection open
    return Template(backend, name, summary)


def _load_demo(engine: Engine) -> DemoSummary:
    from demo import load_demo  # the generators load only for the runs that use the demo

    with Session(engine) as session, session.begin():
        return load_demo(session)


def demo_summary(backend: str) -> DemoSummary:
    """What load_demo returned when it loaded the backend's demo template."""
    summary = template(backend, "demo").summary
    assert summary is not None
    return summary


def _server_url(backend: str, database: str) -> str:
    return make_url(server_url(backend)).set(database=database).render_as_string(hide_password=False)


def _admin_url(backend: str) -> URL:
    return make_url(server_url(backend))


def _create_database(backend: str, name: str, source: Template | None) -> None:
    """Create a server database, empty or as a copy of a template; an unreachable server skips or fails."""
    admin = make_engine(_admin_url(backend).render_as_string(hide_password=False), isolation_level="AUTOCOMMIT")
    try:
        connection = admin.connect()
        copy = f" TEMPLATE {source.name}" if source is not None and backend == "postgresql" else ""
        connection.execute(text(f"CREATE DATABASE {name}{copy}"))
    except Exception as error:  # any connection problem means "not reachable"
        admin.dispose()
        _unreachable(backend, error)
    try:
        if source is not None and backend == "mariadb":
            _copy_mariadb(connection, source.name, name)
    finally:
        connection.close()
        admin.dispose()


def _drop_database(backend: str, name: str) -> None:
    admin = make_engine(_admin_url(backend).render_as_string(hide_password=False), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f"DROP DATABASE IF EXISTS {name}"))
    admin.dispose()


def _copy_mariadb(connection: Connection, source: str, target: str) -> None:
    """Copy a MariaDB database on the server: tables, then rows, then routines, then triggers.

    MariaDB has no template databases. The triggers come last so that they neither fire on the copied rows
    (the closed-year guards would refuse them) nor miss the routines they call.
    """
    connection.execute(text(f"USE {target}"))
    connection.execute(text("SET FOREIGN_KEY_CHECKS = 0"))
    tables = connection.execute(
        text("SELECT table_name, table_type FROM information_schema.tables WHERE table_schema = :db"), {"db": source}
    ).all()
    for table, kind in tables:
        create = connection.execute(text(f"SHOW CREATE TABLE {source}.`{table}`")).one()[1]
        connection.exec_driver_sql(create, execution_options={"no_parameters": True})
        if kind == "SEQUENCE":  # the continuum's transaction ids: the copy goes on where the template stopped
            following = connection.execute(text(f"SELECT next_not_cached_value FROM {source}.`{table}`")).scalar_one()
            connection.execute(text(f"SELECT SETVAL(`{table}`, {int(following)}, 0)"))
        else:
            connection.execute(text(f"INSERT INTO `{table}` SELECT * FROM {source}.`{table}`"))
    connection.execute(text("SET FOREIGN_KEY_CHECKS = 1"))
    routines = connection.execute(
        text("SELECT routine_type, routine_name FROM information_schema.routines WHERE routine_schema = :db"),
        {"db": source},
    ).all()
    for kind, routine in routines:
        row = connection.execute(text(f"SHOW CREATE {kind} {source}.`{routine}`")).mappings().one()
        _execute_as_created(connection, row[f"Create {kind.title()}"], row["sql_mode"])
    triggers = connection.execute(
        text("SELECT trigger_name FROM information_schema.triggers WHERE trigger_schema = :db ORDER BY action_order"),
        {"db": source},
    ).scalars()
    for trigger in list(triggers):
        row = connection.execute(text(f"SHOW CREATE TRIGGER {source}.`{trigger}`")).mappings().one()
        _execute_as_created(connection, row["SQL Original Statement"], row["sql_mode"])


def _execute_as_created(connection: Connection, statement: str, sql_mode: str) -> None:
    # A routine or trigger keeps the sql_mode it was created under: recreate it under the same one.
    connection.execute(text("SET SESSION sql_mode = :mode"), {"mode": sql_mode})
    connection.exec_driver_sql(statement, execution_options={"no_parameters": True})
    connection.execute(text("SET SESSION sql_mode = DEFAULT"))
