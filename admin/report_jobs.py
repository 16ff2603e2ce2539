"""Report jobs: long reports are built by a small pool of worker threads owned by the app, never in the threads
that answer requests, so pages stay fast while member accounts of a large cooperative take their seconds.

A job belongs to the user who asked for it (nobody else can see it or its file); its file lives in the instance
folder under `report-jobs/<job id>/` and is forgotten after `COOP_REPORT_KEEP_SECONDS`. Jobs are kept in the
memory of the one `coop admin` process: after a restart the user asks again.
"""

from __future__ import annotations

import logging
import secrets
import shutil
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path

from coopcore.errors import CoopError, RuleViolation

log = logging.getLogger(__name__)
EXTENSION = "coop_report_jobs"
FOLDER = "report-jobs"

Build = Callable[[Path], Path]  # builds into a folder, returns the file to send


class JobState(Enum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


@dataclass
class ReportJob:
    """One requested report: who asked, what, and how far it got."""

    id: str
    owner_id: int
    request: tuple[object, ...]  # the report, format, subject and year: the same request joins a running job
    title: str
    ascii_name: str  # the file name for clients that cannot read filename*
    folder: Path
    submitted_at: float = field(default_factory=time.monotonic)
    state: JobState = JobState.QUEUED
    started_at: float | None = None
    finished_at: float | None = None
    path: Path | None = None
    error: CoopError | None = None

    @property
    def finished(self) -> bool:
        return self.state in (JobState.DONE, JobState.FAILED)


class ReportJobs:
    """The app's report workers and the jobs they build."""

    def __init__(self, folder: Path, *, workers: int, per_user: int, keep_seconds: float) -> None:
        self.folder = folder
        self.per_user = per_user
        self.keep_seconds = keep_seconds
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="coop-report")
        self._jobs: dict[str, ReportJob] = {}
        self._lock = threading.Lock()
        self._clear_leftovers()

    def submit(
        self, owner_id: int, request: tuple[object, ...], title: str, ascii_name: str, build: Build
    ) -> ReportJob:
        """Queue a report for a user, or return the job already building the same report for them."""
        self._forget_old()
        with self._lock:
            mine = [job for job in self._jobs.values() if job.owner_id == owner_id and not job.finished]
            for job in mine:
                if job.request == request:
                    return job
            if len(mine) >= self.per_user:
                raise RuleViolation(
                    "You already have {count} reports being built; wait until one of them is ready.", count=len(mine)
                )
            job_id = secrets.token_urlsafe(16)
            job = ReportJob(job_id, owner_id, request, title, ascii_name, self.folder / job_id)
            self._jobs[job_id] = job
        self._pool.submit(self._run, job, build)
        return job

    def get(self, job_id: str, owner_id: int) -> ReportJob | None:
        """The job of this id if it is this user's."""
        with self._lock:
            job = self._jobs.get(job_id)
        return job if job is not None and job.owner_id == owner_id else None

    def of_owner(self, owner_id: int) -> list[ReportJob]:
        """A user's jobs, newest first."""
        with self._lock:
            jobs = [job for job in self._jobs.values() if job.owner_id == owner_id]
        return sorted(jobs, key=lambda job: job.submitted_at, reverse=True)

    def waiting_before(self, job: ReportJob) -> int:
        """How many queued jobs (of anyone) were asked for before this one."""
        with self._lock:
            return sum(
                1
                for other in self._jobs.values()
                if other.state is JobState.QUEUED and other.submitted_at < job.submitted_at
            )

    def shutdown(self) -> None:
        """Stop the workers: queued jobs are dropped, running ones finish."""
        self._pool.shutdown(wait=False, cancel_futures=True)

    def _run(self, job: ReportJob, build: Build) -> None:
        job.state, job.started_at = JobState.RUNNING, time.monotonic()
        try:
            job.folder.mkdir(parents=True, exist_ok=True)
            job.path = build(job.folder)
            job.state = JobState.DONE
        except CoopError as error:
            job.error, job.state = error, JobState.FAILED
        except Exception:  # a report that fails must not take its worker with it; the log has the traceback
            log.exception("report job %s (%s) failed", job.id, job.title)
            job.state = JobState.FAILED
        finally:
            job.finished_at = time.monotonic()

    def _forget_old(self) -> None:
        cutoff = time.monotonic() - self.keep_seconds
        with self._lock:
            old = [job for job in self._jobs.values() if job.finished and (job.finished_at or 0) < cutoff]
            for job in old:
                del self._jobs[job.id]
        for job in old:
            shutil.rmtree(job.folder, ignore_errors=True)

    def _clear_leftovers(self) -> None:
        # Folders of jobs from before a restart that are older than the keeping time.
        if not self.folder.is_dir():
            return
        cutoff = time.time() - self.keep_seconds
        for leftover in self.folder.iterdir():
            if leftover.is_dir() and leftover.stat().st_mtime < cutoff:
                shutil.rmtree(leftover, ignore_errors=True)
