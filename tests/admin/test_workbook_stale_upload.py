"""The upload page refuses a workbook exported before another import, unless replacing newer rows is ticked."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from coopcore.models import Trade
from coopcore.services import imports
from tests.admin.demo import csrf_token, sign_in
from tests.workbook.builders import add_ticket, cooperative_code, valid_book, write_book

TICKET = "RK2024-A001"


def _import(engine: Engine, path: Path) -> None:
    with Session(engine) as session, session.begin():
        report = imports.run_import(session, path, imports.COOPERATIVE, today=dt.date(2025, 6, 30))
        assert report.written, report.messages()


def _check(client: FlaskClient, path: Path, **fields: str) -> str:
    page = client.get("/admin/workbook/")
    data = {"csrf_token": csrf_token(page.text), "workbook": (io.BytesIO(path.read_bytes()), path.name), **fields}
    response = client.post("/admin/workbook/check", data=data, content_type="multipart/form-data")
    assert response.status_code == 200
    return response.text


def _ticket_kept(engine: Engine) -> bool:
    with Session(engine) as session:
        return session.scalar(select(Trade.id).where(Trade.ticket_no == TICKET)) is not None


def test_a_stale_upload_is_blocked_and_replaces_the_newer_rows_only_when_ticked(
    example_app: tuple[Flask, Engine], tmp_path: Path
) -> None:
    app, engine = example_app
    _import(engine, write_book(valid_book(), tmp_path / "first.xlsx"))
    stale = tmp_path / "stale.xlsx"
    with Session(engine) as session:
        imports.export_workbook(session, cooperative_code(1), stale, lang="zh")
    _import(engine, write_book(add_ticket(valid_book(), TICKET), tmp_path / "a.xlsx"))  # another accountant
    client = app.test_client()
    sign_in(client, "chief")

    page = _check(client, stale)
    assert 'id="report-blocked"' in page and 'id="apply-workbook"' not in page
    assert f"{TICKET}（2024-10-08）是在本工作簿导出（" in page
    assert "替换较新的行：有意删除或修改工作簿导出之后写入的行" in page  # the tick box, in Chinese

    page = _check(client, stale, replace_newer="y")
    assert 'id="report-clean"' in page and "已按要求（替换较新的行）删除" in page
    assert _ticket_kept(engine)  # checked, not written
    applied = client.post("/admin/workbook/apply", data={"csrf_token": csrf_token(page)})
    assert applied.status_code == 200 and "已按要求（替换较新的行）删除" in applied.text
    assert not _ticket_kept(engine)
