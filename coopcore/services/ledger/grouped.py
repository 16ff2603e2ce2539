"""Rows of a query ordered by cooperative, read one cooperative at a time: a township's figures in a fixed number
of statements, without holding every cooperative's rows in lists at once."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any


def per_cooperative(cooperative_ids: Sequence[int], rows: Iterable[Any]) -> Iterator[list[Any]]:
    """The rows of each cooperative of cooperative_ids (ascending), in turn, [] for one without any: the rows are
    ordered by their first column, the cooperative's id."""
    remaining = iter(rows)
    pending = next(remaining, None)
    for cooperative_id in cooperative_ids:
        while pending is not None and pending[0] < cooperative_id:  # a cooperative not asked for
            pending = next(remaining, None)
        found = []
        while pending is not None and pending[0] == cooperative_id:
            found.append(pending)
            pending = next(remaining, None)
        yield found
