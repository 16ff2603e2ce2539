"""Every endpoint × every role over HTTP, with guessed ids of other cooperatives' and villages' records.

The expected answers are written down here from the issue, independently of admin.access: an administrator
does everything; a township official reads everything of their township and writes only the weak-village
oversight records there; an accountant reads and writes the books of their cooperatives; a supervisor only
reads those. Anything else is 403 (the role may not) or 404 (the record is not theirs).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from coopcore.db.engine import make_engine
from coopcore.models import (
    AccountEntryKind,
    Bylaws,
    Contract,
    Cooperative,
    Delivery,
    Distribution,
    Enterprise,
    FiscalYear,
    FundingLine,
    ImprovementPlan,
    IncomeExpense,
    LandParcel,
    LandShare,
    Member,
    MemberAccountEntry,
    Milestone,
    PartyBranch,
    Product,
    ProductTradeModel,
    ProgressEntry,
    Project,
    SpecialFund,
    SpecialPayable,
    StatementNote,
    Township,
    Trade,
    TradeModel,
    User,
    Village,
    VillageCollective,
    VillageIncome,
)
from coopcore.services.distribution import plan_distribution
from coopcore.services.statements.notes import set_note
from coopcore.services.trade_models import set_product_trade_model
from tests.admin.conftest import make_app
from tests.admin.demo import sign_in
from tests.admin.test_concurrent_edits import edit_form
from tests.backends import copy_of

ADMIN, OFFICIAL, ACCOUNTANT, SUPERVISOR = "admin", "official1", "accountant", "supervisor"
ROLES = (ADMIN, OFFICIAL, ACCOUNTANT, SUPERVISOR)
EVERYONE = frozenset(ROLES)
NOBODY: frozenset[str] = frozenset()
CHENLIANG, XINGHUA, WANGJIAKUANG = "晨靓果业专业合作社", "杏花葡萄土地股份专业合作社", "王家夼红富士苹果专业合作社"
FENGMING, QUANSHAN = "凤鸣街道", "泉山街道"


@dataclass(frozen=True)
class Reach:
    """Whose records a role holds as its own and which ones it must not reach."""

    mine_cooperative: str
    other_cooperative: str
    mine_township: str
    other_township: str


REACH = {
    ADMIN: Reach(CHENLIANG, WANGJIAKUANG, FENGMING, QUANSHAN),  # "other" is still the administrator's
    OFFICIAL: Reach(WANGJIAKUANG, CHENLIANG, FENGMING, QUANSHAN),
    ACCOUNTANT: Reach(CHENLIANG, WANGJIAKUANG, QUANSHAN, FENGMING),
    SUPERVISOR: Reach(CHENLIANG, XINGHUA, QUANSHAN, FENGMING),
}


@dataclass(frozen=True)
class Spec:
    """One model view: who reads, who creates, edits and deletes, and how its records reach an owner."""

    endpoint: str
    model: type[Any]
    owner: str  # "cooperative", "village" or "none"
    read: frozenset[str]
    create: frozenset[str]
    edit: frozenset[str]
    delete: frozenset[str]


BOOKS_WRITE = frozenset({ADMIN, ACCOUNTANT})
OVERSIGHT = frozenset({ADMIN, OFFICIAL})
ONLY_ADMIN = frozenset({ADMIN})


def books(endpoint: str, model: type[Any]) -> Spec:
    return Spec(endpoint, model, "cooperative", EVERYONE, BOOKS_WRITE, BOOKS_WRITE, BOOKS_WRITE)


def read_only_books(endpoint: str, model: type[Any]) -> Spec:
    return Spec(endpoint, model, "cooperative", EVERYONE, NOBODY, NOBODY, NOBODY)


def oversight(endpoint: str, model: type[Any]) -> Spec:
    return Spec(endpoint, model, "village", OVERSIGHT, OVERSIGHT, OVERSIGHT, OVERSIGHT)


def places(endpoint: str, model: type[Any]) -> Spec:
    return Spec(endpoint, model, "village", OVERSIGHT, ONLY_ADMIN, ONLY_ADMIN, ONLY_ADMIN)


SPECS = (
    Spec("cooperative", Cooperative, "cooperative", EVERYONE, ONLY_ADMIN, BOOKS_WRITE, ONLY_ADMIN),
    books("bylaws", Bylaws),
    read_only_books("fiscal_year", FiscalYear),
    books("member", Member),
    Spec("contribution", MemberAccountEntry, "cooperative", EVERYONE, BOOKS_WRITE, NOBODY, NOBODY),
    read_only_books("account_entry", MemberAccountEntry),
    books("land_parcel", LandParcel),
    books("land_share", LandShare),
    books("trade", Trade),
    books("product_trade_model", ProductTradeModel),
    books("income_expense", IncomeExpense),
    books("special_fund", SpecialFund),
    books("special_payable", SpecialPayable),
    books("statement_note", StatementNote),
    read_only_books("distribution_list", Distribution),
    books("contract", Contract),
    books("delivery", Delivery),
    Spec("enterprise", Enterprise, "none", EVERYONE, ONLY_ADMIN, ONLY_ADMIN, ONLY_ADMIN),
    Spec("product", Product, "none", EVERYONE, ONLY_ADMIN, ONLY_ADMIN, ONLY_ADMIN),
    oversight("plan", ImprovementPlan),
    oversight("project", Project),
    oversight("milestone", Milestone),
    oversight("funding_line", FundingLine),
    oversight("progress_entry", ProgressEntry),
    oversight("village_income", VillageIncome),
    places("village", Village),
    places("village_collective", VillageCollective),
    places("party_branch", PartyBranch),
    places("township", Township),
    Spec("user", User, "none", ONLY_ADMIN, ONLY_ADMIN, ONLY_ADMIN, ONLY_ADMIN),
)


def records_of(session: Session, spec: Spec, cooperative: str, township: str) -> list[int]:
    """Ids of two records of the view's model owned by the cooperative (or by a village of the township)."""
    model = spec.model
    coop = select(Cooperative.id).where(Cooperative.name == cooperative).scalar_subquery()
    villages = select(Village.id).join(Township).where(Township.name == township)
    plans = select(ImprovementPlan.id).where(ImprovementPlan.village_id.in_(villages))
    where: dict[type[Any], Any] = {
        Cooperative: Cooperative.id == coop,
        MemberAccountEntry: MemberAccountEntry.member_id.in_(select(Member.id).where(Member.cooperative_id == coop)),
        LandShare: LandShare.member_id.in_(select(Member.id).where(Member.cooperative_id == coop)),
        Delivery: Delivery.contract_id.in_(select(Contract.id).where(Contract.cooperative_id == coop)),
        Village: Village.id.in_(villages),
        Township: Township.name == township,
        Project: Project.plan_id.in_(plans),
        FundingLine: FundingLine.plan_id.in_(plans),
        ProgressEntry: ProgressEntry.plan_id.in_(plans),
        Milestone: Milestone.project_id.in_(select(Project.id).where(Project.plan_id.in_(plans))),
    }
    if model in where:
        clause = where[model]
    elif hasattr(model, "cooperative_id"):
        clause = model.cooperative_id == coop
    elif hasattr(model, "village_id"):
        clause = model.village_id.in_(villages)
    else:
        clause = True
    if model is MemberAccountEntry and spec.endpoint == "contribution":
        clause = clause & MemberAccountEntry.kind.in_([kind for kind in AccountEntryKind if kind.is_contribution])
    return list(session.scalars(select(model.id).where(clause).order_by(model.id).limit(2)))


def expected(spec: Spec, role: str, action: str, whose: str) -> int:
    """The answer the issue asks for."""
    rights = {
        "list": spec.read,
        "export": spec.read,
        "details": spec.read,
        "new": spec.create,
        "edit": spec.edit,
        "delete": spec.delete,
        "action": spec.delete,
    }[action]
    if role not in rights or (spec.endpoint == "user" and action == "export"):  # accounts are not exported
        return 403
    if whose == "other" and role != ADMIN and spec.owner != "none":
        return 404
    return 302 if action in ("delete", "action") else 200


@pytest.fixture(scope="module")
def matrix_db(demo_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo with a distribution planned, two notes items written, and two products under their own trade
    model, for cooperatives of different townships (products nobody trades: the models rebook no intake)."""
    folder = tmp_path_factory.mktemp("matrix")
    url = copy_of(demo_file, folder)
    engine = make_engine(url)
    with Session(engine) as session, session.begin():
        products = [Product(name="权限测试甲"), Product(name="权限测试乙")]
        session.add_all(products)
        for name in (CHENLIANG, WANGJIAKUANG, XINGHUA):
            cooperative = session.scalars(select(Cooperative).where(Cooperative.name == name)).one()
            plan_distribution(session, cooperative, 2024)
            for item in (1, 7):
                set_note(session, cooperative, 2024, item, f"{name}附注{item}")
            for product in products:
                set_product_trade_model(session, cooperative, product, TradeModel.AGENCY)
    engine.dispose()
    return Path(url.removeprefix("sqlite:///"))


def _request(client: FlaskClient, endpoint: str, action: str, record: int | None) -> int:
    base = f"/admin/{endpoint}"
    if action == "list":
        return client.get(f"{base}/").status_code
    if action == "export":
        return client.get(f"{base}/export/csv/").status_code
    if action == "new":
        return client.get(f"{base}/new/").status_code
    if action == "details":
        return client.get(f"{base}/details/?id={record}").status_code
    if action == "edit":
        return client.get(f"{base}/edit/?id={record}").status_code
    if action == "delete":
        return client.post(f"{base}/delete/", data={"id": record, "url": f"{base}/"}).status_code
    return client.post(f"{base}/action/", data={"action": "delete", "rowid": record, "url": f"{base}/"}).status_code


@pytest.mark.parametrize("role", ROLES)
def test_every_model_view_answers_each_role_as_the_issue_says(role: str, matrix_db: Path, tmp_path: Path) -> None:
    url = copy_of(matrix_db, tmp_path)
    app = make_app(url, tmp_path, WTF_CSRF_ENABLED=False)  # CSRF has its own tests; here only the rights
    reach = REACH[role]
    engine = make_engine(url)
    with Session(engine) as session:
        ids = {
            spec.endpoint: {
                "mine": records_of(session, spec, reach.mine_cooperative, reach.mine_township),
                # Reference data and accounts belong to nobody: no "other" record to guess.
                "other": records_of(session, spec, reach.other_cooperative, reach.other_township)
                if spec.owner != "none"
                else [],
            }
            for spec in SPECS
        }
    engine.dispose()
    client = app.test_client()
    sign_in(client, role)
    wrong = []
    checked = 0
    for spec in SPECS:
        for action in ("list", "export", "new"):
            got, want = _request(client, spec.endpoint, action, None), expected(spec, role, action, "mine")
            checked += 1
            if got != want:
                wrong.append(f"{spec.endpoint} {action}: {got}, expected {want}")
        # Reading before changing: a delete of "mine" must not hide a wrong answer for another action.
        for action in ("details", "edit", "action", "delete"):
            for whose in ("other", "mine"):
                found = ids[spec.endpoint][whose]
                # The mass-delete action takes the second record, so that the delete button finds the first.
                record = (found[1] if len(found) > 1 else None) if action == "action" else next(iter(found), None)
                if record is None:
                    continue
                got, want = _request(client, spec.endpoint, action, record), expected(spec, role, action, whose)
                checked += 1
                if got != want:
                    wrong.append(f"{spec.endpoint} {action} {whose} #{record}: {got}, expected {want}")
    assert checked > 200
    assert not wrong, "\n".join(wrong)


def test_an_accountant_cannot_give_a_products_trade_model_to_another_cooperative(
    matrix_db: Path, tmp_path: Path
) -> None:
    url = copy_of(matrix_db, tmp_path)
    app = make_app(url, tmp_path, WTF_CSRF_ENABLED=False)
    engine = make_engine(url)

    def models() -> list[tuple[int, int, str]]:
        with Session(engine) as session:
            rows = session.execute(select(ProductTradeModel.id, ProductTradeModel.cooperative_id,
                                          ProductTradeModel.model).order_by(ProductTradeModel.id))  # fmt: skip
            return [(row.id, row.cooperative_id, row.model.value) for row in rows]

    with Session(engine) as session:
        mine, other = (session.scalar(select(Cooperative.id).where(Cooperative.name == name))
                       for name in (CHENLIANG, WANGJIAKUANG))  # fmt: skip
        own = session.scalars(select(ProductTradeModel).where(ProductTradeModel.cooperative_id == mine)).first()
        assert own is not None
        own_id, product_id = own.id, own.product_id
        unused = session.scalar(select(Product.id).where(Product.name == "苹果"))
    before = models()
    client = app.test_client()
    sign_in(client, ACCOUNTANT)

    page = client.get("/admin/product_trade_model/new/")
    assert WANGJIAKUANG not in page.text  # the select offers only their cooperatives
    created = client.post("/admin/product_trade_model/new/",
                          data={"cooperative": str(other), "product": str(unused), "model": "agency"})  # fmt: skip
    form = edit_form(client, f"/admin/product_trade_model/edit/?id={own_id}")
    moved = client.post(f"/admin/product_trade_model/edit/?id={own_id}",
                        data={**form, "cooperative": str(other), "product": str(product_id)})  # fmt: skip

    assert (created.status_code, moved.status_code) == (200, 200)  # the forms come back; nothing is written
    assert models() == before
    engine.dispose()


def _page_rights(role: str, url: str, tmp_path: Path) -> list[str]:
    app = make_app(url, tmp_path, WTF_CSRF_ENABLED=False)
    engine = make_engine(url)
    reach = REACH[role]
    with Session(engine) as session:
        coop = {
            which: session.scalar(select(Cooperative.id).where(Cooperative.name == name))
            for which, name in (("mine", reach.mine_cooperative), ("other", reach.other_cooperative))
        }
        member = {
            which: session.scalar(select(Member.id).where(Member.cooperative_id == coop[which]).limit(1))
            for which in coop
        }
        township = session.scalar(select(Township.id).where(Township.name == reach.mine_township))
        other_township = session.scalar(select(Township.id).where(Township.name == reach.other_township))
    engine.dispose()
    client = app.test_client()
    sign_in(client, role)
    reads_villages = role in (ADMIN, OFFICIAL)

    def report(cooperative: int) -> dict[str, Any]:
        return {"cooperative": cooperative, "year": 2023, "format": "pdf"}

    writes_books = role in (ADMIN, ACCOUNTANT)
    foreign = 200 if role == ADMIN else 404
    cases: list[tuple[str, str, dict[str, Any] | None, int]] = [
        ("GET", "/admin/", None, 200),
        ("GET", "/admin/villages/", None, 200 if reads_villages else 403),
        ("GET", "/admin/villages/?township=2&year=2024", None, 200 if reads_villages else 403),
        ("GET", f"/admin/distribution/?cooperative={coop['mine']}&year=2024", None, 200),
        ("GET", f"/admin/distribution/?cooperative={coop['other']}&year=2024", None, foreign),
        ("GET", f"/admin/member-account/?id={member['mine']}&year=2024", None, 200),
        ("GET", f"/admin/member-account/?id={member['other']}&year=2024", None, foreign),
        ("GET", f"/admin/member-exit/?id={member['mine']}", None, 200),
        ("GET", f"/admin/member-exit/?id={member['other']}", None, foreign),
        ("GET", "/admin/workbook/", None, 200),
        ("GET", "/admin/workbook/template.xlsx", None, 200),
        ("GET", f"/admin/workbook/export?cooperative={coop['mine']}", None, 200),
        ("GET", f"/admin/workbook/export?cooperative={coop['other']}", None, foreign),
        ("POST", "/admin/workbook/check", {}, 400 if writes_books else 403),
        ("POST", "/admin/workbook/apply", {}, 302 if writes_books else 403),
        ("GET", "/admin/audit/", None, 200),
        ("GET", "/admin/reports/", None, 200),
        ("POST", "/admin/reports/build", {**report(coop["mine"]), "report": "distribution"}, 302),
        ("POST", "/admin/reports/build", {**report(coop["other"]), "report": "slips"}, 302 if role == ADMIN else 404),
        (
            "POST",
            "/admin/reports/build",
            {"report": "township", "township": township, "year": 2024, "format": "xlsx"},
            302 if reads_villages else 403,
        ),
        (
            "POST",
            "/admin/reports/build",
            {"report": "township", "township": other_township, "year": 2024, "format": "xlsx"},
            (302 if role == ADMIN else 404) if reads_villages else 403,
        ),
        (
            "POST",
            "/admin/reports/build",
            {"report": "all-contracts", "year": 2024, "format": "xlsx"},
            302 if role == ADMIN else 403,
        ),
        # The statements: a cooperative's for whoever reads it, a township's roll-up for its officials.
        ("GET", f"/admin/books/statements/?cooperative={coop['mine']}&year=2024", None, 200),
        ("GET", f"/admin/books/statements/?cooperative={coop['mine']}&year=2024&month=6", None, 200),
        ("GET", f"/admin/books/statements/?cooperative={coop['other']}&year=2024", None, foreign),
        ("POST", "/admin/reports/build", {**report(coop["mine"]), "report": "statements", "month": "6"}, 302),
        ("POST", "/admin/reports/build", {**report(coop["other"]), "report": "statements"},
         302 if role == ADMIN else 404),
        ("GET", "/admin/township-statements/?year=2024", None, 200 if reads_villages else 403),
        ("GET", f"/admin/township-statements/?township={township}&year=2024&unit=wan", None,
         200 if reads_villages else 403),
        ("GET", f"/admin/township-statements/?township={other_township}&year=2024", None,
         (200 if role == ADMIN else 404) if reads_villages else 403),
        ("POST", "/admin/reports/build",
         {"report": "township-statements", "township": township, "year": 2024, "format": "pdf"},
         302 if reads_villages else 403),
        ("POST", "/admin/reports/build",
         {"report": "township-statements", "township": other_township, "year": 2024, "format": "xlsx"},
         (302 if role == ADMIN else 404) if reads_villages else 403),
    ]  # fmt: skip
    for step in ("plan", "publish", "approve", "post", "pay", "reverse"):
        for which in ("mine", "other"):
            want = (302 if which == "mine" or role == ADMIN else 404) if writes_books else 403
            cases.append(("POST", f"/admin/distribution/{step}", {"cooperative": coop[which], "year": 2024}, want))
    # The exit buttons, posted without a date: a writer is told what is missing, nothing is written.
    for step in ("apply", "pay-out"):
        for which in ("mine", "other"):
            want = (302 if which == "mine" or role == ADMIN else 404) if writes_books else 403
            cases.append(("POST", f"/admin/member-exit/{step}", {"id": member[which]}, want))
    wrong = []
    for method, path, data, want in cases:
        response = client.get(path) if method == "GET" else client.post(path, data=data)
        if response.status_code != want:
            wrong.append(f"{method} {path} {data or ''}: {response.status_code}, expected {want}")
    return wrong


@pytest.mark.parametrize("role", ROLES)
def test_every_page_answers_each_role_as_the_issue_says(role: str, matrix_db: Path, tmp_path: Path) -> None:
    wrong = _page_rights(role, copy_of(matrix_db, tmp_path), tmp_path)
    assert not wrong, "\n".join(wrong)


def test_a_visitor_who_has_not_signed_in_is_sent_to_the_sign_in_page_from_every_page(app: Any) -> None:
    client = app.test_client()
    paths = [f"/admin/{spec.endpoint}/" for spec in SPECS] + [
        "/admin/",
        "/admin/villages/",
        "/admin/distribution/",
        "/admin/workbook/",
        "/admin/audit/",
        "/admin/reports/",
        "/admin/books/statements/",
        "/admin/township-statements/",
        "/admin/member-account/?id=1",
        "/admin/member-exit/?id=1",
        "/admin/trade/details/?id=1",
        "/admin/trade/export/csv/",
    ]
    for path in paths:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response.headers["Location"].startswith("/login?next=/admin/"), path


def test_an_accountants_export_holds_only_their_cooperatives(reader: FlaskClient) -> None:
    sign_in(reader, ACCOUNTANT)
    exported = reader.get("/admin/trade/export/csv/").text
    assert CHENLIANG in exported and XINGHUA in exported
    assert WANGJIAKUANG not in exported
    members = reader.get("/admin/member/export/csv/").text
    assert WANGJIAKUANG not in members


def test_a_township_official_sees_only_their_townships_villages_and_cooperatives(reader: FlaskClient) -> None:
    sign_in(reader, OFFICIAL)
    villages = reader.get("/admin/village/?page_size=100").text
    assert "王家夼村" in villages and "东院头村" not in villages
    home = reader.get("/admin/").text
    assert WANGJIAKUANG in home and CHENLIANG not in home
