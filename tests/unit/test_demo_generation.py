"""The demo data set as generated, without a database: the same seed gives the same rows, and only the documented
cooperatives break the Yantai rules."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

import pytest

from coopcore.models import Bylaws, Cooperative, Member, MemberAccountEntry, MemberKind
from demo import build_demo, summarize
from demo.dataset import DemoSet


@pytest.fixture(scope="module")
def generated() -> DemoSet:
    """The demo rows as generated, without a database."""
    return build_demo()


def test_the_same_seed_generates_identical_rows_and_another_seed_others(generated: DemoSet) -> None:
    assert build_demo().digest() == generated.digest()
    assert build_demo(seed=7).digest() != generated.digest()
    assert summarize(generated).cooperatives == 21


def test_only_the_documented_cooperatives_break_the_yantai_rules(generated: DemoSet) -> None:
    cooperatives = generated.rows_of(Cooperative)
    capital: dict[int, Decimal] = defaultdict(Decimal)
    for entry in generated.rows_of(MemberAccountEntry):
        if entry["kind"].is_contribution:
            capital[entry["member_id"].index] += entry["amount"]
    rosters: dict[int, list[tuple[int, dict[str, object]]]] = defaultdict(list)
    for index, member in enumerate(generated.rows_of(Member)):
        rosters[member["cooperative_id"].index].append((index, member))
    over_cap, odd_rate = [], []
    rates = {row["cooperative_id"].index: row["provident_fund_rate"] for row in generated.rows_of(Bylaws)}
    for index, cooperative in enumerate(cooperatives):
        if cooperative["is_federation"]:
            continue
        roster = rosters[index]
        for day in (dt.date(2022, 1, 1), dt.date(2023, 12, 31), dt.date(2024, 12, 31)):
            on = [m for _, m in roster if m["joined_on"] <= day and (m["left_on"] is None or m["left_on"] >= day)]
            farmers = sum(1 for m in on if m["kind"] is MemberKind.FARMER)
            organisations = sum(1 for m in on if MemberKind(m["kind"]).is_organisation)
            assert 5 * farmers >= 4 * len(on)  # [L-20]: farmers at least 80%
            assert organisations <= 1 if len(on) <= 20 else 20 * organisations <= len(on)
        total = sum((capital[i] for i, _ in roster), Decimal(0))
        people = [capital[i] for i, m in roster if m["kind"] is not MemberKind.VILLAGE_COLLECTIVE]
        if 5 * max(people) > total:  # §8.2: no individual above 20% of the capital
            over_cap.append(cooperative["name"])
        if not Decimal("0.05") <= rates[index] <= Decimal("0.10"):
            odd_rate.append(cooperative["name"])
    assert over_cap == ["后庄苹果专业合作社"]
    assert odd_rate == ["大柳行樱桃专业合作社"]
