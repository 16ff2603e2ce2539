"""The admin as a WSGI application for a server of several worker processes: `gunicorn -w 3 admin.wsgi:app`.

Everything comes from the environment, read when a worker starts:

- COOP_DATABASE_URL: required. A server never falls back to ./coopcore.sqlite3 in whatever folder it started in.
- COOP_SECRET_KEY: the key that signs sessions, the same for every worker. Without it, the key generated once
  into the instance folder (under a lock, so workers starting together read one key).
- COOP_INSTANCE_PATH: the instance folder (the secret key, report jobs and their files, uploaded workbooks).
  Every worker of the server must see the same folder.
- COOP_REPORT_WORKERS, COOP_REPORT_JOBS_PER_USER, COOP_REPORT_KEEP_SECONDS, COOP_LOGIN_LIMIT,
  COOP_LOGIN_ACCOUNT_LIMIT: as in admin/app.py's DEFAULTS. COOP_REPORT_WORKERS counts per worker process.
- COOP_RATELIMIT_STORAGE_URI, COOP_PROXY_HOPS, COOP_SECURE_COOKIES: read by create_app itself.

The schema is not migrated here (several workers would migrate at once): `coop init` does that before the server
starts, and a worker refuses a database whose schema is behind the code.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from functools import cache
from typing import Any

from flask import Flask

from admin.app import create_app
from coopcore.db import migrate
from coopcore.db.engine import URL_VARIABLE, make_engine

NUMBERS = ("COOP_REPORT_WORKERS", "COOP_REPORT_JOBS_PER_USER", "COOP_REPORT_KEEP_SECONDS")
TEXTS = ("COOP_INSTANCE_PATH", "COOP_LOGIN_LIMIT", "COOP_LOGIN_ACCOUNT_LIMIT")


def settings_from(environment: Mapping[str, str]) -> dict[str, Any]:
    """The app's settings named in the environment; a missing database URL stops the start."""
    url = environment.get(URL_VARIABLE)
    if not url:
        raise RuntimeError(f"Set {URL_VARIABLE} to the database the admin serves (e.g. postgresql+psycopg://…).")
    settings: dict[str, Any] = {URL_VARIABLE: url}
    settings |= {name: int(environment[name]) for name in NUMBERS if environment.get(name)}
    settings |= {name: environment[name] for name in TEXTS if environment.get(name)}
    return settings


def schema_checked(url: str) -> None:
    """Refuse a database whose schema is not the code's: run `coop init` first (once, not in every worker)."""
    engine = make_engine(url)
    try:
        current, newest = migrate.revisions(engine)
    finally:
        engine.dispose()  # no connection of this check outlives it
    if current != newest:
        raise RuntimeError(f"The database's schema is at {current}, the code's at {newest}: run `coop init` first.")


def from_environment(environment: Mapping[str, str]) -> Flask:
    """The admin configured by an environment."""
    settings = settings_from(environment)
    schema_checked(settings[URL_VARIABLE])
    return create_app(settings)


@cache
def _app() -> Flask:
    return from_environment(os.environ)


def __getattr__(name: str) -> Flask:
    # `admin.wsgi:app` is built when the server first asks for it (once per worker process): importing this module
    # (a test, a tool) builds nothing and needs no database.
    if name == "app":
        return _app()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
