"""The admin's language: zh_CN by default, English by a switch kept in the session; our own .po catalog.

The admin's own strings live in `admin/translations/zh_CN/LC_MESSAGES/admin.po` (English msgid → Chinese), read
with babel's `read_po` the way coopcore reads its catalogs, so nothing needs compiling. Flask-Admin's and
WTForms' own strings come from their shipped zh_Hans_CN catalogs through Flask-Babel, driven by the same
locale selector.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from babel import Locale
from babel.dates import format_date, format_datetime
from babel.messages.pofile import read_po
from babel.numbers import format_currency, format_decimal, get_currency_symbol
from flask import has_request_context, session
from flask_babel import LazyString
from markupsafe import Markup

from coopcore.errors import CoopError, Term
from coopcore.i18n import BABEL_LOCALES, Lang, Localized
from coopcore.i18n import translate as coopcore_translate
from coopcore.money import to_money
from coopcore.services.ledger.books import SYSTEM

CATALOG = Path(__file__).parent / "translations" / "zh_CN" / "LC_MESSAGES" / "admin.po"
LOCALES: dict[Lang, str] = {"zh": "zh_CN", "en": "en"}  # "zh_CN", never "zh-CN": Flask-Babel fails on a hyphen
SESSION_KEY = "lang"


@cache
def _catalog() -> dict[str, str]:
    with CATALOG.open("rb") as handle:
        return {
            str(message.id): str(message.string)
            for message in read_po(handle)
            if message.id and message.string and isinstance(message.id, str)
        }


def current_lang() -> Lang:
    """The language of this request: the session's choice, Chinese by default (and outside requests)."""
    if has_request_context() and session.get(SESSION_KEY) == "en":
        return "en"
    return "zh"


def select_locale() -> str:
    """Flask-Babel's locale selector: drives Flask-Admin's and WTForms' catalogs."""
    return LOCALES[current_lang()]


def translate(text: str, lang: Lang | None = None) -> str:
    """Translate an English text: the admin catalog first, then coopcore's catalogs."""
    lang = lang or current_lang()
    if lang == "en":
        return text
    return _catalog().get(text) or coopcore_translate(text, lang)


def gettext(text: str, **fields: Any) -> str:
    """Translate a text and fill in its `{fields}`; Terms and findings among the fields are translated too."""
    translated = translate(str(text))
    if not fields:
        return translated
    values = {name: _field(value) for name, value in fields.items()}
    try:
        return translated.format(**values)
    except (KeyError, IndexError, ValueError):
        return translated


_ = gettext


def _field(value: Any) -> Any:
    """A message field in the reader's language: a Term translated, findings (Localized) in its words."""
    if isinstance(value, Term):
        return translate(value)
    if isinstance(value, Localized):
        return value.localized(current_lang())
    return value


def lazy(text: str) -> LazyString:
    """A text translated when it is shown (labels and names declared at import time)."""
    return LazyString(gettext, text)


# Flask-Admin 2.2.1's compiled zh_Hans_CN catalog lacks two of its own flash messages (its .po has them); the
# flash area of our layout passes every message through our catalog, which has them.
FLASK_ADMIN_GAPS = (lazy("Failed to create record."), lazy("Failed to save record."))


def error_text(error: CoopError) -> str:
    """A coopcore error in the reader's language; its text fields are translated where the catalogs know them."""
    fields = {name: Term(value) if isinstance(value, str) else value for name, value in error.fields.items()}
    return gettext(error.message_template, **fields)


@cache
def _locale(lang: Lang) -> Locale:
    return Locale.parse(BABEL_LOCALES[lang])


@cache
def _money_parts(lang: Lang) -> tuple[str, str, dict[int, str]] | None:
    """The prefixes and digit symbols of the locale's currency pattern, or None if it is not ¤#,##0.00."""
    locale = _locale(lang)
    pattern = locale.currency_formats["standard"]
    if pattern.suffix != ("", "") or pattern.grouping != (3, 3) or pattern.frac_prec != (2, 2):
        return None
    symbol = get_currency_symbol("CNY", locale)
    positive, negative = (prefix.replace("¤", symbol) for prefix in pattern.prefix)
    numbers = locale.number_symbols["latn"]
    return positive, negative, str.maketrans({",": numbers["group"], ".": numbers["decimal"]})


# The same result as coopcore.i18n.format_money (a test holds them equal over many amounts), faster: babel parses
# the locale name and the pattern on every call, and a list page formats 40+ amounts.
def money(amount: Decimal | None) -> str:
    """¥1,234.56, by babel's pattern for the reader's locale (rounded half-up to the fen); empty for no amount."""
    if amount is None:
        return ""
    lang = current_lang()
    parts = _money_parts(lang)
    fen = to_money(amount)
    if parts is None:
        return format_currency(fen, "CNY", locale=_locale(lang), currency_digits=True)
    positive, negative, symbols = parts
    return (negative if fen.is_signed() else positive) + f"{abs(fen):,.2f}".translate(symbols)


def figure(amount: Decimal | None) -> str:
    """An amount in a unit the page states (万元): 1,234.56, rounded half-up to two places, no currency sign."""
    if amount is None:
        return ""
    return format_decimal(to_money(amount), format="#,##0.00;-#,##0.00", locale=_locale(current_lang()))


def day(value: dt.date | None) -> str:
    """2024年12月31日 / Dec 31, 2024."""
    return "" if value is None else _day(value, current_lang())


@lru_cache(maxsize=4096)  # a list page shows the same few days again and again; babel takes ~25 µs a date
def _day(value: dt.date, lang: Lang) -> str:
    return format_date(value, format="long" if lang == "zh" else "medium", locale=_locale(lang))


def moment(value: dt.datetime | None) -> str:
    """A date and time in the reader's locale."""
    return "" if value is None else format_datetime(value, "medium", locale=_locale(current_lang()))


def quantity(value: Decimal | None) -> str:
    """A quantity or area without trailing zeros, with thousands separators."""
    if value is None:
        return ""
    return f"{value.normalize():,f}"


def percent(value: Decimal | None) -> str:
    """A rate such as 0.10 shown as 10%."""
    if value is None:
        return ""
    return f"{(value * 100).normalize():f}%"


def signer(name: str) -> str:
    """Who took a voucher's step, with a service's mark shown as "System" in the reader's language."""
    return gettext("System") if name == SYSTEM else name


def jinja_globals() -> dict[str, Any]:
    """The helpers every template may call."""
    return {
        "t": gettext,
        "money": money,
        "figure": figure,
        "day": day,
        "moment": moment,
        "quantity": quantity,
        "percent": percent,
        "current_lang": current_lang,
        "error_text": error_text,
        "signer": signer,
        "Markup": Markup,
    }
