"""What the admin tests do on the demo database (tests/conftest.py's demo_file, loaded once per run): sign in,
read CSRF tokens, press buttons, write workbooks."""

from __future__ import annotations

import re
from pathlib import Path

from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from coopcore.db.engine import make_engine
from demo import DEMO_PASSWORD

CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def csrf_token(html: str) -> str:
    """The CSRF token of the first form on a page."""
    match = CSRF.search(html) or re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "no CSRF token on the page"
    return match.group(1)


# Session cookies of the demo users, signed with the tests' secret key: every test app accepts them (the user ids
# are the same in every copy of the demo), so argon2 runs once per user and run, not once per test.
_SIGNED_IN: dict[tuple[str, str], str] = {}
COOKIE = "coop_session"


def sign_in(client: FlaskClient, username: str, password: str = DEMO_PASSWORD, *, fresh: bool = False) -> None:
    """Sign in through the real form (with its CSRF token) and check that it worked; reuse a demo user's cookie."""
    key = (str(client.application.config["SECRET_KEY"]), username)
    if not fresh and password == DEMO_PASSWORD and key in _SIGNED_IN:
        client.set_cookie(COOKIE, _SIGNED_IN[key])
        return
    page = client.get("/login")
    response = client.post(
        "/login", data={"csrf_token": csrf_token(page.text), "username": username, "password": password}
    )
    assert response.status_code == 302, response.text
    cookie = client.get_cookie(COOKIE)
    if password == DEMO_PASSWORD and cookie is not None:
        _SIGNED_IN[key] = cookie.value


def accountant_workbooks(demo: Path, folder: Path, credit_code: str) -> tuple[Path, Path]:
    """A cooperative's exported workbook with two new 2024 tickets (clean), and a broken copy of it.

    The broken one has a resident ID with a wrong check digit, a ticket of quantity 0 and a ticket dated
    on a day that does not exist: three problems, each at its sheet, row and column.
    """
    import datetime as dt

    import openpyxl

    from coopcore.services import imports

    engine = make_engine(f"sqlite:///{demo}")
    with Session(engine) as session:
        imports.export_workbook(session, credit_code, folder / "export.xlsx", lang="zh")
    engine.dispose()
    book = openpyxl.load_workbook(folder / "export.xlsx")
    trades = book["交易"]
    header = [cell.value for cell in trades[1]]
    template = list(next(trades.iter_rows(min_row=2, max_row=2, values_only=True)))
    for number, quantity in ((1, 1200.5), (2, 860)):
        row = list(template)
        row[header.index("成员编号*")] = "M002"
        row[header.index("日期*")] = dt.datetime(2024, 11, 28 + number)
        row[header.index("产品*")] = "苹果"
        row[header.index("数量*")] = quantity
        row[header.index("单位*")] = "kg"
        row[header.index("单价*")] = 4.2
        row[header.index("金额")] = None
        row[header.index("单据号")] = f"WEB-2024-{number:04d}"
        row[header.index("交易类型")] = "交售"
        row[header.index("记录来源")] = None  # a row the accountant types has no origin mark: it is the workbook's
        trades.append(row)
    clean = folder / "晨靓-2024-补录.xlsx"
    book.save(clean)
    members = book["成员"]
    member_header = [cell.value for cell in members[1]]
    id_cell = members.cell(row=2, column=member_header.index("证件号码*") + 1)
    id_cell.value = str(id_cell.value)[:-1] + ("0" if str(id_cell.value)[-1] != "0" else "1")
    last = trades.max_row
    trades.cell(row=last - 1, column=header.index("数量*") + 1).value = 0
    trades.cell(row=last, column=header.index("日期*") + 1).value = "2024-02-30"
    broken = folder / "晨靓-2024-补录（有错）.xlsx"
    book.save(broken)
    return broken, clean


def distribution_step(client: FlaskClient, cooperative: int, action: str, **fields: str) -> str:
    """Press a button of the 2024 distribution page (plan, publish, approve, post, pay); return the page it leads to."""
    page = client.get(f"/admin/distribution/?cooperative={cooperative}&year=2024")
    response = client.post(
        f"/admin/distribution/{action}",
        data={"csrf_token": csrf_token(page.text), "cooperative": str(cooperative), "year": "2024", **fields},
    )
    assert response.status_code == 302
    return client.get(response.headers["Location"]).text
