"""The permission matrix for reports, feedback, documents and the deadline policy.

"in" objects belong to the target 东门村 (the unit liaison's organization) of group 1 in
示例县委; the feedback is issued and the document is one generated for the organization.
"out" objects belong to 邻县县委.
"""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from xuncha.rectification.models import DeadlinePolicy
from xuncha.reports.models import (
    ApprovalChain,
    DocumentTemplate,
    Feedback,
    FeedbackCopy,
    FeedbackMeeting,
    GeneratedDocument,
    Report,
    ReportStep,
    ReportVersion,
)
from xuncha.rounds.models import Assignment, Group, Round, Term


def _t(**by_role: str) -> dict[str, set[str]]:
    return {role: set(actions.split()) for role, actions in by_role.items()}


SUP = _t(supervisor="view")
READ = dict(leader="view", office_admin="view", office_staff="view", group_leader="view", group_deputy="view",
            supervisor="view")
MEETING = _t(**{**READ, "office_admin": "view create change delete", "office_staff": "view create change delete",
                "group_leader": "view create change delete", "unit_liaison": "view"})

EXPECTED = {
    "ApprovalChain": {"in": _t(leader="view", office_admin="view create change", office_staff="view"), "out": _t()},
    "Report": {"in": _t(**{**READ, "leader": "view change export", "office_admin": "view create change export",
                           "office_staff": "view create change export", "group_leader": "view create change",
                           "group_deputy": "view create change"}), "out": SUP},
    "ReportVersion": {"in": _t(**READ), "out": SUP},
    "ReportStep": {"in": _t(**READ), "out": SUP},
    "Feedback": {"in": _t(**{**READ, "office_admin": "view create change", "office_staff": "view create change",
                             "group_leader": "view create change", "unit_liaison": "view change"}), "out": SUP},
    "FeedbackMeeting": {"in": MEETING, "out": SUP},
    "FeedbackCopy": {"in": MEETING, "out": SUP},
    "DocumentTemplate": {"in": _t(office_admin="view create change delete", office_staff="view create change delete"),
                         "out": _t()},
    "GeneratedDocument": {"in": _t(**{**READ, "office_admin": "view create", "office_staff": "view create",
                                      "group_leader": "view create", "group_deputy": "view create",
                                      "unit_liaison": "view"}), "out": SUP},
    "DeadlinePolicy": {"in": _t(leader="view", office_admin="view create change", office_staff="view",
                                supervisor="view"), "out": SUP},
}


def _objects(committee, group: Group, organization, actor) -> dict:
    now = timezone.now()
    assignment, _ = Assignment.objects.get_or_create(group=group, organization=organization)
    report = Report.objects.create(assignment=assignment, title="巡察报告")
    version = ReportVersion.objects.create(report=report, number=1, sections=[])
    policy = DeadlinePolicy.objects.create(committee=committee, effective_from=date(2024, 1, 1))
    feedback = Feedback.objects.create(assignment=assignment, report=report, state=Feedback.State.ISSUED,
                                       fed_back_on=date(2024, 6, 1), policy=policy)
    return {
        "ApprovalChain": ApprovalChain.objects.create(committee=committee, kind="report", steps=[]),
        "Report": report,
        "ReportVersion": version,
        "ReportStep": ReportStep.objects.create(report=report, version=version, step=0, step_name="组务会",
                                                action="submit", actor=actor, at=now),
        "Feedback": feedback,
        "FeedbackMeeting": FeedbackMeeting.objects.create(feedback=feedback, held_on=date(2024, 6, 1), attendees="……"),
        "FeedbackCopy": FeedbackCopy.objects.create(feedback=feedback, organization=organization, role="discipline",
                                                    sent_on=date(2024, 6, 2)),
        "DocumentTemplate": DocumentTemplate.objects.create(committee=committee, doc_type="report", name="报告模板",
                                                            file="templates/x.docx", sha256="0" * 64),
        "GeneratedDocument": GeneratedDocument.objects.create(
            round=group.round, group=group, organization=organization, doc_type="feedback", format="docx",
            title="反馈意见", file="documents/x.docx", sha256="0" * 64, for_organization=True),
        "DeadlinePolicy": policy,
    }


def report_objects(world, other_admin) -> dict[str, tuple]:
    other_term = Term.objects.create(committee=world.other, number=3, name="第三届", start_date=date(2024, 1, 1))
    other_round = Round.objects.create(term=other_term, number=1, planned_entry=date(2024, 3, 1),
                                       planned_exit=date(2024, 4, 30), state=Round.State.STATIONED)
    other_group = Group.objects.create(round=other_round, number=1)
    inside = _objects(world.county, world.group1, world.village, world.users["group_leader"])
    outside = _objects(world.other, other_group, world.other_township, other_admin)
    return {name: (inside[name], outside[name]) for name in inside}
