"""The Chinese font is found at run time, must really draw Chinese, and its absence is a clear error."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from coopcore.i18n import render_error
from reports import fonts


@pytest.fixture
def fresh() -> Iterator[None]:
    """Forget the font found so far, before and after the test."""
    fonts.chinese_font.cache_clear()
    yield
    fonts.chinese_font.cache_clear()


def test_the_installed_wenquanyi_font_is_found_and_registered(fresh: None) -> None:
    font = fonts.chinese_font()
    assert font.family == "WenQuanYi Micro Hei" and font.path.suffix == ".ttc" and font.index == 0
    assert fonts.register_pdf_font() == "CJK"
    assert fonts.configure_matplotlib() == "WenQuanYi Micro Hei"
    import matplotlib

    assert matplotlib.rcParams["pdf.fonttype"] == 42 and matplotlib.rcParams["axes.unicode_minus"] is False
    assert matplotlib.rcParams["font.sans-serif"][0] == "WenQuanYi Micro Hei"


def test_without_a_chinese_font_the_error_says_what_to_install(fresh: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fonts, "_candidates", lambda: [(Path("/nonexistent.ttf"), 0, "Nothing")])
    with pytest.raises(fonts.NoChineseFont) as raised:
        fonts.chinese_font()
    assert "apt-get install fonts-wqy-microhei" in render_error(raised.value, "en")


def test_a_font_that_cannot_draw_chinese_or_is_the_last_resort_is_skipped(
    fresh: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    import matplotlib

    data = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    candidates = [
        (data / "LastResortHE-Regular.ttf", 0, "Last Resort High-Efficiency"),
        (data / "DejaVuSans.ttf", 0, "DejaVu Sans"),
    ]
    monkeypatch.setattr(fonts, "_candidates", lambda: candidates)
    with pytest.raises(fonts.NoChineseFont):
        fonts.chinese_font()


def test_fontconfig_lines_are_read_with_their_face_index() -> None:
    line = (
        "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc: WenQuanYi Micro Hei,文泉驛微米黑:index=0:fontformat=TrueType"
    )
    assert fonts._parse_fc_line(line) == (
        Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"),
        0,
        "WenQuanYi Micro Hei",
    )
    assert fonts._parse_fc_line("/x/NotoSansCJK.ttc: Noto Sans CJK SC:index=2:fontformat=CFF") is None
