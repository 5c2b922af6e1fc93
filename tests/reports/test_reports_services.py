"""The approval chain of reports: who may decide at which step (table-driven), returns need a
comment and go back to the writers, approval freezes the approved version, versions are never
changed, a committee's own chain is copied onto a report when it is first submitted."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from xuncha.access import policy
from xuncha.access import services as access_services
from xuncha.access.policy import PermissionDenied
from xuncha.access.roles import Role
from xuncha.reports import chain
from xuncha.reports import services_reports as services
from xuncha.reports.models import ApprovalChain, Report, ReportStep, ReportVersion
from xuncha.reports.selectors import reports as selectors
from xuncha.rounds.models import Round


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


STEPS = ["组务会", "组长", "巡察办", "领导小组", "书记专题会"]


@pytest.fixture
def report(world, problems):
    return services.report_generate(actor=world.group_leader, assignment=problems.target, kind="report")


@pytest.fixture
def more_users(world, make_user):
    """A group leader of group 2 and an office administrator of the other county."""
    other_leader = make_user("group2_leader")
    access_services.group_role_grant(actor=policy.CONSOLE, user=other_leader, role=Role.GROUP_LEADER,
                                     group=world.group2)
    return {"group2_leader": other_leader,
            "other_office": make_user("other_office", role=Role.OFFICE_ADMIN, committee=world.other)}


def _at_step(report: Report, step: int) -> Report:
    Report.objects.filter(pk=report.pk).update(state=Report.State.IN_REVIEW, step=step, steps=chain.DEFAULT_STEPS)
    return Report.objects.get(pk=report.pk)


ROLES = ["leader", "office_admin", "office_staff", "group_leader", "group_deputy", "group_member", "supervisor",
         "unit_liaison", "receiver", "outsider", "sysadmin", "group2_leader", "other_office"]
MAY_DECIDE = {
    0: {"group_leader", "group_deputy"},
    1: {"group_leader"},
    2: {"office_admin", "office_staff"},
    3: {"leader"},
    4: {"leader"},
}


@pytest.mark.parametrize("step", sorted(MAY_DECIDE))
@pytest.mark.parametrize("who", ROLES)
def test_who_may_decide_at_which_step(world, report, more_users, step, who):
    user = more_users.get(who) or world.users[who]
    report = _at_step(report, step)
    allowed = who in MAY_DECIDE[step]
    assert bool(chain.decider_role(report, user)) is allowed
    if allowed:
        decided = services.report_decide(actor=user, report=report, action="approve")
        assert decided.step == step + 1 or decided.state == Report.State.APPROVED
        row = ReportStep.objects.get(report=report, action="approve")
        assert (row.step, row.step_name, row.actor, row.role) == (step, STEPS[step], user, row.role)
        assert row.role in MAY_DECIDE[step]
    else:
        with pytest.raises(PermissionDenied):
            services.report_decide(actor=user, report=report, action="approve")
        assert Report.objects.get(pk=report.pk).step == step


def test_the_whole_default_chain_to_approval(world, report):
    services.report_submit(actor=world.group_deputy, report=report, comment="请审议")
    report.refresh_from_db()
    assert report.state == Report.State.IN_REVIEW and report.step == 0
    assert [s["name"] for s in report.steps] == STEPS
    for user in (world.group_deputy, world.group_leader, world.office_staff, world.leader, world.leader):
        report = services.report_decide(actor=user, report=report, action="approve", comment="同意")
    assert report.state == Report.State.APPROVED
    assert report.approved_version == report.versions.order_by("-number").first()
    assert selectors.is_approved(report)
    assert selectors.approved_sections(report) == report.approved_version.sections
    history = list(ReportStep.objects.filter(report=report).values_list("action", "step"))
    assert history == [("submit", 0), ("approve", 0), ("approve", 1), ("approve", 2), ("approve", 3), ("approve", 4)]


def test_approved_report_is_frozen(world, report):
    services.report_submit(actor=world.group_leader, report=report)
    for user in (world.group_leader, world.group_leader, world.office_admin, world.leader, world.leader):
        report = services.report_decide(actor=user, report=report, action="approve")
    sections = report.approved_version.sections
    with pytest.raises(ValidationError, match="frozen"):
        services.report_save(actor=world.group_leader, report=report,
                             sections=[{**s, "body": s["body"] + "补充"} for s in sections])
    with pytest.raises(ValidationError):
        services.report_regenerate(actor=world.group_leader, report=report)
    with pytest.raises(ValidationError):
        services.report_submit(actor=world.group_leader, report=report)
    with pytest.raises(ValidationError):
        services.report_decide(actor=world.leader, report=report, action="return", comment="再改")
    assert report.versions.count() == 1


def test_a_return_needs_a_comment_and_goes_back_to_the_writers(world, report):
    services.report_submit(actor=world.group_leader, report=report)
    report = services.report_decide(actor=world.group_deputy, report=report, action="approve")
    with pytest.raises(ValidationError) as exc:
        services.report_decide(actor=world.group_leader, report=report, action="return", comment="  ")
    assert "comment" in exc.value.message_dict
    report = services.report_decide(actor=world.group_leader, report=report, action="return", comment="问题定性不准")
    assert (report.state, report.step) == (Report.State.RETURNED, 0)
    step = ReportStep.objects.get(report=report, action="return")
    assert (step.step, step.step_name, step.comment) == (1, "组长", "问题定性不准")


def test_a_returned_report_cannot_be_approved_without_resubmission(world, report):
    services.report_submit(actor=world.group_leader, report=report)
    report = services.report_decide(actor=world.group_leader, report=report, action="return", comment="重写")
    for user in (world.group_leader, world.office_admin, world.leader):
        with pytest.raises(ValidationError, match="submitted"):
            services.report_decide(actor=user, report=report, action="approve")
    sections = report.versions.get().sections
    services.report_save(actor=world.group_deputy, report=report,
                         sections=[{**s, "body": s["body"] + "\n补充内容。"} for s in sections], note="按意见修改")
    report = services.report_submit(actor=world.group_deputy, report=report)
    assert (report.state, report.step) == (Report.State.IN_REVIEW, 0)
    assert ReportStep.objects.filter(report=report, action="submit").latest("id").version.number == 2


def test_versions_are_kept_and_never_changed(world, report):
    first = report.versions.get()
    original = [dict(s) for s in first.sections]
    edited = [{**s, "body": "全新正文。"} if s["key"] == "overview" else s for s in original]
    second = services.report_save(actor=world.group_leader, report=report, sections=edited, note="改写概述")
    assert second.number == 2 and second.note == "改写概述"
    first.refresh_from_db()
    assert first.sections == original
    with pytest.raises(ValidationError, match="Nothing"):
        services.report_save(actor=world.group_leader, report=report, sections=edited)
    assert ReportVersion.objects.filter(report=report).count() == 2


@pytest.mark.parametrize("sections, message", [
    ([], "at least one"),
    ([{"key": "a", "title": "", "body": "x"}], "title"),
    ([{"key": "A B", "title": "一", "body": "x"}], "key"),
    ([{"key": "a", "title": "一", "body": "x"}, {"key": "a", "title": "二", "body": "y"}], "twice"),
])
def test_bad_sections_are_refused_with_a_message(world, report, sections, message):
    with pytest.raises(ValidationError, match=message):
        services.report_save(actor=world.group_leader, report=report, sections=sections)
    assert report.versions.count() == 1


def test_no_edit_while_in_approval(world, report):
    services.report_submit(actor=world.group_leader, report=report)
    with pytest.raises(ValidationError):
        services.report_save(actor=world.group_leader, report=report,
                             sections=[{"key": "a", "title": "一", "body": "x"}])


@pytest.mark.parametrize("role", ["group_member", "leader", "supervisor", "unit_liaison", "receiver"])
def test_who_may_not_write_or_submit(world, report, role):
    user = world.users[role]
    with pytest.raises(PermissionDenied):
        services.report_save(actor=user, report=report, sections=[{"key": "a", "title": "一", "body": "x"}])
    with pytest.raises(PermissionDenied):
        services.report_submit(actor=user, report=report)


def test_group_roles_stop_when_the_round_is_completed(world, report):
    services.report_submit(actor=world.group_leader, report=report)
    Round.objects.filter(pk=world.round.pk).update(state=Round.State.COMPLETED)
    report = Report.objects.get(pk=report.pk)
    with pytest.raises(PermissionDenied):
        services.report_decide(actor=world.group_leader, report=report, action="approve")


def test_a_configured_chain_is_copied_when_first_submitted(world, report):
    services.chain_save(actor=world.office_admin, committee=world.county, kind="report",
                        steps=[{"name": "组长审定", "roles": ["group_leader"]},
                               {"name": "巡察办审核", "roles": ["office_admin"]}])
    report = services.report_submit(actor=world.group_leader, report=report)
    assert [s["name"] for s in report.steps] == ["组长审定", "巡察办审核"]
    # A later change of the chain does not move the report.
    services.chain_save(actor=world.office_admin, committee=world.county, kind="report",
                        steps=[{"name": "另一步", "roles": ["leader"]}])
    report = services.report_decide(actor=world.group_leader, report=report, action="return", comment="改")
    report = services.report_submit(actor=world.group_leader, report=report)
    assert [s["name"] for s in report.steps] == ["组长审定", "巡察办审核"]
    report = services.report_decide(actor=world.group_leader, report=report, action="approve")
    report = services.report_decide(actor=world.office_admin, report=report, action="approve")
    assert report.state == Report.State.APPROVED


def test_the_default_chain_when_none_is_configured(world):
    assert [s["name"] for s in chain.steps_for(world.county, "report")] == STEPS
    assert chain.steps_for(world.county, "leads") == chain.DEFAULT_STEPS


@pytest.mark.parametrize("steps, message", [
    ([{"name": "", "roles": ["leader"]}], "name"),
    ([{"name": "审议", "roles": []}], "at least one role"),
    ([{"name": "审议", "roles": ["unit_liaison"]}], "cannot approve"),
    ([{"name": "审议", "roles": ["sysadmin"]}], "cannot approve"),
    ([], "at least one step"),
])
def test_the_chain_is_validated(world, steps, message):
    with pytest.raises(ValidationError, match=message):
        services.chain_save(actor=world.office_admin, committee=world.county, kind="report", steps=steps)
    assert not ApprovalChain.objects.exists()


@pytest.mark.parametrize("role", ["office_staff", "leader", "group_leader", "supervisor"])
def test_only_the_office_admin_edits_the_chain(world, role):
    with pytest.raises(PermissionDenied):
        services.chain_save(actor=world.users[role], committee=world.county, kind="report",
                            steps=[{"name": "审议", "roles": ["leader"]}])


def test_the_inbox_holds_the_reports_at_my_step(world, report, more_users):
    services.report_submit(actor=world.group_leader, report=report)
    assert selectors.inbox(world.group_deputy) == [report]
    assert selectors.inbox(world.office_admin) == [] and selectors.inbox(more_users["group2_leader"]) == []
    services.report_decide(actor=world.group_deputy, report=report, action="approve")
    services.report_decide(actor=world.group_leader, report=report, action="approve")
    assert selectors.inbox(world.office_staff) == [report] and selectors.inbox(world.group_leader) == []
    assert selectors.inbox(more_users["other_office"]) == []
