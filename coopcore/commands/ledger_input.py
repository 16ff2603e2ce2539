"""What `coop ledger` reads from its command line: months, voucher lines, who acts.

A voucher line is typed `--line ACCOUNT:SIDE:AMOUNT[:AUX[:SUMMARY]]`: the side is 借 or 贷 (debit/credit, d/c,
dr/cr), AUX the line's auxiliaries separated by commas, a member code and, on assets split by poverty-relief
origin, 扶贫 or 非扶贫; the summary is the rest of the line, colons included. `102:借:1000.00`,
`114:贷:300.00:M001:交售苹果`, `151:借:90000.00:非扶贫:冷库`. Full-width colons and commas (：，) count as ASCII ones.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, TypeVar

import click

from coopcore.commands.base import CREDIT_CODE, Context, os_login
from coopcore.commands.language import current_lang
from coopcore.errors import InvalidValue
from coopcore.i18n import render
from coopcore.money import ZERO, to_decimal
from coopcore.rules.ledger import EntryLine

F = TypeVar("F", bound=Callable[..., Any])
Month = tuple[int, int]

NOT_A_PERIOD = "{value} is not a period: write it as 2024-03."
NOT_A_LINE = "{value} is not a voucher line: write ACCOUNT:借|贷:AMOUNT[:MEMBER][:摘要], e.g. 114:贷:300.00:M001:交售."
TEMPLATES = (NOT_A_PERIOD, NOT_A_LINE)
DEBIT, CREDIT = ("借", "debit", "d", "dr"), ("贷", "credit", "c", "cr")
POVERTY = {"扶贫": True, "非扶贫": False, "poverty": True, "no-poverty": False}
PERIOD = re.compile(r"^\s*(\d{4})\s*(?:[-/.]|年)\s*(\d{1,2})\s*月?\s*$")


class PeriodType(click.ParamType[Month, Any]):
    """A month of the books as people type it: 2024-03, 2024/3, 2024年3月."""

    name = "YYYY-MM"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Month:
        if isinstance(value, tuple):
            return value
        found = PERIOD.match(str(value))
        if found is None or not 1 <= int(found.group(2)) <= 12:
            self.fail(render(NOT_A_PERIOD, current_lang(), value=value), param, ctx)
        return int(found.group(1)), int(found.group(2))


class LineType(click.ParamType[EntryLine, Any]):
    """A voucher line, ACCOUNT:SIDE:AMOUNT[:AUX[:SUMMARY]] (the module's docstring)."""

    name = "LINE"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> EntryLine:
        if isinstance(value, EntryLine):
            return value
        parts = str(value).replace("：", ":").split(":", 4)
        side = parts[1].strip().lower() if len(parts) > 2 else ""
        try:
            amount = to_decimal(parts[2].strip()) if side in DEBIT + CREDIT else None
        except (TypeError, InvalidValue):
            amount = None
        if amount is None:
            self.fail(render(NOT_A_LINE, current_lang(), value=value), param, ctx)
        member, poverty = None, None
        for token in (parts[3] if len(parts) > 3 else "").replace("，", ",").split(","):
            if token.strip() in POVERTY:
                poverty = POVERTY[token.strip()]
            elif token.strip():
                member = token.strip()
        debit, credit = (amount, ZERO) if side in DEBIT else (ZERO, amount)
        summary = parts[4].strip() if len(parts) > 4 else ""
        return EntryLine(parts[0].strip(), debit, credit, summary, member, poverty_asset=poverty)


PERIOD_TYPE, LINE = PeriodType(), LineType()


def acting_name() -> str:
    """Who a voucher or a month records as acting when --user is not given: the user of `coop --user`, else the
    operating system's login, as the audit trail names them."""
    context = click.get_current_context(silent=True)
    found = context.find_object(Context) if context is not None else None
    return found.user if found is not None and found.user else os_login()


def coop_option(function: F) -> F:
    return click.option("--coop", "credit_code", required=True, type=CREDIT_CODE, help="The cooperative.")(function)


def user_option(function: F) -> F:
    user = click.option(
        "--user", default=acting_name, help="Who acts (default: the user of coop --user, else the system login)."
    )
    return user(function)


def voucher_options(function: F) -> F:
    """--coop, --period and --number: a voucher as the accountant names it."""
    function = click.option("--number", type=int, required=True, help="Voucher number within its month.")(function)
    function = click.option("--period", type=PERIOD_TYPE, required=True, help="Month of the voucher.")(function)
    return coop_option(function)
