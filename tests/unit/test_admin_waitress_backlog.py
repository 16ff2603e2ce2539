"""The admin's waitress log filter: a real backlog of queued requests is still reported."""

from __future__ import annotations

import logging


def test_a_real_backlog_is_still_reported() -> None:
    from admin.command import BacklogOnly

    kept = BacklogOnly(8)
    record = logging.LogRecord("waitress.queue", logging.WARNING, __file__, 1, "Task queue depth is %d", (8,), None)
    brief = logging.LogRecord("waitress.queue", logging.WARNING, __file__, 1, "Task queue depth is %d", (2,), None)
    assert kept.filter(record) and not kept.filter(brief)
