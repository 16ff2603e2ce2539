"""The `coop` group: its language, its error messages, and subcommands imported only when one is used.

`coop --help` lists every command with its short help and `coop --version` prints a number: neither needs the
models, the database or openpyxl, which the subcommand modules import (about 1.8 s). So the group knows its own
commands by name and where they live, and the plug-in commands of the entry-point group by their entry points;
it imports a command's module when that command runs or its own help is asked for. For the list of commands it
reads each command's help from its module's source (the docstring, or the decorator's `help=`), without
running it; where the source does not say it plainly, it imports the module after all.
"""

from __future__ import annotations

import ast
import importlib
import importlib.util
import sys
from collections.abc import Iterator, Mapping, Sequence
from functools import cache, cached_property
from importlib.abc import InspectLoader
from importlib.machinery import ModuleSpec, PathFinder
from typing import TYPE_CHECKING, Any

import click

from coopcore.commands.language import lang_of, localize, speaking

if TYPE_CHECKING:
    from importlib.metadata import EntryPoint

# The keywords of `@click.command(...)` / `@group.command(...)` that the list of commands shows.
_LISTED = ("help", "short_help", "hidden", "deprecated")


class CoopGroup(click.Group):
    """The `coop` command: speaks the language of `--lang` (or the locale) from the first word it prints,
    turns coopcore's errors into translated one-line messages instead of tracebacks, and imports a subcommand
    only when it is used.

    `lazy` maps a command name to where the command is, "module:attribute"; `plugins` names an entry-point group
    whose entries are commands too (the web admin and the reports, which live outside the library).
    """

    def __init__(self, *args: Any, lazy: Mapping[str, str] | None = None, plugins: str | None = None, **extra: Any):
        super().__init__(*args, **extra)
        self.lazy = dict(lazy or {})
        self.plugins = plugins

    @cached_property
    def entry_points(self) -> dict[str, EntryPoint]:
        """The plug-in commands by name (listing entry points reads package metadata, it imports nothing)."""
        from importlib.metadata import entry_points  # here: `coop --version` has no use for it (tens of ms)

        return {point.name: point for point in entry_points(group=self.plugins)} if self.plugins else {}

    def main(self, args: Sequence[str] | None = None, *rest: Any, **extra: Any) -> Any:
        with speaking(lang_of(sys.argv[1:] if args is None else args)):
            return super().main(args, *rest, **extra)

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        localize(self, ctx)
        return super().parse_args(ctx, args)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.commands, *self.lazy, *self.entry_points})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        command = self.commands.get(cmd_name)
        if command is None:
            command = self._load(cmd_name)
        if command is not None:
            localize(command, ctx, params=False)  # enough for the list of commands
        return command

    def _load(self, name: str) -> click.Command | None:
        # A plug-in of the same name replaces a built-in command, as when each was added in turn.
        if name in self.entry_points:
            try:
                command = self.entry_points[name].load()
            except ImportError as error:
                command = _unavailable(name, error)
        elif name in self.lazy:
            module, _, attribute = self.lazy[name].partition(":")
            command = getattr(importlib.import_module(module), attribute)
        else:
            return None
        if not isinstance(command, click.Command):
            raise TypeError(f"{self.lazy.get(name) or self.entry_points[name].value} is not a click command")
        self.add_command(command, name)
        return command

    def _listed(self, ctx: click.Context, name: str) -> click.Command | None:
        """The command as the list of commands shows it: itself once imported, else its help read from source."""
        if name in self.commands:
            return self.get_command(ctx, name)
        point = self.entry_points.get(name)
        target = f"{point.module}:{point.attr}" if point else self.lazy.get(name)
        texts = _listed_texts(target) if target else None
        if texts is None:
            return self.get_command(ctx, name)
        summary = click.Command(name, **texts)
        localize(summary, ctx, params=False)
        return summary

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        # click's own layout, given the commands as listed rather than as imported.
        listed = {name: command for name in self.list_commands(ctx) if (command := self._listed(ctx, name)) is not None}
        click.Group(self.name, commands=listed).format_commands(ctx, formatter)

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        try:
            name, command, rest = super().resolve_command(ctx, args)
        except click.exceptions.NoSuchCommand as error:
            # click suggests from the commands imported so far: suggest from them all.
            raise click.exceptions.NoSuchCommand(
                error.command_name, possibilities=self.list_commands(ctx), ctx=ctx
            ) from None
        if command is not None:
            localize(command, ctx, subcommands=True)
        return name, command, rest

    def invoke(self, ctx: click.Context) -> Any:
        # The database machinery comes with the subcommand being run; `--help` and `--version` never get here.
        from coopcore.commands.base import translated_errors

        with translated_errors(ctx):
            return super().invoke(ctx)


def _unavailable(name: str, error: ImportError) -> click.Command:
    @click.command(name, context_settings={"ignore_unknown_options": True, "allow_extra_args": True})
    def command() -> None:
        """Not available: its optional dependencies are not installed."""
        raise click.ClickException(f"`coop {name}` needs more packages ({error}); install coopcore[dev].")

    return command


def _listed_texts(target: str) -> dict[str, Any] | None:
    """The help texts of the command at "module:attribute" as its decorator gives them, read from the source."""
    module, _, attribute = target.partition(":")
    return _commands_in(module).get(attribute)


@cache
def _commands_in(module: str) -> dict[str, dict[str, Any]]:
    """The texts of each function of a module decorated as a click command, where they are plain constants."""
    source = _source(module)
    if source is None:
        return {}
    found: dict[str, dict[str, Any]] = {}
    for node in ast.parse(source).body:
        if isinstance(node, ast.Assign) and (texts := _factory_texts(node)) is not None:
            found[node.targets[0].id] = texts  # type: ignore[attr-defined]
        if not isinstance(node, ast.FunctionDef):
            continue
        for decorator in node.decorator_list:
            texts = _decorator_texts(decorator)
            if texts is not None:
                found[node.name] = {"help": ast.get_docstring(node, clean=False), **texts}
    return found


def _factory_texts(node: ast.Assign) -> dict[str, Any] | None:
    """`name = …_command_for(…, "help")`: a command one factory builds for each workbook format, its help last."""
    call = node.value
    if len(node.targets) != 1 or not isinstance(node.targets[0], ast.Name) or not isinstance(call, ast.Call):
        return None
    function = call.func
    named = function.attr if isinstance(function, ast.Attribute) else getattr(function, "id", "")
    last = call.args[-1] if call.args else None
    if not named.endswith("_command_for") or not isinstance(last, ast.Constant) or not isinstance(last.value, str):
        return None
    return {"help": last.value}


def _decorator_texts(decorator: ast.expr) -> dict[str, Any] | None:
    """The keywords of a `….command(…)` or `….group(…)` decorator; None for another decorator or a computed text."""
    if not isinstance(decorator, ast.Call):
        return None
    function = decorator.func
    named = function.attr if isinstance(function, ast.Attribute) else getattr(function, "id", None)
    if named not in ("command", "group"):
        return None
    texts: dict[str, Any] = {}
    for keyword in decorator.keywords:
        if keyword.arg in _LISTED:
            if not isinstance(keyword.value, ast.Constant):
                return None
            texts[keyword.arg] = keyword.value.value
        elif keyword.arg is None:
            return None  # **options could hold any of them
    return texts


def _source(module: str) -> str | None:
    """A module's source, found without importing it or its packages (the web admin's package starts Flask)."""
    spec: ModuleSpec | None = None
    for name in _prefixes(module):
        loaded = sys.modules.get(name)
        if loaded is not None:
            spec = loaded.__spec__
        elif spec is None:
            spec = importlib.util.find_spec(name)  # a top-level name: finding it imports nothing
        else:
            spec = PathFinder.find_spec(name, spec.submodule_search_locations)
        if spec is None:
            return None
    if spec is None or not isinstance(spec.loader, InspectLoader):
        return None
    source = spec.loader.get_source(module)
    return source if isinstance(source, str) else None


def _prefixes(module: str) -> Iterator[str]:
    parts = module.split(".")
    for end in range(1, len(parts) + 1):
        yield ".".join(parts[:end])
