"""The notes to the statements (附注) typed in the admin as an accountant types them: the text the service and
`coop statements` read, the text the command line wrote shown in the form, each wording kept in the audit trail,
and an item the notes do not have refused."""

from __future__ import annotations

from flask.testing import FlaskClient
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from coopcore.db.engine import make_engine
from coopcore.models import Cooperative, StatementNote
from coopcore.services.statements.notes import note_texts, set_note
from tests.admin.demo import csrf_token, sign_in
from tests.admin.test_concurrent_edits import edit_form

CHENLIANG = "晨靓果业专业合作社"


def _texts(url: str, year: int) -> dict[int, str]:
    engine = make_engine(url)
    with Session(engine) as session:
        cooperative = session.scalars(select(Cooperative).where(Cooperative.name == CHENLIANG)).one()
        found = note_texts(session, cooperative, year)
    engine.dispose()
    return found


def test_a_note_typed_in_the_admin_is_the_text_the_statements_read_and_its_edits_are_audited(
    client: FlaskClient, demo_url: str
) -> None:
    engine = make_engine(demo_url)
    with Session(engine) as session, session.begin():
        cooperative = session.scalars(select(Cooperative).where(Cooperative.name == CHENLIANG)).one()
        cooperative_id = cooperative.id
        set_note(session, cooperative, 2024, 1, "本社执行《农民专业合作社会计制度》。")  # as `coop statements notes`
    sign_in(client, "accountant")
    form = client.get("/admin/statement_note/new/")
    assert form.status_code == 200 and "3、成员权益结构" in form.text and "报表附注" in form.text
    data = {"csrf_token": csrf_token(form.text), "cooperative_id": str(cooperative_id), "year": "2024", "item": "3",
            "body": "理事长：王立新；理事：张明、李华；执行监事：赵强。本年无变动。"}  # fmt: skip
    assert client.post("/admin/statement_note/new/", data=data).status_code == 302
    assert _texts(demo_url, 2024)[3] == "理事长：王立新；理事：张明、李华；执行监事：赵强。本年无变动。"
    listing = client.get("/admin/statement_note/")
    assert "理事长：王立新" in listing.text and "1、遵循农民专业合作社会计制度的声明" in listing.text
    with Session(engine) as session:
        written = session.scalar(select(StatementNote.id).where(StatementNote.item == 1))
    edit_url = f"/admin/statement_note/edit/?id={written}"
    values = edit_form(client, edit_url)
    # What the command line wrote (a textarea starts with a line break that browsers drop).
    assert values["body"].removeprefix("\r\n") == "本社执行《农民专业合作社会计制度》。"
    values["body"] = "本社执行《农民专业合作社会计制度》（财会〔2021〕37号）。\r\n"
    assert client.post(edit_url, data=values).status_code == 302
    assert _texts(demo_url, 2024)[1] == "本社执行《农民专业合作社会计制度》（财会〔2021〕37号）。"
    with Session(engine) as session:
        versions = session.execute(
            text("SELECT body FROM statement_note_version WHERE id = :id ORDER BY transaction_id"), {"id": written}
        ).scalars().all()  # fmt: skip
    assert versions == [
        "本社执行《农民专业合作社会计制度》。",
        "本社执行《农民专业合作社会计制度》（财会〔2021〕37号）。",
    ]
    engine.dispose()


def test_an_item_the_notes_do_not_have_and_a_book_length_text_are_refused_and_nothing_is_written(
    client: FlaskClient, demo_url: str
) -> None:
    engine = make_engine(demo_url)
    with Session(engine) as session:
        cooperative_id = session.scalar(select(Cooperative.id).where(Cooperative.name == CHENLIANG))
    sign_in(client, "accountant")
    form = client.get("/admin/statement_note/new/")
    base = {"csrf_token": csrf_token(form.text), "cooperative_id": str(cooperative_id), "year": "2024"}
    beyond = client.post("/admin/statement_note/new/", data={**base, "item": "10", "body": "文字"})
    assert beyond.status_code == 200  # the form comes back
    too_long = client.post("/admin/statement_note/new/", data={**base, "item": "4", "body": "字" * 20_001})
    assert too_long.status_code == 200 and "附注每项最多 20000 个字" in too_long.text
    with Session(engine) as session:
        assert session.scalar(select(func.count()).select_from(StatementNote)) == 0
    engine.dispose()
