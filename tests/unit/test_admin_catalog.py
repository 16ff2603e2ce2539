"""The admin's catalog: every text of the admin has its Chinese translation, and the catalog holds nothing else."""

from __future__ import annotations

from admin.i18n import _catalog
from coopcore.i18n import translate
from tests.admin.msgids import all_msgids


def test_every_text_of_the_admin_has_a_chinese_translation_and_the_catalog_nothing_else() -> None:
    used = all_msgids()
    missing = sorted(text for text in used if translate(text, "zh") == text and text not in _catalog())
    assert not missing, missing
    unused = sorted(set(_catalog()) - used)
    assert not unused, unused
