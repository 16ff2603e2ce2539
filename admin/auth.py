# mypy: allow-subclassing-any, allow-untyped-decorators
"""Signing in and out, and the language switch: argon2 passwords, rate-limited attempts, safe redirects."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from flask import Blueprint, Flask, abort, redirect, render_template, request, session, url_for
from flask_limiter import Limiter
from flask_login import LoginManager, UserMixin, current_user, login_user, logout_user
from flask_wtf import FlaskForm
from limits import parse
from wtforms import PasswordField, StringField
from wtforms.validators import InputRequired, Length

from admin.database import Database
from admin.i18n import SESSION_KEY, _, lazy
from coopcore.models import Role, User
from coopcore.services.users import authenticate, end_sessions


@dataclass(frozen=True)
class SignedInUser(UserMixin):
    """The user of a request, as Flask-Login keeps it (the ORM row stays in the database session)."""

    id: int
    username: str
    display_name: str
    role: Role
    township_id: int | None
    session_version: int

    @classmethod
    def of(cls, user: User) -> SignedInUser:
        return cls(user.id, user.username, str(user), user.role, user.township_id, user.session_version)

    def get_id(self) -> str:
        # The session keeps "id:version": a session signed in before the user's version moved is refused.
        return f"{self.id}:{self.session_version}"


class SignInLimits:
    """Failed sign-ins counted per account (from any address) and per address, in the limiter's storage.

    A locked account refuses every attempt, the right password too: that is what bounds guessing at one account
    from many addresses. A locked address refuses only wrong passwords: colleagues behind one village office's
    NAT address still get in with their own password while someone there keeps mistyping.
    """

    def __init__(self, limiter: Limiter, per_account: str, per_address: str) -> None:
        self.strategy = limiter.limiter
        self.per_account = parse(per_account)
        self.per_address = parse(per_address)

    def account_locked(self, username: str) -> bool:
        return not self.strategy.test(self.per_account, "sign-in-account", username.casefold())

    def address_locked(self, address: str) -> bool:
        return not self.strategy.test(self.per_address, "sign-in-address", address)

    def count_failure(self, username: str, address: str) -> None:
        self.strategy.hit(self.per_account, "sign-in-account", username.casefold())
        self.strategy.hit(self.per_address, "sign-in-address", address)


class LoginForm(FlaskForm):
    username = StringField(lazy("User name"), [InputRequired(), Length(max=40)])
    password = PasswordField(lazy("Password"), [InputRequired(), Length(max=200)])


def safe_next(target: str | None) -> str | None:
    """Return `target` if it is a path of this site (never another host, scheme or `//host`), else None."""
    if not target:
        return None
    target = target.strip()
    if "\\" in target or any(ord(char) < 32 for char in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not parts.path.startswith("/") or parts.path.startswith("//"):
        return None
    return target


def _keep_language_only() -> None:
    # A new session on sign-in and sign-out (no fixation); the reader's language survives it.
    lang = session.get(SESSION_KEY)
    session.clear()
    if lang:
        session[SESSION_KEY] = lang


def init_auth(app: Flask, db: Database, limiter: Limiter) -> None:
    """Register sign-in, sign-out and the language switch on the app."""
    manager = LoginManager(app)
    manager.login_view = "auth.login"
    manager.session_protection = "strong"
    manager.login_message = None

    @manager.user_loader
    def load_user(session_id: str) -> SignedInUser | None:
        user_id, _, version = session_id.partition(":")
        if not (user_id.isdigit() and version.isdigit()):
            return None  # also a cookie from before session versions
        user = db.session.get(User, int(user_id))
        if user is None or not user.is_active or user.session_version != int(version):
            return None
        return SignedInUser.of(user)

    blueprint = Blueprint("auth", __name__)

    limits = SignInLimits(limiter, app.config["COOP_LOGIN_ACCOUNT_LIMIT"], app.config["COOP_LOGIN_LIMIT"])

    @blueprint.route("/login", methods=["GET", "POST"])
    def login() -> Any:
        form = LoginForm()
        if not form.validate_on_submit():
            return render_template("coop/login.html", form=form, error=None)
        username, address = form.username.data or "", request.remote_addr or ""
        if limits.account_locked(username):
            message = _("This account is locked for a while after too many failed sign-ins. Try again later.")
            return render_template("coop/login.html", form=form, error=message), 429
        user = authenticate(db.session(), username, form.password.data or "")
        if user is not None:
            db.session.commit()  # authenticate() may have upgraded an outdated hash
            _keep_language_only()
            login_user(SignedInUser.of(user))
            return redirect(safe_next(request.args.get("next")) or url_for("admin.index"))
        locked = limits.address_locked(address)
        limits.count_failure(username, address)
        if locked:
            message = _("Too many failed sign-in attempts. Wait a minute and try again.")
            return render_template("coop/login.html", form=form, error=message), 429
        return render_template("coop/login.html", form=form, error=_("Wrong user name or password.")), 401

    @blueprint.route("/logout", methods=["POST"])
    def logout() -> Any:
        if current_user.is_authenticated:
            # A copy of the cookie taken before now must not keep working: the user's sessions all end.
            user = db.session.get(User, current_user.id)
            if user is not None:
                end_sessions(user)
                db.session.commit()
        logout_user()
        _keep_language_only()
        return redirect(url_for("auth.login"))

    @blueprint.route("/lang", methods=["POST"])
    def switch_language() -> Any:
        lang = request.form.get("lang")
        if lang not in ("zh", "en"):
            abort(400)
        session[SESSION_KEY] = lang
        return redirect(safe_next(request.form.get("next")) or url_for("admin.index"))

    @blueprint.route("/")
    def root() -> Any:
        return redirect(url_for("admin.index"))

    app.register_blueprint(blueprint)
