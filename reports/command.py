"""`coop report …`: every printable report as a subcommand, loaded only when it is used.

The `coop` command loads this group through the "coopcore.commands" entry point on every run; matplotlib,
reportlab and openpyxl are imported only when a report is actually asked for.
"""

from __future__ import annotations

import importlib

import click

# Subcommand → module; each module also runs on its own as `python -m MODULE`.
REPORTS = {
    "distribution": "reports.distribution",
    "slips": "reports.slips",
    "member-statements": "reports.member_statements",
    "payment-run": "reports.payment_runs",
    "notice": "reports.notice",
    "accounts": "reports.accounts",
    "township": "reports.township",
    "contracts": "reports.contracts",
    "vouchers": "reports.vouchers",
    "trial-balance": "reports.trial_balance",
    "general-ledger": "reports.general_ledger",
    "detail-ledger": "reports.detail_ledger",
    "statements": "reports.statements",
    "township-statements": "reports.township_statements",
    "all": "reports.bundle",
}


class LazyGroup(click.Group):
    """A group whose subcommands are imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(REPORTS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in REPORTS:
            return None
        command = importlib.import_module(REPORTS[cmd_name]).command
        assert isinstance(command, click.Command)
        return command


@click.group("report", cls=LazyGroup)
def report_group() -> None:
    """Printable reports (PDF, XLSX): distribution, slips, notice, member accounts, township, contracts, books."""
