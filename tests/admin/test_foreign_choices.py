"""A select posted with a record the user cannot see is refused with a message, never dropped to the blank."""

from __future__ import annotations

from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from coopcore.db.engine import make_engine
from coopcore.models import FundingLine, ImprovementPlan, Project, Township, Village
from tests.admin.demo import csrf_token, sign_in


def _ids(url: str) -> tuple[int, int, int]:
    """A plan of 凤鸣街道 (official1's), a project of 泉山街道 (official2's), and the number of funding lines."""
    engine = make_engine(url)
    with Session(engine) as session:
        mine = session.scalar(
            select(ImprovementPlan.id).join(Village).join(Township).where(Township.name == "凤鸣街道").limit(1)
        )
        foreign = session.scalar(
            select(Project.id)
            .join(ImprovementPlan)
            .join(Village)
            .join(Township)
            .where(Township.name == "泉山街道")
            .limit(1)
        )
        lines = session.scalar(select(func.count(FundingLine.id)))
    engine.dispose()
    assert mine and foreign and lines is not None
    return mine, foreign, lines


def _funding_line(token: str, plan: int, project: str) -> dict[str, str]:
    return {
        "csrf_token": token,
        "plan": str(plan),
        "project": project,
        "source": "connection_fund",
        "allocated": "1000.00",
        "received": "0",
        "spent": "0",
    }


def test_a_project_of_another_township_on_a_funding_line_is_refused(client: FlaskClient, demo_url: str) -> None:
    mine, foreign, before = _ids(demo_url)
    sign_in(client, "official1")
    form = client.get("/admin/funding_line/new/")
    response = client.post("/admin/funding_line/new/", data=_funding_line(csrf_token(form.text), mine, str(foreign)))
    assert response.status_code == 200  # the form comes back
    assert "不在您可选择的范围内" in response.text
    assert _ids(demo_url)[2] == before  # nothing written


def test_a_blank_project_still_means_the_plan_as_a_whole(client: FlaskClient, demo_url: str) -> None:
    mine, _foreign, before = _ids(demo_url)
    sign_in(client, "official1")
    form = client.get("/admin/funding_line/new/")
    response = client.post("/admin/funding_line/new/", data=_funding_line(csrf_token(form.text), mine, "__None"))
    assert response.status_code == 302, response.text
    assert _ids(demo_url)[2] == before + 1
