"""`coop payments …`: a payment run from choosing to settling with one returned transfer (a household's lines, one
row of the file), its files for the bank and the cash list, and a settlement that fails half-way leaving nothing
recorded (issue #17)."""

from __future__ import annotations

import csv
import io
import sqlite3
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import select
from sqlalchemy.orm import Session

from coopcore.db.engine import make_engine
from coopcore.models import Cooperative, PaymentRun, Voucher, VoucherLine
from coopcore.services.ledger.books import entry_lines
from coopcore.services.ledger.payment_run_events import PAYMENT_RUNS
from coopcore.services.payouts import runs
from tests.backends import sqlite_copy
from tests.cli.conftest import coop, run
from tests.payouts.builders import ACCOUNTS, make_owing
from tests.reports.conftest import pdf_text

D = Decimal


@pytest.fixture
def owing(tmp_path: Path) -> tuple[str, str]:
    """A SQLite database holding tests.payouts.builders' cooperative, committed: its URL and credit code."""
    url = sqlite_copy("schema", tmp_path)
    engine = make_engine(url)
    with Session(engine) as session, session.begin():
        cooperative, _ = make_owing(session)
        code = cooperative.credit_code
    engine.dispose()
    return url, code


def read(url: str, code: str, number: int) -> tuple[PaymentRun, list[Voucher]]:
    """The run as stored, and the vouchers it booked."""
    engine = make_engine(url)
    with Session(engine) as session:
        cooperative = session.scalars(select(Cooperative).where(Cooperative.credit_code == code)).one()
        found = session.scalars(select(PaymentRun).where(PaymentRun.cooperative_id == cooperative.id,
                                                          PaymentRun.number == number)).one()  # fmt: skip
        _ = [(line.member.code, line.result) for line in found.lines]
        vouchers = session.scalars(select(Voucher).where(Voucher.source_ref == PAYMENT_RUNS.ref(found.id))).all()
        session.expunge_all()
    engine.dispose()
    return found, list(vouchers)


def bank_credit(url: str, voucher: Voucher) -> Decimal:
    engine = make_engine(url)
    with Session(engine) as session:
        lines = entry_lines(session, session.get(Voucher, voucher.id))  # type: ignore[arg-type]
    engine.dispose()
    return sum((line.credit for line in lines if line.account == "102"), D(0))


def test_a_bank_run_from_choosing_to_settling_with_one_returned_transfer(
    owing: tuple[str, str], tmp_path: Path
) -> None:
    url, code = owing
    chose = run("--db", url, "payments", "choose", "--coop", code, "--kinds", "returns,residual", "--channel", "bank",
                "--purpose", "2024年分红", "--on", "2025-04-01")  # fmt: skip
    assert chose.returncode == 0, chose.stderr
    # Eleven lines, six households: six transfers, the rows of the bank's file.
    assert "付款批次 1 已选定：共 6 笔（11 项款项）" in chose.stdout and "6217000010012345678" in chose.stdout
    assert "序号" in chose.stdout and "本笔金额" in chose.stdout and "30,765.90" in chose.stdout  # M02's transfer
    listed = run("--db", url, "payments", "list", "--coop", code)
    assert "2024年分红" in listed.stdout and "已选定" in listed.stdout and "银行代发" in listed.stdout

    files = {}
    for file_format, name in (("xlsx", "a.xlsx"), ("csv", "a.csv"), ("xlsx", "b.xlsx"), ("csv", "b.csv")):
        written = run("--db", url, "report", "payment-run", "1", "--coop", code, "--format", file_format,
                      "--out", str(tmp_path / name))  # fmt: skip
        assert written.returncode == 0, written.stderr
        files[name] = (tmp_path / name).read_bytes()
    assert files["a.xlsx"] == files["b.xlsx"] and files["a.csv"] == files["b.csv"]  # re-exported: the same bytes
    refused = run("--db", url, "report", "payment-run", "1", "--coop", code, "--format", "cash", "--out",
                  str(tmp_path / "c.pdf"))  # fmt: skip
    assert refused.returncode == 2 and "银行代发" in refused.stderr

    sheet = load_workbook(tmp_path / "a.xlsx").active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0] == ["序号", "户名", "账号", "开户行", "金额", "用途"]
    m03 = next(row for row in rows[1:-2] if row[1] == "李秀英")
    assert m03[2] == ACCOUNTS["M03"][0] and sheet.cell(row=rows.index(m03) + 1, column=3).data_type == "s"
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    body = rows[1:-2]
    assert rows[-2][0] == "合计" and D(str(rows[-2][4])) == sum((D(str(row[4])) for row in body), D(0))
    assert rows[-1][:2] == ["笔数", len(body)] == ["笔数", 6]
    assert [row[0] for row in body] == [1, 2, 3, 4, 5, 6] and len({row[2] for row in body}) == 6  # one row a card
    assert D(str(body[1][4])) == D("30765.90")  # M02: its returns and residual in one transfer
    text = files["a.csv"].decode("utf-8")
    assert text.startswith("\ufeff序号,户名,账号,开户行,金额,用途\r\n")
    table = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert table[1:-2] == [[str(row[0]), row[1], row[2], row[3], f"{D(str(row[4])):.2f}", row[5]] for row in body]
    file_total = D(table[-2][4])

    assert run("--db", url, "payments", "sent", "1", "--coop", code, "--on", "2025-04-02").returncode == 0
    for returned, message in (("7=账号不存在", "付款批次 1 的文件中没有序号 7：其序号为 1 至 6。"),
                              ("2= ", "付款批次 1 文件中序号为 2 的一笔被退回：请填写退回原因"),
                              ("王建国=账号不存在", "请写成 3=账号不存在（文件中的序号=银行退回原因）")):  # fmt: skip
        refused = run("--db", url, "payments", "settle", "1", "--coop", code, "--on", "2025-04-08",
                      "--returned", returned)  # fmt: skip
        assert refused.returncode == 2 and message in refused.stderr, refused.stderr
    settled = run("--db", url, "payments", "settle", "1", "--coop", code, "--on", "2025-04-08",
                  "--returned", "2=账号不存在")  # fmt: skip
    assert settled.returncode == 0, settled.stderr
    assert "付款批次 1 已确认结果" in settled.stdout and "退回 ¥30,765.90" in settled.stdout
    stored, vouchers = read(url, code, 1)
    assert [line.member.code for line in stored.lines if line.result.value == "returned"] == ["M02", "M02"]
    (voucher,) = vouchers
    returned = D(table[2][4])
    assert bank_credit(url, voucher) == file_total - returned  # the file's total less the returned row
    shown = run("--db", url, "payments", "show", "1", "--coop", code)
    assert shown.stdout.count("已退回：账号不存在") == 1 and "已确认结果" in shown.stdout  # once for its transfer

    # M02's returned returns and residual go into the next run, paid in cash against one signature.
    again = run("--db", url, "payments", "choose", "--coop", code, "--kinds", "returns,residual", "--channel",
                "cash", "--purpose", "2024年分红（补发）", "--on", "2025-04-08")  # fmt: skip
    assert again.returncode == 0 and "付款批次 2 已选定：共 1 笔（2 项款项）" in again.stdout, again.stderr
    pdfs = []
    for name in ("cash-a.pdf", "cash-b.pdf"):
        assert run("--db", url, "report", "payment-run", "2", "--coop", code, "--format", "cash",
                   "--out", str(tmp_path / name)).returncode == 0  # fmt: skip
        pdfs.append((tmp_path / name).read_bytes())
    assert pdfs[0] == pdfs[1]
    page = pdf_text(tmp_path / "cash-a.pdf")
    for word in (
        "现金发放签领表",
        "序号",
        "户名",
        "金额",
        "用途",
        "签字/按手印",
        "制表",
        "出纳",
        "30,765.90",
        "王建国",
    ):
        assert word in page, word
    assert page.count("王建国") == 1 and "共 1 笔" in page  # the household signs once
    for name in ("cash-a.xlsx", "cash-b.xlsx"):
        assert run("--db", url, "report", "payment-run", "2", "--coop", code, "--format", "cash-xlsx",
                   "--out", str(tmp_path / name)).returncode == 0  # fmt: skip
    assert (tmp_path / "cash-a.xlsx").read_bytes() == (tmp_path / "cash-b.xlsx").read_bytes()
    paid = run("--db", url, "payments", "settle", "2", "--coop", code, "--on", "2025-04-09")
    assert paid.returncode == 0, paid.stderr
    twice = run("--db", url, "payments", "settle", "2", "--coop", code, "--on", "2025-04-09")
    assert twice.returncode == 2 and "不能确认结果" in twice.stderr
    old_path = run("--db", url, "distribution", "pay", "--coop", code, "--year", "2024", "--on", "2025-04-10")
    assert old_path.returncode == 2 and "已" in old_path.stderr  # paid: the old path has nothing left to pay


def test_the_old_path_refuses_a_member_a_pending_run_pays(owing: tuple[str, str]) -> None:
    url, code = owing
    assert run("--db", url, "payments", "choose", "--coop", code, "--kinds", "returns", "--channel", "bank",
               "--purpose", "2024年分红", "--on", "2025-04-01", "--members", "M02,M03").returncode == 0  # fmt: skip
    refused = run("--db", url, "distribution", "pay", "--coop", code, "--year", "2024", "--on", "2025-04-02",
                  "--member", "M02")  # fmt: skip
    assert refused.returncode == 2 and "M02 正由付款批次 1 支付" in refused.stderr, refused.stderr
    no_account = run("--db", url, "payments", "settle", "1", "--coop", code, "--on", "2025-04-08")
    assert no_account.returncode == 2 and "状态为“已选定”" in no_account.stderr  # a bank run is sent first


def test_a_settlement_that_fails_after_its_first_writes_leaves_nothing_recorded(
    owing: tuple[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    url, code = owing
    assert run("--db", url, "payments", "choose", "--coop", code, "--kinds", "returns,rent", "--channel", "cash",
               "--purpose", "分红及租金", "--on", "2025-04-01").returncode == 0  # fmt: skip

    def broken(*args: object, **kwargs: object) -> int:
        raise RuntimeError("the process dies here, after the lines and the distribution were written")

    monkeypatch.setattr(runs, "sync_events", broken)
    with pytest.raises(RuntimeError):
        run("--db", url, "payments", "settle", "1", "--coop", code, "--on", "2025-04-08", "--returned", "1=未到场")
    monkeypatch.undo()
    stored, vouchers = read(url, code, 1)
    assert stored.state.value == "draft" and {line.result.value for line in stored.lines} == {"pending"}
    assert all(line.claim for line in stored.lines) and vouchers == []

    # SQLite lets the settlement write but not commit while another program reads: the commit fails, whole.
    path = url.removeprefix("sqlite:///")
    reader = sqlite3.connect(path, isolation_level=None)
    try:
        reader.execute("BEGIN")
        reader.execute("SELECT count(*) FROM payment_run").fetchone()
        failed = coop("--db", url, "payments", "settle", "1", "--coop", code, "--on", "2025-04-08")
        reader.execute("ROLLBACK")
    finally:
        reader.close()
    assert failed.returncode == 2 and "已确认结果" not in failed.stdout, failed.stderr
    stored, vouchers = read(url, code, 1)
    assert stored.state.value == "draft" and vouchers == []
    engine = make_engine(url)
    with Session(engine) as session:
        assert session.scalar(select(VoucherLine.id).where(VoucherLine.summary.like("付款批次%"))) is None
    engine.dispose()
    assert run("--db", url, "payments", "settle", "1", "--coop", code, "--on", "2025-04-08").returncode == 0


def test_choosing_a_bank_run_names_the_households_whose_cards_were_not_checked(owing: tuple[str, str]) -> None:
    url, code = owing
    account, bank, holder = ACCOUNTS["M02"]
    checked = run("--db", url, "members", "payee", "--coop", code, "--member", "M02", "--bank", bank, "--account",
                  account, "--passbook", "--name", holder, "--checked-on", "2025-03-01")  # fmt: skip
    assert checked.returncode == 0, checked.stderr
    chose = run("--db", url, "payments", "choose", "--coop", code, "--kinds", "returns", "--channel", "bank",
                "--purpose", "2024年分红", "--on", "2025-04-01")  # fmt: skip
    assert chose.returncode == 0, chose.stderr
    said = "".join(chose.stdout.split())
    assert "以下各户的收款账户尚未对照银行卡或存折核对：M03李秀英、M04张立新" in said
    warned = said[said.index("以下各户") :]
    assert "M02" not in warned  # checked against the card: not named
    cash = run("--db", url, "payments", "choose", "--coop", code, "--kinds", "residual", "--channel", "cash",
               "--purpose", "2024年剩余盈余", "--on", "2025-04-01")  # fmt: skip
    assert cash.returncode == 0 and "以下各户" not in cash.stdout  # a household signs for cash: no card to check
