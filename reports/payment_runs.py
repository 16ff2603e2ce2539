"""The files of a payment run (付款批次): the bank batch (代发) as XLSX and CSV, the cash list as PDF and XLSX.

The bank layout is the one banks commonly accept for 代发: columns 序号, 户名, 账号, 开户行, 金额, 用途, one row per
transfer of the run (笔: all the lines of one household, coopcore.rules.transfers; 序号 is the transfer's number, the
one `coop payments settle --returned` names), then a 合计 row (the lines' sum) and a 笔数 row (the transfers).
The cash list has a row per transfer too: the household signs once for all its money.
Account numbers are text: 19 digits or a leading zero survive (no 6.22848E+18, no 0 lost). No cell is a formula
(coopcore.services.safe_cells). The CSV is UTF-8 with a byte-order mark, so that Excel reads its Chinese, with CRLF
line ends; it carries the account numbers as the digits the bank's importer reads (a CSV has no types: look at the
XLSX, not the CSV opened in Excel). A run's lines and payees are frozen when it is chosen and the files carry no
time of writing, so exporting a run again gives the same bytes.

    coop report payment-run N --coop CREDIT_CODE --format xlsx|csv|cash|cash-xlsx --out FILE
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Iterator
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import click
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.workbook import Workbook
from reportlab.platypus import Flowable, Spacer
from sqlalchemy.orm import Session

from coopcore.commands.base import CREDIT_CODE, Context, pass_context
from coopcore.commands.payments import find_run
from coopcore.errors import InvalidValue
from coopcore.i18n import Lang
from coopcore.i18n.capitals import amount_in_capitals
from coopcore.models import PaymentRun
from coopcore.money import ZERO
from coopcore.rules.transfers import transfers
from coopcore.services.safe_cells import csv_text, text_cell
from reports import base, pdf, text, xlsx
from reports.cli import read_only

BANK_HEADERS = ("序号", "户名", "账号", "开户行", "金额", "用途")  # the bank's layout: Chinese whatever the language
TOTAL, COUNT = "合计", "笔数"
FORMATS = ("xlsx", "csv", "cash", "cash-xlsx")
CASH_ONLY = "Payment run {number} is paid by the bank: its files are xlsx and csv."
BANK_ONLY = "Payment run {number} is paid in cash: its files are cash (PDF) and cash-xlsx."
FIXED_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest a zip entry can carry: no time of writing in the file
SIGN_ROW = 26.0  # points: room to sign or press a thumb


def fen(amount: Decimal) -> Decimal:
    """An amount to the fen, half up, as the files carry it."""
    return amount.quantize(Decimal("0.01"), ROUND_HALF_UP)


def bank_rows(run: PaymentRun) -> Iterator[tuple[int, str, str, str, Decimal, str]]:
    """The run's transfers in the bank's layout: 序号, 户名, 账号, 开户行, 金额, 用途."""
    for transfer in transfers(run.lines):
        yield (transfer.number, transfer.payee_name, transfer.payee_account, transfer.payee_bank, fen(transfer.amount),
               run.purpose)  # fmt: skip


def total(run: PaymentRun) -> Decimal:
    return fen(sum((line.amount for line in run.lines), ZERO))


def write_bank_xlsx(run: PaymentRun, path: Path) -> Path:
    """The bank batch as a workbook: the header on row 1, a row per transfer, 合计 and 笔数 last."""
    book = xlsx.new_book()
    sheet = book.create_sheet("代发")
    for index, width in enumerate((6, 14, 24, 26, 14, 20), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    header = []
    for heading in BANK_HEADERS:
        cell = text_cell(sheet, heading)
        cell.font = Font(name=xlsx.FONT, bold=True)
        cell.alignment = Alignment(horizontal="center")
        header.append(cell)
    sheet.append(header)
    for line_no, name, account, bank, amount, purpose in bank_rows(run):
        sheet.append([line_no, text_cell(sheet, name), _text(sheet, account), text_cell(sheet, bank),
                      _amount(sheet, amount), text_cell(sheet, purpose)])  # fmt: skip
    sheet.append([text_cell(sheet, TOTAL), None, None, None, _amount(sheet, total(run)), None])
    sheet.append([text_cell(sheet, COUNT), len(transfers(run.lines)), None, None, None, None])
    return save(book, path, run.made_on)


def write_bank_csv(run: PaymentRun, path: Path) -> Path:
    """The bank batch as CSV: UTF-8 with a BOM, CRLF, the same rows as the workbook."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(BANK_HEADERS)
    for line_no, name, account, bank, amount, purpose in bank_rows(run):
        writer.writerow([line_no, csv_text(name), csv_text(account), csv_text(bank), f"{amount:f}", csv_text(purpose)])
    writer.writerow([TOTAL, "", "", "", f"{total(run):f}", ""])
    writer.writerow([COUNT, len(transfers(run.lines)), "", "", "", ""])
    path.write_bytes(buffer.getvalue().encode("utf-8-sig"))
    return path


def cash_columns(lang: Lang, width: float) -> list[pdf.Column]:
    """序号, 户名, 金额, 用途, 签字/按手印: the signature column takes what the others leave."""
    fixed = [
        pdf.Column(text.tr("Transfer no.", lang), 32, "count", xlsx_width=6),
        pdf.Column(text.tr("Payee", lang), 110, xlsx_width=16),
        pdf.Column(text.tr("Amount (yuan)", lang), 90, "money", total=True, xlsx_width=15),
        pdf.Column(text.tr("Purpose", lang), 120, xlsx_width=20),
    ]
    return [*fixed, pdf.Column(text.tr("Signature or thumbprint", lang), width - sum(c.width for c in fixed),
                               xlsx_width=24)]  # fmt: skip


def cash_rows(run: PaymentRun) -> Iterator[list[pdf.Cell]]:
    """A row per transfer: the household signs once for all its money in the run."""
    for transfer in transfers(run.lines):
        yield [transfer.number, transfer.payee_name, fen(transfer.amount), run.purpose, ""]


def cash_title(run: PaymentRun, lang: Lang) -> str:
    return text.tr("Cash payment list of payment run {number}", lang, number=run.number)


def write_cash_pdf(run: PaymentRun, path: Path, lang: Lang = "zh") -> Path:
    """The cash list on A4: a row per transfer to sign or thumbprint, the total and count, 制表 and 出纳 to sign."""
    title = cash_title(run, lang)
    # Dated the day the run was chosen (制表), not the day it is printed: printed again, it is the same file.
    letterhead = pdf.Letterhead(title, base.issuer(run.cooperative, lang), lang, generated_on=run.made_on)
    pdf.ReportDoc(path, letterhead).build_from(_cash_story(run, title, lang))
    return path


def _cash_story(run: PaymentRun, title: str, lang: Lang) -> Iterator[Flowable]:
    width, _ = pdf.frame_size(pdf.PORTRAIT)
    yield pdf.title(f"{run.cooperative.name}\n{title}")
    yield Spacer(1, 6)
    yield pdf.para(text.tr("Purpose: {purpose}. Listed on {day}.", lang, purpose=run.purpose,
                           day=text.day(run.made_on, lang)), 9.5)  # fmt: skip
    yield Spacer(1, 4)
    table = pdf.PagedTable(cash_columns(lang, width), lang, size=9.5, row_height=SIGN_ROW, header_height=20,
                           orientation=pdf.PORTRAIT)  # fmt: skip
    yield from table.flowables(cash_rows(run))
    yield Spacer(1, 6)
    paid = total(run)
    summary = text.tr("{count} payments, {amount} yuan in all ({capitals}).", lang, count=len(transfers(run.lines)),
                      amount=text.amount(paid, lang), capitals=amount_in_capitals(paid))  # fmt: skip
    yield pdf.para(summary, 9.5)
    yield Spacer(1, 10)
    yield pdf.signatures([text.tr("Prepared by", lang), text.tr("Cashier", lang)], width, lang)


def write_cash_xlsx(run: PaymentRun, path: Path, lang: Lang = "zh") -> Path:
    """The cash list as a workbook, for offices that print it from Excel."""
    book = xlsx.new_book()
    columns = cash_columns(lang, 500)
    caption = f"{run.cooperative.name} {cash_title(run, lang)}（{run.purpose}）"
    sheet = xlsx.Sheet(book, text.tr("cash list", lang), columns, caption, lang)
    for row in cash_rows(run):
        sheet.row(row)
    sheet.total_row()
    sheet.row([text.tr("Count", lang), len(transfers(run.lines)), None, None, None])
    return save(book, path, run.made_on)


def save(book: Workbook, path: Path, made_on: dt.date) -> Path:
    """Write a workbook that is the same bytes every time: its dates are the run's, its zip entries undated."""
    stamp = dt.datetime.combine(made_on, dt.time())
    book.properties.creator = "coopcore"
    book.properties.created = stamp
    buffer = io.BytesIO()
    book.save(buffer)  # openpyxl sets `modified` to now, and dates each zip entry now
    buffer.seek(0)
    with zipfile.ZipFile(buffer) as written, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as fixed:
        for entry in written.infolist():
            data = written.read(entry.filename)
            if entry.filename == "docProps/core.xml":
                data = _modified(data, stamp)
            fixed.writestr(zipfile.ZipInfo(entry.filename, date_time=FIXED_TIME), data, zipfile.ZIP_DEFLATED)
    return path


def _modified(core: bytes, stamp: dt.datetime) -> bytes:
    """docProps/core.xml with its dcterms:modified set to the run's day."""
    start = core.find(b"<dcterms:modified")
    end = core.find(b"</dcterms:modified>", start)
    if start < 0 or end < 0:
        return core
    opening = core[start : core.find(b">", start) + 1]
    return core[:start] + opening + stamp.strftime("%Y-%m-%dT%H:%M:%SZ").encode() + core[end:]


def write(run: PaymentRun, file_format: str, path: Path, lang: Lang) -> Path:
    """Write one of the run's files; a bank run has the bank's files, a cash run the cash list's."""
    bank = run.channel.value == "bank"
    if file_format in ("xlsx", "csv") and not bank:
        raise InvalidValue(BANK_ONLY, value=file_format, number=run.number)
    if file_format in ("cash", "cash-xlsx") and bank:
        raise InvalidValue(CASH_ONLY, value=file_format, number=run.number)
    path.parent.mkdir(parents=True, exist_ok=True)
    writers = {
        "xlsx": lambda: write_bank_xlsx(run, path),
        "csv": lambda: write_bank_csv(run, path),
        "cash": lambda: write_cash_pdf(run, path, lang),
        "cash-xlsx": lambda: write_cash_xlsx(run, path, lang),
    }
    return writers[file_format]()


def _text(sheet: object, value: str) -> object:
    cell = text_cell(sheet, value)  # type: ignore[arg-type]
    cell.number_format = "@"  # typed over in Excel, an account number stays text too
    return cell


def _amount(sheet: object, value: Decimal) -> object:
    cell = text_cell(sheet, value)  # type: ignore[arg-type]
    cell.number_format = "0.00"
    return cell


@click.command("payment-run")
@click.option("--coop", "credit_code", required=True, type=CREDIT_CODE, help="The cooperative.")
@click.argument("number", type=int)
@click.option(
    "--format",
    "file_format",
    type=click.Choice(FORMATS),
    required=True,
    help="xlsx or csv: the bank batch (代发); cash: the cash list (PDF); cash-xlsx: the cash list as XLSX.",
)
# An explicit placeholder: click names a Path type in the language of whoever imported it first.
@click.option("--out", "out", type=click.Path(dir_okay=False, path_type=Path), required=True, metavar="FILE",
              help="File to write.")  # fmt: skip
@pass_context
def command(context: Context, credit_code: str, number: int, file_format: str, out: Path) -> None:
    """Write a payment run's file: the bank batch (XLSX, CSV) or the cash list (PDF, XLSX)."""
    with read_only(context.engine) as session:
        path = export(session, credit_code, number, file_format, out, context.lang)
    context.say("Written: {path}", path=str(path))


def export(session: Session, credit_code: str, number: int, file_format: str, out: Path, lang: Lang) -> Path:
    """Write the file of the cooperative's run `number`."""
    run = find_run(session, credit_code, number)
    return write(run, file_format, out, lang)
