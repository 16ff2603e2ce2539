"""Words and figures as the reports print them: translated labels, amounts, quantities, percentages and dates.

English labels are the translation keys; the Chinese is in coopcore/i18n/locale/zh_CN/LC_MESSAGES/reports.po.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from babel import Locale
from babel.numbers import format_decimal

from coopcore.i18n import BABEL_LOCALES, Lang, format_day, render
from coopcore.models import DistributionState
from coopcore.money import to_money

DASH = "—"
LOCALES = {lang: Locale.parse(name) for lang, name in BABEL_LOCALES.items()}  # parsed once: reports format a lot
BLANK_DAY = {"zh": "______年____月____日", "en": "____________"}

# Across every page of a plan the member assembly has not approved yet, and in words in its footer.
WATERMARKS = {DistributionState.DRAFT: "DRAFT", DistributionState.PUBLISHED: "FOR COMMENT"}
STATUS_LINES = {
    DistributionState.DRAFT: "Draft - not approved by the member assembly",
    DistributionState.PUBLISHED: "Published for comment - not yet approved by the member assembly",
}


def tr(msgid: str, lang: Lang, **fields: Any) -> str:
    """Translate a label or sentence of a report and fill in its fields."""
    return render(msgid, lang, **fields)


def amount(value: Decimal | None, lang: Lang) -> str:
    """An amount of yuan for a table cell: 12,345.67 (the column says 元), half-up to the fen; None → —."""
    if value is None:
        return DASH
    return format_decimal(to_money(value), format="#,##0.00;-#,##0.00", locale=LOCALES[lang])


def quantity(value: Decimal | None, lang: Lang) -> str:
    """A quantity with the places it has, up to four: 1,234.5."""
    if value is None:
        return DASH
    return format_decimal(value, format="#,##0.####;-#,##0.####", locale=LOCALES[lang])


def percent(value: Decimal | None, lang: Lang) -> str:
    """A percentage already in percent (33.76 → 33.76%), half-up to 0.01."""
    if value is None:
        return DASH
    return format_decimal(value.quantize(Decimal("0.01"), ROUND_HALF_UP), format="0.00", locale=LOCALES[lang]) + "%"


def rate(value: Decimal, lang: Lang) -> str:
    """A bylaws rate stored as a fraction (0.10 → 10%), with the places it has."""
    return format_decimal(value * 100, format="0.####", locale=LOCALES[lang]) + "%"


def day(value: dt.date | None, lang: Lang) -> str:
    """A date as people write it (2024年12月31日), or a blank line to fill in by hand."""
    return format_day(value, lang) if value is not None else BLANK_DAY[lang]


def section(number: int, lang: Lang) -> str:
    """A section number as documents write it: 十二、 in Chinese, 12. in English (1 to 99)."""
    if lang != "zh":
        return f"{number}. "
    tens, units = divmod(number, 10)
    digits = "零一二三四五六七八九"
    words = (digits[tens] if tens > 1 else "") + ("十" if tens else "") + (digits[units] if units else "")
    return words + "、"


def joined(parts: list[str], lang: Lang) -> str:
    """Join short items: 、 in Chinese, a comma in English."""
    return ("、" if lang == "zh" else ", ").join(parts)
