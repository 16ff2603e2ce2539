"""The admin's database: coopcore's engine and one SQLAlchemy session per request.

Why not Flask-SQLAlchemy (installed with Flask-Admin)? Its SQLAlchemy object builds its own engine from
SQLALCHEMY_* settings with `engine_from_config`, bypassing `coopcore.db.engine.make_engine` (SQLite foreign
keys and the SAVEPOINT recipe that coopcore's services rely on, utf8mb4 on MariaDB), it rewrites relative
SQLite paths into the instance folder (so `--db` would mean something else here than in the CLI), and the
only hook to replace the engine (`_make_engine`) is marked internal. Flask-SQLAlchemy-Lite is not installed.

Flask-Admin 2.2 wants "the db object", meaning something with a `.session` attribute; a bare scoped_session
still works but warns that passing it is deprecated. `RequestSession` is a plain scoped_session whose
`.session` is itself: Flask-Admin is satisfied without a warning, and we keep one engine and one session
factory, owned here and closed at the end of every request.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import Flask, current_app, has_request_context, request
from sqlalchemy import Engine
from sqlalchemy.orm import Session, scoped_session, sessionmaker

from coopcore.db.engine import WRITES, make_engine

READING = ("GET", "HEAD", "OPTIONS")  # the methods of requests that only read
# Forms that read, or write only now and then (an outdated password hash renewed): a sign-in spends a tenth of a
# second in argon2 and a workbook's dry run seconds in its checks; neither may queue for SQLite's write lock.
READING_FORMS = frozenset({"auth.login", "auth.switch_language", "workbook.check"})

EXTENSION = "coop_database"


class RequestSession(scoped_session[Session]):
    """A session per request (thread), handed to Flask-Admin as its `db` object."""

    @property
    def session(self) -> RequestSession:
        return self


class RequestSessions(sessionmaker[Session]):
    """Sessions of requests: a form sent (POST) writes, so its transaction says so (coopcore.db.engine.WRITES)."""

    def __init__(self, engine: Engine) -> None:
        super().__init__(bind=engine)
        self.writer = engine.execution_options(**{WRITES: True})  # the same engine and pool, another begin

    def __call__(self, **local_kw: Any) -> Session:
        if has_request_context() and request.method not in READING and request.endpoint not in READING_FORMS:
            local_kw.setdefault("bind", self.writer)
        return super().__call__(**local_kw)


@dataclass
class Database:
    """The engine and the per-request session of one app."""

    engine: Engine
    session: RequestSession

    def remove(self, exception: BaseException | None = None) -> None:
        """End the request's session: roll back anything uncommitted and return the connection."""
        self.session.remove()


def init_database(app: Flask, url: str) -> Database:
    """Create the app's engine through coopcore and close the session after every request."""
    engine = make_engine(url)
    db = Database(engine, RequestSession(RequestSessions(engine)))
    app.extensions[EXTENSION] = db
    app.teardown_appcontext(db.remove)
    return db


def current_session() -> Session:
    """The request's session itself (what coopcore's services take)."""
    return database().session()


def database() -> Database:
    """The database of the current app."""
    db: Database = current_app.extensions[EXTENSION]
    return db
