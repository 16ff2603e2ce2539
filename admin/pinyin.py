"""Pinyin initials of Chinese names (张建国 → zjg) for the member search, without a pinyin dictionary.

GB 2312 orders its 3,755 level-1 characters (the common ones, nearly every name) by pinyin, so a character's
code point tells its initial: the first character of each letter's block is listed below. Level-2 characters
are ordered by radical; the few that occur in our villages' names are listed by hand. Surnames read
differently from the character's first reading (单 Shàn, 曾 Zēng …) are corrected for the first character.
For full coverage and polyphones, the `pypinyin` package would be the tool.
"""

from __future__ import annotations

from functools import cache

# (first GB 2312 code of the letter's block, letter); no block starts with i, u or v.
_BLOCKS = (
    (0xB0A1, "a"),
    (0xB0C5, "b"),
    (0xB2C1, "c"),
    (0xB4EE, "d"),
    (0xB6EA, "e"),
    (0xB7A2, "f"),
    (0xB8C1, "g"),
    (0xB9FE, "h"),
    (0xBBF7, "j"),
    (0xBFA6, "k"),
    (0xC0AC, "l"),
    (0xC2E8, "m"),
    (0xC4C3, "n"),
    (0xC5B6, "o"),
    (0xC5BE, "p"),
    (0xC6DA, "q"),
    (0xC8BB, "r"),
    (0xC8F6, "s"),
    (0xCBFA, "t"),
    (0xCDDA, "w"),
    (0xCEF4, "x"),
    (0xD1B9, "y"),
    (0xD4D1, "z"),
)
_LEVEL_1_END = 0xD7F9
# Level-2 characters seen in Shandong names and place names.
_EXTRA = {
    "栾": "l",
    "疃": "t",
    "夼": "k",
    "靓": "l",
    "丛": "c",
    "隋": "s",
    "鞠": "j",
    "逄": "p",
    "昝": "z",
    "淄": "z",
    "崂": "l",
    "莒": "j",
    "郯": "t",
    "兖": "y",
    "菏": "h",
    "旸": "y",
    "埠": "b",
    "岚": "l",
}
_SURNAMES = {
    "单": "s",
    "曾": "z",
    "解": "x",
    "仇": "q",
    "区": "o",
    "朴": "p",
    "查": "z",
    "乐": "y",
    "缪": "m",
    "尉": "y",
    "盖": "g",
    "种": "c",
    "员": "y",
    "万": "w",
    "长": "c",
    "沈": "s",
}


@cache
def initial(char: str) -> str:
    """The pinyin initial of one character; ASCII letters and digits stand for themselves; else ''."""
    if char.isascii():
        return char.lower() if char.isalnum() else ""
    if char in _EXTRA:
        return _EXTRA[char]
    try:
        high, low = char.encode("gb2312")
    except (UnicodeEncodeError, ValueError):
        return ""
    code = high << 8 | low
    if not _BLOCKS[0][0] <= code <= _LEVEL_1_END:
        return ""
    letter = ""
    for start, block_letter in _BLOCKS:
        if code < start:
            break
        letter = block_letter
    return letter


def initials(name: str) -> str:
    """The initials of a name: 张建国 → zjg, 单立新 → slx (surname reading)."""
    if not name:
        return ""
    first = _SURNAMES.get(name[0]) or initial(name[0])
    return first + "".join(initial(char) for char in name[1:])


def is_initials_query(term: str) -> bool:
    """True for a search term that could be pinyin initials (two to eight Latin letters)."""
    return term.isascii() and term.isalpha() and 2 <= len(term) <= 8
