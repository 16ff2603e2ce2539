"""Long PDFs are written in parts and joined (reports/parts.py): the joined file is the document written whole."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image, ImageChops
from sqlalchemy.orm import Session

from coopcore.models import Cooperative
from reports import parts
from reports.accounts import build_member_accounts
from reports.distribution import build_distribution_report
from reports.notice import build_publicity_notice
from reports.slips import build_dividend_slips
from tests.reports import builders
from tests.reports.conftest import fonts, page_pictures, pdf_text

Build = Callable[[Session, Cooperative, Path], Path]
# Each report of Example 1 in the state it is printed in, as a function of the session, cooperative and folder.
REPORTS: dict[str, tuple[str, Build]] = {
    "accounts": ("posted", lambda s, c, out: build_member_accounts(s, c, 2024, out, "zh")[0]),
    "slips": ("draft", lambda s, c, out: build_dividend_slips(s, c, 2024, out, "zh", per_page=1)[0]),
    "distribution": ("draft", lambda s, c, out: build_distribution_report(s, c, 2024, out, "zh")[0]),
    "notice": ("published", lambda s, c, out: build_publicity_notice(s, c, 2024, out, "zh")[0]),
}


@pytest.fixture
def joined(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many parts each PDF written in the test was joined from."""
    counts: list[int] = []
    join = parts.join

    def counting(made: list[Path], path: Path) -> None:
        counts.append(len(made))
        join(made, path)

    monkeypatch.setattr(parts, "join", counting)
    return counts


def info(path: Path) -> dict[str, str]:
    lines = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout.splitlines()
    return {key: value.strip() for key, _, value in (line.partition(":") for line in lines)}


@pytest.mark.parametrize("report", REPORTS)
def test_a_report_written_in_parts_looks_exactly_like_the_report_written_whole(
    session: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, joined: list[int], report: str
) -> None:
    state, build = REPORTS[report]
    cooperative, _ = builders.example(session, state)
    whole = build(session, cooperative, tmp_path / "whole")
    monkeypatch.setattr(parts, "PAGES_PER_PART", 1)  # a part ends at the first page break after page 1
    in_parts = build(session, cooperative, tmp_path / "parts")
    assert joined[0] == 1 and joined[1] >= 2, joined
    whole_pages = page_pictures(whole, tmp_path / "whole-pages")
    part_pages = page_pictures(in_parts, tmp_path / "part-pages")
    assert len(part_pages) == len(whole_pages) >= 2
    for number, (expected, actual) in enumerate(zip(whole_pages, part_pages, strict=True), start=1):
        with Image.open(expected) as a, Image.open(actual) as b:
            assert a.size == b.size, f"page {number}: {a.size} != {b.size}"
            assert ImageChops.difference(a.convert("RGB"), b.convert("RGB")).getbbox() is None, f"page {number}"
    assert pdf_text(in_parts) == pdf_text(whole)
    assert info(in_parts)["Title"] == info(whole)["Title"] != ""
    assert all(font["emb"] == "yes" for font in fonts(in_parts))
    check = subprocess.run(["qpdf", "--check", str(in_parts)], capture_output=True, text=True, check=False)
    assert check.returncode == 0, check.stdout + check.stderr  # a well-formed file, not one readers must repair


def test_the_running_footer_numbers_the_pages_on_across_the_parts(
    session: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, joined: list[int]
) -> None:
    monkeypatch.setattr(parts, "PAGES_PER_PART", 1)
    cooperative, _ = builders.example(session)
    pdf_path, _ = build_distribution_report(session, cooperative, 2024, tmp_path, "zh")
    pages = int(info(pdf_path)["Pages"])
    assert len(joined) == 1 and joined[0] >= 2  # parts end at page breaks only: not every page is one
    for number in range(1, pages + 1):
        page = subprocess.run(
            ["pdftotext", "-enc", "UTF-8", "-f", str(number), "-l", str(number), str(pdf_path), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        assert re.findall(r"第\s*(\d+)\s*页", page) == [str(number)], page
    last = page  # the member table, in landscape, with its total and the last member
    assert "刘桂兰" in last and "陈志强" in last and "合计" in last and "163,999.96" in last
    with Image.open(page_pictures(pdf_path, tmp_path / "pages")[-1]) as picture:
        assert picture.width > picture.height


def test_without_qpdf_a_long_report_is_written_whole(
    session: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, joined: list[int]
) -> None:
    monkeypatch.setattr(parts, "PAGES_PER_PART", 1)
    monkeypatch.setattr(parts, "JOINER", "qpdf-not-installed")
    cooperative, _ = builders.example(session, "posted")
    pdf_path, _ = build_member_accounts(session, cooperative, 2024, tmp_path, "zh")
    assert joined == [1]
    assert info(pdf_path)["Pages"] == "6" and "陈志强" in pdf_text(pdf_path)
    assert list(tmp_path.iterdir()) == sorted(tmp_path.glob("2024-*"))  # no part left behind
