"""`coop distribution plan-all`: a township's year end in one command, each cooperative planned on its own, and a
summary of those that could not be planned and why (issue #18)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from coopcore.db.engine import make_engine
from coopcore.i18n import format_money
from coopcore.models import Cooperative, Distribution, DistributionState
from coopcore.services.lookups import township_by_name, township_cooperatives
from tests.backends import BACKENDS, scratch_engine
from tests.cli.conftest import coop, run


def _plans(url: str, township: str, year: int) -> dict[str, tuple[DistributionState, str, int]]:
    """Each cooperative's live plan of the year: its state, distributable surplus (as printed) and members."""
    engine = make_engine(url)
    with Session(engine) as session:
        found = township_cooperatives(session, township_by_name(session, township))
        plans = {}
        for cooperative in found:
            distribution = session.scalar(
                select(Distribution).where(Distribution.cooperative_id == cooperative.id, Distribution.year == year)
            )
            if distribution is not None:
                plans[cooperative.credit_code] = (distribution.state, format_money(distribution.distributable),
                                                  len(distribution.lines))  # fmt: skip
    engine.dispose()
    return plans


@pytest.fixture(params=BACKENDS)
def demo_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A private copy of the demo on each backend, as a URL the command connects to."""
    with scratch_engine(request.param, tmp_path, "demo") as engine:
        yield engine.url.render_as_string(hide_password=False)


def test_every_cooperative_of_the_township_is_planned_and_listed_with_its_surplus(demo_database: str) -> None:
    # The real binary: its engine goes with its process, so the private database can be dropped after.
    result = coop("--db", demo_database, "distribution", "plan-all", "--township", "凤鸣街道", "--year", "2024")
    assert result.returncode == 0, result.stderr
    plans = _plans(demo_database, "凤鸣街道", 2024)
    assert len(plans) == 12  # the demo's 凤鸣街道: 11 cooperatives and a federation
    for code, (state, distributable, members) in plans.items():
        assert state is DistributionState.DRAFT
        row = next(line for line in result.stdout.splitlines() if code in line)
        assert "已生成方案" in row and distributable in row and f" {members} " in row, row
    assert "共 12 个合作社：12 个已生成方案，0 个未能生成。" in result.stdout


def test_a_cooperative_that_cannot_be_planned_is_named_with_its_reason_and_the_others_are_planned(
    demo_url: str,
) -> None:
    engine = make_engine(demo_url)
    with Session(engine) as session, session.begin():
        found = township_cooperatives(session, township_by_name(session, "凤鸣街道"))
        stuck = found[3]
        name = stuck.name
        code = stuck.credit_code
    engine.dispose()
    # A plan already published cannot be re-planned: the command goes on with the others.
    assert run("--db", demo_url, "distribution", "plan", "--coop", code, "--year", "2024").returncode == 0
    published = run("--db", demo_url, "distribution", "publish", "--coop", code, "--year", "2024", "--on", "2025-01-05")
    assert published.returncode == 0, published.stderr
    result = run("--db", demo_url, "distribution", "plan-all", "--township", "凤鸣街道", "--year", "2024")
    assert result.returncode == 1
    row = next(line for line in result.stdout.splitlines() if code in line)
    assert name in row and "未能生成方案：2024年的分配方案已经公示" in row, row
    assert "共 12 个合作社：11 个已生成方案，1 个未能生成。" in result.stdout
    plans = _plans(demo_url, "凤鸣街道", 2024)
    assert plans[code][0] is DistributionState.PUBLISHED
    assert sum(1 for state, _, _ in plans.values() if state is DistributionState.DRAFT) == 11
    # Closed years: nothing is planned, every cooperative says why, in English too.
    english = run("--db", demo_url, "distribution", "plan-all", "--township", "凤鸣街道", "--year", "2023", lang="en")
    assert english.returncode == 1 and "0 of 12 cooperatives planned, 12 not." in english.stdout
    assert english.stdout.count("Not planned:") == 12


def test_an_unknown_township_is_refused_by_name(demo_url: str) -> None:
    result = run("--db", demo_url, "distribution", "plan-all", "--township", "无此镇", "--year", "2024")
    assert result.returncode == 2 and "无此镇" in result.stderr


def test_the_cooperatives_of_a_township_are_those_of_its_villages(demo_session: Session) -> None:
    township = township_by_name(demo_session, "泉山街道")
    found = township_cooperatives(demo_session, township)
    assert [c.credit_code for c in found] == sorted(c.credit_code for c in found)
    assert all(c.village.township_id == township.id for c in found)
    others = demo_session.scalars(select(Cooperative).where(Cooperative.id.not_in([c.id for c in found]))).all()
    assert others and all(c.village.township_id != township.id for c in others)
