"""Messages in Chinese and English, and locale-aware formatting of money and dates."""

from __future__ import annotations

import datetime as dt
import os
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any, Literal, Protocol, runtime_checkable

from babel.dates import format_date as babel_format_date
from babel.messages.pofile import read_po
from babel.numbers import format_currency

from coopcore.errors import CoopError, Term
from coopcore.money import to_money

Lang = Literal["zh", "en"]
LANGS: tuple[Lang, ...] = ("zh", "en")
BABEL_LOCALES: dict[Lang, str] = {"zh": "zh_CN", "en": "en"}
_LOCALE_DIR = Path(__file__).parent / "locale"


def default_lang(environ: dict[str, str] | None = None) -> Lang:
    """Pick the language from LC_ALL / LC_MESSAGES / LANG; Chinese unless the locale asks for English."""
    env = os.environ if environ is None else environ
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(variable, "")
        if value and value not in ("C", "POSIX") and not value.startswith("C."):
            return "zh" if value.lower().startswith("zh") else "en"
    # Our users are Chinese; a bare server locale (C, POSIX) says nothing about the reader.
    return "zh"


@cache
def _catalog(lang: Lang) -> dict[str, str]:
    """Merge every .po file of a language: one file per area keeps catalogs small and conflict-free."""
    if lang == "en":
        return {}
    messages: dict[str, str] = {}
    for path in sorted((_LOCALE_DIR / BABEL_LOCALES[lang] / "LC_MESSAGES").glob("*.po")):
        with path.open("rb") as handle:
            for message in read_po(handle):
                if not (message.id and message.string):
                    continue
                if isinstance(message.id, str):
                    messages[message.id] = str(message.string)
                elif message.string[0]:
                    # A plural message (click's "Got unexpected extra argument(s)"): Chinese has one form
                    # for every count, so singular and plural both answer with it.
                    messages.update(dict.fromkeys(message.id, str(message.string[0])))
    return messages


@runtime_checkable
class Localized(Protocol):
    """A message field that says itself in each language (a list of findings inside an error's message)."""

    def localized(self, lang: Lang) -> str: ...


def translate(template: str, lang: Lang) -> str:
    """Return the translation of an English template, or the template itself when there is none."""
    return _catalog(lang).get(template, template)


def render(template: str, lang: Lang, **fields: Any) -> str:
    """Translate a template and fill in its fields, translating the fields that are Terms or say themselves."""
    text = translate(template, lang)
    fields = {name: _field(value, lang) for name, value in fields.items()}
    try:
        return text.format(**fields)
    except (KeyError, IndexError, ValueError):
        return text


def _field(value: Any, lang: Lang) -> Any:
    if isinstance(value, Term):
        return translate(value, lang)
    if isinstance(value, Localized):
        return value.localized(lang)
    return value


def render_error(error: CoopError, lang: Lang) -> str:
    """Return an error's message in the given language."""
    return render(error.message_template, lang, **error.fields)


def format_money(amount: Decimal, lang: Lang = "zh") -> str:
    """Format yuan for people: ¥1,234,567.50 (rounded half-up to the fen first)."""
    return format_currency(to_money(amount), "CNY", locale=BABEL_LOCALES[lang], currency_digits=True)


def format_day(day: dt.date, lang: Lang = "zh") -> str:
    """Format a date for people: 2024年12月31日 / Dec 31, 2024."""
    return babel_format_date(day, format="long" if lang == "zh" else "medium", locale=BABEL_LOCALES[lang])
