"""Hostile workbooks uploaded to the admin: a clear Chinese refusal, nothing written, the server still answering,
its memory untouched; the upload is read first in a child process under limits, so even a native abort there
ends in a refusal page."""

from __future__ import annotations

import io
import re
import resource
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from coopcore.db.engine import make_engine
from coopcore.models import Cooperative, Member
from tests.admin.conftest import make_app
from tests.admin.demo import csrf_token, sign_in
from tests.cli.test_hostile_workbooks import CASES, cooperative_case
from tests.workbook import hostile
from tests.workbook.builders import valid_book, write_book

MAX_GROWTH_MB = 300  # the server's own peak memory may not grow by this much: the bomb read in-process took 1 GB


def upload(client: FlaskClient, path: Path) -> tuple[int, str]:
    page = client.get("/admin/workbook/")
    response = client.post(
        "/admin/workbook/check",
        data={"csrf_token": csrf_token(page.text), "workbook": (io.BytesIO(path.read_bytes()), "book.xlsx")},
        content_type="multipart/form-data",
    )
    return response.status_code, response.text


def counts(url: str) -> tuple[int, int]:
    engine = make_engine(url)
    with Session(engine) as session:
        found = (
            session.scalar(select(func.count()).select_from(Cooperative)) or 0,
            session.scalar(select(func.count()).select_from(Member)) or 0,
        )
    engine.dispose()
    return found


def plain(page: str) -> str:
    """The page's text without tags and spaces (the message is escaped HTML inside a table cell)."""
    return re.sub(r"\s", "", re.sub(r"<[^>]+>", "", page)).replace("&#34;", '"').replace("&amp;", "&")


def assert_refused_and_answering(client: FlaskClient, status: int, page: str, message: str) -> None:
    assert status == 200, page[:2000]
    assert 'id="report-blocked"' in page and 'id="apply-workbook"' not in page
    assert message.replace(" ", "") in plain(page), plain(page)[-3000:]
    assert len(page) < 100_000  # no 205 KB cell echoed into the page
    # Nothing was kept to apply, and the server goes on answering.
    apply = client.post("/admin/workbook/apply", data={"csrf_token": csrf_token(page)})
    assert apply.status_code == 302
    assert client.get("/admin/workbook/").status_code == 200


@pytest.mark.parametrize("case", CASES)
def test_a_hostile_upload_is_refused_clearly_writes_nothing_and_the_server_keeps_answering(
    case: str, client: FlaskClient, demo_url: str, tmp_path: Path
) -> None:
    base = write_book(valid_book(), tmp_path / "valid.xlsx")
    path, message = cooperative_case(case, base, tmp_path / "hostile.xlsx")
    before = counts(demo_url)
    sign_in(client, "admin")  # the workbook's cooperative is new: only an administrator may check it
    peak_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024

    status, page = upload(client, path)

    assert_refused_and_answering(client, status, page, message)
    assert counts(demo_url) == before
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024 < peak_before + MAX_GROWTH_MB


def test_a_native_abort_while_reading_the_upload_gives_a_refusal_page(demo_url: str, tmp_path: Path) -> None:
    # A cell at EA60000 passes the guard (60,000 rows × 131 columns) but needs a 250 MB grid: with the child's
    # memory held at 150 MB, calamine's allocation fails and the child aborts (SIGABRT) in native code.
    app = make_app(demo_url, tmp_path, COOP_UPLOAD_CHECK_MEMORY=150 * 1024**2)
    client = app.test_client()
    base = write_book(valid_book(), tmp_path / "valid.xlsx")
    path = hostile.far_cell(base, tmp_path / "wide.xlsx", "成员", "EA60000")
    sign_in(client, "admin")

    status, page = upload(client, path)

    # (The child's own peak is not asserted here: RUSAGE_CHILDREN is the largest of every child the test run has
    # waited for, so it depends on which tests ran before. The limit's message and the roomy read below show it.)
    assert_refused_and_answering(client, status, page, "在150 MB内存和120秒处理时间内未能读完该工作簿，已拒收")
    # The same workbook reads through with the default limits: it is the limit that stopped it, not the guard.
    roomy = make_app(demo_url, tmp_path / "roomy").test_client()
    sign_in(roomy, "admin")
    status, page = upload(roomy, path)
    assert status == 200 and "已拒收" not in page


def test_an_upload_larger_than_16_mb_is_refused_before_it_is_read(client: FlaskClient, tmp_path: Path) -> None:
    path = tmp_path / "big.xlsx"
    path.write_bytes(b"\0" * (17 * 1024 * 1024))
    sign_in(client, "admin")

    status, page = upload(client, path)

    assert status == 413
    assert "文件超过16 MB" in page
    assert client.get("/admin/workbook/").status_code == 200
