"""Voting arithmetic of the member assembly and of federations (domain.md §1.2, §11, §15 rules 6-10 and 40)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from coopcore.errors import InvalidValue, RuleViolation
from coopcore.i18n import render_error
from coopcore.rules.voting import (
    AdditionalVotesOverCap,
    FederationAdditionalVotes,
    RepresentativeAssemblyNotAllowed,
    additional_votes_cap,
    check_additional_votes,
    federation_votes,
    has_quorum,
    passes_ordinary,
    passes_special,
    representative_assembly_allowed,
    representatives_needed,
    total_votes,
)

# Rule 6: additional votes [L-22].


def test_fifty_seven_members_may_hold_at_most_eleven_additional_votes() -> None:
    assert additional_votes_cap(57) == 11
    check_additional_votes(57, 11)


def test_granting_twelve_additional_votes_to_fifty_seven_members_is_rejected() -> None:
    with pytest.raises(AdditionalVotesOverCap) as caught:
        check_additional_votes(57, 12)
    assert isinstance(caught.value, RuleViolation)
    assert caught.value.fields == {"granted": 12, "cap": 11, "members": 57}


def test_fifty_seven_members_with_eleven_additional_votes_have_sixty_eight_votes() -> None:
    assert total_votes(57, 11) == 68


def test_total_votes_refuse_additional_votes_over_the_cap() -> None:
    with pytest.raises(AdditionalVotesOverCap):
        total_votes(57, 12)


# Rule 7: quorum of two thirds of all members [L-30].


def test_thirty_seven_of_fifty_seven_members_are_no_quorum() -> None:
    assert not has_quorum(57, 37)


def test_thirty_eight_of_fifty_seven_members_are_a_quorum() -> None:
    assert has_quorum(57, 38)


# Rule 8: ordinary resolutions need more than half of all votes [L-30].


def test_thirty_four_yes_of_sixty_eight_votes_fail_an_ordinary_resolution() -> None:
    assert not passes_ordinary(68, 34)


def test_thirty_five_yes_of_sixty_eight_votes_pass_an_ordinary_resolution() -> None:
    assert passes_ordinary(68, 35)


# Rule 9: special resolutions need two thirds of all votes [L-30].


def test_forty_five_yes_of_sixty_eight_votes_fail_a_charter_amendment() -> None:
    assert not passes_special(68, 45)


def test_forty_six_yes_of_sixty_eight_votes_pass_a_charter_amendment() -> None:
    assert passes_special(68, 46)


def test_exactly_two_thirds_pass_a_special_resolution() -> None:
    assert passes_special(9, 6)


# Rule 10: member-representative assembly [L-32], size by D15.


def test_one_hundred_fifty_members_may_not_elect_a_representative_assembly() -> None:
    assert not representative_assembly_allowed(150)
    with pytest.raises(RepresentativeAssemblyNotAllowed) as caught:
        representatives_needed(150)
    assert caught.value.fields == {"members": 150}


def test_one_hundred_fifty_one_members_elect_at_least_fifty_one_representatives() -> None:
    assert representative_assembly_allowed(151)
    assert representatives_needed(151) == 51


def test_twelve_hundred_members_elect_one_hundred_twenty_representatives() -> None:
    assert representatives_needed(1200) == 120


def test_ten_percent_is_rounded_up_once_it_exceeds_fifty_one() -> None:
    assert representatives_needed(510) == 51
    assert representatives_needed(511) == 52


# Rule 40: federation voting, one cooperative one vote [L-60].


def test_each_member_cooperative_of_a_federation_has_exactly_one_vote() -> None:
    assert federation_votes(3) == 3
    assert federation_votes(7, 0) == 7


def test_additional_votes_in_a_federation_are_rejected() -> None:
    with pytest.raises(FederationAdditionalVotes) as caught:
        federation_votes(3, 1)
    assert caught.value.fields == {"additional": 1}


# Nonsense counts.


@pytest.mark.parametrize(
    "call",
    [
        lambda: additional_votes_cap(-1),
        lambda: check_additional_votes(10, -1),
        lambda: has_quorum(10, 11),
        lambda: has_quorum(10, -1),
        lambda: passes_ordinary(68, 69),
        lambda: passes_special(-1, 0),
        lambda: representative_assembly_allowed(-5),
        lambda: federation_votes(-1),
    ],
)
def test_negative_counts_and_more_votes_than_exist_are_invalid(call: Callable[[], object]) -> None:
    with pytest.raises(InvalidValue):
        call()


# Messages in Chinese.


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (AdditionalVotesOverCap(granted=12, cap=11, members=57), "即最多11票（《农民专业合作社法》第二十二条）"),
        (RepresentativeAssemblyNotAllowed(members=150), "本社成员150名（《农民专业合作社法》第三十二条）"),
        (FederationAdditionalVotes(additional=1), "联合社实行一社一票"),
        (InvalidValue("A count of members or votes cannot be negative: {value}.", value=-1), "不能为负数：-1"),
    ],
)
def test_voting_errors_read_in_chinese(error: Exception, expected: str) -> None:
    assert isinstance(error, InvalidValue | RuleViolation)
    assert expected in render_error(error, "zh")
