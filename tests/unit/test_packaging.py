"""The package's own metadata: building it warns of nothing (pyproject.toml as setuptools reads it today)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_installing_the_package_prints_no_deprecation_and_declares_its_spdx_license(tmp_path: Path) -> None:
    # pip prepares the metadata in an isolated build environment with the setuptools of [build-system]: the
    # same warnings as every `pip install -e .` (the license as a TOML table was one, on every install).
    report = tmp_path / "report.json"
    command = [sys.executable, "-m", "pip", "install", "--dry-run", "--no-deps", "--ignore-installed"]
    result = subprocess.run(
        [*command, "--report", str(report), "-e", str(ROOT)], capture_output=True, text=True, timeout=300
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    warnings = [line for line in output.splitlines() if "DeprecationWarning" in line or "BuildBackendWarning" in line]
    assert warnings == []
    assert "project.license" not in output
    [coopcore] = json.loads(report.read_text())["install"]
    assert coopcore["metadata"]["name"] == "coopcore"
    assert coopcore["metadata"]["license_expression"] == "Apache-2.0"
