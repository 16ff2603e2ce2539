"""Pinyin initials of Chinese names for the member search (zjg finds 张建国), from pypinyin's character dictionary.

Every reading of every character counts: 曾 is céng and, as a surname, zēng; 单 is dān and shàn; 靓 jìng and
liàng. So a search finds a name however the accountant reads it, without a table of surname readings.
pypinyin's dictionaries take about a second and 50 MB to load, so they are loaded on the first search by
initials, not when the admin starts.
"""

from __future__ import annotations

import unicodedata
from functools import cache
from itertools import islice, product

# A long name full of polyphones could be read in thousands of ways; this many are plenty to search.
MAX_SPELLINGS = 256


@cache
def readings(char: str) -> tuple[str, ...]:
    """The initials a character can be read with: 曾 → ('c', 'z'); ASCII letters and digits stand for themselves."""
    if char.isascii():
        return (char.lower(),) if char.isalnum() else ("",)
    from pypinyin.pinyin_dict import pinyin_dict

    spelled = pinyin_dict.get(ord(char))
    if not spelled:
        return ("",)
    # A reading may start with a toned vowel (ōu, ǎi): its first letter without the tone mark.
    return tuple(sorted({unicodedata.normalize("NFD", reading)[0] for reading in spelled.split(",")}))


def spellings(name: str) -> set[str]:
    """Every string of initials the name can be read as: 曾立新 → {'clx', 'zlx'}."""
    return {"".join(letters) for letters in islice(product(*(readings(char) for char in name)), MAX_SPELLINGS)}


def matches(term: str, name: str) -> bool:
    """True when the lower-case initials term occurs in some reading of the name (zlx, lx and zl find 曾立新)."""
    return any(term in spelled for spelled in spellings(name))


def is_initials_query(term: str) -> bool:
    """True for a search term that could be pinyin initials (two to eight Latin letters)."""
    return term.isascii() and term.isalpha() and 2 <= len(term) <= 8
