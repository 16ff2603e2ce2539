"""The audit log names the author of a change made from the command line: the user of `coop --user` with the
system login that ran `coop`, or "command line (login)", in Chinese and in English."""

from __future__ import annotations

import re

from flask import Flask
from sqlalchemy import Engine

from tests.admin.demo import csrf_token, sign_in
from tests.admin.test_audit_links import text_of
from tests.cli.test_command_author import LOGIN, coop


def test_the_audit_log_shows_who_made_a_change_from_the_command_line(example_app: tuple[Flask, Engine]) -> None:
    app, engine = example_app
    url = engine.url.render_as_string(hide_password=False)
    named = coop(url, "--user", "chief", "users", "add", "li", "--role", "admin")
    assert named.returncode == 0, named.stderr
    anonymous = coop(url, "users", "add", "wang", "--role", "admin")
    assert anonymous.returncode == 0, anonymous.stderr

    client = app.test_client()
    sign_in(client, "chief", fresh=True)
    log = text_of(client.get("/admin/audit/?table=user").text)
    assert re.search(rf"chief（命令行，{LOGIN}） user \d+ 新增 用户名 : — → li", log), log
    assert re.search(rf"命令行（{LOGIN}） user \d+ 新增 用户名 : — → wang", log), log

    page = client.get("/admin/audit/")
    client.post("/lang", data={"csrf_token": csrf_token(page.text), "lang": "en"})
    log = text_of(client.get("/admin/audit/?table=user").text)
    assert re.search(rf"chief \(command line, {LOGIN}\) user \d+ created User name : — → li", log), log
    assert re.search(rf"Command line \({LOGIN}\) user \d+ created User name : — → wang", log), log
