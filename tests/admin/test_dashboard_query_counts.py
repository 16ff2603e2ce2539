"""The home pages and dashboards run as many SQL statements for a big township as for a small one: the official's
home and the weak-village dashboard whatever the villages and cooperatives, the accountant's home whatever the
rows of their cooperative (it glances at each of their cooperatives, a fixed handful of statements each), the
township's statements roll-up whatever its cooperatives and their rows; issue #18."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from coopcore.models import Cooperative, Role
from coopcore.services.users import create_user
from demo import DEMO_PASSWORD
from tests.admin.conftest import make_app
from tests.admin.lists import add_rows, client_of
from tests.backends import BACKENDS, scratch_engine
from tests.township.growth import YEAR, add_cooperatives, add_villages, counted, make_county_township, township_of

TOWNSHIP = "增长镇"


@contextmanager
def township_on(backend: str, folder: Path) -> Iterator[tuple[Flask, Engine]]:
    """A township of two villages with plans and a cooperative each, and a federation; its official "official",
    an administrator "chief" and the accountant "clerk" of its first cooperative."""
    with scratch_engine(backend, folder, "schema") as engine:
        with Session(engine) as session, session.begin():
            township = make_county_township(session, TOWNSHIP)
            cooperatives = add_cooperatives(session, add_villages(session, township, 2, baseline_year=2022), 20)
            create_user(session, "official", DEMO_PASSWORD, Role.TOWNSHIP_OFFICIAL, township=township)
            create_user(session, "chief", DEMO_PASSWORD, Role.ADMIN)
            create_user(session, "clerk", DEMO_PASSWORD, Role.ACCOUNTANT, cooperatives=cooperatives[:1])
        url = engine.url.render_as_string(hide_password=False)
        app = make_app(url, folder, SECRET_KEY=f"dashboards-{backend}-{folder.name}")
        try:
            yield app, engine
        finally:
            app.extensions["coop_database"].engine.dispose()  # the server drops no database with a connection open


def statements_for(app: Flask, client: FlaskClient, path: str) -> int:
    with app.app_context():
        engine = app.extensions["coop_database"].engine
    with counted(engine) as statements:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(statements)


def pages(township_id: int) -> list[tuple[str, str]]:
    """The pages a township's users open first, by user."""
    return [
        ("official", "/admin/"),
        ("official", f"/admin/villages/?year={YEAR}"),
        ("chief", "/admin/"),
        ("chief", f"/admin/villages/?year={YEAR}"),
        ("chief", f"/admin/villages/?year={YEAR}&township={township_id}"),
        ("clerk", f"/admin/?year={YEAR}"),
        ("official", f"/admin/township-statements/?year={YEAR}"),
        ("chief", f"/admin/township-statements/?year={YEAR}&township={township_id}&unit=wan"),
    ]


def counts(app: Flask, clients: dict[str, FlaskClient], paths: list[tuple[str, str]]) -> dict[tuple[str, str], int]:
    for user, path in paths:
        clients[user].get(path)  # warm up: templates, the user, the menu
    return {(user, path): statements_for(app, clients[user], path) for user, path in paths}


@pytest.mark.parametrize("backend", BACKENDS)
def test_the_dashboards_run_as_many_statements_for_more_villages_cooperatives_and_rows(
    backend: str, tmp_path: Path
) -> None:
    with township_on(backend, tmp_path) as (app, engine):
        clients = {user: client_of(app, user) for user in ("official", "chief", "clerk")}
        with Session(engine) as session:
            township_id = township_of(session, TOWNSHIP).id
        small = counts(app, clients, pages(township_id))
        with Session(engine) as session, session.begin():
            clerks = session.scalars(select(Cooperative).order_by(Cooperative.id)).first()
            assert clerks is not None
            add_rows(session, clerks, trades=200, members=100, vouchers=200)
        with Session(engine) as session, session.begin():
            township = township_of(session, TOWNSHIP)
            add_cooperatives(session, add_villages(session, township, 4, baseline_year=2018), 60)
        big = counts(app, clients, pages(township_id))
        assert big == small
