"""The command line of the reports: shared options, a read-only session, a progress bar, `python -m` entry."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click
from sqlalchemy import Engine, event
from sqlalchemy.orm import ORMExecuteState, Session

from coopcore.commands.base import CREDIT_CODE, EXIT_USER_ERROR, Context, pass_context
from coopcore.db.engine import default_url
from coopcore.errors import CoopError
from coopcore.i18n import LANGS, Lang, default_lang, render, render_error
from coopcore.services import lookups

Progress = Callable[[int, int], None]  # (done, total)
Builder = Callable[..., list[Path]]
DEFAULT_OUT = Path("reports-out")
PROGRESS_FROM = 50  # a bar for hundreds of slips; a dozen need none

OUT = click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    metavar="DIRECTORY",  # not the type's name, which click translates once, in whatever language imported it
    default=DEFAULT_OUT,
    show_default=True,
    help="Folder to write the files into (created if missing).",
)
LANG = click.option("--lang", "report_lang", type=click.Choice(LANGS), help="Language of the report (default: coop's).")
YEAR = click.option("--year", type=int, required=True, help="Fiscal year.")


class ReportsWrite(RuntimeError):
    """A report tried to write to the database; reports only read."""


def _refuse_flush(session: Session, flush_context: Any, instances: Any) -> None:
    raise ReportsWrite("reports never write to the database")


def _refuse_statement(state: ORMExecuteState) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        raise ReportsWrite("reports never write to the database")


def guard(session: Session) -> Session:
    """Make a session refuse every flush and every INSERT, UPDATE or DELETE it is asked to run."""
    event.listen(session, "before_flush", _refuse_flush)
    event.listen(session, "do_orm_execute", _refuse_statement)
    return session


@contextmanager
def read_only(engine: Engine) -> Iterator[Session]:
    """A guarded session, rolled back at the end: reports never write."""
    with Session(engine, autoflush=False) as session:
        guard(session)
        try:
            yield session
        finally:
            session.rollback()


@contextmanager
def progress_bar(label: str) -> Iterator[Progress]:
    """A rich progress bar on stderr, shown once there are PROGRESS_FROM items or more."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    bar = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=Console(stderr=True),
    )
    task: list[Any] = []

    def advance(done: int, total: int) -> None:
        if total < PROGRESS_FROM:
            return
        if not task:
            bar.start()
        if not task or done == 1:  # a new run (slips, then accounts): a new line of the bar
            task.append(bar.add_task(label, total=total))
        bar.update(task[-1], completed=done)

    try:
        yield advance
    finally:
        if task:
            bar.stop()


def announce(context: Context, lang: Lang, paths: list[Path]) -> None:
    """Print the files written, one a line, with their folder."""
    for path in paths:
        click.echo(f"  {path}")
    if paths:
        folder = paths[0].parent.resolve()
        click.echo(render("{count} report files written to {folder}", lang, count=len(paths), folder=str(folder)))


def cooperative_command(
    name: str, builder: Builder, help_text: str, *, options: tuple[Any, ...] = (), progress: str | None = None
) -> click.Command:
    """A `coop report NAME --coop CREDIT_CODE --year YYYY [--out DIR] [--lang zh|en]` command around a builder."""

    @click.command(name, help=help_text)
    @click.option("--coop", "credit_code", required=True, type=CREDIT_CODE, help="The cooperative.")
    @YEAR
    @OUT
    @LANG
    @pass_context
    def command(
        context: Context, /, credit_code: str, year: int, out_dir: Path, report_lang: Lang | None, **extra: Any
    ) -> None:

        lang = report_lang or context.lang
        with read_only(context.engine) as session:
            cooperative = lookups.cooperative_by_code(session, credit_code)
            if progress is None:
                paths = builder(session, cooperative, year, out_dir, lang, **extra)
            else:
                with progress_bar(render(progress, lang)) as advance:
                    paths = builder(session, cooperative, year, out_dir, lang, progress=advance, **extra)
        announce(context, lang, paths)

    decorated: Any = command
    for option in reversed(options):
        decorated = option(decorated)
    assert isinstance(decorated, click.Command)
    return decorated


def standalone(command: click.Command, module: str) -> None:
    """Run a report command as `python -m reports.NAME --db URL …` (the same options as `coop report NAME`)."""

    def callback(url: str | None, **options: Any) -> None:
        ctx = click.get_current_context()
        lang: Lang = options.get("report_lang") or default_lang()
        ctx.obj = Context(url=url or default_url(), lang=lang)
        try:
            ctx.invoke(command.callback or (lambda **_: None), **options)
        except CoopError as error:
            click.echo(render("Error: {message}", lang, message=render_error(error, lang)), err=True)
            sys.exit(EXIT_USER_ERROR)

    database = click.Option(["--db", "url"], metavar="URL", help="Database URL (default: $COOP_DATABASE_URL).")
    main = click.Command(command.name, callback=callback, params=[database, *command.params], help=command.help)
    main(prog_name=f"python -m {module}")
