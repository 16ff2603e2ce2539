"""The Chinese font of every report, found at run time and registered with reportlab and matplotlib.

fontconfig is asked first (``fc-list :lang=zh-cn``), then the usual font folders are searched. A candidate must be
TrueType (reportlab embeds TrueType outlines only; Noto CJK's CFF outlines are refused) and must really draw the
sample below: matplotlib's own "Last Resort" font claims every code point and draws boxes, so it never counts
(a known matplotlib behaviour).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from coopcore.errors import CoopError

# What a report prints: figures, the yuan sign, 大写 and the words of the forms.
SAMPLE = "合作社盈余分配成员账户人民币壹贰叁肆伍陆柒捌玖拾佰仟万亿元角分整零¥0123456789,.%"
PREFERRED = ("WenQuanYi Micro Hei", "WenQuanYi Zen Hei", "Droid Sans Fallback", "AR PL UMing CN", "SimHei")
FONT_DIRS = ("/usr/share/fonts", "/usr/local/share/fonts", "~/.local/share/fonts", "~/.fonts")
FONT_NAME = "CJK"  # the name the PDF code uses
ENV_FONT = "COOP_REPORT_FONT"  # a font file to use instead of searching (a .ttc may end in #index)


class NoChineseFont(CoopError):
    """No Chinese TrueType font is installed, so reports cannot print Chinese: install one, e.g. `sudo apt-get install fonts-wqy-microhei`, or set COOP_REPORT_FONT to a .ttf/.ttc file."""  # noqa: E501


@dataclass(frozen=True)
class ChineseFont:
    """A font file (and the face inside a .ttc collection) that draws Chinese."""

    path: Path
    index: int
    family: str


@cache
def chinese_font() -> ChineseFont:
    """Return the Chinese font to use, or raise NoChineseFont."""
    for path, index, family in _candidates():
        if "last resort" in family.lower():
            continue
        if _draws_sample(path, index):
            return ChineseFont(path, index, family)
    raise NoChineseFont()


@cache
def register_pdf_font() -> str:
    """Register the Chinese font with reportlab (embedded, subset) and return its name."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    font = chinese_font()
    pdfmetrics.registerFont(TTFont(FONT_NAME, str(font.path), subfontIndex=font.index))
    return FONT_NAME


@cache
def configure_matplotlib() -> str:
    """Point matplotlib (Agg) at the Chinese font and return the family name it knows it by."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import font_manager

    font = chinese_font()
    # addfont sees a font installed after matplotlib's cache was written (a known matplotlib behaviour).
    font_manager.fontManager.addfont(str(font.path))
    known = {entry.name for entry in font_manager.fontManager.ttflist}
    family = font.family if font.family in known else font_manager.FontProperties(fname=str(font.path)).get_name()
    matplotlib.rcParams.update(
        {
            "font.family": "sans-serif",
            "font.sans-serif": [family, "DejaVu Sans"],
            "axes.unicode_minus": False,  # CJK fonts often lack U+2212
            "pdf.fonttype": 42,  # embed TrueType, not Type 3
            "ps.fonttype": 42,
        }
    )
    return family


def _candidates() -> list[tuple[Path, int, str]]:
    """Font files that may draw Chinese: the override, then fontconfig's, then the font folders'."""
    found: list[tuple[Path, int, str]] = []
    override = os.environ.get(ENV_FONT, "")
    if override:
        file, _, index = override.partition("#")
        found.append((Path(file).expanduser(), int(index or 0), Path(file).stem))
    if shutil.which("fc-list"):
        try:
            listed = subprocess.run(
                ["fc-list", ":lang=zh-cn", "file", "index", "family", "fontformat"],
                capture_output=True,
                text=True,
                timeout=20,
                check=False,
            ).stdout
        except (OSError, subprocess.SubprocessError):
            listed = ""
        for line in listed.splitlines():
            entry = _parse_fc_line(line)
            if entry is not None:
                found.append(entry)
    for folder in FONT_DIRS:
        root = Path(folder).expanduser()
        if root.is_dir():
            for path in sorted(root.rglob("*")):
                if path.suffix.lower() in (".ttf", ".ttc"):
                    found.append((path, 0, path.stem))

    def rank(entry: tuple[Path, int, str]) -> tuple[int, int, int, str, int]:
        family = entry[2].lower()
        exact = [i for i, name in enumerate(PREFERRED) if name.lower() == family]
        partial = [i for i, name in enumerate(PREFERRED) if name.lower() in family]
        preferred, inexact = (exact[0], 0) if exact else (partial[0], 1) if partial else (len(PREFERRED), 1)
        return (0 if override and entry == found[0] else 1, preferred, inexact, str(entry[0]), entry[1])

    return sorted(dict.fromkeys(found), key=rank)


def _parse_fc_line(line: str) -> tuple[Path, int, str] | None:
    """Read one line of `fc-list … file index family fontformat`: '/x.ttc: Fam,别名:index=0:fontformat=TrueType'."""
    file, _, rest = line.partition(": ")
    if not file or "fontformat=TrueType" not in rest:
        return None
    fields = dict(part.split("=", 1) for part in rest.split(":") if "=" in part)
    family = rest.split(":")[0].split(",")[0]
    try:
        return Path(file), int(fields.get("index", "0")), family
    except ValueError:
        return None


def _draws_sample(path: Path, index: int) -> bool:
    """True if reportlab can embed the face and it has a glyph for every character of the sample."""
    from reportlab.pdfbase.ttfonts import TTFError, TTFont

    try:
        face = TTFont("probe", str(path), subfontIndex=index).face
    except (TTFError, OSError, ValueError, IndexError, KeyError, AssertionError):
        return False
    return all(ord(ch) in face.charToGlyph for ch in SAMPLE)
