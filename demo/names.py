"""Plausible Jiaodong people and valid identifiers for the demo: names, resident IDs, mobiles, credit codes."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from coopcore.validation import credit_code, resident_id

# Surnames common in the Jiaodong peninsula (姜, 于, 曲, 栾, 隋, 衣, 鞠 are typical of Yantai), listed by weight.
SURNAMES = "王王王李李李张张张刘刘孙孙姜姜于于曲曲宋林赵迟栾隋衣鞠柳初徐杨高郝修慕唐"
# Given names of the generations that farm today: the resident ID's sex digit must match the name.
_MALE_GIVEN = (
    "建国 立新 志强 德胜 洪涛 振华 春生 国庆 永强 新民 海军 宝林 玉山 文斌 明亮 庆丰 学军 长春 卫东 "
    "红军 建华 胜利 国华 守信 克俭 连生 福山 树林 传海 世勇 伟 磊 强 军 涛 勇 刚 斌 鹏 杰 峰 波 超 东"
)
_FEMALE_GIVEN = (
    "秀英 桂兰 玉梅 淑珍 丽华 春燕 秀兰 桂芳 凤英 翠花 美玲 海燕 红梅 晓红 玉兰 秀芝 金凤 素梅 爱华 "
    "淑芬 桂英 春梅 月华 丽 静 敏 燕 霞 娟 芳 艳 萍 红 莉 娜"
)
# Address codes of Yantai districts and counties (GB/T 2260); most members were registered locally.
ADDRESS_CODES = ("370671",) * 6 + ("370611", "370612", "370613", "370614", "370602", "370681", "370686")
_MOBILE_PREFIXES = (
    "130 131 132 133 134 135 136 137 138 139 150 151 152 153 155 156 157 158 159 "
    "166 177 178 180 181 182 183 185 186 187 188 189 199"
)
# Space-separated above because a literal tuple would take a line per name once formatted.
MALE_GIVEN = _MALE_GIVEN.split()
FEMALE_GIVEN = _FEMALE_GIVEN.split()
MOBILE_PREFIXES = _MOBILE_PREFIXES.split()

BORN_FROM = dt.date(1950, 1, 1)
BORN_TO = dt.date(1995, 12, 31)


@dataclass(frozen=True, slots=True)
class Person:
    """A natural person: name, sex, resident ID and mobile number."""

    name: str
    male: bool
    id_number: str
    phone: str


class Identities:
    """Draws people and codes from one seeded generator, never handing out the same number twice."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        # Sets only answer "seen before?"; nothing iterates them, so hash order cannot leak into the data.
        self._used: set[str] = set()
        self._organisations: dict[str, str] = {}

    def person(self, *, male: bool | None = None, avoid: set[str] | None = None) -> Person:
        """Return a new person; avoid lists names already taken in the same roster."""
        is_male = self._rng.random() < 0.7 if male is None else male
        name = self.name(male=is_male)
        while avoid is not None and name in avoid:
            name = self.name(male=is_male)
        if avoid is not None:
            avoid.add(name)
        return Person(name, is_male, self.resident_id(male=is_male), self.phone())

    def name(self, *, male: bool) -> str:
        """Return a surname and a given name of the matching sex."""
        given = MALE_GIVEN if male else FEMALE_GIVEN
        return self._rng.choice(SURNAMES) + self._rng.choice(given)

    def resident_id(self, *, male: bool) -> str:
        """Return an unused 18-digit resident ID born 1950–1995, sex digit odd for men, with its check digit."""
        span = (BORN_TO - BORN_FROM).days
        while True:
            born_on = BORN_FROM + dt.timedelta(days=self._rng.randrange(span + 1))
            sequence = self._rng.randrange(500) * 2 + (1 if male else 0)
            body = f"{self._rng.choice(ADDRESS_CODES)}{born_on:%Y%m%d}{sequence:03d}"
            number = body + resident_id.calc_check_digit(body)
            if self._claim(number):
                return number

    def phone(self) -> str:
        """Return an unused mainland mobile number."""
        while True:
            number = self._rng.choice(MOBILE_PREFIXES) + f"{self._rng.randrange(10**8):08d}"
            if self._claim(number):
                return number

    def credit_code(self, prefix: str, region: str, subject_prefix: str = "MA") -> str:
        """Return an unused unified social credit code: prefix, region, subject ID and check character."""
        while True:
            tail = "".join(self._rng.choice(credit_code.ALPHABET) for _ in range(9 - len(subject_prefix)))
            body = f"{prefix}{region}{subject_prefix}{tail}"
            code = body + credit_code.calc_check_digit(body)
            if self._claim(code):
                return code

    def organisation_code(self, name: str, prefix: str, region: str) -> str:
        """Return the credit code of a named organisation: the same code every time the name comes up."""
        if name not in self._organisations:
            self._organisations[name] = self.credit_code(prefix, region, "MA3")
        return self._organisations[name]

    def _claim(self, value: str) -> bool:
        if value in self._used:
            return False
        self._used.add(value)
        return True
