"""The admin behind gunicorn with three worker processes (admin/wsgi.py), on SQLite and PostgreSQL: a user signs in,
asks for a report, follows its job and downloads its file while the requests land on different workers. Every worker
accepts the session (one secret key, though none was given), every worker answers for the job (its state lives in
the instance folder, not in the process that took it), and a sign-out ends the session on every worker.

Which worker answered each request is read from gunicorn's own access log (its %(p)s is the worker's process id),
so the app carries nothing for the test.
"""

from __future__ import annotations

import http.cookiejar
import os
import re
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from admin import wsgi
from demo import DEMO_PASSWORD
from tests.admin.demo import csrf_token
from tests.admin.test_report_jobs import cooperative_id
from tests.backends import scratch_engine

REPO = Path(__file__).resolve().parents[2]
WORKERS = 3
ACCESS_FORMAT = "%(p)s %(s)s %(m)s %(U)s"  # <worker pid> status method path
LISTENING = re.compile(r"Listening at: http://127\.0\.0\.1:(\d+)")
BOOTED = re.compile(r"Booting worker with pid: (\d+)")


@dataclass(frozen=True)
class Answer:
    """One line of the access log: which worker answered what."""

    pid: int
    status: int
    method: str
    path: str


@dataclass
class Server:
    """A running gunicorn: its address, its workers and its access log."""

    base: str
    workers: set[int]
    access_log: Path

    def answers(self, at_least: int) -> list[Answer]:
        """The access log, once it has at least this many lines (a worker writes its line after the answer)."""
        deadline = time.monotonic() + 10
        while True:
            lines = self.access_log.read_text(encoding="utf-8").splitlines() if self.access_log.exists() else []
            if len(lines) >= at_least or time.monotonic() > deadline:
                break
            time.sleep(0.05)
        answers = []
        for line in lines:
            pid, status, method, path = line.split(" ", 3)
            answers.append(Answer(int(pid.strip("<>")), int(status), method, path))
        return answers


@contextmanager
def gunicorn(url: str, folder: Path) -> Iterator[Server]:
    """gunicorn on a free port with WORKERS sync workers, stopped (and waited for) however the test ends."""
    errors, access = folder / "gunicorn.log", folder / "access.log"
    environment = {
        **os.environ,
        "COOP_DATABASE_URL": url,
        "COOP_INSTANCE_PATH": str(folder / "instance"),
        "COOP_LOGIN_LIMIT": "1000 per minute",
        "COOP_LOGIN_ACCOUNT_LIMIT": "1000 per minute",
        "COOP_REPORT_WORKERS": "1",
    }
    environment.pop("COOP_SECRET_KEY", None)  # the workers must agree on the one key kept in the instance folder
    command = [
        str(Path(sys.executable).parent / "gunicorn"),
        *("-w", str(WORKERS), "-b", "127.0.0.1:0", "--graceful-timeout", "5"),
        *("--control-socket", str(folder / "gunicorn.ctl")),  # (gunicorn 25.1+) not the one in $HOME other servers use
        *("--access-logfile", str(access), "--access-logformat", ACCESS_FORMAT, "--error-logfile", str(errors)),
        "admin.wsgi:app",
    ]
    process = subprocess.Popen(command, cwd=REPO, env=environment, stdin=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 90
        while True:
            log = errors.read_text(encoding="utf-8") if errors.exists() else ""
            port, booted = LISTENING.search(log), {int(pid) for pid in BOOTED.findall(log)}
            if port and len(booted) == WORKERS:
                break
            assert process.poll() is None, f"gunicorn stopped:\n{log}"
            assert time.monotonic() < deadline, f"gunicorn did not start its workers:\n{log}"
            time.sleep(0.2)
        server = Server(f"http://127.0.0.1:{port.group(1)}", booted, access)
        wait_until_it_answers(server.base)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def wait_until_it_answers(base: str) -> None:
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(f"{base}/login", timeout=30) as response:
                if response.status == 200:
                    return
        except OSError:
            assert time.monotonic() < deadline, "the admin did not answer"
            time.sleep(0.2)


class Browser:
    """One user's HTTP client (one cookie jar) whose requests may go out several at once."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        self.sent = 0  # requests, redirects included: each is one line of the access log
        self._counting = threading.Lock()

    def open(self, path: str, fields: dict[str, str] | None = None) -> tuple[int, str, bytes]:
        """The status, final path and body of a GET (or of a POST with fields), redirects followed."""
        data = urllib.parse.urlencode(fields).encode() if fields is not None else None
        try:
            with self.opener.open(self.base + path, data=data, timeout=120) as response:
                final = urllib.parse.urlsplit(response.geturl()).path
                self._count(1 + (final != path))  # the redirects here are single hops
                return response.status, final, response.read()
        except urllib.error.HTTPError as error:
            self._count(1)
            return error.code, path, b""

    def _count(self, requests: int) -> None:
        with self._counting:
            self.sent += requests

    def form(self, path: str, fields: dict[str, str], form_page: str) -> tuple[int, str, bytes]:
        _, _, page = self.open(form_page)
        return self.open(path, {"csrf_token": csrf_token(page.decode()), **fields})

    def at_once(self, path: str, times: int) -> list[tuple[int, str, bytes]]:
        """The same GET several times at once: a sync worker answers one request at a time, so they spread."""
        with ThreadPoolExecutor(max_workers=times) as pool:
            return list(pool.map(lambda _: self.open(path), range(times)))


def until(condition: Callable[[], bool], what: str, seconds: float = 180) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, what
        time.sleep(0.5)  # like the job page's own refresh, a little faster: the report's worker needs the cores


@pytest.fixture(params=("sqlite", "postgresql"))
def demo_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A private copy of the demo database on the backend, as a URL."""
    with scratch_engine(request.param, tmp_path, "demo") as engine:
        yield engine.url.render_as_string(hide_password=False)


def test_behind_gunicorn_every_worker_knows_the_session_and_the_report_job(demo_database: str, tmp_path: Path) -> None:
    coop = cooperative_id(demo_database)
    with gunicorn(demo_database, tmp_path) as server:
        accountant = Browser(server.base)
        status, final, _ = accountant.form("/login", {"username": "accountant", "password": DEMO_PASSWORD}, "/login")
        assert (status, final) == (200, "/admin/")

        def every_worker_answered_home() -> bool:
            for status, final, _ in accountant.at_once("/admin/", 2 * WORKERS):
                assert (status, final) == (200, "/admin/")  # signed in, whichever worker answered
            answered = {a.pid for a in server.answers(accountant.sent) if (a.path, a.status) == ("/admin/", 200)}
            return answered == server.workers

        until(every_worker_answered_home, "the requests never reached every worker", 60)

        # The distribution report takes its worker seconds, while the others answer for the job.
        fields = {"report": "distribution", "cooperative": str(coop), "year": "2023", "format": "pdf"}
        status, job, _ = accountant.form("/admin/reports/build", fields, "/admin/reports/")
        assert status == 200 and re.fullmatch(r"/admin/reports/job/[\w-]+", job), (status, job)

        states: list[str] = []

        def done() -> bool:
            for status, _, page in accountant.at_once(job, 2 * WORKERS):
                assert status == 200, "a worker did not know the job"
                state = re.search(r'data-state="(\w+)"', page.decode())
                assert state, page.decode()
                states.append(state.group(1))
            assert "failed" not in states
            return "done" in states

        until(done, f"{job} did not finish")
        downloads = accountant.at_once(f"{job}/file", 2 * WORKERS)
        assert all(status == 200 and body.startswith(b"%PDF") for status, _, body in downloads)

        answers = server.answers(accountant.sent)
        (builder,) = {a.pid for a in answers if a.path == "/admin/reports/build"}
        followed = [a for a in answers if a.path.startswith(job)]
        assert all(a.status == 200 for a in followed)
        assert {a.pid for a in followed} - {builder}, "no other worker than the builder answered for the job"

        status, final, _ = accountant.form("/logout", {}, "/admin/")
        assert (status, final) == (200, "/login")
        signed_out = accountant.at_once("/admin/", 2 * WORKERS)
        assert all(final == "/login" for _, final, _ in signed_out)  # the session ended on every worker

    shared_key = tmp_path / "instance" / "secret_key"
    assert shared_key.exists()  # the one key every worker read: none generated its own


def test_the_wsgi_app_needs_a_database_url_and_a_migrated_schema(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError, match="COOP_DATABASE_URL"):
        wsgi.from_environment({})
    empty = f"sqlite:///{tmp_path / 'empty.sqlite3'}"  # a database `coop init` never saw
    with pytest.raises(RuntimeError, match="coop init"):
        wsgi.from_environment({"COOP_DATABASE_URL": empty})


def test_the_wsgi_app_takes_its_settings_from_the_environment(demo_url: str, tmp_path: Path) -> None:
    environment = {
        "COOP_DATABASE_URL": demo_url,
        "COOP_INSTANCE_PATH": str(tmp_path / "instance"),
        "COOP_REPORT_WORKERS": "1",
        "COOP_REPORT_KEEP_SECONDS": "600",
        "COOP_LOGIN_LIMIT": "3 per minute",
    }
    app = wsgi.from_environment(environment)
    assert app.instance_path == str(tmp_path / "instance")
    assert (app.config["COOP_REPORT_WORKERS"], app.config["COOP_REPORT_KEEP_SECONDS"]) == (1, 600)
    assert app.config["COOP_LOGIN_LIMIT"] == "3 per minute"
    app.extensions["coop_report_jobs"].shutdown()
