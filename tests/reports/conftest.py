"""Reports run on SQLite and PostgreSQL here, and are checked as files: PDF text and pictures, XLSX numbers."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine

from tests.backends import scratch_engine

REPORT_BACKENDS = ("sqlite", "postgresql")
POPPLER = ("pdftotext", "pdftoppm", "pdffonts", "pdfinfo")


@pytest.fixture(scope="session", params=REPORT_BACKENDS)
def engine(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """tests/conftest.py's engine, on the two backends the reports are tested on."""
    with scratch_engine(request.param, tmp_path_factory.mktemp(request.param), "schema") as engine:
        yield engine


@pytest.fixture(autouse=True, scope="session")
def _poppler() -> None:
    missing = [tool for tool in POPPLER if shutil.which(tool) is None]
    if missing:
        pytest.fail(
            f"poppler-utils is needed to check the PDFs (missing {', '.join(missing)}): apt-get install poppler-utils"
        )
    if shutil.which("qpdf") is None:  # without it long reports are written whole, and the parts go untested
        pytest.fail("qpdf is needed to join long PDFs written in parts: apt-get install qpdf")


def pdf_text(path: Path) -> str:
    """The text of a PDF as pdftotext extracts it (what a search or a screen reader finds)."""
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def page_pictures(path: Path, folder: Path, dpi: int = 60) -> list[Path]:
    """Render every page to PNG with pdftoppm and return the pictures, first page first."""
    folder.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        ["pdftoppm", "-png", "-r", str(dpi), str(path), str(folder / "page")], check=True, capture_output=True
    )
    return sorted(folder.glob("page-*.png"))


def fonts(path: Path) -> list[dict[str, str]]:
    """pdffonts' table: each font's name, type and whether it is embedded."""
    lines = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout.splitlines()
    rows = []
    for line in lines[2:]:
        parts = line.split()
        # name type [type…] encoding emb sub uni object ID: the flags are the 5th to 3rd fields from the end.
        rows.append({"name": parts[0], "type": " ".join(parts[1:-6]), "emb": parts[-5]})
    return rows


def yuan(value: Any) -> Decimal:
    """A number read back from a workbook cell, as yuan to the fen."""
    assert isinstance(value, int | float | Decimal), f"not a number: {value!r}"
    return Decimal(str(value)).quantize(Decimal("0.01"), ROUND_HALF_UP)
