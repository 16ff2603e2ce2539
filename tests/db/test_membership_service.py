"""The membership service on stored rosters, on SQLite, PostgreSQL and MariaDB (domain.md §1.1, §8.2, §11)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session

from coopcore.models import (
    AccountEntryKind,
    Bylaws,
    Cooperative,
    CooperativeStatus,
    Member,
    MemberAccountEntry,
    MemberKind,
    PartyBranch,
    Township,
    Village,
)
from coopcore.rules.findings import Finding
from coopcore.services.membership import check_all, check_cooperative
from coopcore.validation import credit_code

FOUNDED = dt.date(2024, 1, 1)
DAY = dt.date(2024, 9, 30)


def make_cooperative(
    session: Session, number: int = 1, *, party_branch_led: bool = False, is_federation: bool = False
) -> Cooperative:
    """A cooperative in its own township and village, with a credit code that passes the checksum."""
    village = Village(township=Township(name=f"测试镇{number}"), name=f"测试村{number}")
    first17 = f"93370602MA3C{number:05d}"
    cooperative = Cooperative(
        name=f"测试{number}号专业合作社",
        credit_code=first17 + credit_code.calc_check_digit(first17),
        village=village,
        founded_on=FOUNDED,
        is_federation=is_federation,
    )
    if party_branch_led:
        cooperative.party_branch = PartyBranch(village=village, name=f"测试村{number}党支部")
    session.add(cooperative)
    session.flush()
    return cooperative


def make_member(
    session: Session,
    cooperative: Cooperative,
    code: str,
    kind: MemberKind = MemberKind.FARMER,
    *,
    joined_on: dt.date = FOUNDED,
    left_on: dt.date | None = None,
    is_founder: bool = False,
    additional_votes: int = 0,
    contributions: tuple[tuple[dt.date, str], ...] = (),
) -> Member:
    """A member, with contribution entries (day, yuan) in its member account."""
    member = Member(
        cooperative_id=cooperative.id,
        code=code,
        name=f"成员{code}",
        kind=kind,
        id_number="370602198001011234",
        joined_on=joined_on,
        left_on=left_on,
        is_founder=is_founder,
        additional_votes=additional_votes,
    )
    session.add(member)
    session.flush()
    for entry_on, amount in contributions:
        add_entry(session, member, entry_on, amount)
    return member


def add_entry(
    session: Session,
    member: Member,
    entry_on: dt.date,
    amount: str,
    kind: AccountEntryKind = AccountEntryKind.CONTRIBUTION_CASH,
) -> None:
    session.add(MemberAccountEntry(member_id=member.id, entry_on=entry_on, kind=kind, amount=Decimal(amount)))
    session.flush()


def make_founders(session: Session, cooperative: Cooperative, count: int = 5) -> list[Member]:
    """The founding farmers, each of whom contributed 1,000 yuan at the start."""
    return [
        make_member(session, cooperative, f"F{i:02d}", is_founder=True, contributions=((FOUNDED, "1000.00"),))
        for i in range(1, count + 1)
    ]


def make_bylaws(session: Session, cooperative: Cooperative, effective_on: dt.date, provident_fund_rate: str) -> None:
    session.add(
        Bylaws(
            cooperative_id=cooperative.id,
            effective_on=effective_on,
            provident_fund_rate=Decimal(provident_fund_rate),
            patronage_ratio=Decimal("0.60"),
        )
    )
    session.flush()


def rules(findings: list[Finding]) -> list[str]:
    return [finding.rule for finding in findings]


def count_statements(session: Session, action: Callable[[], object]) -> int:
    """Run action and return how many SQL statements it sent to the database."""
    statements: list[str] = []

    def record(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, executemany: bool) -> None:
        statements.append(statement)

    connection = session.connection()
    event.listen(connection, "before_cursor_execute", record)
    try:
        action()
    finally:
        event.remove(connection, "before_cursor_execute", record)
    return len(statements)


def test_a_cooperative_of_five_founding_farmers_has_no_findings(session: Session) -> None:
    cooperative = make_cooperative(session)
    make_founders(session, cooperative)
    assert check_cooperative(session, cooperative, on=DAY) == []


def test_a_farmer_leaving_breaks_the_ratio_and_starts_the_six_month_clock(session: Session) -> None:
    cooperative = make_cooperative(session)
    make_founders(session, cooperative)
    make_member(session, cooperative, "F06")
    make_member(session, cooperative, "F07")
    make_member(session, cooperative, "F08", left_on=dt.date(2024, 6, 30))
    make_member(session, cooperative, "N01", MemberKind.NON_FARMER)
    make_member(session, cooperative, "N02", MemberKind.NON_FARMER)
    assert check_cooperative(session, cooperative, on=dt.date(2024, 6, 30)) == []  # 8 farmers of 10
    [finding] = check_cooperative(session, cooperative, on=DAY)  # 7 of 9
    assert finding.rule == "farmer_ratio"
    assert finding.fields["farmers"] == 7
    assert finding.fields["members"] == 9
    assert finding.fields["broken_on"] == dt.date(2024, 7, 1)
    assert finding.fields["deadline"] == dt.date(2025, 1, 1)


def test_a_member_who_left_before_the_day_is_not_counted(session: Session) -> None:
    cooperative = make_cooperative(session)
    make_founders(session, cooperative)
    for i in range(6, 9):
        make_member(session, cooperative, f"F{i:02d}")
    make_member(session, cooperative, "E01", MemberKind.ENTERPRISE)
    make_member(session, cooperative, "E02", MemberKind.ENTERPRISE, left_on=dt.date(2024, 6, 30))
    before = check_cooperative(session, cooperative, on=dt.date(2024, 6, 30))
    assert rules(before) == ["organisation_limit"]
    assert before[0].fields == {"organisations": 2, "members": 10, "allowed": 1}
    assert check_cooperative(session, cooperative, on=DAY) == []


def test_a_member_who_joins_after_the_day_is_not_counted(session: Session) -> None:
    cooperative = make_cooperative(session)
    make_founders(session, cooperative)
    make_member(session, cooperative, "N01", MemberKind.NON_FARMER, joined_on=dt.date(2024, 10, 1))
    make_member(session, cooperative, "N02", MemberKind.NON_FARMER, joined_on=dt.date(2024, 10, 1))
    assert check_cooperative(session, cooperative, on=DAY) == []
    assert rules(check_cooperative(session, cooperative, on=dt.date(2024, 10, 1))) == ["farmer_ratio"]


def test_founders_who_left_still_count_for_the_founding_minimum(session: Session) -> None:
    cooperative = make_cooperative(session)
    make_member(session, cooperative, "F00", is_founder=True, left_on=dt.date(2024, 3, 31))
    for i in range(1, 5):
        make_member(session, cooperative, f"F{i:02d}", is_founder=True)
    assert check_cooperative(session, cooperative, on=DAY) == []


def test_four_founders_are_reported(session: Session) -> None:
    cooperative = make_cooperative(session)
    make_founders(session, cooperative, count=4)
    make_member(session, cooperative, "F05")
    [finding] = check_cooperative(session, cooperative, on=DAY)
    assert finding.rule == "founders"
    assert finding.fields == {"founders": 4}


def test_contributions_are_summed_per_member_up_to_the_day_over_contribution_kinds_only(session: Session) -> None:
    cooperative = make_cooperative(session, party_branch_led=True)
    make_founders(session, cooperative, count=3)  # 3,000.00
    make_member(
        session,
        cooperative,
        "C01",
        MemberKind.VILLAGE_COLLECTIVE,
        is_founder=True,
        contributions=((FOUNDED, "60000.00"),),
    )
    big = make_member(
        session,
        cooperative,
        "F04",
        is_founder=True,
        contributions=((FOUNDED, "20000.00"), (dt.date(2024, 5, 1), "10000.00")),
    )
    add_entry(session, big, dt.date(2024, 5, 1), "7000.00", AccountEntryKind.CONTRIBUTION_LAND)
    add_entry(session, big, dt.date(2024, 6, 1), "50000.00", AccountEntryKind.PATRONAGE_RETURN)  # not 出资
    add_entry(session, big, dt.date(2024, 12, 1), "90000.00")  # after the day
    make_member(session, cooperative, "F05", contributions=((FOUNDED, "30000.00"),), left_on=dt.date(2024, 2, 1))
    make_member(session, cooperative, "F06", contributions=((FOUNDED, "30000.00"),))
    # Total on the day: 3,000 + 60,000 + 37,000 + 30,000 = 130,000; F05 has left.
    findings = check_cooperative(session, cooperative, on=DAY)
    assert rules(findings) == ["individual_cap", "individual_cap"]
    assert [(f.fields["member"], f.fields["contribution"], f.fields["share_percent"]) for f in findings] == [
        ("F04", Decimal("37000.00"), "28.46"),
        ("F06", Decimal("30000.00"), "23.08"),
    ]
    assert findings[0].fields["total"] == Decimal("130000.00")
    assert "的23.08%" in findings[1].message("zh")


def test_the_provident_rate_comes_from_the_bylaws_in_force_on_the_day(session: Session) -> None:
    cooperative = make_cooperative(session, party_branch_led=True)
    make_founders(session, cooperative)
    make_bylaws(session, cooperative, dt.date(2024, 1, 1), "0.120000")
    make_bylaws(session, cooperative, dt.date(2024, 7, 1), "0.080000")
    make_bylaws(session, cooperative, dt.date(2025, 1, 1), "0.020000")
    [finding] = check_cooperative(session, cooperative, on=dt.date(2024, 6, 30))
    assert finding.rule == "provident_rate"
    assert finding.fields["rate_percent"] == "12"
    assert check_cooperative(session, cooperative, on=DAY) == []


def test_a_federation_is_checked_for_its_member_cooperatives_and_their_votes(session: Session) -> None:
    member_cooperatives = [make_cooperative(session, number) for number in (1, 2)]
    federation = make_cooperative(session, 3, is_federation=True)
    for i, member_cooperative in enumerate(member_cooperatives, start=1):
        member = make_member(session, federation, f"S{i}", MemberKind.COOPERATIVE, additional_votes=i - 1)
        member.member_cooperative = member_cooperative
    make_member(session, federation, "F01")
    findings = check_cooperative(session, federation, on=DAY)
    assert [(f.rule, f.fields.get("member")) for f in findings] == [
        ("federation_size", None),
        ("federation_member_kind", "F01"),
        ("federation_additional_votes", "S2"),
    ]


def test_check_all_reports_each_cooperative_and_skips_dissolved_ones(session: Session) -> None:
    sound = make_cooperative(session, 1)
    make_founders(session, sound)
    short = make_cooperative(session, 2)
    make_founders(session, short, count=2)
    dissolved = make_cooperative(session, 3)
    dissolved.status = CooperativeStatus.DISSOLVED
    session.flush()
    results = check_all(session, on=DAY)
    assert results[sound.id] == []
    assert rules(results[short.id]) == ["founders"]
    assert dissolved.id not in results


def test_check_all_sends_the_same_few_queries_for_one_or_five_cooperatives(session: Session) -> None:
    def add_cooperative(number: int) -> Cooperative:
        cooperative = make_cooperative(session, number, party_branch_led=True)
        make_founders(session, cooperative)
        make_member(session, cooperative, "N01", MemberKind.NON_FARMER, contributions=((FOUNDED, "9000.00"),))
        make_bylaws(session, cooperative, FOUNDED, "0.12")
        return cooperative

    add_cooperative(1)
    one = count_statements(session, lambda: check_all(session, on=DAY))
    last = [add_cooperative(number) for number in range(2, 6)][-1]
    results: dict[int, list[Finding]] = {}
    five = count_statements(session, lambda: results.update(check_all(session, on=DAY)))
    assert one == five == 4  # cooperatives, members, contribution sums, bylaws
    assert rules(results[last.id]) == ["individual_cap", "provident_rate"]
    assert count_statements(session, lambda: check_cooperative(session, last, on=DAY)) == 3
