"""Vouchers (记账凭证) printed two to a page in the customary form, and every line in a workbook."""

from __future__ import annotations

import re
import subprocess
from decimal import Decimal
from pathlib import Path

import openpyxl
from PIL import Image
from sqlalchemy.orm import Session

from coopcore.db.engine import make_engine
from reports.cli import guard
from reports.vouchers import build_vouchers
from tests.backends import sqlite_copy
from tests.cli.conftest import COOP
from tests.reports.books import make_books
from tests.reports.conftest import page_pictures, pdf_text, yuan

D = Decimal


def page_text(path: Path, page: int) -> str:
    """One page's text in reading order, spaces and line breaks taken out (titles are spaced, cells wrap)."""
    done = subprocess.run(
        ["pdftotext", "-layout", "-enc", "UTF-8", "-f", str(page), "-l", str(page), str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
    )
    return "".join(done.stdout.split())


def test_each_voucher_fills_half_a_page_with_its_lines_total_in_capitals_and_signatures(
    session: Session, tmp_path: Path
) -> None:
    books = make_books(session)
    guard(session)
    seen: list[int] = []
    pdf_path, xlsx_path = build_vouchers(
        session, books.cooperative, 2024, tmp_path, "zh", progress=lambda done, total: seen.append(done)
    )
    assert pdf_path.name == "2024-93370602MA3EXMPL1X-记账凭证.pdf" and xlsx_path.suffix == ".xlsx"
    assert seen == [1, 2, 3, 4, 5]
    # Six forms (the draft takes two), two to a page.
    assert len(page_pictures(pdf_path, tmp_path / "pages")) == 3
    first = page_text(pdf_path, 1)
    for words in (
        "记账凭证",
        "核算单位：示例果业专业合作社",
        "2024年3月5日",
        "凭证字号：记-0001",
        "附单据2张",
        "摘要总账科目明细科目借方金额贷方金额",
        "收到王建国交售苹果121产品物资38,760.50",
        "114成员往来王建国（M02）38,760.50",
        "合计：人民币叁万捌仟柒佰陆拾元零伍角整¥38,760.50¥38,760.50",
        "会计主管：记账：赵出纳审核：李主任制单：王会计",
        "凭证字号：记-0002",
        "113应收款烟台鲁果食品有限公司50,000.00",
        "501经营收入50101苹果销售50,000.00",
        "记账：系统审核：制单：系统",  # booked from a trade and posted without a manual step
        "来源：交易记录生成",
        "沿虚线剪开",
    ):
        assert words in first, words


def test_a_red_reversal_prints_negative_in_red_on_the_side_it_cancels_and_names_the_voucher(
    session: Session, tmp_path: Path
) -> None:
    books = make_books(session)
    pdf_path, xlsx_path = build_vouchers(session, books.cooperative, 2024, tmp_path, "zh")
    second = page_text(pdf_path, 2)
    for words in (
        "凭证字号：记-0003",
        "红字冲销：冲销2024年3月记-0002号凭证",
        # Stored Dr 50101 / Cr 113; written as the sale it cancels, in red ink: Dr 113 −, Cr 50101 −.
        "501经营收入50101苹果销售-50,000.00",
        "113应收款烟台鲁果食品有限公司-50,000.00",
        "合计：人民币负伍万元整-¥50,000.00-¥50,000.00",
    ):
        assert words in second, words
    # The figures are red: the pixels where pdftotext finds them.
    box = amount_box(pdf_path, 2, "-¥50,000.00", dpi=100)
    picture = page_pictures(pdf_path, tmp_path / "pages", dpi=100)[1]
    with Image.open(picture) as image:
        region = image.convert("RGB").crop(box)
        pixels = [region.getpixel((x, y)) for x in range(region.width) for y in range(region.height)]
        reds = [p for p in pixels if p[0] > 120 and p[1] < 90 and p[2] < 90]
        blacks = [p for p in pixels if max(p) < 60]
    assert len(reds) > 30 and not blacks
    book = openpyxl.load_workbook(xlsx_path)
    lines = book["凭证分录"]
    headers = [cell.value for cell in lines[2]]
    rows = [[cell.value for cell in row] for row in lines.iter_rows(min_row=3)]
    reversal = [row for row in rows if row[headers.index("凭证字号")] == "记-0003"]
    debit, credit = headers.index("借方金额"), headers.index("贷方金额")
    by_code = {row[headers.index("科目代码")]: row for row in reversal}
    assert yuan(by_code["113"][debit]) == D("-50000.00") and by_code["113"][credit] is None
    assert yuan(by_code["50101"][credit]) == D("-50000.00") and by_code["50101"][debit] is None
    assert by_code["113"][headers.index("冲销凭证")] == "2024年3月 记-0002"


WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>')


def words(path: Path, page: int) -> list[tuple[str, tuple[float, float, float, float]]]:
    """The words of a page with their boxes in points, as pdftotext finds them (rotated text a letter a word)."""
    html = subprocess.run(
        ["pdftotext", "-bbox", "-enc", "UTF-8", "-f", str(page), "-l", str(page), str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return [
        (found.group(5), (float(found.group(1)), float(found.group(2)), float(found.group(3)), float(found.group(4))))
        for found in WORD.finditer(html)
    ]


def amount_box(path: Path, page: int, word: str, dpi: int) -> tuple[int, int, int, int]:
    """Where a word is on a page, in pixels at a resolution."""
    for found, box in words(path, page):
        if found == word:
            x0, y0, x1, y1 = (value * dpi / 72 for value in box)
            return int(x0), int(y0), int(x1) + 1, int(y1) + 1
    raise AssertionError(f"{word} not on page {page}")


def watermarks(path: Path, page: int) -> int:
    """How many times 未记账 lies across the forms of a page: pdftotext reads it a big letter at a time."""
    big = [word for word, (_, top, _, bottom) in words(path, page) if bottom - top > 30]
    assert sorted(big) == sorted(["未", "记", "账"] * big.count("未"))
    return big.count("未")


def test_a_voucher_longer_than_one_form_continues_on_the_next_half_page(session: Session, tmp_path: Path) -> None:
    books = make_books(session)
    pdf_path, _ = build_vouchers(session, books.cooperative, 2024, tmp_path, "zh")
    second, third = page_text(pdf_path, 2), page_text(pdf_path, 3)
    assert "凭证字号：记-0004第1/2页" in second and "过次页¥6,105.80¥0.00" in second  # seven lines carried on
    assert "凭证字号：记-0004第2/2页" in third
    assert "银行手续费" in third and "合计：人民币陆仟壹佰壹拾柒元捌角整¥6,117.80¥6,117.80" in third


def test_vouchers_not_posted_say_so_and_a_self_audit_is_named(session: Session, tmp_path: Path) -> None:
    books = make_books(session)
    pdf_path, _ = build_vouchers(session, books.cooperative, 2024, tmp_path, "zh")
    # Page 1: two posted vouchers; page 2: the posted reversal and the draft; page 3: the draft and the audited one.
    assert [watermarks(pdf_path, page) for page in (1, 2, 3)] == [0, 1, 2]
    content = "".join(pdf_text(pdf_path).split())
    assert content.count("制单与审核为同一人") == 1 and "本社设置允许" not in content
    books.cooperative.ledger_single_person = True
    session.flush()
    allowed, _ = build_vouchers(session, books.cooperative, 2024, tmp_path / "allowed", "zh")
    assert "制单与审核为同一人（本社设置允许）" in "".join(pdf_text(allowed).split())


def test_the_workbook_lists_every_line_and_its_totals_balance(session: Session, tmp_path: Path) -> None:
    books = make_books(session)
    _, xlsx_path = build_vouchers(session, books.cooperative, 2024, tmp_path, "zh")
    sheet = openpyxl.load_workbook(xlsx_path)["凭证分录"]
    headers = [cell.value for cell in sheet[2]]
    assert headers[:4] == ["日期", "凭证字号", "状态", "摘要"]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=3)]
    body, total = rows[:-1], rows[-1]
    assert len(body) == 2 + 2 + 2 + 9 + 2
    debit, credit = headers.index("借方金额"), headers.index("贷方金额")
    assert total[0] == "合计"
    # 38,760.50 + 50,000 − 50,000 + 6,117.80 + 1,234.56
    assert yuan(total[debit]) == yuan(total[credit]) == D("46112.86")
    member_line = next(row for row in body if row[headers.index("科目代码")] == "114")
    assert member_line[headers.index("成员编号")] == "M02" and member_line[headers.index("明细科目")] == "王建国（M02）"


def test_one_month_only(session: Session, tmp_path: Path) -> None:
    books = make_books(session)
    pdf_path, _ = build_vouchers(session, books.cooperative, 2024, tmp_path, "zh", month=4)
    assert pdf_path.name == "2024-04-93370602MA3EXMPL1X-记账凭证.pdf"
    content = "".join(pdf_text(pdf_path).split())
    assert "提取现金" in content and "收到王建国交售苹果" not in content
    empty, _ = build_vouchers(session, books.cooperative, 2024, tmp_path, "zh", month=5)
    assert "2024年5月没有记账凭证。" in "".join(pdf_text(empty).split())


def test_vouchers_print_in_english_too(session: Session, tmp_path: Path) -> None:
    books = make_books(session)
    pdf_path, _ = build_vouchers(session, books.cooperative, 2024, tmp_path, "en", month=3)
    content = "".join(pdf_text(pdf_path).split())
    assert "Accountingvoucher" in content and "Redreversal:cancelsvoucher2024-03记-0002" in content
    assert "Voucherpreparedby:王会计" in content
    assert "114Membercurrent" in page_text(pdf_path, 1)  # the account's English name, wrapped in its cell


def test_coop_report_vouchers_writes_the_month_s_forms_and_lines(tmp_path: Path) -> None:
    url = sqlite_copy("schema", tmp_path)
    engine = make_engine(url)
    with Session(engine) as session, session.begin():
        make_books(session)
    engine.dispose()
    out = tmp_path / "out"
    done = subprocess.run(
        [COOP, "--lang", "zh", "--db", url, "report", "vouchers", "--coop", "93370602MA3EXMPL1X", "--year", "2024",
         "--month", "3", "--out", str(out)],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert sorted(path.name for path in out.iterdir()) == [
        "2024-03-93370602MA3EXMPL1X-记账凭证.pdf",
        "2024-03-93370602MA3EXMPL1X-记账凭证.xlsx",
    ]
    assert "已生成 2 个报表文件" in done.stdout
    content = "".join(pdf_text(out / "2024-03-93370602MA3EXMPL1X-记账凭证.pdf").split())
    assert "记-0004" in content and "提取现金" not in content
