"""Pinyin initials for the member search: every reading of a polyphone counts."""

from __future__ import annotations

import pytest

from admin.pinyin import is_initials_query, matches, readings, spellings


@pytest.mark.parametrize(
    ("name", "spelled"),
    [
        ("张建国", {"zjg"}),
        ("曾立新", {"clx", "zlx"}),  # céng, and zēng as a surname
        ("单立新", {"dlx", "clx", "slx"}),  # dān, chán, shàn
        ("晨靓", {"cj", "cl"}),  # jìng, and liàng as the cooperative's name is read
        ("栾疃", {"lt"}),  # level-2 characters of Shandong names
        ("区", {"o", "q"}),  # a reading that starts with a toned vowel (ōu)
        ("M3号", {"m3h"}),
    ],
)
def test_a_name_is_spelled_in_every_reading(name: str, spelled: set[str]) -> None:
    assert spelled <= spellings(name)


def test_a_search_matches_any_part_of_any_reading() -> None:
    assert matches("zlx", "曾立新")
    assert matches("clx", "曾立新")
    assert matches("lx", "曾立新")
    assert not matches("zjg", "曾立新")


def test_a_character_without_a_reading_adds_nothing() -> None:
    assert readings("·") == ("",)
    assert {"aym", "eym"} <= spellings("阿依·木")


def test_a_name_of_many_polyphones_is_cut_at_a_bound() -> None:
    name = "长乐单曾区解朴万" * 2  # thousands of readings
    assert len(spellings(name)) == 256


@pytest.mark.parametrize(
    ("term", "expected"), [("zjg", True), ("ZJG", True), ("z", False), ("张", False), ("zj9", False)]
)
def test_only_short_latin_terms_are_taken_for_initials(term: str, expected: bool) -> None:
    assert is_initials_query(term) is expected
