"""The application factory: `create_app(config)` builds one admin app; nothing is global."""

from __future__ import annotations

import datetime as dt
import fcntl
import logging
import os
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask, Response, render_template, request
from flask_admin import Admin
from flask_admin.theme import Bootstrap4Theme
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import current_user
from flask_wtf.csrf import CSRFError, CSRFProtect
from werkzeug.middleware.proxy_fix import ProxyFix

import coopcore.models  # noqa: F401  (maps every table, sets up the audit trail and the closed-year guard)
from admin.auth import init_auth
from admin.database import init_database
from admin.errors import init_errors
from admin.i18n import _, jinja_globals, select_locale
from admin.labels import enum_label
from admin.menu import main_menu, static_url
from admin.registry import register_views
from admin.report_jobs import EXTENSION as REPORT_JOBS
from admin.report_jobs import FOLDER as REPORT_FOLDER
from admin.report_jobs import ReportJobs
from admin.views.home import HomeView
from coopcore.db.audit import act_as
from coopcore.db.engine import URL_VARIABLE, default_url
from coopcore.errors import InvalidValue
from coopcore.i18n import default_lang, render

log = logging.getLogger(__name__)
SECRET_VARIABLE = "COOP_SECRET_KEY"
SECRET_FILE = "secret_key"
SECRET_GENERATED = "No {variable} set: generated a secret key in {path}"
PROXY_VARIABLE = "COOP_PROXY_HOPS"
RATELIMIT_VARIABLE = "COOP_RATELIMIT_STORAGE_URI"
MIN_SECRET_LENGTH = 32

DEFAULTS: dict[str, Any] = {
    "SESSION_COOKIE_NAME": "coop_session",
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    # Behind HTTPS set COOP_SECURE_COOKIES=1; the demo serves plain HTTP on localhost.
    "SESSION_COOKIE_SECURE": os.environ.get("COOP_SECURE_COOKIES") == "1",
    "REMEMBER_COOKIE_HTTPONLY": True,
    "REMEMBER_COOKIE_SAMESITE": "Lax",
    "PERMANENT_SESSION_LIFETIME": dt.timedelta(hours=8),
    "WTF_CSRF_TIME_LIMIT": 8 * 3600,
    # A workbook of 200,000 tickets is about 10 MB; what a workbook unpacks to is bounded by its own guard.
    "MAX_CONTENT_LENGTH": 16 * 1024 * 1024,
    "COOP_LOGIN_LIMIT": "5 per minute",  # failed attempts per address (a right password still passes)
    "COOP_LOGIN_ACCOUNT_LIMIT": "10 per 15 minutes",  # failed attempts per account, from any address
    "COOP_REPORT_WORKERS": 2,  # reports built at once, outside the request threads (admin/report_jobs.py)
    "COOP_REPORT_JOBS_PER_USER": 3,  # unfinished reports one user may have queued
    "COOP_REPORT_KEEP_SECONDS": 3600,  # how long a finished report stays to be downloaded
    "DEBUG": False,
}

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    # Flask-Admin's templates use inline handlers, so scripts are not restricted; framing, plugins,
    # base URLs and form targets are.
    "Content-Security-Policy": "frame-ancestors 'none'; object-src 'none'; base-uri 'self'; form-action 'self'",
}


def instance_secret(app: Flask) -> str:
    """A secret key generated once and kept (mode 600) in the instance folder, shared by every worker process.

    An empty file (a disk that filled up, a careless edit) is written anew: an empty key would fail every page.
    A key shorter than MIN_SECRET_LENGTH was put there by someone and is refused, saying which file to fix.
    The file is read and written under a lock: the workers of a server start together, and one that generated
    a key of its own would refuse every session the others signed.
    """
    path = Path(app.instance_path) / SECRET_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    with os.fdopen(os.open(path, os.O_RDWR | os.O_CREAT, 0o600), "r+", encoding="ascii") as file:
        fcntl.flock(file, fcntl.LOCK_EX)  # released when the file closes
        kept = file.read().strip()
        if not kept:
            path.chmod(0o600)
            kept = secrets.token_hex(32)
            file.seek(0)
            file.truncate()
            file.write(kept)
            # Shown when `coop admin` starts, so in the language of the system's locale as the CLI's default.
            log.warning(render(SECRET_GENERATED, default_lang(), variable=SECRET_VARIABLE, path=path))
    if len(kept) < MIN_SECRET_LENGTH:
        raise InvalidValue(
            "The secret key in {path} has {length} characters, it needs at least {minimum}: delete the file to "
            "have a new one generated, or set {variable}.",
            path=str(path),
            length=len(kept),
            minimum=MIN_SECRET_LENGTH,
            variable=SECRET_VARIABLE,
        )
    return kept


def proxy_hops(configured: Any) -> int:
    """How many reverse proxies stand before the admin: the config's, else $COOP_PROXY_HOPS, else 0."""
    value = configured if configured is not None else os.environ.get(PROXY_VARIABLE) or 0
    try:
        hops = int(value)
    except (TypeError, ValueError):
        hops = -1
    if hops < 0:
        raise InvalidValue(
            "{variable} must be a whole number of proxies (0 or more), not {value!r}.",
            variable=PROXY_VARIABLE,
            value=value,
        )
    return hops


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the admin on config["COOP_DATABASE_URL"] (else $COOP_DATABASE_URL, else ./coopcore.sqlite3).

    The secret key is config["SECRET_KEY"], else $COOP_SECRET_KEY, else one kept in the instance folder; the
    sign-in counters' store config["RATELIMIT_STORAGE_URI"], else $COOP_RATELIMIT_STORAGE_URI, else memory://.
    Debug mode is never on unless the config asks for it (development only; `coop admin` never does).
    """
    settings = dict(config or {})
    app = Flask(__name__, instance_path=settings.pop("COOP_INSTANCE_PATH", None))
    app.config.update(DEFAULTS)
    app.config.update(settings)
    app.debug = bool(app.config["DEBUG"])
    url = app.config.get("COOP_DATABASE_URL") or os.environ.get(URL_VARIABLE) or default_url()
    app.config["COOP_DATABASE_URL"] = url
    app.config["SECRET_KEY"] = app.config.get("SECRET_KEY") or os.environ.get(SECRET_VARIABLE) or instance_secret(app)
    # Where failed sign-ins are counted: memory:// counts in each worker process alone (README, "Running coopcore
    # for a county"); a shared store (redis://, memcached://) counts for all of them.
    app.config["RATELIMIT_STORAGE_URI"] = (
        app.config.get("RATELIMIT_STORAGE_URI") or os.environ.get(RATELIMIT_VARIABLE) or "memory://"
    )

    app.config["COOP_PROXY_HOPS"] = proxy_hops(app.config.get("COOP_PROXY_HOPS"))
    if app.config["COOP_PROXY_HOPS"]:
        # Behind N reverse proxies the client's address is the Nth from the right of X-Forwarded-For; without a
        # configured proxy the header is ignored, so nobody can choose the address their attempts count against.
        hops = app.config["COOP_PROXY_HOPS"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)  # type: ignore[method-assign]

    db = init_database(app, url)
    Babel(app, locale_selector=select_locale)
    CSRFProtect(app)
    limiter = Limiter(get_remote_address, app=app, storage_uri=app.config["RATELIMIT_STORAGE_URI"])
    init_auth(app, db, limiter)
    init_errors(app)
    app.jinja_env.globals.update(jinja_globals(), enum_label=enum_label, main_menu=main_menu, static_url=static_url)

    admin = Admin(
        app,
        name="Cooperative administration",
        url="/admin",
        index_view=HomeView(),
        theme=Bootstrap4Theme(base_template="coop/base.html", swatch="default", fluid=True),
    )
    register_views(admin, db.session)
    app.extensions[REPORT_JOBS] = ReportJobs(
        Path(app.instance_path) / REPORT_FOLDER,
        workers=int(app.config["COOP_REPORT_WORKERS"]),
        per_user=int(app.config["COOP_REPORT_JOBS_PER_USER"]),
        keep_seconds=float(app.config["COOP_REPORT_KEEP_SECONDS"]),
    )

    @app.before_request
    def attribute_changes() -> None:
        # Continuum records the acting user with every audited change made in this request.
        if request.endpoint and not request.endpoint.endswith("static") and current_user.is_authenticated:
            act_as(db.session(), current_user.id)

    @app.after_request
    def security_headers(response: Response) -> Response:
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        if current_user and current_user.is_authenticated:
            response.headers.setdefault("Cache-Control", "no-store")  # no member data in shared caches
        return response

    @app.errorhandler(CSRFError)
    def csrf_failed(error: CSRFError) -> Any:
        return render_template(
            "coop/error.html",
            code=400,
            message=_("The form has expired or was not sent from this site. Go back and try again."),
        ), 400

    @app.errorhandler(403)
    def forbidden(error: Exception) -> Any:
        return render_template("coop/error.html", code=403, message=_("You may not open this page.")), 403

    @app.errorhandler(413)
    def too_large(error: Exception) -> Any:
        limit = app.config["MAX_CONTENT_LENGTH"] // (1024 * 1024)
        message = _("The file is larger than {limit} MB, more than any workbook needs; nothing was read.", limit=limit)
        return render_template("coop/error.html", code=413, message=message), 413

    @app.errorhandler(404)
    def not_found(error: Exception) -> Any:
        return render_template("coop/error.html", code=404, message=_("There is no such page or record.")), 404

    return app
