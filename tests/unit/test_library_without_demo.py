"""The library ships no demo: the data set, its writer and its password live in the top-level package demo/."""

from __future__ import annotations

import importlib.util
import re
from importlib.metadata import entry_points, requires
from pathlib import Path

import coopcore
import demo


def test_no_file_of_the_coopcore_package_holds_the_demo_password() -> None:
    root = Path(coopcore.__file__).parent
    files = [path for path in root.rglob("*") if path.is_file() and "__pycache__" not in path.parts]
    assert len(files) > 50  # the walk did find the library
    holding = [path for path in files if demo.DEMO_PASSWORD.encode() in path.read_bytes()]
    assert holding == []


def test_the_demo_generators_are_not_part_of_the_library() -> None:
    assert importlib.util.find_spec("coopcore.services.demo") is None
    assert Path(demo.__file__).parent.name == "demo"
    assert Path(demo.__file__).parent.parent == Path(coopcore.__file__).parent.parent  # top level, beside coopcore


def test_coop_demo_plugs_in_through_the_entry_point_group_like_admin_and_reports() -> None:
    commands = {point.name: point for point in entry_points(group="coopcore.commands")}
    assert commands["demo"].value.split(":")[0] == "demo.command"
    assert commands["demo"].load().name == "demo"


def test_the_library_no_longer_depends_on_faker() -> None:
    names = [re.split(r"[<>=!~;\[ ]", requirement, maxsplit=1)[0].lower() for requirement in requires("coopcore") or []]
    assert "sqlalchemy" in names
    assert "faker" not in names
