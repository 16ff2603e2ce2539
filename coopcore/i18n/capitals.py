"""Amounts in Chinese capital numerals (大写金额) for dividend slips and vouchers: 人民币壹万贰仟叁佰肆拾伍元陆角柒分.

The rules are those of 《会计基础工作规范》第五十二条 for vouchers and of the People's Bank of China for bills
(《支付结算办法》附件一 "正确填写票据和结算凭证的基本规定"):

* an amount that stops at 元 or at 角 is followed by 整 (第五十二条(三): "到元或者角为止的，在'元'或者'角'字之后
  应当写'整'字"; the bank rules allow it after 角 and the accounting rule requires it); nothing follows 分;
* one 零 stands for a run of zeros between non-zero digits, also across the 万 and 亿 sections and across 元
  (¥1,680.32 → 壹仟陆佰捌拾元零叁角贰分, ¥100,000.10 → 壹拾万元零壹角整, where the rules allow 零 or nothing
  and we always write it, so that nothing can be slipped in);
* 角 zero and 分 not zero: 零 after 元 (¥16,409.02 → 壹万陆仟肆佰零玖元零贰分);
* no 零元 before an amount under one yuan (¥0.10 → 壹角整, ¥0.05 → 伍分);
* 拾 at the head of a number keeps its 壹 (¥10.00 → 壹拾元整), as the rules require, unlike spoken Chinese.

cn2an's "rmb" mode truncates beyond the fen and drops that 零 (checked with cn2an 0.5), hence this module.
"""

from __future__ import annotations

from decimal import Decimal

from coopcore.errors import InvalidValue
from coopcore.money import to_money

DIGITS = "零壹贰叁肆伍陆柒捌玖"
PLACES = ("", "拾", "佰", "仟")  # inside a section of four digits
SECTIONS = ("", "万", "亿")  # each section is 10,000 times the one before
LIMIT = 10**12  # 万亿 and up: beyond the money columns (±999,999,999,999.99, coopcore.db.types.Money)
PREFIX = "人民币"


def amount_in_capitals(amount: Decimal | int | str, *, prefix: str = PREFIX) -> str:
    """Write an amount in yuan in Chinese capitals, rounded half-up (四舍五入) to the fen first; negative → 负."""
    fen_total = int(to_money(amount).scaleb(2))  # to_money refuses floats: they have already lost the fen
    if abs(fen_total) >= LIMIT * 100:
        raise InvalidValue("{value} is too large to write in Chinese capitals", value=amount)
    sign = "负" if fen_total < 0 else ""
    yuan, fen = divmod(abs(fen_total), 100)
    jiao, fen = divmod(fen, 10)
    if yuan == 0 and jiao == 0 and fen == 0:
        return f"{prefix}零元整"
    words = _integer(yuan) + "元" if yuan else ""
    if jiao == 0 and fen == 0:
        return f"{prefix}{sign}{words}整"
    # The 元 digit (or the 角 digit) is zero between non-zero digits: one 零 marks the gap.
    if yuan and (yuan % 10 == 0 or jiao == 0):
        words += "零"
    if jiao:
        words += DIGITS[jiao] + "角"
    words += DIGITS[fen] + "分" if fen else "整"
    return f"{prefix}{sign}{words}"


def _integer(number: int) -> str:
    """Write a positive whole number of yuan by sections of four digits: 100500 → 壹拾万零伍佰."""
    sections: list[int] = []
    while number:
        number, section = divmod(number, 10_000)
        sections.append(section)
    words: list[str] = []
    skipped = False  # an all-zero section lies between what is written and what comes next
    for index in reversed(range(len(sections))):
        value = sections[index]
        if value == 0:
            skipped = bool(words)
            continue
        # 零 when zeros separate this section from the one before: a skipped section, or a leading zero here
        # (¥40,880 → 肆万零捌佰捌拾). The higher section's own trailing zeros need none (¥107,000 → 壹拾万柒仟).
        if words and (skipped or value < 1000):
            words.append("零")
        words.append(_section(value) + SECTIONS[index])
        skipped = False
    return "".join(words)


def _section(value: int) -> str:
    """Write 1..9999 with one 零 per inner run of zeros and none for trailing zeros: 1010 → 壹仟零壹拾."""
    digits = f"{value:04d}".lstrip("0")
    words: list[str] = []
    pending_zero = False
    for index, ch in enumerate(digits):
        digit = int(ch)
        if digit == 0:
            pending_zero = True
            continue
        if pending_zero:
            words.append("零")
            pending_zero = False
        words.append(DIGITS[digit] + PLACES[len(digits) - 1 - index])
    return "".join(words)
