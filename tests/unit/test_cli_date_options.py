"""Every date option of every `coop` command reads dates the same way (the commands' declarations, no database)."""

from __future__ import annotations

import click

from coopcore.cli import main
from coopcore.commands.base import DayType
from coopcore.commands.language import localize, speaking


def test_every_date_option_of_every_command_reads_dates_the_same_way() -> None:
    ctx = click.Context(main)
    with speaking("en"):
        localize(main, ctx, subcommands=True)
    dated: list[str] = []

    def walk(command: click.Command) -> None:
        for param in command.params:
            assert not isinstance(param.type, click.DateTime), f"{command.name} {param.name}"
            if isinstance(param.type, DayType):
                dated.append(f"{command.name} {param.name}")
        if isinstance(command, click.Group):
            for name in command.list_commands(ctx):
                sub = command.get_command(ctx, name)
                assert sub is not None
                walk(sub)

    walk(main)
    assert {"check day", "publish published_on", "approve assembly_on", "pay paid_on", "exit applied_on"} <= set(dated)
