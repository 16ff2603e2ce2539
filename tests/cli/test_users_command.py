"""`coop users add`: a new installation's first administrator, and officials and accountants, from the command line
(the README's county set-up starts from `coop init` and an empty database)."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from coopcore.db.engine import make_engine
from coopcore.models import Cooperative, Role, Township, User
from coopcore.services.users import authenticate
from tests.backends import BACKENDS, scratch_engine
from tests.cli.conftest import COOP

PASSWORD = "县农经站-2026"


def add(url: str, *args: str, typed: str = f"{PASSWORD}\n{PASSWORD}\n") -> subprocess.CompletedProcess[str]:
    """The installed `coop users add …`, the password typed (twice) on its standard input."""
    command = [COOP, "--lang", "zh", "--db", url, "users", "add", *args]
    return subprocess.run(command, input=typed, capture_output=True, text=True, timeout=120)


@pytest.fixture(params=BACKENDS)
def schema_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A new installation: the schema of `coop init` and nothing else."""
    with scratch_engine(request.param, tmp_path, "schema") as engine:
        yield engine.url.render_as_string(hide_password=False)


@contextmanager
def session_of(url: str) -> Iterator[Session]:
    engine = make_engine(url)
    try:
        with Session(engine) as session:
            yield session
    finally:
        engine.dispose()


def users(url: str) -> int:
    with session_of(url) as session:
        return int(session.scalar(select(func.count(User.id))) or 0)


def test_the_first_administrator_of_an_empty_database_signs_in_with_the_password_typed(schema_url: str) -> None:
    result = add(schema_url, "zhangwei", "--name", "县农经站 张伟")
    assert result.returncode == 0, result.stderr
    assert "已创建用户 zhangwei。" in result.stdout and PASSWORD not in result.stdout + result.stderr, result.stderr
    with session_of(schema_url) as session:
        user = authenticate(session, "zhangwei", PASSWORD)
        assert user is not None and user.role is Role.ADMIN and user.display_name == "县农经站 张伟"
        assert authenticate(session, "zhangwei", "wrong-password") is None


def test_a_short_password_a_taken_name_and_a_missing_township_are_refused_and_nothing_is_written(
    schema_url: str,
) -> None:
    short = add(schema_url, "li", typed="1234567\n1234567\n")
    assert short.returncode == 2 and "密码至少需要 8 个字符" in short.stderr
    differs = add(schema_url, "li", typed=f"{PASSWORD}\n{PASSWORD}x\n")
    assert differs.returncode == 2 and "第二行的密码与第一行不一致。" in differs.stderr
    none = add(schema_url, "li", typed="")
    assert none.returncode == 2 and "标准输入中没有密码" in none.stderr
    assert "Warning" not in short.stderr + differs.stderr  # no English from getpass, read from a pipe
    assert users(schema_url) == 0
    assert add(schema_url, "li").returncode == 0
    taken = add(schema_url, "li")
    assert taken.returncode == 2 and "用户名 li 已被使用。" in taken.stderr
    official = add(schema_url, "wang", "--role", "official")
    assert official.returncode == 2 and "乡镇干部需要用 --township 指定乡镇。" in official.stderr
    accountant = add(schema_url, "zhao", "--role", "accountant")
    assert accountant.returncode == 2 and "会计或监事至少需要用 --coop 指定一个合作社。" in accountant.stderr
    assert users(schema_url) == 1


def test_an_official_and_an_accountant_get_their_township_and_cooperatives(tmp_path: Path) -> None:
    with scratch_engine("sqlite", tmp_path, "demo") as engine:
        url = engine.url.render_as_string(hide_password=False)
        with Session(engine) as session:
            township = session.scalars(select(Township).order_by(Township.id)).first()
            codes = list(session.scalars(select(Cooperative.credit_code).order_by(Cooperative.id).limit(2)))
            assert township is not None
            name = township.name
        assert add(url, "wang", "--role", "official", "--township", name).returncode == 0
        assert add(url, "zhao", "--role", "accountant", "--coop", codes[0], "--coop", codes[1]).returncode == 0
        with Session(engine) as session:
            wang = session.scalars(select(User).where(User.username == "wang")).one()
            zhao = session.scalars(select(User).where(User.username == "zhao")).one()
            assert wang.role is Role.TOWNSHIP_OFFICIAL and wang.township is not None and wang.township.name == name
            assert zhao.role is Role.ACCOUNTANT and sorted(c.credit_code for c in zhao.cooperatives) == sorted(codes)
