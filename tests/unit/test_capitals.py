"""coopcore.i18n.capitals: amounts in Chinese capitals (大写) by 《会计基础工作规范》第五十二条 and the bank rules."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coopcore.errors import InvalidValue
from coopcore.i18n.capitals import DIGITS, amount_in_capitals

D = Decimal


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        # The cases of the issue.
        ("0.10", "人民币壹角整"),  # 到角为止: 整 after 角, and no 零元 before it
        ("12345.67", "人民币壹万贰仟叁佰肆拾伍元陆角柒分"),
        ("0.00", "人民币零元整"),
        ("0.05", "人民币伍分"),
        ("10.00", "人民币壹拾元整"),
        ("100000.10", "人民币壹拾万元零壹角整"),
        # The examples of 《支付结算办法》附件一 (the form with 零 where it allows either).
        ("1409.50", "人民币壹仟肆佰零玖元伍角整"),
        ("6007.14", "人民币陆仟零柒元壹角肆分"),
        ("1680.32", "人民币壹仟陆佰捌拾元零叁角贰分"),
        ("107000.53", "人民币壹拾万柒仟元零伍角叁分"),
        ("16409.02", "人民币壹万陆仟肆佰零玖元零贰分"),
        ("325.04", "人民币叁佰贰拾伍元零肆分"),
        # 《会计基础工作规范》第五十二条(三): 到元或者角为止的，在"元"或者"角"字之后应当写"整"字; 有分的不写.
        ("1.20", "人民币壹元贰角整"),
        ("1.00", "人民币壹元整"),
        ("1.23", "人民币壹元贰角叁分"),
        # Example 1's dividends (docs/domain.md §4).
        ("40880.80", "人民币肆万零捌佰捌拾元零捌角整"),
        ("163999.96", "人民币壹拾陆万叁仟玖佰玖拾玖元玖角陆分"),
        ("15674.10", "人民币壹万伍仟陆佰柒拾肆元壹角整"),
    ],
)
def test_amounts_are_written_as_on_a_bank_voucher(amount: str, words: str) -> None:
    assert amount_in_capitals(D(amount)) == words


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        ("1", "壹元整"),
        ("0.10", "壹角整"),
        ("0.15", "壹角伍分"),
        ("5.05", "伍元零伍分"),
        ("10.10", "壹拾元零壹角整"),
        ("10.05", "壹拾元零伍分"),
        ("15", "壹拾伍元整"),
        ("110", "壹佰壹拾元整"),
        ("1010", "壹仟零壹拾元整"),
        ("10005.30", "壹万零伍元叁角整"),
        ("100500", "壹拾万零伍佰元整"),
        ("1000000", "壹佰万元整"),
        ("10010000", "壹仟零壹万元整"),
        ("100000000", "壹亿元整"),
        ("100000001", "壹亿零壹元整"),
        ("100010000", "壹亿零壹万元整"),
        ("120000000.01", "壹亿贰仟万元零壹分"),
        ("999999999999.99", "玖仟玖佰玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分"),
    ],
)
def test_zeros_sections_and_the_end_of_the_amount(amount: str, words: str) -> None:
    assert amount_in_capitals(D(amount), prefix="") == words


def test_the_amount_is_rounded_half_up_to_the_fen_first() -> None:
    # cn2an truncates: 1.239 and 1.235 both give 壹元贰角叁分 there.
    assert amount_in_capitals(D("1.239")) == "人民币壹元贰角肆分"
    assert amount_in_capitals(D("1.235")) == "人民币壹元贰角肆分"
    assert amount_in_capitals(D("1.234")) == "人民币壹元贰角叁分"
    assert amount_in_capitals(D("9.995")) == "人民币壹拾元整"
    assert amount_in_capitals(D("0.004")) == "人民币零元整"


def test_negative_amounts_carry_fu_and_a_negative_zero_does_not() -> None:
    assert amount_in_capitals(D("-5.20")) == "人民币负伍元贰角整"
    assert amount_in_capitals(D("-4321.09")) == "人民币负肆仟叁佰贰拾壹元零玖分"
    assert amount_in_capitals(D("-0.004")) == "人民币零元整"
    assert amount_in_capitals(D("-0.005")) == "人民币负壹分"  # half-up rounds away from zero (四舍五入)


def test_floats_are_refused_and_strings_and_ints_accepted() -> None:
    with pytest.raises(TypeError):
        amount_in_capitals(0.1 + 0.2)  # type: ignore[arg-type]
    assert amount_in_capitals("1,234.50") == "人民币壹仟贰佰叁拾肆元伍角整"
    assert amount_in_capitals(7) == "人民币柒元整"


def test_amounts_beyond_the_money_columns_are_refused() -> None:
    with pytest.raises(InvalidValue):
        amount_in_capitals(D("1000000000000.00"))
    with pytest.raises(InvalidValue):
        amount_in_capitals(D("NaN"))


UNITS = {"拾": 10, "佰": 100, "仟": 1000}
SECTION_UNITS = {"万": 10**4, "亿": 10**8}


def read_capitals(words: str) -> Decimal:
    """Read 大写 back into yuan (the test's own, independent reader)."""
    words = words.removeprefix("人民币").removesuffix("整")
    sign = -1 if words.startswith("负") else 1
    words = words.removeprefix("负")
    yuan_part, _, fraction = words.rpartition("元") if "元" in words else ("", "", words)
    total, section, digit = 0, 0, 0
    for ch in yuan_part:
        if ch in DIGITS:
            digit = DIGITS.index(ch)
        elif ch in UNITS:
            section, digit = section + digit * UNITS[ch], 0
        elif ch in SECTION_UNITS:
            total, section, digit = total + (section + digit) * SECTION_UNITS[ch], 0, 0
    fraction = fraction.removeprefix("零")
    fen = sum(DIGITS.index(n) * (10 if u == "角" else 1) for n, u in zip(fraction[::2], fraction[1::2], strict=True))
    return sign * (Decimal(total + section + digit) + Decimal(fen).scaleb(-2))


@given(st.integers(min_value=-(10**14) + 1, max_value=10**14 - 1))
def test_every_amount_reads_back_to_the_same_fen(fen: int) -> None:
    amount = Decimal(fen).scaleb(-2)
    words = amount_in_capitals(amount)
    assert read_capitals(words) == amount
    assert "零零" not in words and not words.endswith("零")
    assert ("零元" in words) == (fen == 0)  # 零 never stands before 元 except for nothing at all
    assert words.endswith(("元整", "角整", "分"))
    # 第五十二条(三): 整 after 元 or 角 (the amount stops there), never after 分.
    assert words.endswith("整") == (fen % 10 == 0)
