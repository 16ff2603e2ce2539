"""Export of the books as the voucher sheets: importing it into the same books changes nothing, and into a fresh
database with the same cooperative and members gives identical books (all backends, the fresh one on SQLite)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from coopcore.models import Cooperative, VoucherOrigin
from coopcore.services import ledger
from coopcore.services.imports import export_vouchers
from tests.backends import scratch_engine
from tests.ledger.builders import PREPARER, cr, day, dr, make_books
from tests.workbook.voucher_books import (
    books_as_shown,
    counts,
    post_all,
    run,
    trial_rows,
    voucher_book,
    vouchers_of,
)

pytestmark = pytest.mark.backends


@pytest.fixture(scope="module")
def fresh_engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    with scratch_engine("sqlite", tmp_path_factory.mktemp("fresh"), "schema") as engine:
        yield engine


def keep_books(session: Session, tmp_path: Path) -> Cooperative:
    """Books that started 2024-07 from a workbook, posted, with a voucher typed by hand and detail accounts."""
    cooperative = make_books(session)
    assert run(session, voucher_book(tmp_path / "start.xlsx", cooperative)).messages() == []
    ledger.add_account(session, cooperative, "52101", "电费", "521")
    lines = [dr("52101", "230.00", project="冷库"), cr("101", "230.00")]
    typed = ledger.add_voucher(session, cooperative, on=day("2024-09-10"), summary="支付电费", lines=lines, by=PREPARER)
    typed.attachments = 1
    post_all(session, cooperative)
    return cooperative


def test_an_export_imported_into_the_same_books_changes_nothing(session: Session, tmp_path: Path) -> None:
    cooperative = keep_books(session, tmp_path)
    before = books_as_shown(session, cooperative)
    path = tmp_path / "export.xlsx"

    export_vouchers(session, cooperative.credit_code, 2024, path)
    report = run(session, path)

    assert report.messages() == []
    assert counts(report) == {"accounts": (0, 0, 3, 0), "opening": (0, 0, 1, 0), "vouchers": (0, 0, 4, 0)}
    assert books_as_shown(session, cooperative) == before
    sheet = load_workbook(path, read_only=True)["账套"]
    assert [cell.value for cell in next(sheet.iter_rows(min_row=2, max_row=2))][2] == "2024-07"


@pytest.mark.parametrize("year", [2024, 2025])
def test_an_export_imported_into_a_fresh_database_gives_the_same_trial_balance_and_voucher_lines(
    session: Session, tmp_path: Path, fresh_engine: Engine, year: int
) -> None:
    cooperative = keep_books(session, tmp_path)
    path = tmp_path / f"books-{year}.xlsx"
    export_vouchers(session, cooperative.credit_code, year, path)

    with fresh_engine.connect() as connection:
        outer = connection.begin()
        with Session(bind=connection, join_transaction_mode="create_savepoint") as fresh:
            twin = make_books(fresh)  # the same cooperative and members, in another database
            report = run(fresh, path)
            assert report.messages() == [] and report.written
            assert {v.prepared_by for v in vouchers_of(fresh, twin)} == {"workbook"}
            post_all(fresh, twin)

            assert trial_rows(fresh, twin, year) == trial_rows(session, cooperative, year)
            theirs = {key: shown for key, shown in books_as_shown(session, cooperative).items() if key[0] == year}
            assert books_as_shown(fresh, twin) == theirs
            [opening] = [v for v in vouchers_of(fresh, twin) if v.origin is VoucherOrigin.OPENING]
            assert opening.voucher_date == (day("2024-07-01") if year == 2024 else day("2025-01-01"))
        outer.rollback()
