"""The buttons at the start of each list row (details, edit, delete), written from URLs built once a page.

Flask-Admin renders each button through a Jinja macro that calls url_for, three times a row; on a page of 20
trades that was about a fifth of the page's time. These write the same HTML as Flask-Admin 2.2's bootstrap4
`row_actions.html`, and the delete form carries the same fields and CSRF token that the delete view checks.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

# The buttons' texts come from Flask-Admin's own catalog, as they do in its templates.
from flask_admin.babel import gettext as flask_admin_text
from flask_admin.model.template import BaseListRowAction
from flask_wtf.csrf import generate_csrf
from jinja2.runtime import Context, Undefined
from markupsafe import Markup, escape

PLACEHOLDER = "__row_id__"  # stands for the record's id in a URL built once; url_for leaves it as it is
# Filled by str.format with escape()d values: Markup.format escapes the same way, several times slower.
LINK = '<a class="icon" href="{}" title="{}"><span class="{}"></span></a>'
DELETE = (
    '<form class="icon" method="POST" action="{action}">'
    '<input id="id" name="id" type="hidden" value="{id}">'
    '<input id="url" name="url" type="hidden" value="{url}">'
    '<input type="hidden" name="csrf_token" value="{token}">'
    '<button onclick="return faHelpers.safeConfirm(\'{confirm}\');" title="{title}">'
    '<span class="fa fa-trash glyphicon glyphicon-trash"></span></button></form>'
)


def _return_url(context: Context) -> str:
    """The list page's way back, which Flask-Admin's list template sets before it renders any row."""
    back = context.resolve("return_url")
    if isinstance(back, Undefined):  # rendered outside that template: the buttons would lead nowhere
        raise LookupError("row buttons need the list template's return_url")
    return str(back)


class LinkRow(BaseListRowAction):  # type: ignore[misc]
    """A link to one of the view's pages for the row's record (details or edit)."""

    def __init__(self, endpoint: str, icon: str, title: str) -> None:
        super().__init__(title)
        self.endpoint = endpoint
        self.icon = icon
        self._urls: dict[str, str] = {}  # by return URL: one url_for per page, not per row

    def render(self, context: Context, row_id: Any, row: Any) -> Markup:
        back = _return_url(context)
        if back not in self._urls:
            self._urls[back] = context.resolve("get_url")(self.endpoint, id=PLACEHOLDER, url=back)
        url = self._urls[back].replace(PLACEHOLDER, quote(str(row_id), safe=""))
        return Markup(LINK.format(escape(url), escape(self.title or ""), escape(self.icon)))


class DeleteRow(BaseListRowAction):  # type: ignore[misc]
    """The delete button: a small POST form with the record's id, the way back and the CSRF token."""

    def __init__(self) -> None:
        super().__init__(flask_admin_text("Delete Record"))
        self._around: tuple[str, str] | None = None  # the form's HTML before and after the id, the same all page

    def render(self, context: Context, row_id: Any, row: Any) -> Markup:
        if self._around is None:
            html = DELETE.format(
                action=escape(context.resolve("get_url")(".delete_view")),
                id=PLACEHOLDER,
                url=escape(_return_url(context)),
                token=escape(generate_csrf()),  # Flask-WTF keeps one token per request
                confirm=escape(flask_admin_text("Are you sure you want to delete this record?")),
                title=escape(self.title),
            )
            before, after = html.split(PLACEHOLDER)
            self._around = before, after
        before, after = self._around
        return Markup(f"{before}{escape(row_id)}{after}")


def row_actions(view: Any) -> list[BaseListRowAction]:
    """The buttons a user may use on the view's rows, as Flask-Admin would offer them (no modal dialogs)."""
    actions: list[BaseListRowAction] = []
    if view.can_view_details:
        actions.append(
            LinkRow(".details_view", "fa fa-eye glyphicon glyphicon-eye-open", flask_admin_text("View Record"))
        )
    if view.can_edit:
        actions.append(
            LinkRow(".edit_view", "fa fa-pencil glyphicon glyphicon-pencil", flask_admin_text("Edit Record"))
        )
    if view.can_delete:
        actions.append(DeleteRow())
    return actions + list(view.column_extra_row_actions or [])
