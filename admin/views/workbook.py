# mypy: allow-subclassing-any, allow-untyped-decorators
"""Workbook upload: a dry run lists every problem (sheet, row, column); only a clean workbook can be applied.

The uploaded file waits in the instance folder under a random name remembered in the uploader's session, so
"apply" imports exactly what was checked, and only by who checked it. The import service checks it again.
"""

from __future__ import annotations

import secrets
import tempfile
from io import BytesIO
from pathlib import Path
from typing import Any

from flask import abort, current_app, flash, redirect, request, send_file, session, url_for
from flask_admin import expose
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from sqlalchemy import select
from wtforms import BooleanField

from admin import errors
from admin.access import current_scope
from admin.database import database
from admin.i18n import _, current_lang, lazy
from admin.views.base import CoopPage
from admin.views.distribution import scoped_cooperative
from coopcore.i18n import Lang
from coopcore.models import Cooperative
from coopcore.services import imports, lookups
from coopcore.services.imports import ImportReport
from coopcore.services.workbook import sandbox

UPLOAD_KEY = "coop_upload"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class UploadForm(FlaskForm):
    workbook = FileField(lazy("Workbook (.xlsx)"), [FileRequired(), FileAllowed(["xlsx"], lazy("Only .xlsx files."))])
    # Rows written after the workbook was exported block the import unless the accountant replaces them on purpose.
    replace_newer = BooleanField(
        lazy("Replace newer rows: remove or change, on purpose, rows written after the workbook was exported")
    )


class ApplyForm(FlaskForm):
    pass


def upload_dir() -> Path:
    folder = Path(current_app.instance_path) / "uploads"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _pending() -> tuple[Path, str | None, bool] | None:
    """The checked workbook waiting to be applied, the credit code it was checked for, and whether it replaces
    newer rows (as it was checked)."""
    pending = session.get(UPLOAD_KEY)
    if not isinstance(pending, dict):
        return None
    token = pending.get("token")
    if not isinstance(token, str) or not token.isalnum():
        return None
    path = upload_dir() / f"{token}.xlsx"
    return (path, pending.get("credit_code"), pending.get("replace_newer") is True) if path.exists() else None


class WorkbookPage(CoopPage):
    """Accountants and administrators upload; everyone who reads a cooperative may download its workbook."""

    @expose("/")
    def index(self) -> Any:
        return self._page(UploadForm(), None)

    def _page(
        self, form: UploadForm, report: ImportReport | None, applied: bool = False, refusal: str | None = None
    ) -> Any:
        scope = current_scope()
        cooperatives = (
            database()
            .session.scalars(select(Cooperative).where(scope.cooperatives(Cooperative.id)).order_by(Cooperative.name))
            .all()
        )
        return self.render(
            "coop/workbook.html",
            form=form,
            apply_form=ApplyForm(),
            report=report,
            applied=applied,
            refusal=refusal,
            lang=current_lang(),
            may_write=scope.writes(self.area),
            cooperatives=cooperatives,
        )

    def _check_reach(self, credit_code: str | None) -> None:
        """An accountant imports only into their own cooperatives; only an administrator adds a new one."""
        if _refusal(credit_code) is not None:
            abort(403)

    @expose("/check", methods=["POST"])
    def check(self) -> Any:
        self.require_write()
        form = UploadForm()
        if not form.validate_on_submit():
            return self._page(form, None), 400
        replace_newer = bool(form.replace_newer.data)
        old = _pending()
        if old is not None:
            old[0].unlink(missing_ok=True)
        token = secrets.token_hex(16)
        path = upload_dir() / f"{token}.xlsx"
        form.workbook.data.save(path)
        # Read once in a child process under limits: a file that crashes or exhausts it is refused, the server stays.
        memory = current_app.config.get("COOP_UPLOAD_CHECK_MEMORY", sandbox.MEMORY_BYTES)
        refused = sandbox.read_in_child(path, memory_bytes=memory)
        db = database().session
        errors.return_to(url_for(".index"))  # a workbook refused as a whole: back to the upload form, reason shown
        kept = False  # the upload stays only while it waits to be applied
        try:
            if refused:
                report = ImportReport(imports.COOPERATIVE, refused, lang=current_lang(), dry_run=True)
            else:
                report = imports.run_import(
                    db(),
                    path,
                    imports.COOPERATIVE,
                    dry_run=True,
                    lang=current_lang(),
                    actor=current_scope(),
                    replace_newer=replace_newer,
                )
            db.rollback()  # a dry run writes nothing; make sure of it
            refusal = _refusal(report.credit_code)
            if refusal is not None:
                # Nothing can be imported, but the user is told why and who can change that.
                session.pop(UPLOAD_KEY, None)
                reason, problems_shown = refusal
                return self._page(UploadForm(), report if problems_shown else None, refusal=reason), 403
            if report.blocking:
                session.pop(UPLOAD_KEY, None)
            else:
                session[UPLOAD_KEY] = {
                    "token": token,
                    "credit_code": report.credit_code,
                    "replace_newer": replace_newer,
                }
                kept = True
            return self._page(UploadForm(), report)
        finally:
            if not kept:
                path.unlink(missing_ok=True)

    @expose("/apply", methods=["POST"])
    def apply(self) -> Any:
        self.require_write()
        if not ApplyForm().validate_on_submit():
            abort(400)
        pending = _pending()
        if pending is None:
            flash(_("Upload and check the workbook first."), "error")
            return redirect(url_for(".index"))
        path, credit_code, replace_newer = pending
        self._check_reach(credit_code)
        db = database().session
        errors.return_to(url_for(".index"))
        try:
            report = imports.run_import(
                db(),
                path,
                imports.COOPERATIVE,
                lang=current_lang(),
                actor=current_scope(),
                replace_newer=replace_newer,
            )
            if report.credit_code != credit_code:
                abort(400)  # not the workbook that was checked
            if report.written:
                db.commit()
                flash(
                    _(
                        "Imported {credit_code}: {created} created, {updated} updated.",
                        credit_code=report.credit_code,
                        created=report.created,
                        updated=report.updated,
                    ),
                    "success",
                )
            else:
                db.rollback()
        finally:
            path.unlink(missing_ok=True)
            session.pop(UPLOAD_KEY, None)
        return self._page(UploadForm(), report, applied=report.written)

    @expose("/template.xlsx")
    def template(self) -> Any:
        lang: Lang = "en" if request.args.get("lang") == "en" else "zh"
        with tempfile.NamedTemporaryFile(suffix=".xlsx", delete=False) as handle:
            path = Path(handle.name)
        imports.write_template(path, imports.COOPERATIVE, lang)
        name = "合作社导入模板.xlsx" if lang == "zh" else "cooperative-template.xlsx"
        return _send_and_delete(path, name)

    @expose("/export")
    def export(self) -> Any:
        cooperative = scoped_cooperative(request.args.get("cooperative", type=int))
        with tempfile.NamedTemporaryFile(suffix=".xlsx", delete=False) as handle:
            path = Path(handle.name)
        imports.export_workbook(database().session(), cooperative.credit_code, path, lang=current_lang())
        return _send_and_delete(path, f"{cooperative.name}.xlsx")


def _refusal(credit_code: str | None) -> tuple[str, bool] | None:
    """Why the user may not import a workbook of this cooperative and whether its problems may be shown; None if ok.

    The problems of a cooperative not created yet come from the workbook alone; those of another user's
    cooperative compare the workbook with its stored records, which this user may not read.
    """
    if credit_code is None:
        return None
    cooperative = lookups.cooperative_by_code_or_none(database().session(), credit_code)
    scope = current_scope()
    if cooperative is None:
        if scope.is_admin:
            return None
        text = _(
            "The cooperative {credit_code} is not created yet: only an administrator can create it. Ask the"
            " administrator to create it and assign it to you, then check the workbook again.",
            credit_code=credit_code,
        )
        return text, True
    if scope.has_cooperative(cooperative.id):
        return None
    text = _(
        "The cooperative {credit_code} is not assigned to you: ask the administrator to assign it to your account,"
        " then check the workbook again to see its problems.",
        credit_code=credit_code,
    )
    return text, False


def _send_and_delete(path: Path, name: str) -> Any:
    data = path.read_bytes()
    path.unlink(missing_ok=True)
    return send_file(BytesIO(data), mimetype=XLSX, as_attachment=True, download_name=name)
