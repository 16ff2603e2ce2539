"""The real `coop` binary of this environment, and a demo database it has loaded."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from coopcore.cli import main

COOP = str(Path(sys.executable).with_name("coop"))


def coop(*args: str, lang: str = "zh") -> subprocess.CompletedProcess[str]:
    """Run `coop --lang LANG ARGS…` and capture what it prints."""
    return subprocess.run([COOP, "--lang", lang, *args], capture_output=True, text=True, timeout=300)


def run(*args: str, lang: str = "zh") -> subprocess.CompletedProcess[str]:
    """Run `coop --lang LANG ARGS…` in this process through click's CliRunner (faster than a process)."""
    result = CliRunner().invoke(main, ["--lang", lang, *args])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return subprocess.CompletedProcess(args, result.exit_code, result.stdout, result.stderr)


@pytest.fixture(scope="session")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file with the demo data, loaded once by `coop demo`."""
    path = tmp_path_factory.mktemp("cli") / "demo.sqlite3"
    loaded = coop("--db", f"sqlite:///{path}", "demo")
    assert loaded.returncode == 0, loaded.stderr
    assert "演示数据已载入" in loaded.stdout
    return path


@pytest.fixture
def demo_db(demo_file: Path, tmp_path: Path) -> str:
    """A private copy of the demo database for one test, as a URL."""
    copy = tmp_path / "demo.sqlite3"
    shutil.copyfile(demo_file, copy)
    return f"sqlite:///{copy}"
