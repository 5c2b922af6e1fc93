"""Helpers of the progress report tests: a settable "today", uploads kept in a temporary
directory, accounts of another committee and another organization, more issued feedback written
straight to the database (feedback is another area's), and reports brought to a state through
the services."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest
from django.test import Client
from django.utils import timezone, translation

from tests.conftest import PASSWORD
from tests.reports.feedback_helpers import report as inspection_report
from xuncha.access import policy
from xuncha.access import services as access_services
from xuncha.access.roles import Role
from xuncha.rectification import deadlines
from xuncha.rectification import services_reports as services
from xuncha.rectification.models import ProgressReport
from xuncha.registry.models import Organization
from xuncha.reports.models import Feedback
from xuncha.rounds.models import Assignment

TEXT = "一、整改工作开展情况\n对反馈的4个问题逐条制定措施，已完成整改3个。\n二、下一步工作打算"


def zh(msgid: str) -> str:
    with translation.override("zh-hans"):
        return translation.gettext(msgid)


@pytest.fixture
def clock(monkeypatch):
    """clock.set(day) makes `timezone.localdate()` (no argument) answer `day`."""
    real = timezone.localdate
    state = SimpleNamespace(day=None)

    def localdate(value=None, timezone=None):
        if value is None and state.day is not None:
            return state.day
        return real(value, timezone)

    monkeypatch.setattr("django.utils.timezone.localdate", localdate)
    state.set = lambda day: setattr(state, "day", day)
    return state


@pytest.fixture
def uploads_in_tmp(settings, tmp_path):
    """Keep stored files (the feedback's documents, report files) out of the data directory."""
    settings.DATA_DIR = tmp_path
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                                                          "OPTIONS": {"location": tmp_path / "uploads"}}}
    return tmp_path / "uploads"


@pytest.fixture
def strangers(world, make_user):
    """The office of 邻县县委, and the liaison of 城关镇 (another organization of our county)."""
    return SimpleNamespace(
        other_office=make_user("other_office", role=Role.OFFICE_ADMIN, committee=world.other),
        other_liaison=make_user("other_liaison", role=Role.UNIT_LIAISON, organization=world.township),
    )


def liaison_of(feedback: Feedback, username: str):
    """A new account holding the liaison role of the feedback's organization."""
    user, _ = access_services.user_create(actor=policy.CONSOLE, username=username, full_name=username,
                                          password=PASSWORD, system_role="", must_change_password=False)
    access_services.role_grant(actor=policy.CONSOLE, user=user, role=Role.UNIT_LIAISON, committee=None,
                               organization=feedback.assignment.organization)
    return user


def client_for(user) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def issued_feedback_of(world, name: str, on: date, *, organization: Organization | None = None,
                       group=None) -> Feedback:
    """An issued feedback (deadlines from the policy in force on `on`) of a new village of the
    county, or of `organization`, inspected by group 1 — written straight to the database."""
    if organization is None:
        organization = Organization.objects.create(committee=world.county, name=name, kind=world.kinds["village"],
                                                   parent=world.township)
    target = Assignment.objects.create(group=group or world.group1, organization=organization)
    due = deadlines.for_feedback(target.round.committee, on)
    return Feedback.objects.create(assignment=target, report=inspection_report(target), state=Feedback.State.ISSUED,
                                   fed_back_on=on, policy=due.policy, rectification_due=due.rectification_due,
                                   progress_report_due=due.progress_report_due)


def started(feedback: Feedback, actor, *, text: str = TEXT) -> ProgressReport:
    report = services.report_start(actor=actor, feedback=feedback)
    if text:
        report = services.report_update(actor=actor, report=report, text=text)
    return report


def submitted(feedback: Feedback, actor, clock, on: date) -> ProgressReport:
    report = started(feedback, actor)
    clock.set(on)
    return services.report_submit(actor=actor, report=report)


def reviewed(feedback: Feedback, liaison, office, clock, *, submitted_on: date, reviewed_on: date) -> ProgressReport:
    report = submitted(feedback, liaison, clock, submitted_on)
    clock.set(reviewed_on)
    return services.report_review(actor=office, report=report, decision="accept", opinion="整改措施具体，同意。",
                                  reviewed_on=reviewed_on)


def publish(report: ProgressReport, on: date, actor=policy.CONSOLE):
    return services.disclosure_add(actor=actor, report=report, published_on=on, channel="notice_board",
                                   place="东门村村务公开栏", title="东门村关于巡察整改情况的通报")
