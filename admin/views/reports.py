# mypy: allow-subclassing-any, allow-untyped-decorators
"""Report downloads: the `reports` package's PDFs and workbooks, built on request in a read-only session.

A cooperative's reports (distribution report, dividend slips, publicity notice, member accounts, contracts) for
whoever may read the cooperative; a township's weak-village report for its officials and administrators; the
contract report of every cooperative for administrators only. The package is imported on first use: it brings
matplotlib and reportlab, which the rest of the admin does not need.
"""

from __future__ import annotations

import importlib
import shutil
import tempfile
from io import BytesIO
from pathlib import Path
from typing import Any

from flask import abort, flash, redirect, request, send_file, url_for
from flask_admin import expose  # type: ignore[import-untyped]
from sqlalchemy import select

from admin.access import Area, current_scope
from admin.database import current_session, database
from admin.glance import latest_year
from admin.i18n import current_lang, error_text
from admin.views.base import CoopPage
from admin.views.distribution import scoped_cooperative
from coopcore.errors import CoopError
from coopcore.models import Cooperative, Township

# Report → (module, builder, the formats it writes, English label).
COOPERATIVE_REPORTS = {
    "distribution": ("reports.distribution", "build_distribution_report", ("pdf", "xlsx"), "Distribution report"),
    "slips": ("reports.slips", "build_dividend_slips", ("pdf",), "Dividend slips"),
    "notice": ("reports.notice", "build_publicity_notice", ("pdf",), "Publicity notice"),
    "accounts": ("reports.accounts", "build_member_accounts", ("pdf", "xlsx"), "Member accounts"),
    "contracts": ("reports.contracts", "build_contract_report", ("pdf", "xlsx"), "Contract fulfilment"),
}
MIMETYPES = {"pdf": "application/pdf", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def reports_available() -> bool:
    """True when the `reports` package and its libraries can be imported."""
    try:
        importlib.import_module("reports.cli")
    except ImportError:
        return False
    return True


class ReportsPage(CoopPage):
    """Everyone may open the page; each download checks the cooperative or township it is about."""

    def is_visible(self) -> bool:
        return reports_available()

    @expose("/")
    def index(self) -> Any:
        session = current_session()
        scope = current_scope()
        cooperatives = session.scalars(
            select(Cooperative).where(scope.cooperatives(Cooperative.id)).order_by(Cooperative.name)
        ).all()
        chosen = request.args.get("cooperative", type=int) or (cooperatives[0].id if cooperatives else None)
        cooperative = scoped_cooperative(chosen) if chosen else None
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
        )

    @expose("/file")
    def download(self) -> Any:
        if not reports_available():
            abort(404)
        report = request.args.get("report", "")
        suffix = request.args.get("format", "pdf")
        year = request.args.get("year", type=int)
        if suffix not in MIMETYPES or year is None or not 1990 <= year <= 2200:
            abort(404)
        scope = current_scope()
        if report in COOPERATIVE_REPORTS:
            module, builder, formats, _label = COOPERATIVE_REPORTS[report]
            if suffix not in formats:
                abort(404)
            cooperative = scoped_cooperative(request.args.get("cooperative", type=int))
            if report == "contracts":  # the contract report takes the cooperative's credit code
                return self._build(module, builder, suffix, None, year, cooperative=cooperative.credit_code)
            return self._build(module, builder, suffix, cooperative, year)
        if report == "township":
            if not scope.reads(Area.OVERSIGHT):
                abort(403)
            township = current_session().get(Township, request.args.get("township", type=int) or 0)
            if township is None or not (scope.is_admin or township.id == scope.township_id):
                abort(404)
            return self._build("reports.township", "build_township_report", suffix, township, year)
        if report == "all-contracts":
            if not scope.is_admin:
                abort(403)  # every cooperative's contracts: administrators only
            return self._build("reports.contracts", "build_contract_report", suffix, None, year)
        abort(404)

    def _build(self, module: str, builder: str, suffix: str, subject: Any, year: int, **options: Any) -> Any:
        """Build a report into a scratch folder in a read-only session and send the file of the wanted format."""
        from reports.cli import read_only

        build = getattr(importlib.import_module(module), builder)
        folder = Path(tempfile.mkdtemp(prefix="coop-report-"))
        try:
            with read_only(database().engine) as session:
                # Builders take (session, [subject,] year, out_dir, lang); the subject is read again in their session.
                subjects = [] if subject is None else [session.get_one(type(subject), subject.id)]
                paths = build(session, *subjects, year, folder, current_lang(), **options)
            path = next((found for found in paths if found.suffix == f".{suffix}"), None)
            if path is None:
                abort(404)
            data = path.read_bytes()
        except CoopError as error:
            flash(error_text(error), "error")
            back = subject.id if isinstance(subject, Cooperative) else None
            return redirect(url_for(".index", cooperative=back, year=year))
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        return send_file(BytesIO(data), mimetype=MIMETYPES[suffix], as_attachment=True, download_name=path.name)
