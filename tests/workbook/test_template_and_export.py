"""The template's example rows imported, and the demo data set exported and imported again into an identical
database (the template's sheets: tests/unit/test_workbook_template.py)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from coopcore.models import Cooperative
from coopcore.rules import membership
from coopcore.services.imports import COOPERATIVE, export_workbook, run_import, write_template
from tests.backends import backend_of, scratch_engine
from tests.workbook.dump import dump_cooperative

TODAY = dt.date(2025, 6, 30)


def test_the_template_example_rows_are_valid_input(session: Session, tmp_path: Path) -> None:
    path = tmp_path / "template.xlsx"
    write_template(path, COOPERATIVE, "zh")

    report = run_import(session, path, COOPERATIVE, dry_run=True, today=TODAY)

    # One example member cannot found a cooperative; every cell and row of the examples is fine.
    assert {p.template for p in report.problems} == {membership.FOUNDERS, membership.INDIVIDUAL_CAP}
    assert all(counts.created == 1 for counts in report.counts.values())


def _demo_codes(session: Session) -> list[str]:
    # Member cooperatives first: a federation links to its members by their credit codes.
    query = select(Cooperative.credit_code).where(Cooperative.is_demo.is_(True))
    return list(session.scalars(query.order_by(Cooperative.is_federation, Cooperative.id)))


def test_the_demo_data_set_exports_and_imports_into_an_identical_database(
    demo_session: Session, tmp_path: Path
) -> None:
    session = demo_session
    codes = _demo_codes(session)
    expected = {}
    for code in codes:
        export_workbook(session, code, tmp_path / f"{code}.xlsx")
        expected[code] = dump_cooperative(session, code)

    backend = backend_of(session.get_bind())
    with scratch_engine(backend, tmp_path, "schema") as other, Session(other) as fresh, fresh.begin():
        for code in codes:
            report = run_import(fresh, tmp_path / f"{code}.xlsx", COOPERATIVE, today=TODAY)
            assert report.written and not report.errors, report.messages()
        for code in codes:
            assert dump_cooperative(fresh, code) == expected[code], code
    assert len(codes) == 24


def test_an_export_imported_into_its_own_database_changes_nothing(demo_session: Session, tmp_path: Path) -> None:
    session = demo_session
    code = _demo_codes(session)[11]  # 晨靓, the largest, with land shares
    before = dump_cooperative(session, code)
    export_workbook(session, code, tmp_path / "chenliang.xlsx")

    report = run_import(session, tmp_path / "chenliang.xlsx", COOPERATIVE, today=TODAY)

    assert report.written
    assert (report.created, report.updated) == (0, 0)
    assert all(counts.removed == 0 for counts in report.counts.values())
    assert dump_cooperative(session, code) == before
