"""Sessions end when they should: at sign-out, when an administrator sets a new password, when a user is
disabled; a broken secret key file never turns every page into an error."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from admin.app import SECRET_FILE, create_app
from coopcore.db.engine import make_engine
from coopcore.errors import InvalidValue
from coopcore.i18n import render_error
from coopcore.models import User
from coopcore.services.users import set_password
from tests.admin.demo import COOKIE, csrf_token, sign_in


def _captured(client: FlaskClient) -> str:
    cookie = client.get_cookie(COOKIE)
    assert cookie is not None
    return cookie.value


def _replay(app: Flask, cookie: str) -> FlaskClient:
    """A second browser holding a copy of a captured session cookie."""
    other = app.test_client()
    other.set_cookie(COOKIE, cookie)
    return other


def _user_id(url: str, username: str) -> int:
    engine = make_engine(url)
    with Session(engine) as session:
        found = session.scalar(select(User.id).where(User.username == username))
    engine.dispose()
    assert found is not None
    return found


def test_a_cookie_captured_before_sign_out_no_longer_reads_or_writes(client: FlaskClient) -> None:
    sign_in(client, "accountant", fresh=True)
    captured = _captured(client)
    page = client.get("/admin/trade/new/")
    assert page.status_code == 200
    token = csrf_token(page.text)
    assert client.post("/logout", data={"csrf_token": token}).status_code == 302

    thief = _replay(client.application, captured)
    response = thief.get("/admin/trade/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")
    written = thief.post("/admin/trade/new/", data={"csrf_token": token, "cooperative_id": "12"})
    assert written.status_code in (302, 400)
    assert written.status_code == 400 or written.headers["Location"].startswith("/login")


def test_a_password_set_by_an_administrator_ends_the_users_open_sessions(client: FlaskClient, demo_url: str) -> None:
    app = client.application
    victim = app.test_client()
    sign_in(victim, "supervisor", fresh=True)
    assert victim.get("/admin/").status_code == 200
    sign_in(client, "admin")
    target = _user_id(demo_url, "supervisor")
    form = client.get(f"/admin/user/edit/?id={target}")
    fields = {
        "csrf_token": csrf_token(form.text),
        "username": "supervisor",
        "display_name": "",
        "password": "another long passphrase",
        "role": "supervisor",
        "cooperatives": "12",
        "is_active": "y",
    }
    saved = client.post(f"/admin/user/edit/?id={target}", data=fields)
    assert saved.status_code == 302, saved.text
    assert victim.get("/admin/").status_code == 302  # the open session ended
    sign_in(victim, "supervisor", "another long passphrase")  # the new password works
    assert victim.get("/admin/").status_code == 200
    # Saving the user again without a new password leaves their sessions alone.
    fields["password"] = ""
    fields["csrf_token"] = csrf_token(client.get(f"/admin/user/edit/?id={target}").text)
    assert client.post(f"/admin/user/edit/?id={target}", data=fields).status_code == 302
    assert victim.get("/admin/").status_code == 200


def test_disabling_a_user_ends_their_sessions_also_after_they_are_enabled_again(
    client: FlaskClient, demo_url: str
) -> None:
    app = client.application
    victim = app.test_client()
    sign_in(victim, "supervisor", fresh=True)
    captured = _captured(victim)
    sign_in(client, "admin")
    target = _user_id(demo_url, "supervisor")
    fields = {
        "username": "supervisor",
        "display_name": "",
        "password": "",
        "role": "supervisor",
        "cooperatives": "12",
    }
    form = client.get(f"/admin/user/edit/?id={target}")
    assert (
        client.post(f"/admin/user/edit/?id={target}", data={**fields, "csrf_token": csrf_token(form.text)}).status_code
        == 302
    )
    assert victim.get("/admin/").status_code == 302
    form = client.get(f"/admin/user/edit/?id={target}")
    enabled = {**fields, "is_active": "y", "csrf_token": csrf_token(form.text)}
    assert client.post(f"/admin/user/edit/?id={target}", data=enabled).status_code == 302
    assert _replay(app, captured).get("/admin/").status_code == 302  # the old cookie stays dead


@pytest.mark.parametrize("content", ["", "\n", "   \n"])
def test_an_empty_secret_key_file_is_replaced_and_every_page_works(
    demo_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, content: str
) -> None:
    monkeypatch.delenv("COOP_SECRET_KEY", raising=False)
    folder = tmp_path / "instance"
    folder.mkdir()
    (folder / SECRET_FILE).write_text(content, encoding="ascii")
    app = create_app({"COOP_DATABASE_URL": demo_url, "COOP_INSTANCE_PATH": str(folder)})
    assert len(app.config["SECRET_KEY"]) == 64
    assert (folder / SECRET_FILE).read_text(encoding="ascii").strip() == app.config["SECRET_KEY"]
    client = app.test_client()
    assert client.get("/login").status_code == 200
    sign_in(client, "accountant", fresh=True)
    assert client.get("/admin/").status_code == 200


def test_a_secret_key_file_too_short_to_be_safe_refuses_to_start_with_a_clear_message(
    demo_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("COOP_SECRET_KEY", raising=False)
    folder = tmp_path / "instance"
    folder.mkdir()
    (folder / SECRET_FILE).write_text("short", encoding="ascii")
    with pytest.raises(InvalidValue) as refused:
        create_app({"COOP_DATABASE_URL": demo_url, "COOP_INSTANCE_PATH": str(folder)})
    message = render_error(refused.value, "zh")
    assert str(folder / SECRET_FILE) in message and "删除该文件" in message and "COOP_SECRET_KEY" in message


def test_on_every_backend_a_new_password_and_a_sign_out_end_the_sessions(example_app: tuple[Flask, Engine]) -> None:
    app, engine = example_app
    clerk = app.test_client()
    sign_in(clerk, "clerk", fresh=True)
    captured = _captured(clerk)
    with Session(engine) as session, session.begin():
        set_password(session.scalars(select(User).where(User.username == "clerk")).one(), "a new passphrase")
    assert clerk.get("/admin/").status_code == 302
    sign_in(clerk, "clerk", "a new passphrase")
    assert clerk.get("/admin/").status_code == 200
    token = csrf_token(clerk.get("/admin/").text)
    again = _captured(clerk)
    assert clerk.post("/logout", data={"csrf_token": token}).status_code == 302
    for cookie in (captured, again):
        assert _replay(app, cookie).get("/admin/").status_code == 302
