"""`coop admin`: serve the web admin with waitress (never Flask's debug server) on the group's database."""

from __future__ import annotations

import gc

import click

from coopcore.commands.base import Context, pass_context


@click.command("admin")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=5000, show_default=True, type=click.IntRange(1, 65535), help="Port to listen on.")
@click.option("--threads", default=4, show_default=True, type=click.IntRange(1, 64), help="Worker threads.")
@pass_context
def admin_command(context: Context, host: str, port: int, threads: int) -> None:
    """Serve the web admin (Chinese by default) until interrupted."""
    from waitress import serve  # type: ignore[import-untyped]

    from admin.app import create_app
    from coopcore.db import migrate

    migrate.upgrade(context.engine)  # like `coop init`: the schema is up to date before anyone signs in
    app = create_app({"COOP_DATABASE_URL": context.url})
    # The start-up heap (models, views, templates) never becomes garbage: keep it out of the collector's
    # passes, which otherwise add pauses of tens of milliseconds to requests now and then.
    gc.freeze()
    shown = "localhost" if host in ("127.0.0.1", "0.0.0.0") else host
    click.echo(f"coop admin: http://{shown}:{port}/  ({context.engine.url.render_as_string(hide_password=True)})")
    serve(app, host=host, port=port, threads=threads, ident="coop-admin")
