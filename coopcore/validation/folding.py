"""Identifiers as people type them: full-width characters and every kind of space folded to plain ASCII."""

from __future__ import annotations

import unicodedata


def fold(text: str) -> str:
    """Return text in NFKC form without whitespace or invisible format characters: ９１３１\u3000… → 9131…."""
    # NFKC turns full-width digits and letters (a Chinese input method's full-width mode), the full-width
    # hyphen and plus into ASCII. str.split() splits on every Unicode whitespace (ideographic, non-breaking,
    # thin spaces, tabs, line breaks); zero-width spaces and a byte-order mark are format characters (Cf).
    normal = unicodedata.normalize("NFKC", text)
    return "".join(ch for ch in "".join(normal.split()) if unicodedata.category(ch) != "Cf")
