"""`coop admin`: serve the web admin with waitress (never Flask's debug server) on the group's database."""

from __future__ import annotations

import gc
import logging
from typing import Any

import click
from flask import Flask

from coopcore.commands.base import Context, pass_context

# A browser loads a page with up to six connections at once (the page, its styles and scripts): eight threads
# answer one user's page without queueing, and long reports are built by the report workers, not by these.
THREADS = 8


class BacklogOnly(logging.Filter):
    """Let waitress's "Task queue depth is N" through only for a real backlog (N at least the thread count).

    Waitress warns whenever one request waits for a thread, however briefly: a few users opening pages at the
    same moment filled the log with warnings that meant nothing.
    """

    def __init__(self, threads: int) -> None:
        super().__init__()
        self.threads = threads

    def filter(self, record: logging.LogRecord) -> bool:
        depth = record.args[0] if isinstance(record.args, tuple) and record.args else None
        return not isinstance(depth, int) or depth >= self.threads


def make_server(app: Flask, *, host: str, port: int, threads: int = THREADS) -> Any:
    """A waitress server of the admin (port 0: any free port), its queue warnings kept for a real backlog."""
    # waitress exports create_server (its stubs say only waitress.server does); taken from here, where tests stand in.
    from waitress import create_server  # type: ignore[attr-defined]

    queue_log = logging.getLogger("waitress.queue")
    for old in [found for found in queue_log.filters if isinstance(found, BacklogOnly)]:
        queue_log.removeFilter(old)
    queue_log.addFilter(BacklogOnly(threads))
    return create_server(app, host=host, port=port, threads=threads, ident="coop-admin")


@click.command("admin")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=5000, show_default=True, type=click.IntRange(1, 65535), help="Port to listen on.")
@click.option("--threads", default=THREADS, show_default=True, type=click.IntRange(1, 64), help="Request threads.")
@click.option(
    "--report-workers",
    default=2,
    show_default=True,
    type=click.IntRange(1, 16),
    help="Reports built at once, besides the request threads.",
)
@pass_context
def admin_command(context: Context, host: str, port: int, threads: int, report_workers: int) -> None:
    """Serve the web admin (Chinese by default) until interrupted."""
    from admin.app import create_app
    from coopcore.db import migrate

    migrate.upgrade(context.engine)  # like `coop init`: the schema is up to date before anyone signs in
    app = create_app({"COOP_DATABASE_URL": context.url, "COOP_REPORT_WORKERS": report_workers})
    # The start-up heap (models, views, templates) never becomes garbage: keep it out of the collector's
    # passes, which otherwise add pauses of tens of milliseconds to requests now and then.
    gc.freeze()
    shown = "localhost" if host in ("127.0.0.1", "0.0.0.0") else host
    click.echo(f"coop admin: http://{shown}:{port}/  ({context.engine.url.render_as_string(hide_password=True)})")
    make_server(app, host=host, port=port, threads=threads).run()
