"""The member register and the books reconcile: 301 per member with the contributions, 221 and 222 per member with
what the distributions declared less what was paid, 322 with the provident shares; each difference a finding."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from coopcore.models import Cooperative, Member, Voucher
from coopcore.rules.findings import Finding, Severity
from coopcore.rules.ledger import EntryLine
from coopcore.services import checks, exits, ledger
from coopcore.services import distribution as workflow
from coopcore.services.ledger.reconcile import reconcile
from coopcore.services.ledger.sync import sync_events
from tests.distribution.builders import make_example_1
from tests.distribution.test_distribution_workflow import approved
from tests.ledger.builders import AUDITOR, PREPARER, cr, dr

D = Decimal
DECLARED = dt.date(2024, 12, 31)
LATER = dt.date(2025, 6, 30)


def reconciled_cooperative(session: Session) -> Cooperative:
    """Example 1 with everything in the books: contributions, the carried-in provident shares, the distribution
    posted, M01–M03 paid in money, M04's share converted into contribution, M06 gone and paid back; M05 unpaid."""
    cooperative = make_example_1(session)
    sync_events(session, cooperative)  # every event of the records, as an import or the demo books them
    m06 = session.scalars(select(Member).where(Member.cooperative_id == cooperative.id, Member.code == "M06")).one()
    exits.apply_exit(session, m06, dt.date(2024, 6, 1))
    distribution = approved(session, cooperative)
    workflow.post_distribution(session, distribution)
    workflow.pay_distribution(session, distribution, paid_on=dt.date(2025, 4, 15), member_codes=["M01", "M02", "M03"])
    workflow.pay_distribution(session, distribution, paid_on=dt.date(2025, 4, 16), method="capital",
                              member_codes=["M04"], resolution="2025年第2号成员大会决议")  # fmt: skip
    exits.pay_out(session, m06, dt.date(2025, 5, 10))
    return cooperative


def posted(session: Session, cooperative: Cooperative, on: str, *lines: EntryLine) -> Voucher:
    """A voucher typed by an accountant, audited and posted."""
    voucher = ledger.add_voucher(session, cooperative, on=dt.date.fromisoformat(on), summary="手工凭证", lines=lines,
                                 by=PREPARER)  # fmt: skip
    ledger.audit_voucher(session, voucher, by=AUDITOR)
    return ledger.post_voucher(session, voucher, by=AUDITOR)


def figures(finding: Finding) -> tuple[object, ...]:
    fields = finding.fields
    return (finding.rule, fields.get("member"), fields["books"], fields["register"], fields["difference"])


def test_contributions_a_distribution_partly_paid_a_conversion_and_an_exit_reconcile(session: Session) -> None:
    cooperative = reconciled_cooperative(session)
    for day in (dt.date(2024, 1, 1), DECLARED, dt.date(2025, 4, 15), dt.date(2025, 4, 16), dt.date(2025, 5, 10), LATER):
        assert reconcile(session, cooperative, day) == [], day
    # What reconciles is not nothing: M05 is still owed, M04's conversion is on 301, M06's share left 322.
    balance = ledger.trial_balance(session, cooperative, 2025, include_unposted=True)
    assert balance.row("221").columns.closing_credit == D("35152.17") + D("11351.15")  # M05 and M06, unpaid
    assert balance.row("301").columns.closing_credit == D("118000.00") + D("22052.13") - D("8000.00")
    assert balance.row("322").columns.closing_credit == D("2998.99") + D("18222.22") - D("2121.77")


def test_a_voucher_typed_on_301_for_a_member_is_a_difference_once_posted_and_the_close_reports_it(
    session: Session,
) -> None:
    cooperative = reconciled_cooperative(session)
    voucher = ledger.add_voucher(session, cooperative, on=dt.date(2025, 5, 20), summary="收到出资",
                                 lines=[dr("102", "1000.00"), cr("301", "1000.00", "M02")], by=PREPARER)  # fmt: skip
    assert reconcile(session, cooperative, LATER) == []  # a manual draft is not in the books yet
    ledger.audit_voucher(session, voucher, by=AUDITOR)
    ledger.post_voucher(session, voucher, by=AUDITOR)

    [finding] = reconcile(session, cooperative, LATER)
    assert figures(finding) == ("reconcile_capital", "M02", D("21000.00"), D("20000.00"), D("1000.00"))
    assert finding.severity is Severity.ERROR and finding.fields["name"] == "王建国"
    assert finding.message("zh") == (
        "2025-06-30：成员 M02 王建国 的 301 股金 账簿余额为 21,000.00，成员账户的出资（加转为出资、减退还）为 "
        "20,000.00；账簿减成员账户差额 1,000.00。"
    )
    assert "books less register: 1,000.00" in finding.message("en")
    assert reconcile(session, cooperative, dt.date(2025, 5, 19)) == []  # the day before it, they agree

    # The close reconciles the month it closes: it reports the difference and closes all the same.
    for carried in session.scalars(select(Voucher).where(Voucher.source_ref.like("carried:%"))):
        ledger.audit_voucher(session, carried, by=AUDITOR)
    closed = ledger.close_period(session, cooperative, 2025, 5, by=AUDITOR)
    assert closed.months[-1] == (2025, 5)
    assert [figures(found) for found in closed.differences] == [figures(finding)]
    assert closed.differences[0].fields["day"] == dt.date(2025, 5, 31)


def test_a_payment_typed_by_hand_on_221_without_recording_it_in_the_distribution_is_a_difference(
    session: Session,
) -> None:
    cooperative = reconciled_cooperative(session)
    posted(session, cooperative, "2025-06-01", dr("221", "35152.17", "M05"), cr("102", "35152.17"))
    [finding] = reconcile(session, cooperative, LATER)
    assert figures(finding) == ("reconcile_returns", "M05", D("0.00"), D("35152.17"), D("-35152.17"))
    assert "221 应付盈余返还 账簿余额为 0.00" in finding.message("zh")


def test_a_manual_entry_on_322_is_a_difference_with_the_provident_shares(session: Session) -> None:
    cooperative = reconciled_cooperative(session)
    posted(session, cooperative, "2025-06-01", dr("102", "500.00"), cr("322", "500.00"))
    [finding] = reconcile(session, cooperative, LATER)
    held = D("2998.99") + D("18222.22") - D("2121.77")
    assert figures(finding) == ("reconcile_provident", None, held + D("500.00"), held, D("500.00"))
    assert finding.message("zh").startswith("2025-06-30：322 盈余公积 账簿余额为 19,599.44，")


def test_a_payment_recorded_in_the_register_but_not_yet_due_is_owed_until_its_day(session: Session) -> None:
    cooperative = reconciled_cooperative(session)
    # On 14 April nothing is paid yet in the register nor in the books: 221 and 222 hold every declared line.
    assert reconcile(session, cooperative, dt.date(2025, 4, 14)) == []
    # Unposted event vouchers count, as for the year's surplus: the books follow the register before the close.
    assert session.scalar(select(Voucher.state).where(Voucher.source_ref.like("distribution_paid:%")).limit(1)) == (
        "draft"
    )


@pytest.mark.parametrize("coop_option", [True, False])
def test_coop_check_reports_the_differences_with_the_membership_findings(session: Session, coop_option: bool) -> None:
    cooperative = reconciled_cooperative(session)
    posted(session, cooperative, "2025-06-01", dr("102", "500.00"), cr("322", "500.00"))
    if coop_option:
        found = checks.check_cooperative(session, cooperative, on=LATER)
    else:
        found = checks.check_all(session, on=LATER)[cooperative.id]
    assert [finding.rule for finding in found if finding.rule.startswith("reconcile")] == ["reconcile_provident"]


def test_a_close_that_stops_at_a_month_still_reports_the_differences_of_the_months_it_closed(
    session: Session,
) -> None:
    cooperative = reconciled_cooperative(session)
    for carried in session.scalars(select(Voucher).where(Voucher.source_ref.like("carried:%"))):
        ledger.audit_voucher(session, carried, by=AUDITOR)
    posted(session, cooperative, "2025-05-20", dr("102", "1000.00"), cr("301", "1000.00", "M02"))
    ledger.add_voucher(session, cooperative, on=dt.date(2025, 6, 3), summary="草稿", by=PREPARER,
                       lines=[dr("101", "1.00"), cr("102", "1.00")])  # fmt: skip
    with pytest.raises(ledger.CloseRefused) as refused:
        ledger.close_period(session, cooperative, 2025, 6, by=AUDITOR)
    assert refused.value.closed[-1] == "2025-05"
    assert [(found.rule, found.fields["day"]) for found in refused.value.differences] == [
        ("reconcile_capital", dt.date(2025, 5, 31))
    ]


def test_a_share_converted_with_the_plan_reconciles_before_and_after_the_rest_is_paid(session: Session) -> None:
    cooperative = make_example_1(session)
    sync_events(session, cooperative)
    distribution = workflow.plan_distribution(session, cooperative, 2024)
    workflow.publish_distribution(session, distribution, published_on=dt.date(2025, 3, 5))
    workflow.approve_distribution(session, distribution, assembly_on=dt.date(2025, 3, 20), members_present=5,
                                  votes_for=4, resolution="2025年第1号成员大会决议",
                                  conversions={"M04": D("5000.00")})  # fmt: skip
    workflow.post_distribution(session, distribution)
    # §15 rule 25b: 5,000.00 of M04's share is on 301 from 31 December; only the rest is on 221/222.
    assert reconcile(session, cooperative, DECLARED) == []
    workflow.pay_distribution(session, distribution, paid_on=dt.date(2025, 4, 15))
    assert reconcile(session, cooperative, LATER) == []
