"""Forms use coopcore's validators and say what is wrong in the reader's language; Chinese by default."""

from __future__ import annotations

import datetime as dt
import itertools
import re
from decimal import Decimal
from typing import Any
from xml.etree import ElementTree

import pytest
from flask import session
from flask.testing import FlaskClient
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from admin.i18n import day, money
from coopcore.db.engine import make_engine
from coopcore.i18n import format_day, format_money
from coopcore.models import Cooperative, FiscalYear, FiscalYearState, Member, Trade
from coopcore.validation import credit_code, resident_id
from tests.admin.demo import csrf_token, sign_in

CHENLIANG = "晨靓果业专业合作社"


def ids(url: str) -> dict[str, int]:
    engine = make_engine(url)
    with Session(engine) as session:
        coop = session.scalar(select(Cooperative.id).where(Cooperative.name == CHENLIANG))
        member = session.scalar(select(Member.id).where(Member.cooperative_id == coop, Member.code == "M002"))
    engine.dispose()
    assert coop and member
    return {"coop": coop, "member": member}


def member_form(token: str, coop: int, id_number: str, **extra: str) -> dict[str, str]:
    return {
        "csrf_token": token,
        "cooperative": str(coop),
        "code": "M900",
        "name": "王测试",
        "kind": "farmer",
        "id_number": id_number,
        "joined_on": "2024-03-01",
        "additional_votes": "0",
        **extra,
    }


def test_a_resident_id_with_a_wrong_check_digit_is_refused_in_chinese(client: FlaskClient, demo_url: str) -> None:
    sign_in(client, "accountant")
    coop = ids(demo_url)["coop"]
    good = "11010119900307123" + resident_id.calc_check_digit("11010119900307123")
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    form = client.get("/admin/member/new/")
    refused = client.post("/admin/member/new/", data=member_form(csrf_token(form.text), coop, bad))
    assert refused.status_code == 200
    assert "的校验码不正确，应为" in refused.text
    assert "创建记录失败。" in refused.text  # Flask-Admin's own flash, missing from its compiled catalog
    saved = client.post("/admin/member/new/", data=member_form(csrf_token(form.text), coop, good.lower()))
    assert saved.status_code == 302
    engine = make_engine(demo_url)
    with Session(engine) as session:
        assert session.scalar(select(Member.id_number).where(Member.code == "M900")) == good  # compacted
    engine.dispose()


def test_a_phone_number_and_an_organisations_credit_code_are_checked_too(client: FlaskClient, demo_url: str) -> None:
    sign_in(client, "accountant")
    coop = ids(demo_url)["coop"]
    form = client.get("/admin/member/new/")
    response = client.post(
        "/admin/member/new/",
        data=member_form(csrf_token(form.text), coop, "91370671MA38U12GLA", kind="enterprise", phone="12345"),
    )
    assert "校验码不正确" in response.text  # the enterprise's credit code
    assert "应为 11 位" in response.text  # the phone


def full_width(text: str) -> str:
    """The characters as a Chinese input method types them in full-width mode (５４２３…, Ｘ)."""
    return "".join(chr(ord(ch) + 0xFEE0) if "!" <= ch <= "~" else ch for ch in text)


def test_ids_and_phones_typed_in_full_width_or_with_unicode_spaces_are_saved_in_ascii(
    client: FlaskClient, demo_url: str
) -> None:
    sign_in(client, "accountant")
    coop = ids(demo_url)["coop"]
    person = "11010119900307123" + resident_id.calc_check_digit("11010119900307123")
    company = "91370671MA38U12GL" + credit_code.calc_check_digit("91370671MA38U12GL")
    token = csrf_token(client.get("/admin/member/new/").text)
    typed_person = full_width(person[:6]) + "\u3000" + full_width(person[6:14]) + "\u00a0" + full_width(person[14:])
    saved = client.post(
        "/admin/member/new/",
        data=member_form(token, coop, typed_person, phone="１３８\u3000００１３\u3000８０００"),
    )
    assert saved.status_code == 302, saved.text
    typed_company = "\u00a0" + full_width(company[:8]) + "\u3000" + full_width(company[8:]) + "\u200b"
    saved = client.post(
        "/admin/member/new/", data=member_form(token, coop, typed_company, code="M901", kind="enterprise")
    )
    assert saved.status_code == 302, saved.text
    engine = make_engine(demo_url)
    with Session(engine) as session:
        stored = session.execute(
            select(Member.code, Member.id_number, Member.phone)
            .where(Member.cooperative_id == coop, Member.code.in_(["M900", "M901"]))
            .order_by(Member.code)
        ).all()
    engine.dispose()
    assert [tuple(row) for row in stored] == [("M900", person, "13800138000"), ("M901", company, None)]


def trade_form(token: str, coop: int, member: int, **extra: str) -> dict[str, str]:
    return {
        "csrf_token": token,
        "cooperative_id": str(coop),
        "member": str(member),
        "kind": "intake",
        "traded_on": "2024-06-01",
        "product": "1",
        "quantity": "100",
        "unit": "kg",
        "unit_price": "3.50",
        "ticket_no": "ADMIN-0001",
        **extra,
    }


def test_money_takes_at_most_two_decimals_and_the_amount_is_computed(client: FlaskClient, demo_url: str) -> None:
    sign_in(client, "accountant")
    found = ids(demo_url)
    form = client.get("/admin/trade/new/")
    token = csrf_token(form.text)
    refused = client.post(
        "/admin/trade/new/", data=trade_form(token, found["coop"], found["member"], unit_price="3.505")
    )
    assert "最多保留 2 位小数" in refused.text
    wrong = client.post("/admin/trade/new/", data=trade_form(token, found["coop"], found["member"], amount="351"))
    assert "不等于 数量×单价 = 350.00" in wrong.text  # the import's wording: one message for the one rule
    saved = client.post("/admin/trade/new/", data=trade_form(token, found["coop"], found["member"]))
    assert saved.status_code == 302
    engine = make_engine(demo_url)
    with Session(engine) as session:
        assert str(session.scalar(select(Trade.amount).where(Trade.ticket_no == "ADMIN-0001"))) == "350.00"
    engine.dispose()


def test_a_change_in_a_closed_year_is_refused_with_coopcores_reason(client: FlaskClient, demo_url: str) -> None:
    found = ids(demo_url)
    engine = make_engine(demo_url)
    with Session(engine) as session, session.begin():
        year = session.scalars(
            select(FiscalYear).where(FiscalYear.cooperative_id == found["coop"], FiscalYear.year == 2023)
        ).one()
        year.state = FiscalYearState.CLOSED
    engine.dispose()
    sign_in(client, "accountant")
    form = client.get("/admin/trade/new/")
    response = client.post(
        "/admin/trade/new/",
        data=trade_form(csrf_token(form.text), found["coop"], found["member"], traded_on="2023-06-01"),
    )
    assert response.status_code == 200
    assert f"{CHENLIANG}的2023会计年度已结账，其数据不能再修改。" in response.text  # coopcore's PeriodClosed


def test_the_reason_is_in_english_after_the_switch(client: FlaskClient, demo_url: str) -> None:
    sign_in(client, "accountant")
    page = client.get("/admin/")
    client.post("/lang", data={"csrf_token": csrf_token(page.text), "lang": "en"})
    found = ids(demo_url)
    form = client.get("/admin/trade/new/")
    refused = client.post(
        "/admin/trade/new/", data=trade_form(csrf_token(form.text), found["coop"], found["member"], unit_price="3.505")
    )
    assert "At most 2 decimal places." in refused.text
    assert "Create" in form.text and "Transactions" in form.text


def test_append_only_account_entries_cannot_be_edited_or_deleted_by_anyone(reader: FlaskClient) -> None:
    sign_in(reader, "admin")
    assert reader.get("/admin/account_entry/edit/?id=1").status_code == 403
    assert reader.post("/admin/account_entry/delete/", data={"id": "1"}).status_code in (400, 403)
    assert reader.get("/admin/contribution/edit/?id=1").status_code == 403
    listing = reader.get("/admin/account_entry/").text
    assert "/admin/account_entry/edit/" not in listing


def test_chinese_by_default_with_flask_admins_own_words_and_ours(reader: FlaskClient) -> None:
    sign_in(reader, "accountant")
    page = reader.get("/admin/trade/").text
    for word in ("创建", "列表", "添加筛选器", "交易", "合作社管理后台", "退出"):
        assert word in page
    assert re.search(r"¥\d{1,3}(,\d{3})*\.\d{2}", page), "money as ¥1,234.56"
    assert re.search(r"\d{4}年\d{1,2}月\d{1,2}日", page), "dates as 2024年11月20日"


def test_the_english_switch_persists_and_formats_money_and_dates(reader: FlaskClient) -> None:
    sign_in(reader, "accountant")
    page = reader.get("/admin/")
    assert (
        reader.post("/lang", data={"csrf_token": csrf_token(page.text), "lang": "en", "next": "/admin/trade/"}).headers[
            "Location"
        ]
        == "/admin/trade/"
    )
    for _ in range(2):
        text = reader.get("/admin/trade/").text
        assert "Transactions" in text and "Add Filter" in text and "交易" not in text
        assert re.search(r"CN¥\d{1,3}(,\d{3})*\.\d{2}|¥\d", text)
        assert re.search(r"[A-Z][a-z]{2} \d{1,2}, \d{4}", text)
    back = reader.post("/lang", data={"csrf_token": csrf_token(text), "lang": "zh"})
    assert back.status_code == 302
    assert "交易" in reader.get("/admin/trade/").text


def test_members_are_found_by_pinyin_initials_name_or_id_number(client: FlaskClient, demo_url: str) -> None:
    sign_in(client, "admin")
    engine = make_engine(demo_url)
    with Session(engine) as session:
        someone = session.scalars(select(Member).where(Member.name == "张立新")).first()
        total = session.scalar(select(func.count(Member.id)))
    engine.dispose()
    assert someone is not None
    by_initials = client.get("/admin/member/?search=zlx&page_size=100").text
    assert "张立新" in by_initials
    assert f"({total})" not in by_initials  # a real filter, not the whole list
    assert "张立新" in client.get(f"/admin/member/?search={someone.id_number}").text
    assert "张立新" in client.get("/admin/member/?search=立新").text


@pytest.mark.parametrize("role", ["accountant", "official1"])
def test_the_home_page_shows_what_the_role_needs_first(reader: FlaskClient, role: str) -> None:
    sign_in(reader, role)
    page = reader.get("/admin/").text
    if role == "accountant":
        for text in ("2024年度概况", "入股土地（亩）", "本年盈余（截至目前）", "合规检查发现的问题", CHENLIANG):
            assert text in page
    else:
        for text in ("薄弱村", "<svg", "progress-bar", "本乡镇的合作社", "王家夼红富士苹果专业合作社"):
            assert text in page
        assert CHENLIANG not in page


SVG = "{http://www.w3.org/2000/svg}"


def svg_texts(chart: ElementTree.Element, kind: str) -> list[ElementTree.Element]:
    return [text for text in chart.iter(f"{SVG}text") if text.get("class") == kind]


def number(element: ElementTree.Element, attribute: str) -> float:
    value = element.get(attribute)
    assert value is not None
    return float(value)


@pytest.mark.parametrize(("lang", "unit"), [("zh", "万元"), ("en", "10,000 yuan")])
def test_the_township_income_chart_has_a_scale_its_bars_are_drawn_to(reader: FlaskClient, lang: str, unit: str) -> None:
    sign_in(reader, "official1")
    reader.post("/lang", data={"csrf_token": csrf_token(reader.get("/admin/").text), "lang": lang})
    found = re.search(r'<svg class="coop-chart".*?</svg>', reader.get("/admin/").text, re.S)
    assert found is not None
    chart = ElementTree.fromstring(found.group(0))
    ticks = [(Decimal((tick.text or "").replace(",", "")), number(tick, "x")) for tick in svg_texts(chart, "coop-tick")]
    assert len(ticks) >= 3 and ticks[0][0] == 0
    assert len({b[0] - a[0] for a, b in itertools.pairwise(ticks)}) == 1  # evenly spaced round values
    assert [text.text for text in svg_texts(chart, "coop-unit")] == [unit]
    per_wan = (ticks[-1][1] - ticks[0][1]) / float(ticks[-1][0])  # pixels per 10,000 yuan
    bars = [bar for bar in chart.iter(f"{SVG}rect") if bar.get("class") == "coop-bar"]
    assert len(bars) >= 3
    for bar in bars:
        title = bar.find(f"{SVG}title")
        shown = re.search(r"-?[\d,]+\.\d{2}", title.text or "") if title is not None else None
        income = Decimal(shown.group(0).replace(",", "")) if shown else Decimal(0)  # not reported: an empty bar
        assert number(bar, "x") == pytest.approx(ticks[0][1])
        assert number(bar, "width") == pytest.approx(max(float(income) / 10_000 * per_wan, 0), abs=0.1)
        assert income <= ticks[-1][0] * 10_000  # the scale reaches past every bar


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_admin_formats_money_and_dates_exactly_as_coopcore_does(shared_app: Any, lang: str) -> None:
    amounts = [Decimal("0"), Decimal("1234.5"), Decimal("-0.005"), Decimal("1234567.895"), Decimal("99999999999.99")]
    days = [dt.date(2024, 12, 31), dt.date(2025, 3, 1)]
    with shared_app.test_request_context():
        session["lang"] = lang
        assert [money(a) for a in amounts] == [format_money(a, lang) for a in amounts]
        assert [day(d) for d in days] == [format_day(d, lang) for d in days]
    assert format_money(Decimal("1234.56"), "zh") == "¥1,234.56"


@given(
    amounts=st.lists(
        st.decimals(min_value=Decimal("-1e12"), max_value=Decimal("1e12"), allow_nan=False, places=3)
        | st.sampled_from([Decimal("-0"), Decimal("-0.004"), Decimal("0.005"), Decimal("999.995")]),
        max_size=20,
    )
)
def test_the_admins_quick_money_format_is_babels_in_both_languages(shared_app: Any, amounts: list[Decimal]) -> None:
    for lang in ("zh", "en"):
        with shared_app.test_request_context():
            session["lang"] = lang
            assert [money(a) for a in amounts] == [format_money(a, lang) for a in amounts]
