"""Admin users: creation with an argon2 password hash, password checks, and the end of their sessions."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from coopcore.errors import InvalidValue
from coopcore.models import Cooperative, Role, Township, User

_hasher = PasswordHasher()
MIN_PASSWORD_LENGTH = 8


def hash_password(password: str) -> str:
    """Return an argon2id hash of a password of at least 8 characters."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidValue("a password needs at least {minimum} characters", minimum=MIN_PASSWORD_LENGTH)
    return _hasher.hash(password)


def create_user(
    session: Session,
    username: str,
    password: str,
    role: Role,
    *,
    display_name: str = "",
    township: Township | None = None,
    cooperatives: list[Cooperative] | None = None,
) -> User:
    """Create a user scoped to a township (officials) or to cooperatives (accountants, supervisors)."""
    if role is Role.TOWNSHIP_OFFICIAL and township is None:
        raise InvalidValue("a township official needs a township")
    if role in (Role.ACCOUNTANT, Role.SUPERVISOR) and not cooperatives:
        raise InvalidValue("an accountant or supervisor needs at least one cooperative")
    user = User(
        username=username,
        display_name=display_name,
        password_hash=hash_password(password),
        role=role,
        township=township,
        cooperatives=list(cooperatives or []),
    )
    session.add(user)
    session.flush()
    return user


def end_sessions(user: User) -> None:
    """End every signed-in session of a user (each session carries the version it was signed in with)."""
    user.session_version = (user.session_version or 1) + 1


def set_password(user: User, password: str) -> None:
    """Give a user a new password and end their open sessions: whoever held the old one is signed out."""
    user.password_hash = hash_password(password)
    end_sessions(user)


def set_active(user: User, active: bool) -> None:
    """Enable or disable a user; a disabled user's sessions end and stay ended when they are enabled again."""
    if not active:
        end_sessions(user)
    user.is_active = active


def authenticate(session: Session, username: str, password: str) -> User | None:
    """Return the active user with these credentials, or None; rehash outdated hashes on the way."""
    user = session.scalar(select(User).where(User.username == username))
    if user is None or not user.is_active:
        # Hash anyway so that response time does not reveal whether the name exists.
        _hasher.hash(password or "x" * MIN_PASSWORD_LENGTH)
        return None
    try:
        _hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    return user
