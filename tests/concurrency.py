"""Helpers of the concurrency tests: a committed database per backend, Example 1 made ready to post, and a way
to see that another connection is waiting for a lock."""

from __future__ import annotations

import datetime as dt
import itertools
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, String, cast, func, literal, select, text
from sqlalchemy.orm import Session

from coopcore.models import Cooperative, Distribution, MemberAccountEntry
from coopcore.services import distribution as workflow
from coopcore.services import lookups
from tests.backends import scratch_engine
from tests.distribution.builders import make_example_1

_numbers = itertools.count(1)


def committed_engine(backend: str, tmp_path: Path) -> Iterator[Engine]:
    """A migrated database whose work is committed (the concurrency tests need real commits)."""
    with scratch_engine(backend, tmp_path, "schema") as engine:
        yield engine


def new_example(engine: Engine, *, approved: bool = True) -> int:
    """Commit a fresh copy of Example 1 with its 2024 plan published and approved; return the cooperative's id."""
    with Session(engine) as session, session.begin():
        cooperative = make_example_1(session, number=next(_numbers))
        if approved:
            distribution = workflow.plan_distribution(session, cooperative, 2024)
            workflow.publish_distribution(session, distribution, published_on=dt.date(2025, 3, 1))
            workflow.approve_distribution(
                session, distribution, assembly_on=dt.date(2025, 3, 20), members_present=6, votes_for=6
            )
        return cooperative.id


def current(session: Session, cooperative_id: int) -> Distribution:
    """The cooperative's 2024 distribution, as this session reads it."""
    cooperative = session.get(Cooperative, cooperative_id)
    assert cooperative is not None
    distribution = lookups.live_distribution_or_none(session, cooperative, 2024)
    assert distribution is not None
    return distribution


def duplicated_entries(engine: Engine, cooperative_id: int) -> tuple[int, int]:
    """(entries the cooperative's distributions wrote, how many of them repeat a member and kind)."""
    with Session(engine) as session:
        rows = session.execute(
            select(MemberAccountEntry.member_id, MemberAccountEntry.kind, func.count())
            .join(Distribution, MemberAccountEntry.source == literal("distribution:") + cast(Distribution.id, String))
            .where(Distribution.cooperative_id == cooperative_id, MemberAccountEntry.reverses_id.is_(None))
            .group_by(MemberAccountEntry.member_id, MemberAccountEntry.kind)
        ).all()
    return sum(row[2] for row in rows), sum(row[2] - 1 for row in rows)


def lock_waits(engine: Engine) -> int:
    """How many connections to this database wait for a row lock (SQLite never waits: it refuses)."""
    queries = {
        "postgresql": "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
        " AND wait_event_type = 'Lock'",
        # innodb_trx does not always show a wait that begins in the optimizer (a lookup by primary key): a
        # statement of this database running for a while is one that waits.
        "mysql": "SELECT count(*) FROM information_schema.processlist WHERE db = DATABASE()"
        " AND id <> CONNECTION_ID() AND command = 'Query' AND time_ms > 300",
    }
    query = queries.get(engine.dialect.name)
    if query is None:
        return 0
    with engine.connect() as connection:
        return int(connection.execute(text(query)).scalar_one())


def wait_until(condition: Callable[[], bool], timeout: float = 30) -> None:
    """Poll until the condition holds; fail the test if it never does."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail("the other connection never got where the test needs it")
        time.sleep(0.05)
