"""What is overdue, late or on time, worked out by the database: the report (not submitted after
its due date; submitted late) and the disclosure (not yet due, overdue, published on time or
late) at the day boundaries; the ledger's filters, order and scope; the to-dos."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import translation

from tests.rectification import reports_helpers
from tests.rectification.reports_helpers import (
    issued_feedback_of,
    liaison_of,
    publish,
    reviewed,
    started,
    submitted,
)
from xuncha.rectification import services_reports as services
from xuncha.rectification.models import DeadlinePolicy
from xuncha.rectification.navigation_reports import (
    liaison_disclosures_due,
    liaison_reports_due,
    office_disclosures_overdue,
    office_reports_to_review,
)
from xuncha.rectification.selectors import reports as selectors
from xuncha.rectification.selectors.reports import LedgerFilters

clock, strangers, uploads_in_tmp = reports_helpers.clock, reports_helpers.strangers, reports_helpers.uploads_in_tmp
DUE = date(2024, 8, 20)  # the progress report of the feedback of 2024-05-20
REVIEWED_ON = date(2024, 8, 31)
DISCLOSURE_DUE = date(2024, 9, 30)


@pytest.fixture(autouse=True)
def _english(uploads_in_tmp):
    with translation.override("en"):
        yield


def _row(user, today, **filters):
    rows = list(selectors.ledger(user, today, LedgerFilters(**filters)))
    assert len(rows) == 1
    return rows[0]


def _report_row(user, today):
    return selectors.reports(user, today).get()


# -- the report ------------------------------------------------------------------------------

@pytest.mark.parametrize("today, overdue", [(DUE, 0), (date(2024, 8, 21), 1)])
def test_a_report_never_started_is_overdue_the_day_after_its_due_date(world, fed_back, today, overdue):
    row = _row(world.office_admin, today)
    assert row.row_due == DUE and getattr(row, "progress_report", None) is None
    assert (row.report_overdue, row.overdue, row.disclosure_state) == (bool(overdue), overdue, "")


@pytest.mark.parametrize("returned", [False, True])
@pytest.mark.parametrize("today, overdue", [(DUE, False), (date(2024, 8, 21), True)])
def test_a_draft_or_returned_report_is_overdue_after_its_due_date(world, fed_back, clock, returned, today, overdue):
    if returned:
        report = submitted(fed_back.feedback, world.unit_liaison, clock, date(2024, 8, 1))
        services.report_review(actor=world.office_admin, report=report, decision="return", comment="请补充。")
    else:
        started(fed_back.feedback, world.unit_liaison)
    assert _row(world.office_admin, today).report_overdue is overdue
    assert _report_row(world.office_admin, today).report_overdue is overdue


@pytest.mark.parametrize("on, late", [(DUE, False), (date(2024, 8, 21), True)])
def test_a_submitted_report_is_not_overdue_but_may_have_been_late(world, fed_back, clock, on, late):
    submitted(fed_back.feedback, world.unit_liaison, clock, on)
    row = _row(world.office_admin, date(2024, 12, 31))
    assert (row.report_overdue, row.submitted_late, row.overdue) == (False, late, 0)
    assert _report_row(world.office_admin, date(2024, 12, 31)).submitted_late is late


# -- the disclosure --------------------------------------------------------------------------

@pytest.fixture
def accepted(world, fed_back, clock):
    report = reviewed(fed_back.feedback, world.unit_liaison, world.office_admin, clock,
                      submitted_on=date(2024, 8, 15), reviewed_on=REVIEWED_ON)
    assert report.disclosure_due == DISCLOSURE_DUE
    return report


@pytest.mark.parametrize("today, state, overdue", [
    (DISCLOSURE_DUE, "pending", 0),
    (date(2024, 10, 1), "overdue", 1),
])
def test_nothing_published_is_pending_until_the_due_date_then_overdue(world, accepted, today, state, overdue):
    row = _row(world.office_admin, today)
    assert (row.disclosure_state, row.overdue) == (state, overdue)
    assert _report_row(world.office_admin, today).disclosure_state == state


@pytest.mark.parametrize("published, state", [
    ([DISCLOSURE_DUE], "on_time"),
    ([date(2024, 10, 1)], "late"),
    ([date(2024, 10, 1), date(2024, 9, 15)], "on_time"),  # the first publication counts
])
def test_the_first_publication_decides_on_time_or_late(world, accepted, clock, published, state):
    clock.set(date(2024, 12, 31))
    for day in published:
        publish(accepted, day, actor=world.unit_liaison)
    for user in (world.office_admin, world.unit_liaison, world.leader, world.supervisor):
        row = _row(user, date(2024, 12, 31))
        assert (row.disclosure_state, row.overdue) == (state, 0)


# -- the ledger ------------------------------------------------------------------------------

@pytest.fixture
def ledger_world(world, fed_back, clock, strangers):
    """东门村: report never started, due 2024-08-20. 南街村: fed back 2024-06-10, due 2024-09-10,
    submitted 2024-09-01. 北坡村: fed back 2024-04-01, due 2024-07-01, reviewed 2024-07-05 and
    published 2024-07-10. 西山村: fed back 2024-03-01, due 2024-06-01, reviewed 2024-06-10
    (disclosure due 2024-07-10), nothing published. 河口镇 of 邻县: another committee's."""
    from xuncha.rounds.models import Group, Round, Term

    south = issued_feedback_of(world, "南街村", date(2024, 6, 10))
    north = issued_feedback_of(world, "北坡村", date(2024, 4, 1))
    west = issued_feedback_of(world, "西山村", date(2024, 3, 1))
    reviewed(west, liaison_of(west, "west"), world.office_admin, clock, submitted_on=date(2024, 5, 30),
             reviewed_on=date(2024, 6, 10))
    north_report = reviewed(north, liaison_of(north, "north"), world.office_admin, clock,
                            submitted_on=date(2024, 6, 28), reviewed_on=date(2024, 7, 5))
    clock.set(date(2024, 7, 10))
    publish(north_report, date(2024, 7, 10))
    submitted(south, liaison_of(south, "south"), clock, date(2024, 9, 1))
    term = Term.objects.create(committee=world.other, number=1, name="第一届", start_date=date(2024, 1, 1))
    other_round = Round.objects.create(term=term, number=1, planned_entry=date(2024, 3, 1),
                                       planned_exit=date(2024, 4, 30))
    issued_feedback_of(world, "", date(2024, 5, 1), organization=world.other_township,
                       group=Group.objects.create(round=other_round, number=1))
    return fed_back


def _names(user, today, **filters) -> list[str]:
    return [f.assignment.organization.name for f in selectors.ledger(user, today, LedgerFilters(**filters))]


def test_the_ledger_puts_overdue_first_then_by_due_date(world, ledger_world):
    # On 2024-09-05 西山村's disclosure and 东门村's report are overdue.
    assert _names(world.office_admin, date(2024, 9, 5)) == ["西山村", "东门村", "北坡村", "南街村"]
    # On 2024-07-10 nothing is: by due date.
    assert _names(world.office_admin, date(2024, 7, 10)) == ["西山村", "北坡村", "东门村", "南街村"]
    # On 2024-07-11 西山村's disclosure is.
    assert _names(world.office_admin, date(2024, 7, 11)) == ["西山村", "北坡村", "东门村", "南街村"]
    assert [f.overdue for f in selectors.ledger(world.office_admin, date(2024, 7, 11))] == [1, 0, 0, 0]


@pytest.mark.parametrize("filters, expected", [
    ({"state": "not_started"}, ["东门村"]),
    ({"state": "submitted"}, ["南街村"]),
    ({"state": "reviewed"}, ["西山村", "北坡村"]),
    ({"overdue": True}, ["西山村", "东门村"]),
    ({"state": "reviewed", "overdue": True}, ["西山村"]),
    ({"round": -1}, []),
])
def test_the_ledger_filters(world, ledger_world, filters, expected):
    assert _names(world.office_admin, date(2024, 9, 5), **filters) == expected


def test_the_ledger_filters_by_round(world, ledger_world):
    assert len(_names(world.office_admin, date(2024, 9, 5), round=world.round.pk)) == 4


@pytest.mark.parametrize("who, expected", [
    ("office_staff", ["西山村", "北坡村", "东门村", "南街村"]),
    ("leader", ["西山村", "北坡村", "东门村", "南街村"]),
    ("supervisor", ["西山村", "北坡村", "东门村", "南街村", "河口镇"]),  # the city's office reads both counties
    ("unit_liaison", ["东门村"]),
    ("other_office", ["河口镇"]),
    ("other_liaison", []),
    ("group_leader", []),  # groups read feedback but not progress reports
    ("receiver", []),
])
def test_the_ledger_keeps_to_the_scope(world, ledger_world, strangers, who, expected):
    user = getattr(strangers, who, None) or world.users[who]
    assert sorted(_names(user, date(2024, 9, 5))) == sorted(expected)


# -- to-dos ----------------------------------------------------------------------------------

def _todo(provider, user):
    found = provider(user)
    return (found[0].count, found[0].level) if found else None


@pytest.mark.parametrize("today, expected", [
    (date(2024, 7, 30), None),  # 21 days before: not yet warned
    (date(2024, 7, 31), (1, "warning")),  # 20 days before: green threshold
    (DUE, (1, "warning")),
    (date(2024, 8, 21), (1, "danger")),
])
def test_the_liaison_is_told_when_the_report_is_due(world, fed_back, clock, today, expected):
    clock.set(today)
    assert _todo(liaison_reports_due, world.unit_liaison) == expected
    assert _todo(liaison_reports_due, world.office_admin) is None


def test_the_warning_follows_the_thresholds_of_the_feedbacks_policy(world, clock):
    DeadlinePolicy.objects.create(committee=world.county, effective_from=date(2024, 1, 1), warn_green_days=40,
                                  warn_yellow_days=15)
    feedback = issued_feedback_of(world, "南街村", date(2024, 5, 20))
    liaison = liaison_of(feedback, "south")
    clock.set(date(2024, 7, 12))  # 39 days before 2024-08-20
    assert _todo(liaison_reports_due, liaison) == (1, "warning")
    started(feedback, liaison)
    assert _todo(liaison_reports_due, liaison) == (1, "warning")
    clock.set(date(2024, 8, 1))
    services.report_submit(actor=liaison, report=feedback.progress_report)
    assert _todo(liaison_reports_due, liaison) is None


def test_the_office_is_told_what_to_review_and_what_is_overdue(world, fed_back, clock, strangers):
    report = submitted(fed_back.feedback, world.unit_liaison, clock, date(2024, 8, 15))
    assert _todo(office_reports_to_review, world.office_staff) == (1, "primary")
    assert _todo(office_reports_to_review, strangers.other_office) is None
    assert _todo(office_reports_to_review, world.leader) is None
    clock.set(REVIEWED_ON)
    services.report_review(actor=world.office_admin, report=report, decision="accept", opinion="同意。",
                           reviewed_on=REVIEWED_ON)
    assert _todo(office_reports_to_review, world.office_staff) is None
    assert _todo(liaison_disclosures_due, world.unit_liaison) == (1, "warning")
    clock.set(DISCLOSURE_DUE)
    assert _todo(office_disclosures_overdue, world.office_admin) is None
    clock.set(date(2024, 10, 1))
    assert _todo(office_disclosures_overdue, world.office_admin) == (1, "danger")
    assert _todo(office_disclosures_overdue, strangers.other_office) is None
    publish(report, date(2024, 10, 1), actor=world.unit_liaison)
    assert _todo(office_disclosures_overdue, world.office_admin) is None
    assert _todo(liaison_disclosures_due, world.unit_liaison) is None
