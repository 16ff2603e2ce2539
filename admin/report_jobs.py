"""Report jobs: long reports are built by a small pool of worker threads owned by the app, never in the threads
that answer requests, so pages stay fast while member accounts of a large cooperative take their seconds.

A job belongs to the user who asked for it (nobody else can see it or its file). Its state lives beside its file in
the instance folder, `report-jobs/<user id>/<job id>/job.json`, replaced whole at every step (os.replace), so every
process of a server with several workers answers for it: the process that took the request builds the report in
its own pool, any other one shows its progress and sends its file. A finished job and its file are forgotten
`COOP_REPORT_KEEP_SECONDS` after it finished.

A job records the process that builds it (host, process id and the process's start time). A job whose process has
ended (killed, or stopped by a restart) reads as failed at once; so does any job still unfinished after the keeping
time, for what the process check cannot see (a builder on another host, a process id reused where start times are
unknown).
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import re
import secrets
import shutil
import socket
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from enum import Enum
from pathlib import Path
from typing import Any

from coopcore.errors import CoopError, RuleViolation

log = logging.getLogger(__name__)
EXTENSION = "coop_report_jobs"
FOLDER = "report-jobs"
STATE_FILE = "job.json"
LOCK_FILE = ".lock"
JOB_ID = re.compile(r"[A-Za-z0-9_-]{22}")  # secrets.token_urlsafe(16): an id from a URL names no other folder

Build = Callable[[Path], Path]  # builds into a folder, returns the file to send


class JobState(Enum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


@dataclass(frozen=True)
class Builder:
    """The process that builds a job, told apart from a later process that was given the same id."""

    host: str
    pid: int
    started: int | None  # the process's start, in clock ticks after boot (Linux's /proc); None where unknown

    @classmethod
    def this_process(cls) -> Builder:
        stat = _process_stat(os.getpid())
        return cls(socket.gethostname(), os.getpid(), int(stat[19]) if stat else None)

    def gone(self) -> bool:
        """True when the process has certainly ended; a process of another host cannot be asked."""
        if self.host != socket.gethostname():
            return False
        try:
            os.kill(self.pid, 0)  # signal 0: only asks whether the process exists
        except ProcessLookupError:
            return True
        except PermissionError:
            pass  # it exists, under another user
        stat = _process_stat(self.pid)
        if stat is None or self.started is None:
            return False
        return stat[0] in ("Z", "X") or int(stat[19]) != self.started  # ended, or another process with its id


def builder_gone() -> CoopError:
    """What a job that can no longer finish says."""
    return CoopError("The server process building this report stopped before it was ready. Ask for it again.")


def _process_stat(pid: int) -> list[str] | None:
    """The fields of /proc/<pid>/stat after the command name (state first, start time at [19]); None elsewhere."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii", errors="replace")
    except OSError:
        return None
    return stat.rsplit(")", 1)[1].split()  # the command name may hold spaces and parentheses; it ends at the last ")"


@dataclass
class ReportJob:
    """One requested report: who asked, what, who builds it and how far it got."""

    id: str
    owner_id: int
    request: tuple[object, ...]  # the report, format, subject and year: the same request joins an unfinished job
    title: str
    ascii_name: str  # the file name for clients that cannot read filename*
    folder: Path
    builder: Builder
    submitted_at: float = field(default_factory=time.time)  # wall-clock seconds: every process reads the same clock
    state: JobState = JobState.QUEUED
    started_at: float | None = None
    finished_at: float | None = None
    file_name: str | None = None  # inside the folder
    error: CoopError | None = None

    @property
    def finished(self) -> bool:
        return self.state in (JobState.DONE, JobState.FAILED)

    @property
    def path(self) -> Path | None:
        return self.folder / self.file_name if self.file_name else None


class ReportJobs:
    """The app's report workers and the jobs of every process of the server, kept in a folder."""

    def __init__(self, folder: Path, *, workers: int, per_user: int, keep_seconds: float) -> None:
        self.folder = folder
        self.per_user = per_user
        self.keep_seconds = keep_seconds
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="coop-report")
        self._futures: dict[str, Future[None]] = {}  # this process's unfinished jobs, for shutdown
        self._lock = threading.Lock()
        self._forget_old()

    def submit(
        self, owner_id: int, request: tuple[object, ...], title: str, ascii_name: str, build: Build
    ) -> ReportJob:
        """Queue a report for a user, or return the job already building the same report for them."""
        self._forget_old()
        with self._owner_lock(owner_id):  # two workers asked at once count each other's jobs
            mine = [job for job in self.of_owner(owner_id) if not job.finished]
            for job in mine:
                if job.request == request:
                    return job
            if len(mine) >= self.per_user:
                raise RuleViolation(
                    "You already have {count} reports being built; wait until one of them is ready.", count=len(mine)
                )
            job_id = secrets.token_urlsafe(16)
            folder = self._owner_folder(owner_id) / job_id
            job = ReportJob(job_id, owner_id, request, title, ascii_name, folder, Builder.this_process())
            folder.mkdir(parents=True)
            _save(job)
        with self._lock:
            future = self._pool.submit(self._run, job, build)
            self._futures[job.id] = future
        future.add_done_callback(lambda _: self._forget_future(job.id))
        return job

    def get(self, job_id: str, owner_id: int) -> ReportJob | None:
        """The job of this id if it is this user's."""
        if not JOB_ID.fullmatch(job_id):
            return None
        job = self._load(self._owner_folder(owner_id) / job_id)
        return job if job is not None and job.owner_id == owner_id else None

    def of_owner(self, owner_id: int) -> list[ReportJob]:
        """A user's jobs, newest first."""
        jobs = [job for job in map(self._load, _job_folders(self._owner_folder(owner_id))) if job is not None]
        return sorted(jobs, key=lambda job: job.submitted_at, reverse=True)

    def waiting_before(self, job: ReportJob) -> int:
        """How many queued jobs (of anyone) were asked for before this one in the same process's queue."""
        return sum(
            1
            for other in self._every_job()
            if other.state is JobState.QUEUED and other.builder == job.builder and other.submitted_at < job.submitted_at
        )

    def shutdown(self) -> None:
        """Stop the workers: queued jobs are dropped (they read as failed), running ones finish."""
        self._pool.shutdown(wait=False, cancel_futures=True)
        with self._lock:
            dropped = [job_id for job_id, future in self._futures.items() if future.cancelled()]
        for job in self._every_job():
            if job.id in dropped:
                self._fail(job, builder_gone())

    def _forget_future(self, job_id: str) -> None:
        with self._lock:
            self._futures.pop(job_id, None)

    def _run(self, job: ReportJob, build: Build) -> None:
        job.state, job.started_at = JobState.RUNNING, time.time()
        _save(job)
        try:
            job.file_name = str(build(job.folder).relative_to(job.folder))
            job.state = JobState.DONE
        except CoopError as error:
            job.error, job.state = error, JobState.FAILED
        except Exception:  # a report that fails must not take its worker with it; the log has the traceback
            log.exception("report job %s (%s) failed", job.id, job.title)
            job.state = JobState.FAILED
        finally:
            job.finished_at = time.time()
            _save(job)

    def _load(self, folder: Path) -> ReportJob | None:
        """A job as its file says, or as failed if it can no longer finish; None if there is no such job."""
        job = _read(folder)
        if job is None or job.finished:
            return job
        if job.builder.gone() or time.time() - job.submitted_at > self.keep_seconds:
            self._fail(job, builder_gone())
        return job

    def _fail(self, job: ReportJob, error: CoopError) -> None:
        # Written down, so the answer stays the same once the process id is given to another process.
        job.state, job.error, job.finished_at = JobState.FAILED, error, time.time()
        _save(job)

    def _every_job(self) -> Iterator[ReportJob]:
        for owner in _owner_folders(self.folder):
            for folder in _job_folders(owner):
                job = _read(folder)
                if job is not None:
                    yield job

    def _owner_folder(self, owner_id: int) -> Path:
        return self.folder / str(owner_id)

    @contextmanager
    def _owner_lock(self, owner_id: int) -> Iterator[None]:
        """One user's jobs, locked against every thread of every process of the server (flock on a file)."""
        folder = self._owner_folder(owner_id)
        folder.mkdir(parents=True, exist_ok=True)
        with (folder / LOCK_FILE).open("a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
            yield

    def _forget_old(self) -> None:
        """Delete the jobs (and files) finished longer than the keeping time ago, and what cannot be read."""
        if not self.folder.is_dir():
            return
        cutoff = time.time() - self.keep_seconds
        for entry in self.folder.iterdir():
            if entry.name.isdigit() and entry.is_dir():
                for folder in _job_folders(entry):
                    job = _read(folder)
                    if job is None:  # a folder just being made, or a state that cannot be read
                        old = _modified(folder) < cutoff
                    else:
                        old = job.finished and (job.finished_at or 0) < cutoff
                    if old:
                        shutil.rmtree(folder, ignore_errors=True)
            elif entry.is_dir() and _modified(entry) < cutoff:  # a job folder of the one-process layout before
                shutil.rmtree(entry, ignore_errors=True)


def _owner_folders(folder: Path) -> list[Path]:
    return [entry for entry in _entries(folder) if entry.name.isdigit()]


def _job_folders(folder: Path) -> list[Path]:
    return [entry for entry in _entries(folder) if not entry.name.startswith(".")]


def _entries(folder: Path) -> list[Path]:
    try:
        return [entry for entry in folder.iterdir() if entry.is_dir()]
    except FileNotFoundError:
        return []


def _modified(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except FileNotFoundError:
        return time.time()  # just deleted by another process: nothing to do


def _save(job: ReportJob) -> None:
    """Write a job's state whole: a reader in another process sees the old state or the new, never half."""
    state = {
        "id": job.id,
        "owner_id": job.owner_id,
        "request": list(job.request),
        "title": job.title,
        "ascii_name": job.ascii_name,
        "builder": asdict(job.builder),
        "submitted_at": job.submitted_at,
        "state": job.state.value,
        "started_at": job.started_at,
        "finished_at": job.finished_at,
        "file_name": job.file_name,
        "error": None if job.error is None else _error_state(job.error),
    }
    temporary = job.folder / f".{STATE_FILE}.{os.getpid()}.{threading.get_ident()}"
    try:
        temporary.write_text(json.dumps(state, ensure_ascii=False), encoding="utf-8")
        os.replace(temporary, job.folder / STATE_FILE)
    except FileNotFoundError:  # the folder was deleted meanwhile (forgotten): nobody is waiting for the job
        log.warning("report job %s was forgotten before its state could be written", job.id)


def _read(folder: Path) -> ReportJob | None:
    try:
        state = json.loads((folder / STATE_FILE).read_text(encoding="utf-8"))
        error = state["error"]
        return ReportJob(
            id=state["id"],
            owner_id=state["owner_id"],
            request=tuple(state["request"]),
            title=state["title"],
            ascii_name=state["ascii_name"],
            folder=folder,
            builder=Builder(**state["builder"]),
            submitted_at=state["submitted_at"],
            state=JobState(state["state"]),
            started_at=state["started_at"],
            finished_at=state["finished_at"],
            file_name=state["file_name"],
            error=None if error is None else CoopError(error["message"], **error["fields"]),
        )
    except FileNotFoundError:
        return None  # no such job, or a folder that is just being made or deleted
    except (ValueError, KeyError, TypeError):
        log.warning("report job state %s cannot be read", folder / STATE_FILE)
        return None


def _error_state(error: CoopError) -> dict[str, Any]:
    """A report's refusal as its message template and fields, so each reader gets it in their own language.

    Fields that JSON cannot carry (amounts, dates) travel as the text they would be formatted to.
    """
    kept = (str, int, float, bool, type(None))
    fields = {name: value if isinstance(value, kept) else str(value) for name, value in error.fields.items()}
    return {"message": error.message_template, "fields": fields}
