"""The language of one `coop` run: chosen before parsing, spoken by click's own messages and by every help text.

click writes "Usage:", "Missing option" and the like through the stdlib's `gettext.gettext`, imported into each
of its modules as `_` (and `ngettext`); those stdlib functions answer from compiled catalogs picked by the
process's locale variables, not from `coop --lang`. So while a run speaks a language, click's module-level `_`
and `ngettext` answer from coopcore's own catalogs (click.po); outside a run they are the stdlib's again.
Help texts are English templates on click's objects, read when click formats a page: `localize` sets them to
the run's language from the English kept aside on first sight, so a later run in another language starts over.
click also measures text by characters where a terminal shows a Chinese character two columns wide: during a
run its help formatter measures columns instead, so option lists stay aligned and lines fit the terminal.
"""

from __future__ import annotations

import gettext
import importlib
import inspect
import re
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any
from weakref import WeakKeyDictionary

import click

from coopcore.i18n import LANGS, Lang, default_lang, translate

# The modules of click that translate their words; each holds the stdlib's functions under these names.
CLICK_MODULES = ("core", "decorators", "exceptions", "formatting", "parser", "shell_completion", "termui",
                 "types", "utils", "_termui_impl")  # fmt: skip
# Where click's help formatter measures text: the function names there and what replaces each.
CLICK_MEASURES = {"formatting": ("term_len",), "_textwrap": ("term_len", "_truncate_visible")}
_speaking: ContextVar[Lang | None] = ContextVar("coop_lang", default=None)
_english: WeakKeyDictionary[click.Command | click.Parameter, dict[str, Any]] = WeakKeyDictionary()
_COMMAND_TEXTS = ("help", "short_help", "epilog", "options_metavar", "subcommand_metavar")
_PARAMETER_TEXTS = ("help", "metavar")


def lang_of(args: Sequence[str], environ: dict[str, str] | None = None) -> Lang:
    """Return the language a command line asks for with `coop --lang X` before its subcommand, else the locale's."""
    arguments = iter(args)
    for argument in arguments:
        if argument == "--lang":
            value = next(arguments, "")
        elif argument.startswith("--lang="):
            value = argument.removeprefix("--lang=")
        elif argument in ("--db", "--user"):
            next(arguments, None)  # the URL or the user name, which could look like anything
            continue
        elif argument.startswith("-"):
            continue
        else:
            break  # the subcommand: a --lang after it is the subcommand's own (the language of a workbook)
        # An unknown language is click's to refuse, in the locale's language.
        return value if value in LANGS else default_lang(environ)
    return default_lang(environ)


def current_lang() -> Lang:
    """The language of the run under way; the locale's outside a run."""
    return _speaking.get() or default_lang()


@contextmanager
def speaking(lang: Lang | None) -> Iterator[None]:
    """Let click's own messages and the help texts speak `lang` for the duration (None: click's stdlib gettext)."""
    _install()
    token = _speaking.set(lang)
    try:
        yield
    finally:
        _speaking.reset(token)


def _gettext(message: str) -> str:
    lang = _speaking.get()
    return gettext.gettext(message) if lang is None else translate(message, lang)


def _ngettext(singular: str, plural: str, n: int) -> str:
    lang = _speaking.get()
    if lang is None:
        return gettext.ngettext(singular, plural, n)
    return translate(singular if n == 1 else plural, lang)


_ANSI = re.compile(r"\033\[[;?0-9]*[a-zA-Z]")


def _columns(text: str) -> int:
    """How many terminal columns a text takes: wide and full-width (East Asian) characters take two."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in _ANSI.sub("", text))


def _fitting(text: str, columns: int) -> str:
    """The longest start of a text that fits in the columns (at least one character, so wrapping moves on)."""
    used = 0
    for end, char in enumerate(text):
        used += _columns(char)
        if used > columns:
            return text[: max(end, 1)]
    return text


_originals: dict[tuple[str, str], Callable[..., Any]] = {}


def _measuring(module: str, name: str, ours: Callable[..., Any]) -> Callable[..., Any]:
    """Measure in columns during a run; click's own way outside one."""
    original = _originals[module, name]

    def measure(*args: Any) -> Any:
        return original(*args) if _speaking.get() is None else ours(*args)

    return measure


def _install() -> None:
    """Point click's `_` and `ngettext` at coopcore's catalogs and its measures at columns (once)."""
    replacements: list[tuple[Callable[..., Any], Callable[..., Any]]] = [
        (gettext.gettext, _gettext),
        (gettext.ngettext, _ngettext),
    ]
    for name in CLICK_MODULES:
        module = importlib.import_module(f"click.{name}")
        for attribute, value in list(vars(module).items()):
            for stdlib, ours in replacements:
                if value is stdlib:
                    setattr(module, attribute, ours)
    ours_by_name: dict[str, Callable[..., Any]] = {"term_len": _columns, "_truncate_visible": _fitting}
    for name, attributes in CLICK_MEASURES.items():
        module = importlib.import_module(f"click.{name}")
        for attribute in attributes:
            # A click without the function (another version) keeps measuring its own way.
            if (name, attribute) not in _originals and callable(getattr(module, attribute, None)):
                _originals[name, attribute] = getattr(module, attribute)
                setattr(module, attribute, _measuring(name, attribute, ours_by_name[attribute]))


def localize(command: click.Command, ctx: click.Context, *, params: bool = True, subcommands: bool = False) -> None:
    """Set a command's help texts, its parameters' and (recursively) its subcommands' to the run's language."""
    lang = current_lang()
    texts = _texts(command, _COMMAND_TEXTS)
    for name in ("help", "epilog", "options_metavar", "subcommand_metavar"):
        if name in texts:
            setattr(command, name, _translated(texts[name], lang))
    command.short_help = texts["short_help"]
    if command.short_help is None and command.help != texts["help"] and command.help:
        # A Chinese sentence has no spaces for click to shorten it at: command lists show its first sentence.
        command.short_help = command.help.partition("。")[0]
    if params:
        with speaking(None):  # click makes the --help option on first use: in English, like the texts kept
            every = command.get_params(ctx)
        for param in every:
            _localize_parameter(param, ctx, lang)
    if subcommands and isinstance(command, click.Group):
        for name in command.list_commands(ctx):
            subcommand = command.get_command(ctx, name)
            if subcommand is not None:
                localize(subcommand, ctx, subcommands=True)


def _localize_parameter(param: click.Parameter, ctx: click.Context, lang: Lang) -> None:
    texts = _texts(param, _PARAMETER_TEXTS)
    if texts.get("help") is not None:
        param.help = _translated(texts["help"], lang)
    metavar = texts["metavar"]
    typed = isinstance(param, click.Option) and param.nargs == 1 and not param.is_flag
    # A choice lists its values itself; other types show their name as click would: INTEGER, TEXT, DATE.
    if metavar is None and typed and param.type.get_metavar(param=param, ctx=ctx) is None:
        param.metavar = None if lang == "en" else _translated(param.type.name.upper(), lang)
        return
    param.metavar = None if metavar is None else _translated(metavar, lang)


def _texts(thing: click.Command | click.Parameter, names: tuple[str, ...]) -> dict[str, Any]:
    """The English texts of a command or parameter, kept the first time it is localized."""
    if thing not in _english:
        _english[thing] = {name: getattr(thing, name) for name in names if hasattr(thing, name)}
    return _english[thing]


def _translated(text: str | None, lang: Lang) -> str | None:
    if text is None:
        return None
    template = inspect.cleandoc(text)
    translation = translate(template, lang)
    return text if translation == template else translation


__all__ = ["CLICK_MODULES", "current_lang", "lang_of", "localize", "speaking"]
