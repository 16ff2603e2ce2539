"""The layout's kept parts (admin.menu): the same HTML as written afresh, for every role and page."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_admin.contrib.sqla import ModelView  # type: ignore[import-untyped]
from flask_admin.model.base import ViewArgs  # type: ignore[import-untyped]

from tests.admin.demo import sign_in

MENU = '<ul class="nav navbar-nav mr-auto">'
STATIC = re.compile(r'(?:href|src)="(/admin/static/[^"]+)"')


def menu_of(page: str) -> str:
    """The main menu's list, nested lists and all."""
    start = page.index(MENU)
    depth = 0
    for tag in re.finditer(r"<(/?)ul\b", page[start:]):
        depth += -1 if tag.group(1) else 1
        if depth == 0:
            return page[start : start + tag.end()]
    raise AssertionError("the main menu is not closed")


def test_the_kept_menu_is_the_menu_written_afresh_for_each_user_and_page(shared_app: Flask) -> None:
    # official1 and official2 share a role: the second is served the menus kept for the first.
    for username in ("admin", "official1", "official2", "accountant", "supervisor"):
        client: FlaskClient = shared_app.test_client()
        sign_in(client, username)
        links = re.findall(r'href="(/admin/[^"]*)"', menu_of(client.get("/admin/").text))
        assert len(links) >= 5, username
        for path in links:
            kept = menu_of(client.get(path).text)
            shared_app.extensions.pop("coop_menus", None)
            fresh = menu_of(client.get(path).text)
            assert kept == fresh, (username, path)
            link = re.escape(f'href="{path}"')
            active = rf'<li class="active"><a class="nav-link" {link}|<a class="dropdown-item active" {link}'
            assert re.search(active, kept), (username, path)  # the page's own entry is marked


def test_the_static_files_linked_from_a_page_are_served(reader: FlaskClient) -> None:
    sign_in(reader, "accountant")
    urls = STATIC.findall(reader.get("/admin/trade/").text)
    assert len(urls) >= 10
    for url in urls:
        assert reader.get(url.replace("&amp;", "&")).status_code == 200, url


@pytest.mark.parametrize(
    "arguments",
    [
        {},
        {"page": 3, "sort": 2, "sort_desc": 1},
        {"search": "张 立新&a=b/?", "page_size": 50},
        {"page": 1, "extra_args": {"note": "x y", "gone": None}},
        {"filters": [(0, "traded_on", "2024-03-01 to 2024-03-31"), (3, "product", "1")], "page": 2},
    ],
)
def test_the_lists_own_links_are_the_ones_url_for_writes(shared_app: Flask, arguments: dict[str, Any]) -> None:
    view = next(v for v in shared_app.extensions["admin"][0]._views if getattr(v, "endpoint", "") == "trade")
    with shared_app.test_request_context("/admin/trade/"):
        view_args = ViewArgs(**arguments)
        assert view._get_list_url(view_args) == ModelView._get_list_url(view, view_args)
