"""The reports' catalog: every word of the reports has its Chinese translation and changes no other catalog's."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from coopcore.i18n import translate
from reports import bundle, text

REPORTS = Path(bundle.__file__).parent


def report_msgids() -> set[str]:
    """Every literal label the reports translate, and the tables of sentences in reports/text.py."""
    found: set[str] = set()
    for path in REPORTS.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
                name = getattr(node.func, "attr", getattr(node.func, "id", ""))
                if name in ("tr", "render") and isinstance(node.args[0].value, str):
                    found.add(node.args[0].value)
    for table in (text.WATERMARKS, text.STATUS_LINES):
        found |= set(table.values())
    return found


@pytest.mark.parametrize("msgid", sorted(report_msgids()))
def test_every_word_of_the_reports_has_a_chinese_translation(msgid: str) -> None:
    assert translate(msgid, "zh") != msgid


def test_the_reports_catalog_does_not_change_another_catalog_s_translation() -> None:
    from babel.messages.pofile import read_po

    folder = REPORTS.parent / "coopcore" / "i18n" / "locale" / "zh_CN" / "LC_MESSAGES"
    ours = {m.id: m.string for m in read_po((folder / "reports.po").open("rb")) if m.id}
    for other in folder.glob("*.po"):
        if other.name != "reports.po":
            for message in read_po(other.open("rb")):
                if message.id in ours:
                    assert ours[message.id] == message.string, (other.name, message.id)
