"""`coop admin`'s waitress settings: one user browsing the admin in Chromium logs no "Task queue depth" warning."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page

from admin.command import make_server
from tests.admin.conftest import make_app
from tests.backends import copy_of
from tests.browser.conftest import sign_in

PAGES = ["/admin/", "/admin/member/", "/admin/trade/", "/admin/reports/", "/admin/distribution/", "/admin/audit/"]


@pytest.fixture
def waitress_admin(demo_file: Path, tmp_path: Path) -> Iterator[str]:
    """The admin served the way `coop admin` serves it: waitress with the command's settings."""
    app = make_app(copy_of(demo_file, tmp_path), tmp_path)
    server = make_server(app, host="127.0.0.1", port=0)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.effective_port}"
    server.close()


def test_a_user_browsing_the_admin_through_waitress_logs_no_queue_warning(
    waitress_admin: str, page: Page, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="waitress")
    sign_in(page, waitress_admin, "accountant")
    for _ in range(2):
        for path in PAGES:
            page.goto(f"{waitress_admin}{path}")
            page.wait_for_load_state("networkidle")
    warnings = [record.getMessage() for record in caplog.records if record.levelno >= logging.WARNING]
    assert not [text for text in warnings if "Task queue depth" in text], warnings
