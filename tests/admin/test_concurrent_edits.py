"""Edits in the admin on every backend: a save based on an outdated form loses nobody's change (issue 12, item
9), and moving a row out of a closed year by changing only its cooperative is refused (item 4)."""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from coopcore.models import Cooperative, FiscalYear, FiscalYearState, IncomeExpense, Member
from tests.admin.demo import sign_in

STALE = "其他人同时修改了相同的记录"
CLOSED = "会计年度已结账"


class FormValues(HTMLParser):
    """The values an edit form would submit as the page shows them (inputs, checked boxes, selects, textareas)."""

    def __init__(self) -> None:
        super().__init__()
        self.values: dict[str, str] = {}
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {key: value or "" for key, value in attrs}
        name = found.get("name")
        if tag == "input" and name and (found.get("type") != "checkbox" or "checked" in found):
            self.values[name] = found.get("value", "y" if found.get("type") == "checkbox" else "")
        elif tag == "select" and name:
            self._select = name
            self.values.setdefault(name, "")
        elif tag == "option" and self._select and "selected" in found:
            self.values[self._select] = found.get("value", "")
        elif tag == "textarea" and name:
            self._textarea = name
            self.values[name] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self.values[self._textarea] += data


def edit_form(client: FlaskClient, url: str) -> dict[str, Any]:
    page = client.get(url)
    assert page.status_code == 200, page.status_code
    parser = FormValues()
    parser.feed(page.text)
    return parser.values


def test_a_save_from_a_form_someone_else_saved_meanwhile_is_refused_and_their_change_kept(
    example_app: tuple[Flask, Engine],
) -> None:
    app, engine = example_app
    with Session(engine) as session:
        member = session.scalars(select(Member).where(Member.code == "M02")).one()
        member_id, address = member.id, member.address
    first, second = app.test_client(), app.test_client()
    sign_in(first, "clerk")
    sign_in(second, "chief")
    url = f"/admin/member/edit/?id={member_id}"
    first_form, second_form = edit_form(first, url), edit_form(second, url)  # both open the member
    assert first_form.get("version") == second_form.get("version")
    saved = first.post(url, data={**first_form, "phone": "13953588888"})
    assert saved.status_code == 302, saved.text
    refused = second.post(url, data={**second_form, "address": "东院村二组"}, follow_redirects=True)
    assert STALE in refused.text
    with Session(engine) as session:
        member = session.get(Member, member_id)
        assert member is not None
        assert (member.phone, member.address) == ("13953588888", address)  # the first change survives
    # Reloaded, the form carries the new version and saves.
    again = edit_form(second, url)
    assert second.post(url, data={**again, "address": "东院村二组"}).status_code == 302
    with Session(engine) as session:
        assert session.scalars(select(Member.address).where(Member.id == member_id)).one() == "东院村二组"


def test_moving_an_income_row_of_a_closed_year_to_another_cooperative_is_refused(
    example_app: tuple[Flask, Engine],
) -> None:
    app, engine = example_app
    with Session(engine) as session, session.begin():
        closed = session.scalars(select(Cooperative)).one()
        other = Cooperative(name="另一合作社", credit_code="93370602MA3C000025", village_id=closed.village_id)
        session.add(other)
        year = session.scalars(select(FiscalYear).where(FiscalYear.cooperative_id == closed.id)).one()
        year.state = FiscalYearState.CLOSED
        row = session.scalars(select(IncomeExpense).where(IncomeExpense.cooperative_id == closed.id)).first()
        assert row is not None
        session.flush()
        row_id, closed_id, other_id = row.id, closed.id, other.id
    client = app.test_client()
    sign_in(client, "chief")
    url = f"/admin/income_expense/edit/?id={row_id}"
    form = edit_form(client, url)
    assert form["cooperative_id"] == str(closed_id)
    refused = client.post(url, data={**form, "cooperative_id": str(other_id)}, follow_redirects=True)
    assert CLOSED in refused.text
    with Session(engine) as session:
        owner = session.scalars(select(IncomeExpense.cooperative_id).where(IncomeExpense.id == row_id)).one()
        assert owner == closed_id
