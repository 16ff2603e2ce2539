"""What the demo generators share: the seeded generator, the rows so far, and the facts later steps build on."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from decimal import Decimal

from coopcore.models import MemberKind
from demo.dataset import DemoSet, Ref
from demo.names import Identities

YEARS = (2022, 2023, 2024)
DEMO_MARK = "（演示数据）"  # appended to free text so nobody mistakes a demo row for a real one
DISTRICT = "黄渤海新区（演示）"
DISTRICT_CODE = "370671"


@dataclass
class VillagePlan:
    """A generated village with its collective and party branch."""

    ref: Ref
    name: str
    township: str
    township_index: int
    region_code: str
    collective: Ref
    collective_name: str
    collective_code: str
    branch: Ref
    secretary: str
    secretary_male: bool


@dataclass
class MemberPlan:
    """A generated member, as later steps (trades, land, federations) need it."""

    ref: Ref
    code: str
    name: str
    kind: MemberKind
    joined_on: dt.date
    left_on: dt.date | None = None
    contribution: Decimal = Decimal("0.00")

    def is_member_on(self, day: dt.date) -> bool:
        """True if on the roster that day."""
        return self.joined_on <= day and (self.left_on is None or self.left_on >= day)


@dataclass
class CoopPlan:
    """A generated cooperative or federation; index is its spec number (its village, or 100+ for federations)."""

    ref: Ref
    index: int
    name: str
    credit_code: str
    village: VillagePlan
    product: str
    founded_on: dt.date
    is_federation: bool = False
    members: list[MemberPlan] = field(default_factory=list)
    parcel_count: int = 0


@dataclass
class DemoContext:
    """The seeded generator and everything generated so far; generators run in a fixed order."""

    rng: random.Random
    data: DemoSet = field(default_factory=DemoSet)
    townships: list[Ref] = field(default_factory=list)
    township_names: list[str] = field(default_factory=list)
    villages: list[VillagePlan] = field(default_factory=list)
    cooperatives: list[CoopPlan] = field(default_factory=list)
    federations: list[CoopPlan] = field(default_factory=list)
    products: dict[str, Ref] = field(default_factory=dict)
    enterprises: list[Ref] = field(default_factory=list)
    # Member intake tickets per (cooperative index, year): (day, grade, trade) for linking deliveries.
    intakes: dict[tuple[int, int], list[tuple[dt.date, str, Ref]]] = field(default_factory=dict)
    linked: set[Ref] = field(default_factory=set)  # intake tickets already traced to a delivery
    people: Identities = field(init=False)

    def __post_init__(self) -> None:
        self.people = Identities(self.rng)

    def cooperative(self, index: int) -> CoopPlan:
        """Return the party-branch-led cooperative generated with this spec index."""
        return next(plan for plan in self.cooperatives if plan.index == index)

    def day_between(self, first: dt.date, last: dt.date) -> dt.date:
        """Return a day from first to last inclusive."""
        return first + dt.timedelta(days=self.rng.randint(0, (last - first).days))

    def fen(self, low: int, high: int) -> Decimal:
        """Return an amount from low to high yuan with random fen (built from integers, never a float)."""
        return Decimal(self.rng.randint(low * 100, high * 100)).scaleb(-2)

    def step(self, low: int, high: int, step: int) -> Decimal:
        """Return a whole-yuan amount from low to high in multiples of step, as money."""
        return Decimal(self.rng.randrange(low, high + 1, step)).quantize(Decimal("0.01"))
