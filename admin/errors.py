"""The one place where the admin turns coopcore's refusals (CoopError) into what the user sees.

A refusal is rolled back (nothing half-written) and shown in the reader's language: a change sent by a form goes
back where it came from with the reason flashed above it; a page that cannot be shown says why instead.

Three paths lead here. A view lets the error rise and the app's handler (`init_errors`) answers; a view that
knows where its user should land says so first with `return_to` (the buttons of the distribution and exit pages,
through CoopPage.run_step; model-list actions, which Flask-Admin does not pass to handle_view_exception).
Flask-Admin's own create, edit and delete catch errors themselves and ask the view's handle_view_exception,
which flashes with `flash_refusal` and shows the form again with what the user typed.
"""

from __future__ import annotations

from flask import Flask, flash, g, redirect, render_template, request
from flask.typing import ResponseReturnValue
from flask_admin.helpers import is_safe_url
from sqlalchemy.orm.exc import StaleDataError

from admin.database import database
from admin.i18n import error_text
from coopcore.errors import ConcurrentChange, CoopError, NotFound, RuleViolation

BACK = "coop_refusal_back"  # in flask.g: where a refusal during this request sends the user


def refusal_of(error: BaseException) -> CoopError | None:
    """The coopcore error an exception means to the user, if it means one."""
    if isinstance(error, StaleDataError):
        return ConcurrentChange()  # someone else saved the record since this form was opened
    return error if isinstance(error, CoopError) else None


def flash_refusal(error: CoopError) -> None:
    """Show why coopcore refused, in the reader's language, above the next page."""
    flash(error_text(error), "error")


def return_to(url: str) -> None:
    """Where a refusal during this request sends the user back to, with its reason flashed."""
    setattr(g, BACK, url)


def status_of(error: CoopError) -> int:
    """The HTTP status of a page that a refusal keeps from being shown."""
    if isinstance(error, NotFound):
        return 404
    return 409 if isinstance(error, RuleViolation) else 400


def refused(error: Exception) -> ResponseReturnValue:
    """The app's handler of a refusal no view caught: roll back, then go back with the reason, or show it."""
    refusal = refusal_of(error)
    if refusal is None:  # registered for these types only; anything else is not ours to answer
        raise error
    database().session.rollback()
    back = g.get(BACK)
    if back is None and request.method == "POST" and request.referrer and is_safe_url(request.referrer):
        back = request.referrer  # the page whose form was sent
    if back is not None:
        flash_refusal(refusal)
        return redirect(back)
    status = status_of(refusal)
    return render_template("coop/error.html", code=status, message=error_text(refusal)), status


def init_errors(app: Flask) -> None:
    """Answer every refusal that reaches the app in one way (see the module's docstring)."""
    app.register_error_handler(CoopError, refused)
    app.register_error_handler(StaleDataError, refused)
