"""SQLite has one writer: a form sent to the admin waits its turn for the write lock instead of being refused as
"changed by someone else" when another writer commits while it works (bench/accountants_bench.py, issue #18)."""

from __future__ import annotations

import sqlite3
import threading
import time
from typing import Any

from flask import Flask
from sqlalchemy import event, func, select
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from coopcore.db.engine import make_engine
from coopcore.models import Cooperative, Voucher
from tests.admin.demo import csrf_token, sign_in

STALE = "其他人同时修改了相同的记录"
SUMMARY = "存现（并发）"


def test_a_voucher_saved_while_another_writer_commits_waits_for_it_and_is_saved(app: Flask, demo_url: str) -> None:
    engine = make_engine(demo_url)
    with Session(engine) as session:
        cooperative = session.scalars(select(Cooperative.id).where(Cooperative.name == "晨靓果业专业合作社")).one()
    client = app.test_client()
    sign_in(client, "accountant")
    page = client.get(f"/admin/books/entry/?cooperative={cooperative}")
    written, committed = threading.Event(), threading.Event()

    def other_writer() -> None:
        # Another user's change, by another connection: it takes the write lock, then commits, which waits
        # until the readers of the file are done.
        connection = sqlite3.connect(str(make_url(demo_url).database), timeout=10, isolation_level=None)
        connection.execute("BEGIN")
        connection.execute("UPDATE township SET name = name")
        written.set()
        connection.execute("COMMIT")
        connection.close()
        committed.set()

    other = threading.Thread(target=other_writer)

    def at_first_write(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        # The request has read (the user, the cooperative, its chart) and is about to write: the other writer
        # writes and commits now. Begun deferred, the request would hold a read lock here that the other's commit
        # waits for, and SQLite would refuse its write at once; begun immediate, it holds the write lock already
        # and the other waits for it.
        if not other.is_alive() and not written.is_set() and statement.lstrip().startswith(("UPDATE", "INSERT")):
            other.start()
            written.wait(1)
            time.sleep(0.3)

    request_engine = app.extensions["coop_database"].engine
    event.listen(request_engine, "before_cursor_execute", at_first_write)
    try:
        lines = {"summary": [SUMMARY] * 2, "account": ["102", "101"], "member": ["", ""], "poverty": ["", ""],
                 "debit": ["800.00", ""], "credit": ["", "800.00"], "keep": ["", ""]}  # fmt: skip
        form = {"csrf_token": csrf_token(page.text), "cooperative": str(cooperative), "date": "2024-06-15",
                "word": "记", "attachments": "1", **lines}  # fmt: skip
        saved = client.post("/admin/books/entry/save", data=form, follow_redirects=True)
    finally:
        event.remove(request_engine, "before_cursor_execute", at_first_write)
        other.join(30)
    assert STALE not in saved.text
    assert committed.is_set()  # and the other writer's change went through after it
    with Session(engine) as session:
        assert session.scalar(select(func.count(Voucher.id)).where(Voucher.summary == SUMMARY)) == 1
    engine.dispose()
