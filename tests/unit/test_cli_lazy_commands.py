"""`coop --help` and `coop --version` answer without importing the subcommands, the models or the database."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.cli.conftest import COOP

# What `coop --help` used to import before printing a line (about 1.8 s): none of it is needed for the page.
HEAVY = ("coopcore.commands.setup", "coopcore.commands.contracts", "coopcore.commands.distribution",
         "coopcore.commands.land", "coopcore.commands.members", "coopcore.commands.villages",
         "coopcore.commands.workbook", "coopcore.commands.ledger_workbook", "coopcore.commands.base",
         "coopcore.models", "coopcore.services", "sqlalchemy",
         "alembic", "openpyxl", "flask", "flask_limiter", "admin", "reports")  # fmt: skip

IMPORTED_BY = """
import sys
from coopcore.cli import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
print(*sorted(sys.modules), sep="\\n", file=sys.stderr)
"""


def imported_by(*args: str) -> set[str]:
    """The modules a fresh `coop ARGS…` has imported when it exits."""
    result = subprocess.run([sys.executable, "-c", IMPORTED_BY, *args], capture_output=True, text=True, check=True)
    return set(result.stderr.split())


@pytest.mark.parametrize("args", [("--help",), ("--lang", "en", "--help"), ("--version",)])
def test_the_help_and_the_version_of_coop_import_no_subcommand(args: tuple[str, ...]) -> None:
    imported = imported_by(*args)
    heavy = sorted(name for name in imported if any(name == top or name.startswith(f"{top}.") for top in HEAVY))
    assert heavy == []


LOADED_FIRST = """
import sys
import click
from coopcore.cli import main
ctx = click.Context(main)
assert all(main.get_command(ctx, name) is not None for name in main.list_commands(ctx))
main(sys.argv[1:], prog_name="coop")
"""


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_command_list_read_without_importing_is_the_one_of_the_loaded_commands(lang: str) -> None:
    def page(*command: str) -> str:
        env = {**os.environ, "COLUMNS": "80"}
        return subprocess.run([*command, "--lang", lang, "--help"], capture_output=True, text=True, env=env).stdout

    fresh = page(COOP)
    assert fresh == page(sys.executable, "-c", LOADED_FIRST)
    assert "distribution" in fresh and "admin" in fresh and "report" in fresh


def test_a_mistyped_command_still_gets_a_suggestion_before_any_command_is_loaded() -> None:
    result = subprocess.run([COOP, "--lang", "en", "distribuion"], capture_output=True, text=True)
    assert result.returncode == 2
    assert "No such command 'distribuion'. Did you mean 'distribution'?" in result.stderr
