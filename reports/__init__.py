"""Printable reports (PDF and XLSX) for members, assemblies and townships, read from coopcore and never written back.

Each builder takes an open session and writes its files into a folder, returning their paths (the admin offers
the same files as downloads). Reports read only: use a session you roll back, or `reports.cli.read_only`.
"""
