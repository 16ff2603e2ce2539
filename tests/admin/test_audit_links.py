"""The audit log shows changes of the many-to-many lists (a user's cooperatives, a plan's cooperatives and
enterprises, a delivery's intakes) as changes of the record holding the list, to those who may read it."""

from __future__ import annotations

import re

from flask import Flask
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from coopcore.db.audit import act_as
from coopcore.db.engine import make_engine
from coopcore.models import Contract, Cooperative, Delivery, ImprovementPlan, Township, User, Village
from tests.admin.demo import csrf_token, sign_in
from tests.workbook.builders import cooperative_code

WANGJIAKUANG, CHENLIANG = "王家夼红富士苹果专业合作社", "晨靓果业专业合作社"


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_an_administrator_sees_who_changed_a_users_cooperatives(example_app: tuple[Flask, Engine]) -> None:
    app, engine = example_app
    with Session(engine) as session, session.begin():
        example = session.scalars(select(Cooperative)).one()
        second = Cooperative(name="第二果业专业合作社", credit_code=cooperative_code(77), village=example.village)
        session.add(second)
        session.flush()
        clerk, ids = session.scalars(select(User).where(User.username == "clerk")).one().id, (example.id, second.id)
    client = app.test_client()
    sign_in(client, "chief", fresh=True)
    form = client.get(f"/admin/user/edit/?id={clerk}")
    data = {
        "csrf_token": csrf_token(form.text),
        "username": "clerk",
        "display_name": "",
        "password": "",
        "role": "accountant",
        "township": "__None",
        "cooperatives": [str(ids[1])],
        "is_active": "y",
    }
    response = client.post(f"/admin/user/edit/?id={clerk}", data=data)
    assert response.status_code == 302, text_of(response.text)

    log = text_of(client.get(f"/admin/audit/?table=user&record={clerk}").text)
    assert re.search(r"chief user \d+ 修改 合作社 : \+第二果业专业合作社 −示例果业专业合作社", log), log
    sign_in(client, "clerk", fresh=True)
    assert "+第二果业专业合作社" not in text_of(client.get("/admin/audit/").text)  # accounts: administrators only


def test_plan_and_delivery_links_are_shown_to_who_may_read_the_plan_or_the_delivery(app: Flask, demo_url: str) -> None:
    engine = make_engine(demo_url)
    with Session(engine) as session, session.begin():
        act_as(session, session.scalars(select(User.id).where(User.username == "admin")).one())
        fengming = select(Village.id).join(Township).where(Township.name == "凤鸣街道")
        plan = session.scalars(select(ImprovementPlan).where(ImprovementPlan.village_id.in_(fengming))).first()
        wangjiakuang = session.scalars(select(Cooperative).where(Cooperative.name == WANGJIAKUANG)).one()
        assert plan is not None and wangjiakuang not in plan.cooperatives
        plan.cooperatives.append(wangjiakuang)
        delivery = session.scalars(
            select(Delivery)
            .join(Contract)
            .join(Cooperative)
            .where(Cooperative.name == CHENLIANG, Delivery.trades.any())
        ).first()
        assert delivery is not None
        ticket = delivery.trades.pop().ticket_no
    engine.dispose()
    added, removed = f"+{WANGJIAKUANG}", f"−{ticket}"

    client = app.test_client()
    seen = {}
    for role in ("admin", "official1", "official2", "accountant", "supervisor"):
        sign_in(client, role)
        plans = text_of(client.get("/admin/audit/?table=improvement_plan").text)
        deliveries = text_of(client.get("/admin/audit/?table=delivery").text)
        seen[role] = (added in plans, removed in deliveries)
    assert seen == {
        "admin": (True, True),
        "official1": (True, False),  # the plan's village is in 凤鸣街道, 晨靓 is not
        "official2": (False, True),
        "accountant": (False, True),  # plans are the township's oversight records
        "supervisor": (False, True),
    }
