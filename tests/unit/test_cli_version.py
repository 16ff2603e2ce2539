"""`coop --version` prints the version."""

from __future__ import annotations

import subprocess

import coopcore
from tests.cli.conftest import COOP


def test_version_is_printed() -> None:
    result = subprocess.run([COOP, "--version"], capture_output=True, text=True, check=True)
    assert coopcore.__version__ in result.stdout
