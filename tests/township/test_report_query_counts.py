"""The township's commands and reports run as many SQL statements for a big township as for a small one: no query
per village, cooperative, federation or year of a village's history (issue #18: a county on one PostgreSQL).

Each is called in-process as its command calls it (`coop villages status`, `coop statements --township`, `coop
report township`, `coop report township-statements`), on a township that then grows: more villages with plans,
projects, funding and older baselines (more years of history), more cooperatives with booked years and bulk rows,
another federation."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from coopcore.models import Township
from coopcore.services.statements.township import township_as_they_stand, township_statements
from coopcore.services.villages import village_status
from reports.township import build_township_report
from reports.township_statements import build_township_statements
from tests.township.growth import YEAR, add_cooperatives, add_villages, counted, make_county_township


def village_runs(session: Session, township: Township, out_dir: Path) -> dict[str, Callable[[], object]]:
    """What each weak-village command does with the database, by the command."""
    name = township.name
    return {
        "coop villages status": lambda: village_status(session, year=YEAR),
        "coop villages status --township": lambda: village_status(session, year=YEAR, township=name),
        "coop report township": lambda: build_township_report(session, township, YEAR, out_dir, "en"),
    }


def rollup_runs(session: Session, township: Township, out_dir: Path) -> dict[str, Callable[[], object]]:
    """What each statements roll-up command (and the admin's page) does with the database, by the command."""
    return {
        "coop statements --township": lambda: township_statements(session, township, YEAR),
        "coop statements --township --month 6": lambda: township_statements(session, township, YEAR, 6),
        "admin roll-up (as the books stand)": lambda: township_as_they_stand(session, township, YEAR),
        "coop report township-statements": lambda: build_township_statements(session, township, YEAR, out_dir),
    }


Runs = Callable[[Session, Township, Path], dict[str, Callable[[], object]]]


def statement_counts(session: Session, engine: Engine, township: Township, runs: Runs, out_dir: Path) -> dict[str, int]:
    found = {}
    for command, run in runs(session, township, out_dir).items():
        session.expire_all()  # each starts from what the database holds, as a command does
        with counted(engine) as statements:
            run()
        found[command] = len(statements)
    return found


@pytest.mark.parametrize("runs", [village_runs, rollup_runs], ids=["villages", "roll-up"])
def test_the_township_commands_run_as_many_statements_for_more_villages_cooperatives_rows_and_years(
    session: Session, engine: Engine, tmp_path: Path, runs: Runs
) -> None:
    township = make_county_township(session)
    add_cooperatives(session, add_villages(session, township, 2, baseline_year=2022), size=20)
    small = statement_counts(session, engine, township, runs, tmp_path)
    # Three times the villages, their baselines four years further back; three more cooperatives, bigger, and a
    # second federation.
    add_cooperatives(session, add_villages(session, township, 4, baseline_year=2018), size=60)
    big = statement_counts(session, engine, township, runs, tmp_path)
    assert big == small
