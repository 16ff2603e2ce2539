"""What the printed books (科目余额表, 总账, 明细账) share: a balance as 借/贷 and an amount, titles, file names.

Every figure comes from coopcore.services.ledger.balances; this module only says how it is written.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import click

from coopcore.i18n import Lang
from coopcore.labels import label
from coopcore.models import Cooperative
from coopcore.terms import Side
from reports import base, pdf, text

MONTH = click.option(
    "--month", type=click.IntRange(1, 12), default=None, help="Month of the books (1-12); the whole year if left out."
)


def direction(balance: Decimal, lang: Lang) -> str:
    """借 for a debit balance, 贷 for a credit balance, 平 for none (the 借或贷 column)."""
    if balance > 0:
        return label(Side.DEBIT, lang)
    if balance < 0:
        return label(Side.CREDIT, lang)
    return text.tr("Nil", lang)


def balance_cells(balance: Decimal, lang: Lang) -> list[pdf.Cell]:
    """The 借或贷 and 余额 cells of a balance given as debit minus credit: the side, then the amount without sign."""
    return [direction(balance, lang), abs(balance)]


def red_negatives(row: Sequence[pdf.Cell]) -> dict[int, Any]:
    """Red ink for negative amounts: a red reversal (红字冲销) written on the side it cancels."""
    return {index: pdf.RED for index, value in enumerate(row) if isinstance(value, Decimal) and value < 0}


def blank_zero(value: Decimal) -> Decimal | None:
    """An amount column left empty rather than 0.00 on a ledger line."""
    return value if value else None


def period_of(year: int, month: int | None) -> str:
    """The period in a file name: 2024 or 2024-03."""
    return f"{year}-{month:02d}" if month is not None else str(year)


def output(
    out_dir: Path,
    cooperative: Cooperative,
    year: int,
    month: int | None,
    name: str,
    suffix: str,
    lang: Lang,
    detail: str = "",
) -> Path:
    """Where a printed book goes: DIR/2024[-03]-<credit code>-<book's name>[-<account>-<member>].<suffix>."""
    return base.output_path(out_dir, period_of(year, month), cooperative.credit_code, name, suffix, lang, detail)


def posted_only(lang: Lang) -> str:
    """The note every printed book carries: what it counts."""
    return text.tr("Posted vouchers only; amounts in yuan.", lang)
