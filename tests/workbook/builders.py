"""Builders of real .xlsx workbooks for the import tests, written with openpyxl the way accountants' files look.

A book is a dict of sheets, each a header and rows as dicts by header; `write_book` adds a title row above
the header where asked, and blank rows after the data, as spreadsheets typically have them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from coopcore.validation import credit_code, resident_id

D = dt.date


def person_id(number: int) -> str:
    """A resident ID with a valid check digit (Zhifu district, born in the 1970s)."""
    body = f"370602{D(1970, 1, 1) + dt.timedelta(days=97 * (number % 150)):%Y%m%d}{number % 1000:03d}"
    return body + resident_id.calc_check_digit(body)


def cooperative_code(number: int) -> str:
    body = f"93370602MA3C{number:05d}"
    return body + credit_code.calc_check_digit(body)


def collective_code(number: int) -> str:
    body = f"N2370602MF{number:07d}"
    return body + credit_code.calc_check_digit(body)


@dataclass
class Sheet:
    header: list[str]
    rows: list[dict[str, Any]] = field(default_factory=list)
    title: str | None = None

    def set(self, index: int, column: str, value: Any) -> None:
        """Set a cell of the data row at index (0-based); the column is named by its header."""
        self.rows[index][column] = value


Book = dict[str, Sheet]


def valid_book(number: int = 1) -> Book:
    """A small, lawful party-branch-led cooperative: 10 members (6 founders), two years of books."""
    code = cooperative_code(number)
    founded = D(2021, 3, 1)
    members = [
        {
            "成员编号*": "M01",
            "姓名或名称*": "测试村股份经济合作社",
            "成员类型*": "村集体经济组织",
            "证件号码*": collective_code(number),
            "入社日期*": founded,
        },
    ]
    for n in range(2, 11):
        joined = founded if n <= 6 else D(2022, 1, 1) + dt.timedelta(days=40 * n)
        members.append(
            {
                "成员编号*": f"M{n:02d}",
                "姓名或名称*": f"张{'一二三四五六七八九十'[n - 1]}",
                "成员类型*": "农民",
                "证件号码*": person_id(100 * number + n),
                "入社日期*": joined,
                "联系电话 [phone]": f"1380000{n:04d}",
            }
        )
    contributions = [
        {"成员编号*": "M01", "日期*": founded, "出资方式*": "货币", "金额*": 20000, "备注": "村集体资金入股"}
    ]
    for row in members[1:]:
        contributions.append(
            {"成员编号*": row["成员编号*"], "日期*": row["入社日期*"], "出资方式*": "货币", "金额*": 5000.0}
        )
    contributions.append(
        {"成员编号*": "M03", "日期*": founded, "出资方式*": "土地经营权", "金额*": 2250.5, "面积(亩)": 1.5}
    )
    trades = [
        {
            "成员编号*": f"M{2 + i % 5:02d}",
            "日期*": D(2023 + i // 6, 9, 20 + i % 6),
            "产品*": "苹果",
            "数量*": 1250.5 + i,
            "单位*": "kg",
            "单价*": 4.2,
            "等级": "一级",
            "单据号": f"RK{2023 + i // 6}-{i:04d}",
        }
        for i in range(12)
    ]
    trades[0]["金额"] = 5252.1  # 1250.5 × 4.20, given and right
    trades.append(
        {"成员编号*": "M04", "日期*": D(2024, 3, 1), "产品*": "复合肥", "数量*": 3, "单位*": "袋", "单价*": 165}
    )
    return {
        "合作社": Sheet(
            [
                "名称*",
                "统一社会信用代码*",
                "所在乡镇*",
                "所在村*",
                "领办党支部",
                "成立日期",
                "公积金提取比例*",
                "盈余返还比例*",
                "公积金量化依据",
            ],
            [
                {
                    "名称*": f"测试{number}号苹果专业合作社",
                    "统一社会信用代码*": code,
                    "所在乡镇*": "测试街道",
                    "所在村*": f"测试{number}村",
                    "领办党支部": f"测试{number}村党支部",
                    "成立日期": founded,
                    "公积金提取比例*": 0.1,
                    "盈余返还比例*": 0.7,
                    "公积金量化依据": "交易额",
                }
            ],
        ),
        "成员": Sheet(
            ["成员编号*", "姓名或名称*", "成员类型*", "证件号码*", "入社日期*", "退社日期", "联系电话 [phone]"],
            members,
            title=f"测试{number}号苹果专业合作社成员花名册",
        ),
        "出资": Sheet(["成员编号*", "日期*", "出资方式*", "金额*", "面积(亩)", "备注"], contributions),
        "公积金份额": Sheet(
            ["成员编号*", "日期*", "金额*", "摘要"],
            [
                {"成员编号*": "M02", "日期*": "2023-12-31", "金额*": 0.1, "摘要": "2023年公积金量化"},
                {"成员编号*": "M02", "日期*": "2023-12-31", "金额*": 0.2, "摘要": "2023年公积金量化（补）"},
                {"成员编号*": "M03", "日期*": "2023-12-31", "金额*": 0.1 + 0.2, "摘要": "2023年公积金量化"},
            ],
        ),
        "交易": Sheet(["成员编号*", "日期*", "产品*", "数量*", "单位*", "单价*", "金额", "等级", "单据号"], trades),
        "收支": Sheet(
            ["日期*", "科目*", "金额*", "摘要"],
            [
                {"日期*": D(2023, 10, 31), "科目*": "经营收入", "金额*": 100000, "摘要": "苹果销售收入"},
                {"日期*": D(2023, 10, 31), "科目*": "经营支出", "金额*": 60000.55, "摘要": "收购苹果支出"},
                {"日期*": D(2024, 3, 31), "科目*": "投资收益", "金额*": -500, "摘要": "联合社投资损失"},
            ],
        ),
        "专项基金": Sheet(
            ["日期*", "来源*", "金额*", "摘要"],
            [{"日期*": D(2024, 5, 10), "来源*": "国家财政直接补助", "金额*": 50000, "摘要": "冷库建设补助"}],
        ),
        "年度结转": Sheet(
            ["年度*", "年初未分配盈余*"],
            [{"年度*": 2023, "年初未分配盈余*": 0}, {"年度*": 2024, "年初未分配盈余*": 12000.5}],
        ),
        "土地入股": Sheet(
            ["成员编号*", "地块编号*", "承包经营权证号", "面积(亩)*", "起始日期*", "到期日期*", "保底收益(元/亩)"],
            [
                {
                    "成员编号*": "M04",
                    "地块编号*": "P001",
                    "承包经营权证号": "3706020010004J",
                    "面积(亩)*": 1.5,
                    "起始日期*": D(2022, 1, 1),
                    "到期日期*": D(2028, 12, 31),
                    "保底收益(元/亩)": 700,
                },
                {
                    "成员编号*": "M05",
                    "地块编号*": "P002",
                    "面积(亩)*": 2.25,
                    "起始日期*": D(2022, 1, 1),
                    "到期日期*": D(2028, 12, 31),
                },
            ],
        ),
    }


def add_trades(book: Book, count: int) -> Book:
    """Add many numbered tickets of the founders (for progress bars, timing and kill tests)."""
    rows = book["交易"].rows
    for i in range(count):
        rows.append(
            {
                "成员编号*": f"M{2 + i % 5:02d}",
                "日期*": D(2023, 1, 1) + dt.timedelta(days=i % 700),
                "产品*": "苹果",
                "数量*": 100 + i % 997 / 10,
                "单位*": "kg",
                "单价*": 3.5,
                "单据号": f"BIG-{i:07d}",
            }
        )
    return book


def add_ticket(book: Book, ticket: str) -> Book:
    """Add one numbered ticket of M03 in 2024 (what another accountant's import brings in)."""
    row = {"成员编号*": "M03", "日期*": D(2024, 10, 8), "产品*": "苹果", "数量*": 300, "单位*": "kg", "单价*": 4.5}
    book["交易"].rows.append(row | {"单据号": ticket})
    return book


def write_book(book: Book, path: Path, *, blank_rows: int = 3) -> Path:
    """Write the book as .xlsx: optional title row, header, data, then blank rows (empty and space-only cells)."""
    workbook = Workbook(write_only=True)  # streams rows: big books for the progress and kill tests stay quick
    for name, sheet in book.items():
        worksheet = workbook.create_sheet(name)
        if sheet.title:
            worksheet.append([sheet.title])
            worksheet.append([])
        worksheet.append(sheet.header)
        for row in sheet.rows:
            worksheet.append([row.get(column) for column in sheet.header])
        for _ in range(blank_rows):
            worksheet.append(["", " ", None])
    workbook.save(path)
    return path


def write_sheets(path: Path, sheets: dict[str, list[list[Any]]]) -> Path:
    """Write sheets given as lists of rows, exactly as given (no title or blank rows added)."""
    workbook = Workbook(write_only=True)
    for name, rows in sheets.items():
        worksheet = workbook.create_sheet(name)
        for row in rows:
            worksheet.append(row)
    workbook.save(path)
    return path
