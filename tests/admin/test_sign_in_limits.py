"""Sign-in limits: failures count per account (from any address) and per address; a right password passes an
address's lock but not an account's; behind a configured reverse proxy the client's address is the one counted."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from demo import DEMO_PASSWORD
from tests.admin.conftest import make_app
from tests.admin.demo import csrf_token

WRONG = "not the password"


def attempt(client: FlaskClient, username: str, password: str, address: str | None = None) -> int:
    """Post the sign-in form (with its token); the status: 302 signed in, 401 wrong, 429 locked."""
    headers = {"X-Forwarded-For": address} if address else {}
    token = csrf_token(client.get("/login", headers=headers).text)
    data = {"csrf_token": token, "username": username, "password": password}
    return client.post("/login", data=data, headers=headers).status_code


def limited_app(demo_url: str, tmp_path: Path, **config: object) -> Flask:
    return make_app(
        demo_url,
        tmp_path,
        COOP_LOGIN_LIMIT="5 per minute",
        COOP_LOGIN_ACCOUNT_LIMIT="8 per 15 minutes",
        **config,
    )


def test_guesses_at_one_account_from_many_addresses_lock_the_account(demo_url: str, tmp_path: Path) -> None:
    app = limited_app(demo_url, tmp_path, COOP_PROXY_HOPS=1)
    answers = [attempt(app.test_client(), "admin", WRONG, f"203.0.113.{number % 6 + 1}") for number in range(30)]
    assert answers[:8] == [401] * 8
    assert set(answers[8:]) == {429}  # 30 guesses from 6 addresses: the account stops them after 8
    locked = app.test_client()
    headers = {"X-Forwarded-For": "198.51.100.7"}
    token = csrf_token(locked.get("/login", headers=headers).text)
    right = {"csrf_token": token, "username": "admin", "password": DEMO_PASSWORD}
    refused = locked.post("/login", data=right, headers=headers)
    assert refused.status_code == 429  # the account's lock holds the right password too, from a new address
    assert "该账户登录失败次数过多" in refused.text
    assert attempt(app.test_client(), "accountant", DEMO_PASSWORD, "203.0.113.1") == 302  # other accounts go on


def test_a_right_password_passes_the_lock_of_its_address(demo_url: str, tmp_path: Path) -> None:
    app = limited_app(demo_url, tmp_path, COOP_PROXY_HOPS=1)
    office = "192.0.2.10"  # a village office behind one NAT address
    answers = [attempt(app.test_client(), name, WRONG, office) for name in ("accountant", "supervisor") * 3]
    assert answers == [401] * 5 + [429]
    client = app.test_client()
    headers = {"X-Forwarded-For": office}
    token = csrf_token(client.get("/login", headers=headers).text)
    refused = client.post(
        "/login", data={"csrf_token": token, "username": "official1", "password": WRONG}, headers=headers
    )
    assert refused.status_code == 429
    assert "登录失败次数过多" in refused.text
    assert attempt(client, "official1", DEMO_PASSWORD, office) == 302  # a colleague with the right password gets in
    assert client.get("/admin/", headers=headers).status_code == 200
    assert attempt(app.test_client(), "supervisor", WRONG, "192.0.2.99") == 401  # another address is not locked


def test_without_a_configured_proxy_the_forwarded_address_is_ignored(demo_url: str, tmp_path: Path) -> None:
    app = limited_app(demo_url, tmp_path)  # COOP_PROXY_HOPS defaults to 0
    answers = [attempt(app.test_client(), "supervisor", WRONG, f"203.0.113.{number}") for number in range(6)]
    assert answers == [401] * 5 + [429]  # all from the one real address: a forged header changes nothing


def test_the_proxy_hops_come_from_the_environment(
    demo_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COOP_PROXY_HOPS", "1")
    app = limited_app(demo_url, tmp_path)
    assert app.config["COOP_PROXY_HOPS"] == 1
    answers = [attempt(app.test_client(), "supervisor", WRONG, "203.0.113.5") for _ in range(6)]
    assert answers == [401] * 5 + [429]  # the forwarded address is the one locked ...
    assert attempt(app.test_client(), "supervisor", WRONG, "203.0.113.6") == 401  # ... and only that one


def test_the_limits_are_configurable(demo_url: str, tmp_path: Path) -> None:
    app = make_app(demo_url, tmp_path, COOP_LOGIN_LIMIT="100 per minute", COOP_LOGIN_ACCOUNT_LIMIT="2 per hour")
    answers = [attempt(app.test_client(), "supervisor", WRONG) for _ in range(3)]
    assert answers == [401, 401, 429]


def test_the_counters_store_comes_from_the_environment(
    demo_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert limited_app(demo_url, tmp_path).config["RATELIMIT_STORAGE_URI"] == "memory://"
    monkeypatch.setenv("COOP_RATELIMIT_STORAGE_URI", "memory://from-the-environment")
    app = limited_app(demo_url, tmp_path)
    assert app.config["RATELIMIT_STORAGE_URI"] == "memory://from-the-environment"
    assert limited_app(demo_url, tmp_path, RATELIMIT_STORAGE_URI="memory://").config["RATELIMIT_STORAGE_URI"] == (
        "memory://"
    )  # the app's config first, as for the secret key


def test_with_memory_counters_each_worker_process_counts_alone(demo_url: str, tmp_path: Path) -> None:
    # Two apps stand for two worker processes: with memory:// each counts an address's 5 failures a minute (and an
    # account's 8) on its own, so N workers let up to N times as many through (README, "Running coopcore for a
    # county"); a shared store (redis://, memcached://) makes them one count.
    workers = [limited_app(demo_url, tmp_path / str(number)) for number in range(2)]
    for worker in workers:
        answers = [attempt(worker.test_client(), "supervisor", WRONG) for _ in range(7)]
        assert answers == [401] * 5 + [429] * 2
