"""Dates coopcore sets itself pass its own import: an exit recorded today ends at a year end still ahead."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from coopcore.models import Cooperative, Member
from coopcore.services import exits
from coopcore.services.imports import COOPERATIVE, export_workbook, run_import
from tests.workbook.builders import cooperative_code, valid_book, write_book

TODAY = dt.date(2025, 6, 30)


def test_an_exit_recorded_as_the_admin_does_survives_export_and_import(session: Session, tmp_path: Path) -> None:
    assert run_import(session, write_book(valid_book(1), tmp_path / "in.xlsx"), COOPERATIVE, today=TODAY).written
    coop_id = session.scalars(select(Cooperative.id).where(Cooperative.credit_code == cooperative_code(1))).one()
    member = session.scalars(select(Member).where(Member.cooperative_id == coop_id, Member.code == "M07")).one()
    ends_on = exits.apply_exit(session, member, TODAY)  # the admin's exit form: applied today
    session.flush()
    assert ends_on == dt.date(2025, 12, 31) > TODAY  # [L-25] membership ends at the year end
    path = tmp_path / "export.xlsx"

    export_workbook(session, cooperative_code(1), path)
    report = run_import(session, path, COOPERATIVE, today=TODAY)

    assert report.messages() == [] and report.written
    session.expire_all()
    assert session.scalar(select(Member.left_on).where(Member.id == member.id)) == dt.date(2025, 12, 31)
