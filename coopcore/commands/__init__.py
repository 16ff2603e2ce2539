"""Subcommands of `coop`, one module per area; each parses, calls a service and prints."""
