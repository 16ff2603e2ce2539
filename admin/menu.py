"""The layout's parts that are the same on every page: the main menu, and the URLs of Flask-Admin's static files.

Flask-Admin's layout walks the menu on every request and builds each entry's URL with url_for: about 25 URLs
and 100 template calls a page. Here the menu is written once for each language, role and current page, asking
each entry whether the user may see it as Flask-Admin does, and then reused; a test holds the kept menu equal to
a freshly written one for every role and page.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import current_app, render_template, request
from flask_login import current_user
from markupsafe import Markup

from admin.i18n import current_lang


def main_menu(admin_view: Any) -> Markup:
    """The menu of the admin `admin_view` belongs to, with `admin_view`'s entry marked active."""
    admin = admin_view.admin
    # Which entries a user sees depends on their role alone: every view's is_accessible asks the role's right
    # to read the view's area (admin.access.READERS), and is_visible does not depend on the user at all.
    role = current_user.role if current_user.is_authenticated else None
    key = (id(admin), request.script_root, current_lang(), admin_view.endpoint, role)
    html: Markup = _kept("coop_menus", key, lambda: render_menu(admin_view))
    return html


def render_menu(admin_view: Any) -> Markup:
    """The menu as Flask-Admin's layout writes it, asking each entry whether the user may see it."""
    return Markup(render_template("coop/menu.html", admin_view=admin_view, items=admin_view.admin.menu()))


def static_url(admin_view: Any, **arguments: Any) -> str:
    """The URL of one of Flask-Admin's static files, built once (its layout asks for 14 on every page)."""
    admin = admin_view.admin
    key = (id(admin), request.script_root, tuple(sorted(arguments.items())))
    url: str = _kept("coop_static_urls", key, lambda: admin_view.get_url(f"{admin.endpoint}.static", **arguments))
    return url


def _kept(store: str, key: Any, make: Callable[[], Any]) -> Any:
    """The value kept under `key` in the app's `store`, made by `make()` the first time it is asked for."""
    kept: dict[Any, Any] = current_app.extensions.setdefault(store, {})
    if key not in kept:
        kept[key] = make()
    return kept[key]
