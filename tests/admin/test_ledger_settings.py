"""The books' settings of a cooperative on its form: one person may prepare and audit, event vouchers reviewed."""

from __future__ import annotations

from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from coopcore.db.engine import make_engine
from coopcore.models import Cooperative
from tests.admin.demo import sign_in
from tests.admin.test_concurrent_edits import edit_form

CHENLIANG = "晨靓果业专业合作社"


def settings(url: str) -> tuple[bool, bool]:
    engine = make_engine(url)
    with Session(engine) as session:
        cooperative = session.scalars(select(Cooperative).where(Cooperative.name == CHENLIANG)).one()
        found = (cooperative.ledger_single_person, cooperative.ledger_review_events)
    engine.dispose()
    return found


def test_the_books_settings_are_on_the_cooperative_form_in_chinese_and_saved(
    client: FlaskClient, demo_url: str
) -> None:
    sign_in(client, "admin")
    engine = make_engine(demo_url)
    with Session(engine) as session:
        cooperative_id = session.scalars(select(Cooperative.id).where(Cooperative.name == CHENLIANG)).one()
    engine.dispose()
    url = f"/admin/cooperative/edit/?id={cooperative_id}"
    page = client.get(url).text
    for words in ("允许同一人制单和审核", "业务生成的凭证须审核后记账", "打印的凭证上会注明"):
        assert words in page, words
    assert settings(demo_url) == (False, False)
    form = edit_form(client, url)
    saved = client.post(url, data={**form, "ledger_single_person": "y", "ledger_review_events": "y"})
    assert saved.status_code == 302
    assert settings(demo_url) == (True, True)
