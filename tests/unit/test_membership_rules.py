"""Membership rules of the law and Yantai practice on plain rosters (domain.md §1.1, §8.2, §11, §15 rules 1-5, 33)."""

from __future__ import annotations

import datetime as dt
import re
import string
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from coopcore.errors import InvalidValue, RuleViolation
from coopcore.i18n import translate
from coopcore.models import MemberKind
from coopcore.rules import membership, voting
from coopcore.rules.findings import Finding, Severity
from coopcore.rules.membership import (
    MemberFacts,
    MembershipSpan,
    PublicAffairsUnitBarred,
    RosterContext,
    check_applicant_kind,
    check_membership,
    farmer_ratio_broken_on,
)

COOPERATIVE = RosterContext()
PARTY_BRANCH_LED = RosterContext(is_party_branch_led=True)
FEDERATION = RosterContext(is_federation=True)
CJK = re.compile(r"[\u4e00-\u9fff]")


def make_roster(
    *,
    farmer: int = 5,
    non_farmer: int = 0,
    enterprise: int = 0,
    village_collective: int = 0,
    cooperative: int = 0,
    founders: int = 5,
) -> list[MemberFacts]:
    """A roster with that many members of each kind; the first `founders` of them are founders."""
    kinds = (
        [MemberKind.FARMER] * farmer
        + [MemberKind.NON_FARMER] * non_farmer
        + [MemberKind.ENTERPRISE] * enterprise
        + [MemberKind.VILLAGE_COLLECTIVE] * village_collective
        + [MemberKind.COOPERATIVE] * cooperative
    )
    return [MemberFacts(f"M{i + 1:03d}", kind, is_founder=i < founders) for i, kind in enumerate(kinds)]


def rules(findings: Iterable[Finding]) -> list[str]:
    return [finding.rule for finding in findings]


def only(findings: list[Finding], rule: str) -> Finding:
    [finding] = [f for f in findings if f.rule == rule]
    return finding


def contributor(code: str, kind: MemberKind, amount: str) -> MemberFacts:
    return MemberFacts(code, kind, is_founder=True, contribution=Decimal(amount))


# Rule 1: farmers are at least 80% of all members [L-20].


def test_fifteen_farmers_of_twenty_members_break_the_farmer_ratio() -> None:
    finding = only(check_membership(make_roster(farmer=15, non_farmer=5), COOPERATIVE), "farmer_ratio")
    assert finding.severity is Severity.ERROR
    assert finding.article == "L-20"
    assert finding.fields == {"farmers": 15, "members": 20, "required": 16}


def test_sixteen_farmers_of_twenty_members_keep_the_farmer_ratio() -> None:
    assert check_membership(make_roster(farmer=16, non_farmer=4), COOPERATIVE) == []


def test_a_village_collective_counts_as_an_organisation_not_as_a_farmer() -> None:
    findings = check_membership(make_roster(farmer=15, non_farmer=4, village_collective=1), COOPERATIVE)
    assert rules(findings) == ["farmer_ratio"]
    findings = check_membership(make_roster(farmer=16, enterprise=1, village_collective=1, non_farmer=2), COOPERATIVE)
    assert rules(findings) == ["organisation_limit"]


def test_a_broken_ratio_must_be_restored_six_months_after_the_change_that_broke_it() -> None:
    context = RosterContext(ratio_broken_on=dt.date(2024, 3, 15))
    finding = only(check_membership(make_roster(farmer=15, non_farmer=5), context), "farmer_ratio")
    assert finding.fields["deadline"] == dt.date(2024, 9, 15)
    assert finding.article == "L-20, SD-19"
    assert "2024-09-15" in finding.message("en")


def test_the_six_month_deadline_ends_on_the_last_day_of_a_shorter_month() -> None:
    context = RosterContext(ratio_broken_on=dt.date(2024, 8, 31))
    finding = only(check_membership(make_roster(farmer=15, non_farmer=5), context), "farmer_ratio")
    assert finding.fields["deadline"] == dt.date(2025, 2, 28)


def test_the_ratio_clock_starts_at_the_change_that_broke_it_not_at_later_changes() -> None:
    founding = [MembershipSpan(MemberKind.FARMER, dt.date(2024, 1, 1)) for _ in range(5)]
    first_outsider = [MembershipSpan(MemberKind.NON_FARMER, dt.date(2024, 3, 15))] * 2
    later_outsider = [MembershipSpan(MemberKind.NON_FARMER, dt.date(2024, 5, 1))]
    assert farmer_ratio_broken_on(founding + first_outsider + later_outsider, dt.date(2024, 6, 1)) == dt.date(
        2024, 3, 15
    )
    assert farmer_ratio_broken_on(founding + first_outsider, dt.date(2024, 3, 14)) is None


def test_a_restored_ratio_restarts_the_clock_when_it_breaks_again() -> None:
    spans = [MembershipSpan(MemberKind.FARMER, dt.date(2024, 1, 1)) for _ in range(4)]
    spans += [MembershipSpan(MemberKind.NON_FARMER, dt.date(2024, 1, 1), left_on=dt.date(2024, 2, 29))] * 2
    spans += [MembershipSpan(MemberKind.NON_FARMER, dt.date(2024, 7, 1)) for _ in range(2)]
    assert farmer_ratio_broken_on(spans, dt.date(2024, 1, 31)) == dt.date(2024, 1, 1)
    assert farmer_ratio_broken_on(spans, dt.date(2024, 6, 30)) is None
    assert farmer_ratio_broken_on(spans, dt.date(2024, 8, 1)) == dt.date(2024, 7, 1)


def test_a_farmer_leaving_breaks_the_ratio_from_the_day_after_leaving() -> None:
    spans = [MembershipSpan(MemberKind.FARMER, dt.date(2024, 1, 1)) for _ in range(3)]
    spans += [MembershipSpan(MemberKind.FARMER, dt.date(2024, 1, 1), left_on=dt.date(2024, 6, 30))]
    spans += [MembershipSpan(MemberKind.NON_FARMER, dt.date(2024, 1, 1))]
    assert farmer_ratio_broken_on(spans, dt.date(2024, 6, 30)) is None
    assert farmer_ratio_broken_on(spans, dt.date(2024, 7, 1)) == dt.date(2024, 7, 1)


# Rules 2 and 3: organisation members [L-20].


def test_two_enterprises_among_twenty_members_are_too_many() -> None:
    finding = only(check_membership(make_roster(farmer=18, enterprise=2), COOPERATIVE), "organisation_limit")
    assert finding.fields == {"organisations": 2, "members": 20, "allowed": 1}


def test_one_enterprise_among_twenty_members_is_allowed() -> None:
    assert check_membership(make_roster(farmer=19, enterprise=1), COOPERATIVE) == []


def test_two_organisations_among_thirty_nine_members_exceed_five_percent() -> None:
    finding = only(check_membership(make_roster(farmer=37, enterprise=2), COOPERATIVE), "organisation_limit")
    assert finding.fields["allowed"] == 1


def test_two_organisations_among_forty_members_are_exactly_five_percent_and_allowed() -> None:
    assert check_membership(make_roster(farmer=38, enterprise=2), COOPERATIVE) == []


# Rule 4: barred applicants [L-19].


def test_a_public_affairs_unit_may_not_apply() -> None:
    with pytest.raises(PublicAffairsUnitBarred) as caught:
        check_applicant_kind("public_affairs_unit")
    assert isinstance(caught.value, RuleViolation)
    assert "Art. 19" in str(caught.value)


@pytest.mark.parametrize("kind", list(MemberKind))
def test_every_member_kind_may_apply(kind: MemberKind) -> None:
    check_applicant_kind(kind)


def test_an_unknown_applicant_kind_is_an_invalid_value() -> None:
    with pytest.raises(InvalidValue, match="'alien'"):
        check_applicant_kind("alien")
    with pytest.raises(InvalidValue):
        MemberFacts("M001", "alien")


# Rule 5: founding minimum [L-12].


def test_four_founders_cannot_register_a_cooperative() -> None:
    finding = only(check_membership(make_roster(farmer=5, founders=4), COOPERATIVE), "founders")
    assert finding.severity is Severity.ERROR
    assert finding.fields == {"founders": 4}
    assert finding.article == "L-12"


def test_five_founders_can_register_a_cooperative() -> None:
    assert check_membership(make_roster(farmer=5, founders=5), COOPERATIVE) == []


def test_founders_who_have_left_still_count_for_the_founding_minimum() -> None:
    context = RosterContext(departed_founders=1)
    assert check_membership(make_roster(farmer=5, founders=4), context) == []


REGISTERED_FOUNDERS_UNMARKED = RosterContext(is_registered=True, founders_stated=False)


def test_unmarked_founders_of_a_registered_cooperative_are_a_warning_that_asks_for_them() -> None:
    # The registration itself required five founders [L-12]; a roster without them marked says nothing about it.
    finding = only(check_membership(make_roster(farmer=5, founders=0), REGISTERED_FOUNDERS_UNMARKED), "founders")
    assert finding.severity is Severity.WARNING
    assert finding.fields == {"founders": 0}
    assert "设立成员" in finding.message("zh") and "设立成员" in finding.message("en")


@pytest.mark.parametrize(
    "context",
    [
        RosterContext(is_registered=True, founders_stated=True),  # marked, and too few
        RosterContext(is_registered=False, founders_stated=False),  # not registered: nothing attests them
    ],
)
def test_too_few_founders_stay_an_error_when_marked_or_before_registration(context: RosterContext) -> None:
    finding = only(check_membership(make_roster(farmer=5, founders=3), context), "founders")
    assert finding.severity is Severity.ERROR and finding.template == membership.FOUNDERS


def test_enough_founders_need_no_marking() -> None:
    assert check_membership(make_roster(farmer=5, founders=5), REGISTERED_FOUNDERS_UNMARKED) == []


# Rule 6 on a roster: additional votes at most 20% of the basic votes [L-22].


def with_additional_votes(roster: list[MemberFacts], votes: int) -> list[MemberFacts]:
    first = roster[0]
    return [MemberFacts(first.code, first.kind, first.is_founder, votes), *roster[1:]]


def test_eleven_additional_votes_among_fifty_seven_members_are_allowed() -> None:
    assert check_membership(with_additional_votes(make_roster(farmer=57), 11), COOPERATIVE) == []


def test_twelve_additional_votes_among_fifty_seven_members_are_too_many() -> None:
    findings = check_membership(with_additional_votes(make_roster(farmer=57), 12), COOPERATIVE)
    assert only(findings, "additional_votes").fields == {"additional": 12, "members": 57, "allowed": 11}


def test_a_cooperative_cannot_be_a_member_of_an_ordinary_cooperative() -> None:
    findings = check_membership(make_roster(farmer=8, cooperative=1), COOPERATIVE)
    assert only(findings, "cooperative_member").fields == {"member": "M009"}


# Rule 33: the Yantai 20% cap on a single member's contribution (D13).


def test_an_individual_with_thirty_thousand_of_one_hundred_thirty_thousand_gets_a_warning() -> None:
    roster = [
        contributor("M01", MemberKind.VILLAGE_COLLECTIVE, "60000.00"),
        contributor("M02", MemberKind.NON_FARMER, "30000.00"),
        contributor("M03", MemberKind.FARMER, "20000.00"),
        contributor("M04", MemberKind.FARMER, "10000.00"),
        contributor("M05", MemberKind.FARMER, "10000.00"),
    ]
    finding = only(check_membership(roster, PARTY_BRANCH_LED), "individual_cap")
    assert finding.severity is Severity.WARNING
    assert finding.article == "Yantai practice"
    assert finding.fields["member"] == "M02"
    assert finding.fields["share_percent"] == "23.08"
    assert finding.fields["total"] == Decimal("130000.00")


def test_wang_jianguo_with_twenty_thousand_of_one_hundred_eighteen_thousand_is_ok_and_the_collective_is_exempt() -> (
    None
):
    roster = [
        contributor("M01", MemberKind.VILLAGE_COLLECTIVE, "60000.00"),  # 50.85%: exempt
        contributor("M02", MemberKind.FARMER, "20000.00"),  # 王建国, 16.95%
        contributor("M03", MemberKind.FARMER, "14000.00"),
        contributor("M04", MemberKind.FARMER, "12000.00"),
        contributor("M05", MemberKind.FARMER, "12000.00"),
    ]
    assert check_membership(roster, PARTY_BRANCH_LED) == []


def test_exactly_twenty_percent_is_within_the_cap() -> None:
    roster = [contributor(f"M{i}", MemberKind.FARMER, "100.00") for i in range(5)]
    assert check_membership(roster, PARTY_BRANCH_LED) == []


def test_the_cap_covers_persons_only_and_party_branch_led_cooperatives_only() -> None:
    roster = [
        contributor("M01", MemberKind.ENTERPRISE, "50000.00"),
        contributor("M02", MemberKind.FARMER, "30000.00"),
        *(contributor(f"M0{i}", MemberKind.FARMER, "5000.00") for i in range(3, 6)),
    ]
    assert [f.fields["member"] for f in check_membership(roster, PARTY_BRANCH_LED)] == ["M02"]
    assert check_membership(roster, COOPERATIVE) == []


# D14: provident-fund rate of party-branch-led cooperatives.


@pytest.mark.parametrize(("rate", "warned"), [("0.04", True), ("0.05", False), ("0.10", False), ("0.120000", True)])
def test_a_party_branch_led_provident_rate_outside_five_to_ten_percent_gets_a_warning(rate: str, warned: bool) -> None:
    context = RosterContext(is_party_branch_led=True, provident_fund_rate=Decimal(rate))
    findings = check_membership(make_roster(), context)
    assert rules(findings) == (["provident_rate"] if warned else [])
    if warned:
        assert findings[0].severity is Severity.WARNING


def test_the_provident_rate_reads_as_a_plain_percentage() -> None:
    context = RosterContext(is_party_branch_led=True, provident_fund_rate=Decimal("0.120000"))
    finding = only(check_membership(make_roster(), context), "provident_rate")
    assert finding.message("en").startswith(
        "The provident fund rate is 12%; party-branch-led cooperatives take 5% to 10%"
    )


def test_other_cooperatives_choose_their_provident_rate_freely() -> None:
    context = RosterContext(provident_fund_rate=Decimal("0.30"))
    assert check_membership(make_roster(), context) == []


# Federations [L-56, L-60].


def test_three_member_cooperatives_form_a_valid_federation() -> None:
    assert check_membership(make_roster(farmer=0, cooperative=3, founders=0), FEDERATION) == []


def test_a_federation_of_two_cooperatives_is_too_small() -> None:
    finding = only(check_membership(make_roster(farmer=0, cooperative=2), FEDERATION), "federation_size")
    assert finding.fields == {"cooperatives": 2}
    assert finding.article == "L-56"


def test_a_federation_member_must_be_a_cooperative() -> None:
    findings = check_membership(make_roster(farmer=1, cooperative=3), FEDERATION)
    assert rules(findings) == ["federation_member_kind"]
    assert findings[0].fields == {"member": "M001"}


def test_a_federation_member_cannot_hold_additional_votes() -> None:
    roster = with_additional_votes(make_roster(farmer=0, cooperative=30), 1)
    finding = only(check_membership(roster, FEDERATION), "federation_additional_votes")
    assert finding.article == "L-60"
    assert finding.fields == {"member": "M001", "additional": 1}


# Everything at once, in Chinese.


def roster_breaking_every_cooperative_rule() -> tuple[list[MemberFacts], RosterContext]:
    roster = [
        MemberFacts(
            "M01", MemberKind.NON_FARMER, is_founder=True, additional_votes=3, contribution=Decimal("90000.00")
        ),
        MemberFacts("M02", MemberKind.COOPERATIVE, contribution=Decimal("1000.00")),
        *(MemberFacts(f"E{i}", MemberKind.ENTERPRISE) for i in range(3)),
        *(MemberFacts(f"F{i}", MemberKind.FARMER, contribution=Decimal("1000.00")) for i in range(5)),
    ]
    return roster, RosterContext(is_party_branch_led=True, provident_fund_rate=Decimal("0.20"))


def test_every_violation_of_a_roster_is_reported_in_one_call() -> None:
    assert rules(check_membership(*roster_breaking_every_cooperative_rule())) == [
        "farmer_ratio",
        "organisation_limit",
        "founders",
        "additional_votes",
        "cooperative_member",
        "individual_cap",
        "provident_rate",
    ]


def everything_wrong() -> list[Finding]:
    """Findings of every rule: a cooperative that breaks them all, a dated ratio break, a bad federation."""
    broken_on = RosterContext(ratio_broken_on=dt.date(2024, 3, 15))
    federation = [MemberFacts("C1", MemberKind.COOPERATIVE, additional_votes=1), MemberFacts("F1", MemberKind.FARMER)]
    return (
        check_membership(*roster_breaking_every_cooperative_rule())
        + check_membership(make_roster(farmer=3, non_farmer=2), broken_on)
        + check_membership(federation, FEDERATION)
        + check_membership(make_roster(farmer=5, founders=0), REGISTERED_FOUNDERS_UNMARKED)
    )


def test_every_finding_the_rules_can_produce_reads_in_chinese() -> None:
    findings = everything_wrong()
    produced = {finding.template for finding in findings}
    assert produced == set(membership.TEMPLATES) - {membership.UNKNOWN_KIND, membership.NEGATIVE_VOTES}
    for finding in findings:
        chinese = finding.message("zh")
        assert chinese != finding.message("en")
        assert CJK.search(chinese), chinese
        assert "{" not in chinese and "}" not in chinese, chinese
        assert not re.search(r"[A-Za-z]{4,}", chinese), chinese
        assert "{" not in finding.message("en")


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}


def error_templates() -> list[str]:
    classes = [membership.PublicAffairsUnitBarred, *voting_errors()]
    return [(cls.__doc__ or "").strip().splitlines()[0] for cls in classes]


def voting_errors() -> list[type[RuleViolation]]:
    return [voting.AdditionalVotesOverCap, voting.RepresentativeAssemblyNotAllowed, voting.FederationAdditionalVotes]


@pytest.mark.parametrize("template", [*membership.TEMPLATES, *voting.TEMPLATES, *error_templates()])
def test_every_template_has_a_chinese_translation_with_the_same_placeholders(template: str) -> None:
    chinese = translate(template, "zh")
    assert chinese != template
    assert CJK.search(chinese)
    assert placeholders(chinese) == placeholders(template)


def test_the_rules_catalog_is_a_standard_po_file() -> None:
    path = Path(membership.__file__).parents[1] / "i18n" / "locale" / "zh_CN" / "LC_MESSAGES" / "rules.po"
    with path.open("rb") as handle:
        catalog = read_po(handle)
    assert catalog.locale is not None and catalog.locale.language == "zh"
    assert {message.id for message in catalog if message.id} == {
        *membership.TEMPLATES,
        *voting.TEMPLATES,
        *error_templates(),
    }
