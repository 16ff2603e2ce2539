"""Records found by the keys people type (coopcore.services.lookups): found, or refused naming what and which key."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.orm import Session

from coopcore.errors import NotFound
from coopcore.i18n import render_error
from coopcore.services import distribution as workflow
from coopcore.services import lookups
from tests.distribution.builders import make_example_1
from tests.township.builders import make_township

CREDIT_CODE = "93370602MA3EXMPL1X"


def refusal(error: pytest.ExceptionInfo[NotFound]) -> tuple[str, str]:
    """The refusal in Chinese and in English."""
    return render_error(error.value, "zh"), render_error(error.value, "en")


def test_a_cooperative_is_found_by_its_credit_code_and_an_unknown_code_is_refused_by_name(session: Session) -> None:
    cooperative = make_example_1(session, credit_code=CREDIT_CODE)
    assert lookups.cooperative_by_code(session, CREDIT_CODE) is cooperative
    assert lookups.cooperative_by_code_or_none(session, "93370602MA3EXMPL2X") is None
    with pytest.raises(NotFound) as error:
        lookups.cooperative_by_code(session, "93370602MA3EXMPL2X")
    assert refusal(error) == (
        "未找到合作社 '93370602MA3EXMPL2X'。",
        "Cooperative '93370602MA3EXMPL2X' was not found.",
    )


def test_a_township_is_found_by_its_name_and_an_unknown_name_is_refused_by_name(session: Session) -> None:
    township = make_township(session, "凤鸣街道")
    assert lookups.township_by_name(session, "凤鸣街道") is township
    with pytest.raises(NotFound) as error:
        lookups.township_by_name(session, "泉山街道")
    assert refusal(error) == ("未找到乡镇（街道） '泉山街道'。", "Township '泉山街道' was not found.")


def test_a_member_code_is_looked_up_within_its_own_cooperative_only(session: Session) -> None:
    first = make_example_1(session, credit_code=CREDIT_CODE)
    second = make_example_1(session, number=1)  # its own names and codes, the same member codes
    member = lookups.member_by_code(session, first, "M02")
    assert member.cooperative_id == first.id and member.code == "M02"
    assert lookups.member_by_code(session, second, "M02").cooperative_id == second.id
    with pytest.raises(NotFound) as error:
        lookups.member_by_code(session, first, "M99")
    assert refusal(error) == ("未找到成员 'M99'。", "Member 'M99' was not found.")


def test_the_live_distribution_of_a_year_is_the_one_not_reversed(session: Session) -> None:
    cooperative = make_example_1(session, credit_code=CREDIT_CODE)
    assert lookups.live_distribution_or_none(session, cooperative, 2024) is None
    with pytest.raises(NotFound) as error:
        lookups.live_distribution(session, cooperative, 2024)
    assert refusal(error) == (
        f"{cooperative.name}2024年度还没有编制盈余分配方案：请先编制方案。",
        f"{cooperative.name} has no distribution plan for 2024 yet: plan it first.",
    )
    first = workflow.plan_distribution(session, cooperative, 2024)
    workflow.publish_distribution(session, first, published_on=dt.date(2025, 3, 1))
    workflow.approve_distribution(session, first, assembly_on=dt.date(2025, 3, 20), members_present=5, votes_for=5)
    workflow.post_distribution(session, first)
    assert lookups.live_distribution(session, cooperative, 2024) is first
    workflow.reverse_distribution(session, first)
    assert lookups.live_distribution_or_none(session, cooperative, 2024) is None  # reversed: history, not live
    second = workflow.plan_distribution(session, cooperative, 2024)
    assert second is not first and lookups.live_distribution(session, cooperative, 2024) is second
    with pytest.raises(NotFound):
        lookups.live_distribution(session, cooperative, 2023)
