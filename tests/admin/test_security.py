"""Security: argon2 passwords, CSRF on every form and button, cookies, rate-limited sign-in, safe redirects,
headers, the secret key, and no debug mode."""

from __future__ import annotations

import logging
import re
import stat
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from admin.app import SECRET_FILE, create_app
from coopcore.db.engine import make_engine
from coopcore.models import Cooperative, Trade, User
from tests.admin.conftest import make_app
from tests.admin.demo import csrf_token, sign_in


def test_a_user_created_in_the_admin_is_stored_with_an_argon2_hash_only(client: FlaskClient, demo_url: str) -> None:
    sign_in(client, "admin")
    form = client.get("/admin/user/new/")
    response = client.post(
        "/admin/user/new/",
        data={
            "csrf_token": csrf_token(form.text),
            "username": "clerk",
            "display_name": "新会计",
            "password": "a long passphrase",
            "role": "admin",
            "is_active": "y",
        },
    )
    assert response.status_code == 302, response.text
    engine = make_engine(demo_url)
    with Session(engine) as session:
        stored = session.scalars(select(User).where(User.username == "clerk")).one().password_hash
    engine.dispose()
    assert stored.startswith("$argon2id$") and "a long passphrase" not in stored
    other = client.application.test_client()
    sign_in(other, "clerk", "a long passphrase")


def test_a_wrong_password_is_refused_without_saying_which_part_was_wrong(reader: FlaskClient) -> None:
    page = reader.get("/login")
    response = reader.post(
        "/login", data={"csrf_token": csrf_token(page.text), "username": "admin", "password": "not the password"}
    )
    assert response.status_code == 401
    assert "用户名或密码错误" in response.text
    assert reader.get("/admin/").status_code == 302


FORMS_WITHOUT_TOKEN = [
    ("/login", {"username": "admin", "password": "coopdemo2024"}),
    ("/admin/trade/new/", {"traded_on": "2024-05-01"}),
    ("/admin/trade/delete/", {"id": "1"}),
    ("/admin/trade/action/", {"action": "delete", "rowid": "1"}),
    ("/admin/distribution/plan", {"cooperative": "12", "year": "2024"}),
    ("/admin/workbook/apply", {}),
    ("/lang", {"lang": "en"}),
    ("/logout", {}),
]


@pytest.mark.parametrize(("path", "data"), FORMS_WITHOUT_TOKEN)
def test_every_form_button_and_the_sign_out_refuse_a_post_without_the_csrf_token(
    reader: FlaskClient, path: str, data: dict[str, str]
) -> None:
    sign_in(reader, "admin")
    response = reader.post(path, data=data)
    assert response.status_code == 400
    assert "表单已过期或不是从本系统提交的" in response.text
    assert reader.get("/admin/").status_code == 200  # still signed in: the sign-out without a token did nothing


def test_the_forms_carry_a_token_that_the_server_accepts(client: FlaskClient) -> None:
    sign_in(client, "admin")  # a private database: signing out ends the user's sessions
    page = client.get("/admin/")
    assert client.post("/lang", data={"csrf_token": csrf_token(page.text), "lang": "en"}).status_code == 302
    assert client.post("/logout", data={"csrf_token": csrf_token(page.text)}).status_code == 302
    assert client.get("/admin/").status_code == 302  # signed out


def test_signing_out_is_a_post_only(reader: FlaskClient) -> None:
    sign_in(reader, "admin")
    assert reader.get("/logout").status_code == 405


def test_the_session_cookie_is_http_only_and_same_site(reader: FlaskClient) -> None:
    page = reader.get("/login")
    response = reader.post(
        "/login", data={"csrf_token": csrf_token(page.text), "username": "admin", "password": "coopdemo2024"}
    )
    cookie = next(value for value in response.headers.getlist("Set-Cookie") if value.startswith("coop_session="))
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_behind_https_the_session_cookie_is_secure(demo_url: str, tmp_path: Path) -> None:
    client = make_app(demo_url, tmp_path, SESSION_COOKIE_SECURE=True).test_client()
    page = client.get("/login")
    response = client.post(
        "/login", data={"csrf_token": csrf_token(page.text), "username": "admin", "password": "coopdemo2024"}
    )
    cookie = next(value for value in response.headers.getlist("Set-Cookie") if value.startswith("coop_session="))
    assert "Secure" in cookie


def test_failed_sign_ins_from_an_address_are_limited_but_a_right_password_gets_through(
    demo_url: str, tmp_path: Path
) -> None:
    app = make_app(demo_url, tmp_path, COOP_LOGIN_LIMIT="5 per minute")
    client = app.test_client()
    for _ in range(6):
        sign_in(client, "admin")  # successes do not count
    token = csrf_token(client.get("/login").text)
    answers = [
        client.post("/login", data={"csrf_token": token, "username": "admin", "password": "guess"}).status_code
        for _ in range(6)
    ]
    assert answers == [401] * 5 + [429]
    blocked = client.post("/login", data={"csrf_token": token, "username": "admin", "password": "guess"})
    assert blocked.status_code == 429
    assert "登录失败次数过多" in blocked.text
    right = client.post("/login", data={"csrf_token": token, "username": "admin", "password": "coopdemo2024"})
    assert right.status_code == 302  # the address's lock holds only wrong passwords (see test_sign_in_limits)


@pytest.mark.parametrize(
    ("next_url", "lands_on"),
    [
        ("/admin/trade/?page=2", "/admin/trade/?page=2"),
        ("https://evil.example/admin/", "/admin/"),
        ("//evil.example/admin/", "/admin/"),
        ("/\\evil.example", "/admin/"),
        ("javascript:alert(1)", "/admin/"),
        ("admin/trade/", "/admin/"),
    ],
)
def test_next_leads_only_to_a_path_of_this_site(reader: FlaskClient, next_url: str, lands_on: str) -> None:
    page = reader.get("/login")
    response = reader.post(
        "/login",
        query_string={"next": next_url},
        data={"csrf_token": csrf_token(page.text), "username": "admin", "password": "coopdemo2024"},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == lands_on


def test_the_language_switch_also_returns_only_to_this_site(reader: FlaskClient) -> None:
    page = reader.get("/login")
    response = reader.post(
        "/lang", data={"csrf_token": csrf_token(page.text), "lang": "en", "next": "https://evil.example/"}
    )
    assert response.headers["Location"] == "/admin/"


@pytest.mark.parametrize("path", ["/login", "/admin/", "/admin/trade/", "/admin/no-such-page/"])
def test_every_answer_carries_the_security_headers(reader: FlaskClient, path: str) -> None:
    sign_in(reader, "accountant")
    headers = reader.get(path).headers
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert headers["Referrer-Policy"] == "same-origin"


def test_pages_with_member_data_are_not_cached(reader: FlaskClient) -> None:
    sign_in(reader, "accountant")
    assert reader.get("/admin/member/").headers["Cache-Control"] == "no-store"


def test_the_secret_key_comes_from_the_environment(
    demo_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COOP_SECRET_KEY", "from-the-environment")
    app = create_app({"COOP_DATABASE_URL": demo_url, "COOP_INSTANCE_PATH": str(tmp_path / "i")})
    assert app.config["SECRET_KEY"] == "from-the-environment"
    assert not (tmp_path / "i" / SECRET_FILE).exists()


def test_without_one_a_secret_key_is_generated_once_and_kept_private(
    demo_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.delenv("COOP_SECRET_KEY", raising=False)
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(variable, raising=False)
    config = {"COOP_DATABASE_URL": demo_url, "COOP_INSTANCE_PATH": str(tmp_path / "i")}
    with caplog.at_level(logging.WARNING, logger="admin.app"):
        first, second = create_app(config), create_app(config)
    # Said once, when generated, in Chinese (the system's locale names no English here).
    assert [record.getMessage() for record in caplog.records if "密钥" in record.getMessage()] == [
        f"未设置环境变量 COOP_SECRET_KEY：已在 {tmp_path / 'i' / SECRET_FILE} 生成密钥"
    ]
    assert first.config["SECRET_KEY"] == second.config["SECRET_KEY"]
    assert len(first.config["SECRET_KEY"]) == 64
    assert stat.S_IMODE((tmp_path / "i" / SECRET_FILE).stat().st_mode) == 0o600


def test_debug_mode_is_off_and_errors_do_not_show_tracebacks(app: Flask) -> None:
    assert app.debug is False
    assert app.config["DEBUG"] is False
    client = app.test_client()
    sign_in(client, "admin")
    response = client.get("/admin/audit/?since=not-a-date")
    assert response.status_code == 400
    assert "Traceback" not in response.text


def test_coop_admin_serves_with_waitress_on_the_groups_database(
    demo_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import waitress

    from coopcore.cli import main

    served: dict[str, Any] = {}

    class Server:
        def run(self) -> None:
            served["running"] = True

    def create_server(app: Flask, **options: Any) -> Server:
        served.update(options, app=app)
        return Server()

    monkeypatch.setattr(waitress, "create_server", create_server)
    monkeypatch.setenv("COOP_SECRET_KEY", "x" * 32)
    monkeypatch.chdir(tmp_path)  # the instance folder of an installed app is not the working directory
    result = CliRunner().invoke(main, ["--db", demo_url, "admin", "--port", "5123"])
    assert result.exit_code == 0, result.output
    assert "http://localhost:5123/" in result.output
    assert served["host"] == "127.0.0.1" and served["port"] == 5123 and served["running"]
    assert served["threads"] == 8  # one browser's parallel requests never wait (see test_waitress_settings)
    app = served["app"]
    assert app.debug is False and app.config["COOP_DATABASE_URL"] == demo_url
    client = app.test_client()
    sign_in(client, "accountant", fresh=True)  # this app has its own secret key
    assert client.get("/admin/").status_code == 200


def test_a_deactivated_user_is_signed_out_on_the_next_request(client: FlaskClient, demo_url: str) -> None:
    sign_in(client, "supervisor")
    engine = make_engine(demo_url)
    with Session(engine) as session, session.begin():
        session.scalars(select(User).where(User.username == "supervisor")).one().is_active = False
    engine.dispose()
    assert client.get("/admin/").status_code == 302


def test_an_accountant_cannot_move_their_cooperative_or_pick_another_cooperative(
    client: FlaskClient, demo_url: str
) -> None:
    sign_in(client, "accountant")
    engine = make_engine(demo_url)
    with Session(engine) as session:
        mine = session.scalar(select(Cooperative.id).where(Cooperative.name == "晨靓果业专业合作社"))
        foreign = session.scalar(select(Cooperative.id).where(Cooperative.name == "王家夼红富士苹果专业合作社"))
    engine.dispose()
    form = client.get("/admin/trade/new/")
    assert "王家夼红富士苹果专业合作社" not in form.text  # the select offers only their cooperatives
    response = client.post(
        "/admin/trade/new/",
        data={
            "csrf_token": csrf_token(form.text),
            "cooperative_id": str(foreign),
            "counterparty": "收购商",
            "kind": "intake",
            "traded_on": "2024-06-01",
            "product": "1",
            "quantity": "10",
            "unit": "kg",
            "unit_price": "2.00",
        },
    )
    assert response.status_code == 200  # the form comes back with an error; nothing is written
    assert "Not a valid choice" in response.text or "不是有效的选项" in response.text or "无效" in response.text
    assert mine


def test_the_delete_button_of_a_list_row_carries_a_token_and_works(client: FlaskClient, demo_url: str) -> None:
    sign_in(client, "official1")
    page = client.get("/admin/progress_entry/").text
    form = re.search(
        r'<form class="icon" method="POST" action="/admin/progress_entry/delete/">(.*?)</form>', page, re.S
    )
    assert form is not None
    inputs = re.findall(r"<input[^>]*>", form.group(1))
    fields = {re.search(r'name="(\w+)"', i).group(1): re.search(r'value="([^"]*)"', i).group(1) for i in inputs}  # type: ignore[union-attr]
    assert set(fields) == {"id", "url", "csrf_token"}
    assert client.post("/admin/progress_entry/delete/", data=fields).status_code == 302
    assert client.get(f"/admin/progress_entry/details/?id={fields['id']}").status_code == 404  # gone


def test_each_list_row_links_to_its_own_record_and_shows_its_values(client: FlaskClient, demo_url: str) -> None:
    sign_in(client, "accountant")
    page = client.get("/admin/trade/?page_size=20").text
    style = re.search(r"<style>([^<]*)</style>", page)
    assert style is not None and ".table .col-amount" in style.group(1) and "text-align: right" in style.group(1)
    assert ".col-ticket_no" not in style.group(1)  # only exact decimals line up on the right
    rows = re.findall(r"<tr>\s*<td>\s*<input[^>]*value=\"(\d+)\"(.*?)</tr>", page, re.S)
    assert len(rows) == 20
    engine = make_engine(demo_url)
    with Session(engine) as session:
        for record, html in rows:
            trade = session.get_one(Trade, int(record))
            links = re.findall(r'href="/admin/trade/(details|edit)/\?([^"]*)"', html)
            assert {kind for kind, _ in links} == {"details", "edit"}
            assert all(f"id={record}" in query.split("&amp;") for _, query in links)
            assert f'<input id="id" name="id" type="hidden" value="{record}">' in html
            assert f'<td class="col-ticket_no">{trade.ticket_no or ""}</td>' in html
    engine.dispose()
    edit = re.search(r'href="(/admin/trade/edit/\?[^"]*)"', page)
    assert edit is not None
    assert client.get(edit.group(1).replace("&amp;", "&")).status_code == 200
