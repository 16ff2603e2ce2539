"""The audit trail names who made a change from the command line: the user of `coop --user` (or $COOP_USER) and
the operating-system login that ran `coop`, or that login alone; an unknown or disabled user is refused, and
nothing is written."""

from __future__ import annotations

import os
import pwd
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session
from sqlalchemy_continuum import version_class, versioning_manager

from coopcore.commands.base import os_login
from coopcore.commands.language import lang_of
from coopcore.db.engine import make_engine
from coopcore.models import Distribution, Role, User, Voucher
from coopcore.services.users import create_user
from tests.backends import BACKENDS, scratch_engine, sqlite_copy
from tests.cli.conftest import COOP, run
from tests.cli.test_distribution_command import chenliang
from tests.ledger.builders import make_books

PASSWORD = "县农经站-2026"
Transaction = versioning_manager.transaction_cls
LOGIN = pwd.getpwuid(os.getuid()).pw_name  # the account running the tests, and so the `coop` they start


def coop(url: str, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """The installed `coop --db URL …` in Chinese, a password typed twice on its standard input for `users add`."""
    environment = {key: value for key, value in os.environ.items() if key != "COOP_USER"} | (env or {})
    return subprocess.run(
        [COOP, "--lang", "zh", "--db", url, *args],
        input=f"{PASSWORD}\n{PASSWORD}\n",
        capture_output=True,
        text=True,
        timeout=120,
        env=environment,
    )


@pytest.fixture(params=BACKENDS)
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """A new installation with an administrator "chief" and a disabled accountant "retired"."""
    with scratch_engine(request.param, tmp_path, "schema") as engine:
        with Session(engine) as session, session.begin():
            create_user(session, "chief", PASSWORD, Role.ADMIN)
            create_user(session, "retired", PASSWORD, Role.ADMIN).is_active = False
        yield engine


def url_of(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=False)


def author_of_user(engine: Engine, username: str) -> tuple[str | None, str | None]:
    """Who created a user, as the audit trail says: (the acting user's name, the system login)."""
    versions = version_class(User)
    actor = User.__table__.alias("actor")
    query = (
        select(actor.c.username, Transaction.cli_login)
        .select_from(versions)
        .join(Transaction, Transaction.id == versions.transaction_id)
        .outerjoin(actor, actor.c.id == Transaction.user_id)
        .where(versions.username == username, versions.operation_type == 0)
    )
    with Session(engine) as session:
        row = session.execute(query).one()
    return row[0], row[1]


def counts(engine: Engine) -> tuple[int, int]:
    with Session(engine) as session:
        users = session.scalar(select(func.count(User.id)))
        transactions = session.scalar(select(func.count(Transaction.id)))
    return int(users or 0), int(transactions or 0)


def test_the_login_is_the_account_of_the_process_not_what_the_environment_claims(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    os_login.cache_clear()
    monkeypatch.setenv("USER", "someone-else")
    monkeypatch.setenv("LOGNAME", "someone-else")
    try:
        assert os_login() == LOGIN
    finally:
        os_login.cache_clear()


def test_coop_user_is_recorded_with_the_login_on_the_changes_of_the_command(engine: Engine) -> None:
    result = coop(url_of(engine), "--user", "chief", "users", "add", "li")
    assert result.returncode == 0, result.stderr
    assert author_of_user(engine, "li") == ("chief", LOGIN)


def test_coop_user_comes_from_the_environment_too(engine: Engine) -> None:
    result = coop(url_of(engine), "users", "add", "zhao", env={"COOP_USER": "chief"})
    assert result.returncode == 0, result.stderr
    assert author_of_user(engine, "zhao") == ("chief", LOGIN)


def test_without_a_user_the_change_is_recorded_as_made_from_the_command_line_by_the_login(engine: Engine) -> None:
    result = coop(url_of(engine), "users", "add", "wang")
    assert result.returncode == 0, result.stderr
    assert author_of_user(engine, "wang") == (None, LOGIN)


def test_an_unknown_or_disabled_user_is_refused_and_nothing_is_written(engine: Engine) -> None:
    before = counts(engine)
    unknown = coop(url_of(engine), "--user", "ghost", "users", "add", "li")
    assert unknown.returncode == 2, unknown.stderr
    assert "没有用户 ghost（由 coop --user 或环境变量 COOP_USER 指定）：可以用 coop users add 创建。" in unknown.stderr
    disabled = coop(url_of(engine), "users", "add", "li", env={"COOP_USER": "retired"})
    assert disabled.returncode == 2 and "用户 retired 已停用" in disabled.stderr, disabled.stderr
    assert counts(engine) == before


def test_a_command_that_only_reads_refuses_an_unknown_user_as_well(engine: Engine) -> None:
    result = coop(url_of(engine), "--user", "ghost", "check")
    assert result.returncode == 2 and "没有用户 ghost" in result.stderr, result.stderr


def test_coop_init_with_an_unknown_user_creates_no_database(tmp_path: Path) -> None:
    database = tmp_path / "new.sqlite3"
    result = coop(f"sqlite:///{database}", "--user", "chief", "init")
    assert result.returncode == 2 and "没有用户 chief" in result.stderr, result.stderr
    assert not database.exists()


def test_every_change_of_a_year_end_step_names_the_user_and_the_login(demo_url: str) -> None:
    result = coop(demo_url, "--user", "admin", "distribution", "plan", "--coop", chenliang(demo_url), "--year", "2024")
    assert result.returncode == 0, result.stderr
    engine = make_engine(demo_url)
    try:
        versions = version_class(Distribution)
        with Session(engine) as session:
            authors = session.execute(
                select(User.username, Transaction.cli_login)
                .select_from(versions)
                .join(Transaction, Transaction.id == versions.transaction_id)
                .outerjoin(User, User.id == Transaction.user_id)
                .where(Transaction.cli_login.is_not(None))
                .distinct()
            ).all()
    finally:
        engine.dispose()
    assert [tuple(row) for row in authors] == [("admin", LOGIN)]


def test_the_language_before_the_subcommand_is_found_after_coop_user() -> None:
    assert lang_of(["--user", "en", "--lang", "zh", "check"]) == "zh"
    assert lang_of(["--user", "chief", "--lang", "en", "check"]) == "en"


def test_a_voucher_is_signed_by_the_user_of_coop_user_unless_the_command_names_another(tmp_path: Path) -> None:
    url = sqlite_copy("schema", tmp_path)
    engine = make_engine(url)
    try:
        with Session(engine) as session, session.begin():
            credit_code = make_books(session).credit_code
            create_user(session, "chief", PASSWORD, Role.ADMIN)
        voucher = ("ledger", "voucher", "add", "--coop", credit_code, "--on", "2024-03-05", "--summary", "收款",
                   "--line", "102:借:1000.00", "--line", "301:贷:1000.00:M001")  # fmt: skip
        for args in (("--user", "chief", *voucher), voucher, ("--user", "chief", *voucher, "--user", "李会计")):
            result = run("--db", url, *args)
            assert result.returncode == 0, result.stderr
        with Session(engine) as session:
            signed = list(session.scalars(select(Voucher.prepared_by).order_by(Voucher.id)))
    finally:
        engine.dispose()
    assert signed == ["chief", LOGIN, "李会计"]
