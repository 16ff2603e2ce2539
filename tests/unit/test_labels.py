"""Every term of the domain has one label in English and Chinese, and no two values of a term share one."""

from __future__ import annotations

import enum
import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from coopcore import labels, terms
from coopcore.i18n import translate

CJK = re.compile(r"[\u4e00-\u9fff]")
CATALOGS = Path(terms.__file__).parent / "i18n" / "locale" / "zh_CN" / "LC_MESSAGES"
TERMS = [
    value
    for value in vars(terms).values()
    if isinstance(value, type) and issubclass(value, enum.Enum) and value.__module__ == terms.__name__
]


def test_every_enumeration_of_the_vocabulary_is_in_the_registry() -> None:
    assert set(TERMS) == set(labels.LABELS)


@pytest.mark.parametrize("term", TERMS, ids=lambda term: term.__name__)
def test_every_value_has_a_chinese_label_and_no_two_values_share_one(term: type[enum.Enum]) -> None:
    assert set(labels.LABELS[term]) == {str(value.value) for value in term}
    for lang in ("en", "zh"):
        named = [labels.label(value, lang) for value in term]
        assert len(set(named)) == len(named), (term.__name__, lang, named)
    for value in term:
        chinese = labels.label(value, "zh")
        assert chinese != labels.msgid(value) and CJK.search(chinese), (term.__name__, value)


def test_two_terms_that_store_the_same_string_keep_their_own_labels() -> None:
    assert terms.PlanStatus.ACHIEVED == terms.VillageStatus.ACHIEVED  # both store "achieved"
    assert labels.label(terms.PlanStatus.ACHIEVED, "zh") == "已摘帽"
    assert labels.label(terms.VillageStatus.ACHIEVED, "zh") == "已达标"
    assert labels.label(terms.LandGuaranteeTreatment.CAPITAL, "zh") != labels.label(terms.PaymentMethod.CAPITAL, "zh")


def test_the_labels_are_translated_in_one_catalog_only() -> None:
    ours = {str(message.id) for message in read_po((CATALOGS / "terms.po").open("rb")) if message.id}
    assert ours == {text for table in labels.LABELS.values() for text in table.values()}
    elsewhere = [Path(__file__).parents[2] / "admin" / "translations" / "zh_CN" / "LC_MESSAGES" / "admin.po"]
    for path in [*CATALOGS.glob("*.po"), *elsewhere]:
        if path.name != "terms.po":
            repeated = {str(m.id) for m in read_po(path.open("rb")) if m.id} & ours
            assert not repeated, (path.name, repeated)


def test_a_term_fills_a_message_in_the_reader_s_language() -> None:
    field = labels.term(terms.MemberKind.FARMER)
    assert translate(field, "zh") == "农民" and translate(field, "en") == "Farmer"
