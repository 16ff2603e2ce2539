# mypy: allow-subclassing-any, allow-untyped-decorators
"""Report downloads: the `reports` package's PDFs and workbooks, built by the app's report workers.

A cooperative's reports (distribution report, dividend slips, publicity notice, member accounts, contracts) for
whoever may read the cooperative; a township's weak-village report for its officials and administrators; the
contract report of every cooperative for administrators only. Asking for a report checks these rights and queues
a job (admin/report_jobs.py); its page refreshes until the file is ready and then offers it, to the one user who
asked, from whichever worker process of the server answers. The package is imported on first use: it brings
matplotlib and reportlab, which the rest of the admin does not need.
"""

from __future__ import annotations

import datetime as dt
import importlib
import re
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote

from flask import Response, abort, current_app, redirect, request, send_file, url_for
from flask_admin import expose
from sqlalchemy import select

from admin import errors
from admin.access import Area, current_scope
from admin.database import current_session, database
from admin.glance import latest_year
from admin.i18n import current_lang, error_text, translate
from admin.report_jobs import EXTENSION, Build, JobState, ReportJob, ReportJobs
from admin.views.base import CoopPage
from admin.views.distribution import chosen_cooperative, scoped_cooperative
from coopcore.errors import CoopError
from coopcore.models import Township
from coopcore.services import lookups

# Report → (module, builder, the formats it writes, English label).
COOPERATIVE_REPORTS = {
    "distribution": ("reports.distribution", "build_distribution_report", ("pdf", "xlsx"), "Distribution report"),
    "slips": ("reports.slips", "build_dividend_slips", ("pdf",), "Dividend slips"),
    "notice": ("reports.notice", "build_publicity_notice", ("pdf",), "Publicity notice"),
    "accounts": ("reports.accounts", "build_member_accounts", ("pdf", "xlsx"), "Member accounts"),
    "contracts": ("reports.contracts", "build_contract_report", ("pdf", "xlsx"), "Contract fulfilment"),
    "vouchers": ("reports.vouchers", "build_vouchers", ("pdf", "xlsx"), "Vouchers"),
    "trial-balance": ("reports.trial_balance", "build_trial_balance", ("pdf", "xlsx"), "Trial balance"),
    "general-ledger": ("reports.general_ledger", "build_general_ledger", ("pdf", "xlsx"), "General ledger"),
    "detail-ledger": ("reports.detail_ledger", "build_detail_ledger", ("pdf", "xlsx"), "Detail ledger"),
    "statements": ("reports.statements", "build_statements", ("pdf", "xlsx"), "Statements"),
    "member-statements": ("reports.member_statements", "build_period_statements", ("pdf",), "Member statements"),
}
# The books' reports take a month, an account or a member besides the year (the books' pages send them).
REPORT_OPTIONS = {
    "vouchers": ("month",),
    "trial-balance": ("month",),
    "detail-ledger": ("month", "account", "member"),
    "statements": ("month",),
    "township-statements": ("month",),
    "member-statements": ("member", "first_on", "last_on"),  # the member page sends them
}
PLAN_REPORTS = ("distribution", "slips", "notice")  # they print the year's distribution plan
MIMETYPES = {"pdf": "application/pdf", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
REFRESH_SECONDS = 2


def reports_available() -> bool:
    """True when the `reports` package and its libraries can be imported."""
    try:
        importlib.import_module("reports.cli")
    except ImportError:
        return False
    return True


def report_jobs() -> ReportJobs:
    """The app's report workers."""
    jobs: ReportJobs = current_app.extensions[EXTENSION]
    return jobs


def attachment(name: str, ascii_name: str) -> str:
    """A Content-Disposition for a file with a Chinese name: the exact name as filename*, and an ASCII name of
    its own for clients that read only filename (werkzeug's fallback drops every Chinese character, which left
    every report of a cooperative with the same name)."""
    fallback = re.sub(r"[^A-Za-z0-9._-]+", "-", ascii_name).strip("-") or "report"
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


def builder_of(module: str, builder: str, suffix: str, subject: Any, year: int, **options: Any) -> Build:
    """What a worker runs: build a report in a read-only session of its own and return the file of the format."""
    engine, lang = database().engine, current_lang()
    kind, subject_id = (type(subject), subject.id) if subject is not None else (None, None)

    def build(folder: Path) -> Path:
        from reports.cli import read_only

        make = getattr(importlib.import_module(module), builder)
        with read_only(engine) as session:
            # Builders take (session, [subject,] year, out_dir, lang); the subject is read again in this session.
            subjects = [] if kind is None else [session.get_one(kind, subject_id)]
            paths: list[Path] = make(session, *subjects, year, folder, lang, **options)
        path = next((found for found in paths if found.suffix == f".{suffix}"), None)
        if path is None:
            raise CoopError("The report has no {format} file.", format=suffix.upper())
        return path

    return build


def report_options(report: str) -> dict[str, Any]:
    """The month, account and member a books report was asked for (404 for a month that is none)."""
    options: dict[str, Any] = {}
    for name in REPORT_OPTIONS.get(report, ()):
        value = request.form.get(name, "").strip()
        if not value:
            continue
        if name == "month":
            if not value.isdigit() or not 1 <= int(value) <= 12:
                abort(404)
            options[name] = int(value)
        elif name.endswith("_on"):  # a day: 2024-01-01
            try:
                options[name] = dt.date.fromisoformat(value)
            except ValueError:
                abort(404)
        elif len(value) > 20 or not value.isprintable():
            abort(404)
        else:
            options[name] = value
    return options


def job_owner() -> int:
    """The signed-in user, the only one who sees the reports they asked for.

    A scope without a user is the local administrator at the shell, who never reaches these pages: no one to
    build a report for, so no report.
    """
    user_id = current_scope().user_id
    if user_id is None:
        abort(403)
    return user_id


def _scoped_township(township_id: int | None) -> Township:
    """The township a township report names: 403 for a role that reads no township, 404 if not the user's."""
    scope = current_scope()
    if not scope.reads(Area.OVERSIGHT):
        abort(403)
    township = current_session().get(Township, township_id or 0)
    if township is None or not (scope.is_admin or township.id == scope.township_id):
        abort(404)
    return township


class ReportsPage(CoopPage):
    """Everyone may open the page; each request checks the cooperative or township it is about."""

    def is_visible(self) -> bool:
        return reports_available()

    @expose("/")
    def index(self) -> Any:
        session = current_session()
        scope = current_scope()
        cooperatives, cooperative = chosen_cooperative()
        year = request.args.get("year", type=int) or (latest_year(session, cooperative.id) if cooperative else 2024)
        townships: list[Township] = []
        if scope.is_admin:
            townships = list(session.scalars(select(Township).order_by(Township.name)))
        elif scope.township_id is not None:
            townships = [session.get_one(Township, scope.township_id)]
        return self.render(
            "coop/reports.html",
            available=reports_available(),
            cooperatives=cooperatives,
            cooperative=cooperative,
            year=year,
            townships=townships,
            cooperative_reports=COOPERATIVE_REPORTS,
            is_admin=scope.is_admin,
            jobs=report_jobs().of_owner(job_owner()),
        )

    @expose("/build", methods=("POST",))
    def build(self) -> Any:
        """Check the right to the report, queue it and show its job page."""
        if not reports_available():
            abort(404)
        report = request.form.get("report", "")
        suffix = request.form.get("format", "pdf")
        year = request.form.get("year", type=int)
        if suffix not in MIMETYPES or year is None or not 1990 <= year <= 2200:
            abort(404)
        scope = current_scope()
        back: int | None = None
        if report in COOPERATIVE_REPORTS:
            module, builder, formats, label = COOPERATIVE_REPORTS[report]
            if suffix not in formats:
                abort(404)
            cooperative = scoped_cooperative(request.form.get("cooperative", type=int))
            back, about, code = cooperative.id, cooperative.name, cooperative.credit_code
            options = report_options(report)
            about = " ".join(str(value) for value in (cooperative.name, *options.values()))
            if report == "contracts":  # the contract report takes the cooperative's credit code
                build = builder_of(module, builder, suffix, None, year, cooperative=cooperative.credit_code)
            else:
                build = builder_of(module, builder, suffix, cooperative, year, **options)
            code = "-".join(str(part) for part in (code, *options.values()))
        elif report == "township":
            township = _scoped_township(request.form.get("township", type=int))
            label, about = "Weak-village progress report", township.name
            code = township.region_code or str(township.id)
            build = builder_of("reports.township", "build_township_report", suffix, township, year)
        elif report == "township-statements":
            township = _scoped_township(request.form.get("township", type=int))
            options = report_options(report)
            label, about = "Statements roll-up", " ".join(str(part) for part in (township.name, *options.values()))
            code = "-".join(str(part) for part in (township.region_code or township.id, *options.values()))
            build = builder_of("reports.township_statements", "build_township_statements", suffix, township, year,
                               **options)  # fmt: skip
        elif report == "all-contracts":
            if not scope.is_admin:
                abort(403)  # every cooperative's contracts: administrators only
            label, about, code = "Contract fulfilment of every cooperative", "", "all"
            build = builder_of("reports.contracts", "build_contract_report", suffix, None, year)
        else:
            abort(404)
        title = " · ".join(part for part in (translate(label), about, str(year), suffix.upper()) if part)
        errors.return_to(url_for(".index", cooperative=back, year=year))  # e.g. too many reports waiting
        if report in PLAN_REPORTS:  # said on the page at once, not by a job that fails later
            lookups.live_distribution(current_session(), cooperative, year)
        job = report_jobs().submit(
            job_owner(), (report, suffix, code, year), title, f"{year}-{code}-{report}.{suffix}", build
        )
        return redirect(url_for(".job", job_id=job.id))

    @expose("/job/<job_id>")
    def job(self, job_id: str) -> Any:
        """A job's progress; the page reloads itself until the file is ready."""
        job = self._own_job(job_id)
        started = job.started_at or time.time()
        page = self.render(
            "coop/report_job.html",
            job=job,
            waiting=report_jobs().waiting_before(job) if job.state is JobState.QUEUED else 0,
            seconds=int((job.finished_at or time.time()) - started) if job.started_at else 0,
            error=error_text(job.error) if job.error is not None else None,
            refresh=None if job.finished else REFRESH_SECONDS,
        )
        response = Response(page)
        if not job.finished:
            response.headers["Refresh"] = str(REFRESH_SECONDS)  # plain HTML: no script needed to follow a job
        return response

    @expose("/job/<job_id>/file")
    def job_file(self, job_id: str) -> Any:
        """The finished report, to the user who asked for it."""
        job = self._own_job(job_id)
        if job.state is not JobState.DONE or job.path is None or not job.path.is_file():
            abort(404)
        suffix = job.path.suffix.lstrip(".")
        response = send_file(job.path, mimetype=MIMETYPES[suffix], as_attachment=True, download_name=job.path.name)
        response.headers["Content-Disposition"] = attachment(job.path.name, job.ascii_name)
        return response

    @staticmethod
    def _own_job(job_id: str) -> ReportJob:
        job = report_jobs().get(job_id, job_owner())
        if job is None:
            abort(404)  # unknown, forgotten, or another user's: the same answer
        return job
