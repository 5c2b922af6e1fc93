"""The demo county's reports and feedback: approved reports with their versions and approval
history, leads reports only where there are leads, feedback with deadlines from the policy in
force, meetings and copies; checked on one build shared by the module (rolled back at its end)."""

from __future__ import annotations

from collections import defaultdict

import pytest
from django.db.models import F
from django.utils import timezone

from xuncha.access import policy
from xuncha.access.models import User
from xuncha.demo import DEFAULT_SEED
from xuncha.demo.reports_build import CHAIN, POLICY_CHANGED
from xuncha.findings.models import Problem
from xuncha.rectification import deadlines
from xuncha.rectification.models import DeadlinePolicy
from xuncha.reports.models import (
    Feedback,
    FeedbackCopy,
    FeedbackMeeting,
    GeneratedDocument,
    Report,
    ReportStep,
    ReportVersion,
)
from xuncha.reports.outline import LEVEL2, LEVEL3, LEVEL4, blocks
from xuncha.rounds.models import Assignment, Round, RoundTransition

FED_BACK = ("feedback", "rectifying", "completed")




@pytest.fixture
def rounds(built, db):
    """The present term's rounds that reached feedback."""
    return Round.objects.filter(committee__name="青崖县委", term__number=14, state__in=FED_BACK)


def _text(sections: list[dict]) -> str:
    return "\n".join(f"{s['title']}\n{s['body']}" for s in sections)


def test_every_target_of_a_fed_back_round_has_an_approved_report_without_leads(rounds):
    targets = Assignment.objects.filter(round__in=rounds)
    assert targets.count() > 100
    reports = Report.objects.filter(kind="report").select_related("approved_version")
    assert set(reports.values_list("assignment_id", flat=True)) == set(targets.values_list("pk", flat=True))
    leads = defaultdict(list)
    for assignment, title in Problem.objects.filter(kind="lead").values_list("assignment_id", "title"):
        leads[assignment].append(title)
    for report in reports:
        assert report.state == "approved" and report.approved_version is not None
        assert report.approved_version.report_id == report.pk
        assert report.steps == list(CHAIN) and report.step == len(CHAIN)
        assert not any(t in _text(report.approved_version.sections) for t in leads[report.assignment_id])
    for version in ReportVersion.objects.filter(report__kind="report").select_related("report"):
        assert not any(t in _text(version.sections) for t in leads[version.report.assignment_id])


def test_versions_are_two_to_four_and_the_last_is_approved(rounds):
    numbers = defaultdict(list)
    for report, n in ReportVersion.objects.values_list("report_id", "number"):
        numbers[report].append(n)
    assert all(sorted(ns) == list(range(1, len(ns) + 1)) and 2 <= len(ns) <= 4 for ns in numbers.values())
    assert {len(ns) for ns in numbers.values()} >= {2, 3, 4}
    for report_id, version_number in Report.objects.values_list("pk", "approved_version__number"):
        assert version_number == max(numbers[report_id])
    created = dict(Report.objects.values_list("pk", "created_at"))
    assert all(v.created_at >= created[v.report_id] - timezone.timedelta(minutes=1)
               for v in ReportVersion.objects.only("report_id", "created_at"))


def test_sections_follow_the_outline_by_focus_point_and_problem(rounds):
    report = (Report.objects.filter(kind="report", assignment__round__in=rounds, assignment__problems__kind="general")
              .select_related("approved_version").first())
    sections = report.approved_version.sections
    assert [s["title"] for s in sections] == ["基本情况和总体评价", "主要问题", "意见建议"]
    general = Problem.objects.filter(assignment=report.assignment).exclude(kind="lead")
    assert f"巡察共发现问题{general.count()}个" in sections[0]["body"]
    levels = [b.level for b in blocks([sections[1]])]
    assert levels[0] == 1 and levels[1:3] == [LEVEL2, LEVEL3]
    assert sum(1 for level in levels if level == LEVEL4) == general.count()
    for title in general.values_list("title", flat=True):
        assert title.rstrip("。；;，, ") in sections[1]["body"]
    for before, after in zip(levels[1:], levels[2:], strict=False):
        assert after <= before + 1  # no level skipped on the way down


def test_leads_reports_only_where_there_are_leads_and_approved(rounds):
    with_leads = set(Problem.objects.filter(kind="lead", round__in=rounds).values_list("assignment_id", flat=True))
    leads_reports = Report.objects.filter(kind="leads").select_related("approved_version")
    assert set(leads_reports.values_list("assignment_id", flat=True)) == with_leads
    for report in leads_reports:
        assert report.state == "approved"
        text = _text(report.approved_version.sections)
        for title in Problem.objects.filter(kind="lead", assignment=report.assignment).values_list("title", flat=True):
            assert title.rstrip("。；;，, ") in text


def test_approval_histories_follow_the_chain_and_end_with_its_last_step(rounds):
    feedback_day = {r: timezone.localtime(at).date() for r, at in RoundTransition.objects.filter(
        round__in=rounds, to_state="feedback").values_list("round_id", "at")}
    history = defaultdict(list)
    for step in ReportStep.objects.select_related("report__assignment__round").order_by("report_id", "at", "id"):
        history[step.report_id].append(step)
    assert len(history) == Report.objects.count()
    names = [c["name"] for c in CHAIN]
    returned = 0
    for steps in history.values():
        rnd = steps[0].report.assignment.round
        assert steps[0].action == "submit" and steps[0].step == 0
        last = steps[-1]
        assert (last.step, last.step_name, last.action) == (len(CHAIN) - 1, names[-1], "approve")
        approved = [s.step for s in steps if s.action == "approve"]
        assert approved == list(range(len(CHAIN)))
        assert all(s.step_name == names[s.step] for s in steps)
        for s in steps:
            assert rnd.planned_exit < timezone.localtime(s.at).date() < feedback_day[rnd.pk]
            if s.action == "return":
                assert s.comment
        returned += any(s.action == "return" for s in steps)
    assert 0 < returned < len(history) / 3


def test_feedback_problems_are_never_leads_and_all_fed_back(rounds):
    feedback = Feedback.objects.filter(assignment__round__in=rounds)
    # Every target with a problem to feed back got its feedback; one without got none.
    assert feedback.count() == Assignment.objects.filter(
        round__in=rounds, problems__kind__in=("general", "cadre")).distinct().count()
    assert not feedback.filter(problems__isnull=True).exists()
    assert not feedback.exclude(state="issued").exists()
    fed = Feedback.problems.through.objects.values_list("problem_id", flat=True)
    assert not Problem.objects.filter(pk__in=fed, kind="lead").exists()
    assert set(fed) == set(Problem.objects.filter(fed_back=True).values_list("pk", flat=True))
    assert set(fed) == set(Problem.objects.filter(round__in=rounds).exclude(kind="lead").values_list("pk", flat=True))
    for f in feedback.select_related("report"):
        assert f.report.kind == "report" and f.report.assignment_id == f.assignment_id
        approved = f.report.history.order_by("-at").first().at
        assert f.fed_back_on > timezone.localtime(approved).date()


def test_deadlines_come_from_the_policy_in_force_and_both_versions_are_used(rounds):
    committee = rounds.first().committee
    assert DeadlinePolicy.objects.filter(committee=committee).count() == 2
    used = set()
    for f in Feedback.objects.select_related("policy"):
        policy_in_force = deadlines.in_force(committee, f.fed_back_on)
        assert f.policy == policy_in_force
        assert f.rectification_due == deadlines.add_months(f.fed_back_on, f.policy.rectification_months)
        assert f.progress_report_due == deadlines.add_months(f.fed_back_on, f.policy.progress_report_months)
        assert f"{f.policy.progress_report_months}个月内" in f.requirements
        used.add(f.policy.effective_from)
        assert (f.fed_back_on >= POLICY_CHANGED) == (f.policy.effective_from == POLICY_CHANGED)
    assert len(used) == 2


def test_meetings_copies_and_acknowledgements(rounds):
    feedback = Feedback.objects.all()
    assert FeedbackMeeting.objects.count() == feedback.count()
    assert not FeedbackMeeting.objects.exclude(held_on=F("feedback__fed_back_on")).exists()
    assert not FeedbackMeeting.objects.filter(attendees="").exists()
    acknowledged = feedback.filter(acknowledged_at__isnull=False).count()
    assert feedback.count() * 0.75 < acknowledged < feedback.count()
    assert not feedback.filter(acknowledged_at__isnull=False, acknowledged_at__lt=F("issued_at")).exists()
    roles = defaultdict(set)
    for f, role in FeedbackCopy.objects.values_list("feedback_id", "role"):
        roles[f].add(role)
    own = {"县纪委监委", "县委组织部"}
    for f in feedback.select_related("assignment__organization__kind"):
        organization = f.assignment.organization
        if organization.name not in own:
            assert {"discipline", "organization"} <= roles[f.pk]
        if organization.kind.code == "village":
            assert f.copies.filter(role="lead_department", organization=organization.parent_id).exists()
    assert not FeedbackCopy.objects.filter(organization=F("feedback__assignment__organization")).exists()
    assert not FeedbackCopy.objects.filter(sent_on__lt=F("feedback__fed_back_on")).exists()
    assert not GeneratedDocument.objects.exists()


def test_the_liaison_sees_the_feedback_of_its_organization_and_no_leads(rounds):
    liaison = User.objects.get(username="liaison_village")
    visible = policy.scope(liaison, Feedback)
    assert visible.exists()
    organization = liaison.assignments.get(role="unit_liaison").organization
    assert set(visible.values_list("assignment__organization", flat=True)) == {organization.pk}
    assert all(f.acknowledged_by == liaison for f in visible)
    problems = policy.scope(liaison, Problem)
    assert problems.exists() and not problems.filter(kind="lead").exists()
    assert set(problems.values_list("pk", flat=True)) == set(
        visible.values_list("problems", flat=True).exclude(problems=None))
    assert not policy.scope(liaison, Report).exists()


def test_rounds_not_yet_fed_back_have_no_reports_or_feedback(built, db):
    later = Round.objects.filter(committee__name="青崖县委").exclude(state__in=(*FED_BACK, "reporting"))
    assert later.exists()
    assert not Report.objects.filter(assignment__round__in=later).exists()
    assert not Feedback.objects.filter(assignment__round__in=later).exists()


def test_a_report_of_a_round_still_reporting_is_a_draft_or_on_its_way(built, db):
    from datetime import timedelta

    from xuncha.demo import reports_build, reports_text

    rnd = Round.objects.get(committee__name="青崖县委", term__number=14, state="stationed")
    users = {u.username: u for u in User.objects.filter(username__in=["office_admin", "office_staff", "leader"])}
    builder = reports_build._Builder(DEFAULT_SEED, rnd.committee, users)
    schedule = {"drafted": rnd.planned_exit + timedelta(days=2), "meeting": rnd.planned_exit + timedelta(days=7),
                "leading": rnd.planned_exit + timedelta(days=25), "secretary": rnd.planned_exit + timedelta(days=28)}
    for a in Assignment.objects.filter(round=rnd).select_related("group", "organization__kind"):
        target = reports_text.Target(a.organization.name, a.organization.kind.code, a.group.name, rnd.label,
                                     rnd.kind, a.mode, rnd.planned_entry, rnd.planned_exit)
        builder.report(a, "report", reports_text.report_title(target),
                       lambda stage, t=target: reports_text.report_sections(t, [], stage=stage, rng=builder.rng),
                       schedule, [], complete=False, returns=False)
    builder.save_reports()
    reports = Report.objects.filter(assignment__round=rnd)
    assert set(reports.values_list("state", flat=True)) == {"draft", "in_review"}
    assert not reports.filter(approved_version__isnull=False).exists()
    for report in reports.filter(state="draft"):
        assert report.versions.count() == 1 and not report.history.exists() and report.steps == []
    for report in reports.filter(state="in_review"):
        last = report.history.order_by("at", "id").last()
        assert report.step == 2 and (last.step, last.action) == (1, "approve")
