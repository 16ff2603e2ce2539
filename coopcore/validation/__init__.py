"""Identifier and value validators; pure functions, no database."""
