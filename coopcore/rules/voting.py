"""Voting arithmetic of the member assembly ([L-22], [L-30], [L-32]) and of federations ([L-60]), in integers."""

from __future__ import annotations

from coopcore.errors import InvalidValue, RuleViolation

NEGATIVE_COUNT = "A count of members or votes cannot be negative: {value}."
COUNT_ABOVE_TOTAL = "{value} cannot exceed the total of {total}."
TEMPLATES = (NEGATIVE_COUNT, COUNT_ABOVE_TOTAL)

# [L-32]: a member-representative assembly needs more than 150 members; representatives are
# "generally 10%, at least 51" (一般为成员总数的百分之十，最低人数为五十一人), read as a floor by D15.
REPRESENTATIVE_ASSEMBLY_ABOVE = 150
MINIMUM_REPRESENTATIVES = 51


class AdditionalVotesOverCap(RuleViolation):
    """{granted} additional votes exceed the cap of {cap} for {members} members (20% of the basic votes, Art. 22)."""


class RepresentativeAssemblyNotAllowed(RuleViolation):
    """A member-representative assembly needs more than 150 members; the cooperative has {members} (Art. 32)."""


class FederationAdditionalVotes(RuleViolation):
    """A federation has one vote per member cooperative; {additional} additional votes cannot be granted (Art. 60)."""


def additional_votes_cap(members: int) -> int:
    """Return the most additional votes the members may hold: 20% of the basic votes, rounded down [L-22]."""
    return _count(members) // 5


def check_additional_votes(members: int, granted: int) -> None:
    """Refuse additional votes above the cap of [L-22]."""
    cap = additional_votes_cap(members)
    if _count(granted) > cap:
        raise AdditionalVotesOverCap(granted=granted, cap=cap, members=members)


def total_votes(members: int, additional: int) -> int:
    """Return the cooperative's total voting rights V = N + A (one basic vote per member, [L-22])."""
    check_additional_votes(members, additional)
    return members + additional


def has_quorum(members: int, present: int) -> bool:
    """Return whether at least two thirds of all members attend [L-30]."""
    _at_most(present, _count(members))
    return 3 * present >= 2 * members


def passes_ordinary(total_votes: int, yes: int) -> bool:
    """Return whether yes is more than half of the total voting rights (过半数) [L-30]."""
    _at_most(yes, _count(total_votes))
    return 2 * yes > total_votes


def passes_special(total_votes: int, yes: int) -> bool:
    """Return whether yes reaches two thirds of the total voting rights: charter, merger, federation [L-30]."""
    _at_most(yes, _count(total_votes))
    return 3 * yes >= 2 * total_votes


def representative_assembly_allowed(members: int) -> bool:
    """Return whether the cooperative may hold a member-representative assembly (more than 150 members) [L-32]."""
    return _count(members) > REPRESENTATIVE_ASSEMBLY_ABOVE


def representatives_needed(members: int) -> int:
    """Return how many representatives to elect: max(51, ceil(N/10)) (D15); refuse 150 members or fewer."""
    if not representative_assembly_allowed(members):
        raise RepresentativeAssemblyNotAllowed(members=members)
    return max(MINIMUM_REPRESENTATIVES, -(-members // 10))


def federation_votes(member_cooperatives: int, additional: int = 0) -> int:
    """Return a federation's total votes: one per member cooperative, and no additional votes [L-60]."""
    if _count(additional):
        # [L-60] 一社一票; the law grants no additional votes to federations (INFERRED, domain.md §11).
        raise FederationAdditionalVotes(additional=additional)
    return _count(member_cooperatives)


def _count(value: int) -> int:
    if value < 0:
        raise InvalidValue(NEGATIVE_COUNT, value=value)
    return value


def _at_most(value: int, total: int) -> None:
    if _count(value) > total:
        raise InvalidValue(COUNT_ABOVE_TOTAL, value=value, total=total)
