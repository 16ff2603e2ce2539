"""The signed-in user's reach, worked out once per request; the rules themselves are coopcore's.

coopcore.services.access decides who may see and change what, for the admin's views and the workbook import
alike; this module only finds the user of the request. The views ask it; they never decide access themselves.
"""

from __future__ import annotations

from flask import g
from flask_login import current_user

from coopcore.services.access import Area, Person, Scope, load_scope

__all__ = ["Area", "Person", "Scope", "current_scope", "load_scope"]


def current_scope() -> Scope:
    """The reach of the signed-in user, worked out once per request."""
    scope: Scope | None = g.get("coop_scope")
    if scope is None:
        from admin.database import database  # the app's database, set up by create_app

        scope = load_scope(database().session(), current_user._get_current_object())
        g.coop_scope = scope
    return scope
