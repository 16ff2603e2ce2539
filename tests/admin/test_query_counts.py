"""A list page runs the same number of SQL statements whatever its length, its place in the list, the rows of the
table and the cooperatives of the user: no query per row (no N+1), none per page number or cooperative."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from admin.database import database
from admin.registry import MODEL_VIEWS
from admin.views.base import CoopModelView
from coopcore.models import Cooperative, User
from tests.admin.demo import sign_in
from tests.admin.lists import add_cooperatives, add_rows, client_of, county_on, page, reach
from tests.backends import BACKENDS


@contextmanager
def counted(app: Flask) -> Iterator[list[str]]:
    """Collect the SQL statements the app sends while the block runs."""
    statements: list[str] = []

    def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if not statement.startswith("PRAGMA"):  # SQLite's lock wait, set as each transaction begins: not a read
            statements.append(statement)

    with app.app_context():
        engine = database().engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)


def statements_for(client: FlaskClient, app: Flask, path: str) -> list[str]:
    with counted(app) as statements:
        response = client.get(path)
    assert response.status_code == 200, path
    return statements


@pytest.fixture(scope="module")
def signed_in(demo_file: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Flask, dict[str, Any]]]:
    from tests.admin.conftest import make_app
    from tests.backends import copy_of

    folder = tmp_path_factory.mktemp("queries")
    app = make_app(copy_of(demo_file, folder), folder)
    clients = {}
    for role in ("admin", "accountant", "official1"):
        clients[role] = app.test_client()
        sign_in(clients[role], role)
    yield app, clients


@pytest.mark.parametrize("endpoint", [endpoint for _, _, endpoint, _ in MODEL_VIEWS])
def test_a_list_page_of_100_rows_runs_as_many_queries_as_one_of_20(
    signed_in: tuple[Flask, dict[str, FlaskClient]], endpoint: str
) -> None:
    app, clients = signed_in
    client = clients["admin"]
    client.get(f"/admin/{endpoint}/")  # warm up: templates, the user
    short = statements_for(client, app, f"/admin/{endpoint}/?page_size=20")
    long = statements_for(client, app, f"/admin/{endpoint}/?page_size=100")
    assert len(long) == len(short), "\n".join(long)
    # BEGIN, user, count, (ids,) rows, filter options; the sums of a totals row, and the rows a rule keeps from
    # being deleted, are one statement a page each.
    view = next(view for view, _, name, _ in MODEL_VIEWS if name == endpoint)
    allowed = 7 + bool(view.total_columns) + (view.undeletable is not CoopModelView.undeletable)
    assert len(short) <= allowed, "\n".join(short)


@pytest.mark.parametrize("role", ["accountant", "official1"])
def test_the_filtered_transactions_list_is_a_constant_handful_of_queries_for_every_role(
    signed_in: tuple[Flask, dict[str, FlaskClient]], role: str
) -> None:
    app, clients = signed_in
    client = clients[role]
    client.get("/admin/trade/")
    plain = statements_for(client, app, "/admin/trade/?page_size=20")
    filtered = statements_for(client, app, "/admin/trade/?page_size=100&flt0_0=2024-01-01+to+2024-12-31&flt1_1=1")
    late = statements_for(client, app, "/admin/trade/?page=40")
    # BEGIN, user, reach, count, ids, rows, two option lists; a narrowed list adds the amounts' sum
    assert len(plain) == len(late) == len(filtered) - 1 <= 9


# The big lists, each at the pages its pager leads to: first, the middle by the next link (a seek by key), the
# middle by a typed number (OFFSET from the nearer end), the last.
BIG_LISTS = ("/admin/trade/", "/admin/member/", "/admin/income_expense/", "/admin/books/vouchers/?year=2024")


def statement_counts(app: Flask, client: FlaskClient, path: str) -> list[int]:
    """How many statements each of a list's pages runs: first, middle by key, middle by number, last."""
    join = "&" if "?" in path else "?"
    _ids, links, _body = page(client, f"{path}{join}goto=2")
    paths = [path, links["next"], f"{path}{join}goto=3", f"{path}{join}page=-1"]
    client.get(path)  # warm up: templates, the user, the menu
    return [len(statements_for(client, app, each)) for each in paths]


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_big_lists_pages_run_as_many_queries_at_its_end_and_with_more_rows_and_cooperatives(
    backend: str, tmp_path: Path
) -> None:
    with county_on(backend, tmp_path) as (app, engine):
        clients = {user: client_of(app, user) for user in ("chief", "clerk")}
        before = {(user, path): statement_counts(app, clients[user], path) for user in clients for path in BIG_LISTS}
        for (user, path), counts in before.items():
            assert len(set(counts)) == 1, (user, path, counts)
        # Three cooperatives more, the clerk keeping the books of two of them, and five times the rows.
        with Session(engine) as session, session.begin():
            added = add_cooperatives(session, [400, 300, 200])
            for cooperative in session.scalars(select(Cooperative).where(Cooperative.id.in_(reach(session, "chief")))):
                add_rows(session, cooperative, trades=150, members=60, vouchers=100)
            clerk = session.scalars(select(User).where(User.username == "clerk")).one()
            clerk.cooperatives.extend(added[::2])
        after = {(user, path): statement_counts(app, clients[user], path) for user in clients for path in BIG_LISTS}
        assert after == before
