"""coopcore's refusals (CoopError) reach the admin's user one way (admin/errors.py): rolled back, in Chinese, on
the page the user came from, or as a page of their own when there is nothing to go back to."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from admin.database import current_session
from coopcore.db.engine import make_engine
from coopcore.models import Cooperative, Distribution, ImprovementPlan, PlanStatus
from coopcore.services import lookups
from tests.admin.conftest import make_app
from tests.admin.demo import csrf_token, sign_in

CHENLIANG = "晨靓果业专业合作社"


def text_of(html: str) -> str:
    """The page's text without tags, on one line, as the reader sees it."""
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)))


def app_with_a_lookup(demo_url: str, folder: Path) -> Flask:
    """The admin, plus one route that finds a cooperative by the credit code in its path (GET or POST)."""
    app = make_app(demo_url, folder)

    def cooperative_named(credit_code: str) -> str:
        return lookups.cooperative_by_code(current_session(), credit_code).name

    app.add_url_rule("/lookup/<credit_code>", view_func=cooperative_named, methods=["GET", "POST"])
    app.config["WTF_CSRF_ENABLED"] = False  # the test route has no form to carry a token
    return app


def test_a_page_that_a_refusal_keeps_from_being_shown_says_why_in_chinese(demo_url: str, tmp_path: Path) -> None:
    client = app_with_a_lookup(demo_url, tmp_path).test_client()
    found = client.get("/lookup/93370602MA3EXMPL1X")
    assert found.status_code == 404
    assert "未找到合作社 '93370602MA3EXMPL1X'。" in text_of(found.text)
    assert 'id="error-message"' in found.text and "Traceback" not in found.text


def test_a_refused_form_goes_back_to_the_page_it_was_sent_from_and_never_to_another_site(
    demo_url: str, tmp_path: Path
) -> None:
    client = app_with_a_lookup(demo_url, tmp_path).test_client()
    sign_in(client, "admin")
    back = "http://localhost/admin/cooperative/"
    sent = client.post("/lookup/93370602MA3EXMPL1X", headers={"Referer": back})
    assert sent.status_code == 302 and sent.headers["Location"] == back
    assert "未找到合作社 '93370602MA3EXMPL1X'。" in text_of(client.get(sent.headers["Location"]).text)
    elsewhere = client.post("/lookup/93370602MA3EXMPL1X", headers={"Referer": "http://example.com/admin/"})
    assert elsewhere.status_code == 404 and "未找到合作社" in elsewhere.text  # said here, not on another site


def test_a_refused_button_on_the_distribution_page_shows_why_on_that_page_and_writes_nothing(
    demo_url: str, tmp_path: Path
) -> None:
    engine = make_engine(demo_url)
    with Session(engine) as session:
        cooperative = session.scalars(select(Cooperative).where(Cooperative.name == CHENLIANG)).one()
        before = session.scalars(select(Distribution.id).where(Distribution.cooperative_id == cooperative.id)).all()
    client = make_app(demo_url, tmp_path).test_client()
    sign_in(client, "accountant")
    page = client.get(f"/admin/distribution/?cooperative={cooperative.id}&year=2030")
    sent = client.post(
        "/admin/distribution/publish",
        data={"csrf_token": csrf_token(page.text), "cooperative": cooperative.id, "year": "2030",
              "published_on": "2031-03-01"},
    )  # fmt: skip
    assert sent.status_code == 302
    assert sent.headers["Location"] == f"/admin/distribution/?cooperative={cooperative.id}&year=2030"
    shown = text_of(client.get(sent.headers["Location"]).text)
    assert f"{cooperative.name}2030年度还没有编制盈余分配方案：请先编制方案。" in shown
    with Session(engine) as session:
        after = session.scalars(select(Distribution.id).where(Distribution.cooperative_id == cooperative.id)).all()
    assert after == before
    engine.dispose()


def test_a_refused_mass_action_goes_back_to_the_list_with_the_reason_and_changes_no_plan(
    demo_url: str, tmp_path: Path
) -> None:
    engine = make_engine(demo_url)
    with Session(engine) as session:
        in_progress = session.scalars(
            select(ImprovementPlan.id)
            .where(ImprovementPlan.status == PlanStatus.IN_PROGRESS)
            .order_by(ImprovementPlan.id)
        ).first()
        filed = session.scalars(
            select(ImprovementPlan.id).where(ImprovementPlan.status == PlanStatus.FILED).order_by(ImprovementPlan.id)
        ).first()
    assert in_progress is not None and filed is not None, "the demo has plans filed and plans in progress"
    client = make_app(demo_url, tmp_path).test_client()
    sign_in(client, "admin")
    page = client.get("/admin/plan/")
    sent = client.post(
        "/admin/plan/action/",
        data={"csrf_token": csrf_token(page.text), "action": "start", "rowid": [str(filed), str(in_progress)],
              "url": "/admin/plan/?page_size=50"},
    )  # fmt: skip
    assert sent.status_code == 302 and sent.headers["Location"] == "/admin/plan/?page_size=50"
    shown = text_of(client.get(sent.headers["Location"]).text)
    assert re.search(r"的提升方案当前为“[^”]+”，不能直接变为“[^”]+”。", shown), shown
    with Session(engine) as session:  # the filed plan started with the other one refused: neither is saved
        assert session.get_one(ImprovementPlan, filed).status is PlanStatus.FILED
        assert session.get_one(ImprovementPlan, in_progress).status is PlanStatus.IN_PROGRESS
    engine.dispose()
