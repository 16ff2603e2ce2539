"""The real `coop` binary of this environment, and `coop` run in this process (the demo database they run on:
tests/conftest.py's demo_url)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

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
