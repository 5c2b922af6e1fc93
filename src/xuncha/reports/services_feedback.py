"""Writes for feedback (反馈意见) to the inspected organization.

A feedback is made for one target once its inspection report is approved (a draft, returned or
unfinished report cannot be fed back). It starts with the report's general and cadre-selection
problems and the standard rectification requirements; problem leads (问题线索) are never fed
back, and every function here refuses them whatever the form offered. Issuing it on a date
computes the deadlines from the deadline policy in force on that date (kept with the policy that
produced them), marks every chosen problem fed back, and freezes the feedback: an issued feedback
refuses changes. The feedback meeting and the copies sent (抄送) are recorded once it is issued.

Who: the group leader of the target's group and the office write feedback. The policy also lets
the organization's liaison CHANGE an issued feedback of its own organization — that grant is for
acknowledging receipt (feedback_acknowledge) and nothing else: every other write here also needs
the right to CREATE a feedback for the target, which the liaison never has.

Every function checks the policy, runs in one transaction and leaves an audit event.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from xuncha.access import audit, policy
from xuncha.access.policy import CHANGE, CREATE, DELETE, PermissionDenied, require
from xuncha.access.roles import Role
from xuncha.findings.models import Kind, Problem
from xuncha.rectification import deadlines
from xuncha.registry.models import Organization
from xuncha.reports import services_documents
from xuncha.reports.models import (
    DocKind,
    Feedback,
    FeedbackCopy,
    FeedbackMeeting,
    Report,
    ReportStep,
)
from xuncha.rounds.models import Assignment

DRAFT = Feedback.State.DRAFT
ISSUED = Feedback.State.ISSUED
FED_BACK_KINDS = (Kind.GENERAL, Kind.CADRE)

# The rectification requirements every feedback starts with (the group edits them before issuing).
STANDARD_REQUIREMENTS = "\n".join([
    "一、提高政治站位，认真组织整改。被巡察党组织要把巡察整改作为重要政治任务，切实履行整改主体责任，"
    "党组织书记作为第一责任人，对反馈的问题逐条研究、逐项整改。",
    "二、制定整改方案，明确责任。收到反馈意见后，针对反馈的问题制定整改方案，建立问题清单、任务清单、"
    "责任清单，明确整改措施、责任人和完成时限，做到整改不到位不销号。",
    "三、按期报送整改报告。集中整改期满后，按期向巡察工作领导小组办公室报送整改进展情况报告和"
    "主要负责人组织落实整改情况报告，并按规定公开整改情况，接受党员群众监督。",
    "四、举一反三，建立长效机制。对反馈问题背后的制度漏洞深入剖析，完善制度，防止问题反弹回潮。",
    "五、严肃追责问责。对巡察移交的问题线索和整改中发现的违纪违法问题，依规依纪依法处理。",
])


def _account(actor):
    return actor if getattr(actor, "pk", None) else None


def _required() -> list[str]:
    return [_("This field is required.")]


def _numbers(problems: Iterable[Problem]) -> str:
    return "、".join(p.number for p in problems)


# -- checks ----------------------------------------------------------------------------------

def inspection_report(assignment: Assignment) -> Report | None:
    """The target's inspection report (never the leads report)."""
    return Report.objects.filter(assignment=assignment, kind=DocKind.REPORT).first()


def report_refusal(report: Report | None) -> str:
    """Why this report cannot be fed back yet; "" once it is approved."""
    if report is None:
        return _("The target has no inspection report yet; feedback follows the approved report.")
    if report.state == Report.State.RETURNED:
        return _("The inspection report was returned; it cannot be fed back until it is approved.")
    if report.state != Report.State.APPROVED or report.approved_version_id is None:
        return _("The inspection report is not approved yet; feedback follows the approved report.")
    return ""


def _check_report(report: Report | None) -> None:
    reason = report_refusal(report)
    if reason:
        raise ValidationError({"report": [reason]})


def new_feedback(assignment: Assignment, report: Report | None = None) -> Feedback:
    """An unsaved feedback for the target, so that the policy can judge it before it exists."""
    return Feedback(assignment=assignment, report=report)


def _require_writer(actor, feedback: Feedback) -> None:
    """Group leader or office: CHANGE and the right to make a feedback for this target. A liaison
    holds CHANGE on its issued feedback only to acknowledge it."""
    require(actor, CHANGE, feedback)
    require(actor, CREATE, feedback)


def _require_draft(feedback: Feedback) -> None:
    if feedback.state != DRAFT:
        raise ValidationError({"state": [_("This feedback has been issued; it can no longer be changed.")]})


def _require_issued(feedback: Feedback, field: str) -> None:
    if feedback.state != ISSUED:
        raise ValidationError({field: [_("Issue the feedback first.")]})


def _not_in_future(day: date | None, field: str, errors: dict[str, list[str]]) -> None:
    if day is None:
        errors[field] = _required()
    elif day > timezone.localdate():
        errors[field] = [_("The date cannot be in the future.")]


def _lock(feedback: Feedback) -> Feedback:
    return (Feedback.objects.select_for_update(of=("self",))
            .select_related("assignment__round__committee", "assignment__group", "assignment__organization",
                            "report")
            .get(pk=feedback.pk))


def _locked(actor, feedback: Feedback) -> Feedback:
    """The feedback, locked and fresh, after checking the actor may write it."""
    _require_writer(actor, feedback)
    feedback = _lock(feedback)
    _require_writer(actor, feedback)
    return feedback


def _chosen(feedback: Feedback, problems: Iterable[Problem | int]) -> list[Problem]:
    """The problems named, after checking each is a non-lead problem of the feedback's target."""
    ids = sorted({getattr(p, "pk", p) for p in problems})
    found = list(Problem.objects.filter(pk__in=ids).order_by("seq"))
    if len(found) != len(ids) or any(p.assignment_id != feedback.assignment_id for p in found):
        raise ValidationError({"problems": [_("Choose problems of this inspection target only.")]})
    leads = [p for p in found if p.kind == Kind.LEAD]
    if leads:
        raise ValidationError({"problems": [_("Problem leads are never fed back to the organization: %(numbers)s.")
                                            % {"numbers": _numbers(leads)}]})
    return found


def candidate_problems(assignment: Assignment):
    """The problems of the target that may be fed back (never leads), in number order. The
    pages and the API reach them through the user's scope (selectors.feedback)."""
    return Problem.objects.filter(assignment=assignment, kind__in=FED_BACK_KINDS).order_by("seq")


# -- create and update -----------------------------------------------------------------------

@transaction.atomic
def feedback_create(*, actor, assignment: Assignment) -> Feedback:
    """A draft feedback for a target whose inspection report is approved, with the report's
    general and cadre-selection problems chosen and the standard requirements."""
    assignment = (Assignment.objects.select_for_update(of=("self",))
                  .select_related("round__committee", "group", "organization").get(pk=assignment.pk))
    report = inspection_report(assignment)
    feedback = new_feedback(assignment, report)
    require(actor, CREATE, feedback)
    if Feedback.objects.filter(assignment=assignment).exists():
        raise ValidationError({"assignment": [_("This target already has its feedback.")]})
    _check_report(report)
    feedback.requirements = STANDARD_REQUIREMENTS
    feedback.created_by = _account(actor)
    feedback.save()
    chosen = list(candidate_problems(assignment))
    feedback.problems.set(chosen)
    audit.record(actor=actor, action="feedback.create", obj=feedback, summary=str(assignment.organization),
                 detail={"assignment": assignment.pk, "report": report.pk, "problems": [p.number for p in chosen]})
    return feedback


@transaction.atomic
def feedback_update(*, actor, feedback: Feedback, problems: Iterable[Problem | int] | None = None,
                    requirements: str | None = None) -> Feedback:
    """Choose the problems (non-lead problems of the target) and edit the requirements of a
    draft feedback; what is not given stays."""
    feedback = _locked(actor, feedback)
    _require_draft(feedback)
    detail: dict = {}
    if requirements is not None:
        requirements = requirements.strip()
        if not requirements:
            raise ValidationError({"requirements": _required()})
        if requirements != feedback.requirements:
            feedback.requirements = requirements
            feedback.save(update_fields=["requirements"])
            detail["requirements"] = True
    if problems is not None:
        chosen = _chosen(feedback, problems)
        before = set(feedback.problems.values_list("pk", flat=True))
        if before != {p.pk for p in chosen}:
            feedback.problems.set(chosen)
            detail["problems"] = [p.number for p in chosen]
    if detail:
        audit.record(actor=actor, action="feedback.update", obj=feedback,
                     summary=str(feedback.assignment.organization), detail=detail)
    return feedback


# -- issue -----------------------------------------------------------------------------------

@transaction.atomic
def feedback_issue(*, actor, feedback: Feedback, fed_back_on: date | None) -> Feedback:
    """Draft → issued on `fed_back_on` (not in the future): the report must still be approved,
    at least one problem chosen (none a lead) and requirements written. Deadlines come from the
    deadline policy in force on that date; every chosen problem becomes fed back."""
    feedback = _locked(actor, feedback)
    _require_draft(feedback)
    errors: dict[str, list[str]] = {}
    _not_in_future(fed_back_on, "fed_back_on", errors)
    reason = report_refusal(feedback.report)
    if reason:
        errors["report"] = [reason]
    elif fed_back_on is not None and "fed_back_on" not in errors:
        approved_at = (ReportStep.objects.filter(report=feedback.report, action="approve")
                       .aggregate(last=Max("at"))["last"])
        if approved_at is not None and fed_back_on < timezone.localdate(approved_at):
            errors["fed_back_on"] = [_("Feedback follows the approval of the report: it cannot be dated before "
                                       "%(date)s.") % {"date": date_format(timezone.localdate(approved_at),
                                                                          "DATE_FORMAT")}]
    problems = list(feedback.problems.select_for_update(of=("self",)).order_by("seq"))
    leads = [p for p in problems if p.kind == Kind.LEAD]
    if leads:
        errors["problems"] = [_("Problem leads are never fed back to the organization: %(numbers)s.")
                              % {"numbers": _numbers(leads)}]
    elif not problems:
        errors["problems"] = [_("Choose at least one problem to feed back.")]
    if not feedback.requirements.strip():
        errors["requirements"] = _required()
    if errors:
        raise ValidationError(errors)
    assert fed_back_on is not None
    due = deadlines.for_feedback(feedback.assignment.round.committee, fed_back_on)
    feedback.state = ISSUED
    feedback.fed_back_on = fed_back_on
    feedback.policy = due.policy
    feedback.rectification_due = due.rectification_due
    feedback.progress_report_due = due.progress_report_due
    feedback.issued_by = _account(actor)
    feedback.issued_at = timezone.now()
    feedback.save(update_fields=["state", "fed_back_on", "policy", "rectification_due", "progress_report_due",
                                 "issued_by", "issued_at"])
    Problem.objects.filter(feedbacks=feedback).update(fed_back=True)
    audit.record(actor=actor, action="feedback.issue", obj=feedback, summary=str(feedback.assignment.organization),
                 detail={"fed_back_on": fed_back_on.isoformat(), "policy": due.policy.pk,
                         "policy_effective_from": due.policy.effective_from.isoformat(),
                         "rectification_due": due.rectification_due.isoformat(),
                         "progress_report_due": due.progress_report_due.isoformat(),
                         "problems": [p.number for p in problems]})
    _generate_documents(actor, feedback)
    return feedback


def _generate_documents(actor, feedback: Feedback) -> None:
    """The feedback and its problem list (Word, Excel) for the organization, generated in the
    issuing transaction so that an issued feedback always has its documents."""
    services_documents.generate_feedback_documents(actor=actor, feedback=feedback)


# -- meeting and copies ----------------------------------------------------------------------

@transaction.atomic
def meeting_record(*, actor, feedback: Feedback, held_on: date | None, attendees: str, place: str = "",
                   receipt_acknowledged: bool = False, notes: str = "") -> FeedbackMeeting:
    """Record (or correct) the meeting at which the issued feedback was given."""
    feedback = _lock(feedback)
    meeting = FeedbackMeeting.objects.filter(feedback=feedback).first()
    if meeting is None:
        meeting = FeedbackMeeting(feedback=feedback)
        require(actor, CREATE, meeting)
    else:
        require(actor, CHANGE, meeting)
    _require_issued(feedback, "held_on")
    errors: dict[str, list[str]] = {}
    _not_in_future(held_on, "held_on", errors)
    attendees, place, notes = (attendees or "").strip(), (place or "").strip(), (notes or "").strip()
    if not attendees:
        errors["attendees"] = _required()
    if len(place) > 200:
        errors["place"] = [_("At most 200 characters.")]
    if errors:
        raise ValidationError(errors)
    created = meeting.pk is None
    meeting.held_on, meeting.place, meeting.attendees = held_on, place, attendees
    meeting.receipt_acknowledged, meeting.notes = bool(receipt_acknowledged), notes
    meeting.recorded_by = _account(actor)
    meeting.save()
    audit.record(actor=actor, action="feedback.meeting", obj=feedback, summary=str(feedback.assignment.organization),
                 detail={"held_on": held_on.isoformat() if held_on else None, "place": place,
                         "receipt_acknowledged": meeting.receipt_acknowledged, "created": created})
    return meeting


@transaction.atomic
def copy_add(*, actor, feedback: Feedback, organization: Organization | None, role: str,
             sent_on: date | None) -> FeedbackCopy:
    """Record a copy of the issued feedback sent to an organization of the committee (抄送), as
    分管领导, 主责部门, 纪委监委, 组织部 or other; once per organization."""
    feedback = _lock(feedback)
    copy = FeedbackCopy(feedback=feedback, organization=organization, role=role, sent_on=sent_on)
    require(actor, CREATE, copy)
    _require_issued(feedback, "organization")
    errors: dict[str, list[str]] = {}
    if organization is None:
        errors["organization"] = _required()
    elif organization.committee_id != feedback.assignment.round.committee_id:
        errors["organization"] = [_("Choose an organization of the committee that sent the inspection.")]
    elif organization.pk == feedback.assignment.organization_id:
        errors["organization"] = [_("The inspected organization receives the feedback itself, not a copy.")]
    elif FeedbackCopy.objects.filter(feedback=feedback, organization=organization).exists():
        errors["organization"] = [_("A copy to this organization is already recorded.")]
    if role not in FeedbackCopy.Role.values:
        errors["role"] = [_("Choose what the organization receives the copy as.")]
    _not_in_future(sent_on, "sent_on", errors)
    if sent_on and feedback.fed_back_on and sent_on < feedback.fed_back_on:
        errors["sent_on"] = [_("A copy is sent on or after the feedback date.")]
    if errors:
        raise ValidationError(errors)
    copy.save()
    audit.record(actor=actor, action="feedback.copy_add", obj=feedback, summary=str(organization),
                 detail={"organization": organization.pk, "role": role, "sent_on": sent_on.isoformat()})
    return copy


@transaction.atomic
def copy_remove(*, actor, copy: FeedbackCopy) -> None:
    """Remove a copy recorded by mistake."""
    require(actor, DELETE, copy)
    copy = FeedbackCopy.objects.select_for_update(of=("self",)).select_related("organization").get(pk=copy.pk)
    require(actor, DELETE, copy)
    audit.record(actor=actor, action="feedback.copy_remove", obj=copy.feedback, summary=str(copy.organization),
                 detail={"organization": copy.organization_id, "role": copy.role,
                         "sent_on": copy.sent_on.isoformat()})
    copy.delete()


# -- the organization's receipt --------------------------------------------------------------

def is_liaison_of(user, organization_id: int) -> bool:
    """Whether the user is now a liaison (unit_liaison) of that organization."""
    return any(a.role == Role.UNIT_LIAISON and a.organization_id == organization_id
               for a in policy.assignments(user))


@transaction.atomic
def feedback_acknowledge(*, actor, feedback: Feedback) -> Feedback:
    """The organization's liaison confirms receipt of its issued feedback. Idempotent: the
    first acknowledgement (who, when) stands; a second one changes nothing and records nothing."""
    require(actor, CHANGE, feedback)
    feedback = _lock(feedback)
    require(actor, CHANGE, feedback)
    if not is_liaison_of(actor, feedback.assignment.organization_id):
        raise PermissionDenied("acknowledge Feedback")
    if feedback.state != ISSUED:
        raise ValidationError({"state": [_("Only issued feedback can be acknowledged.")]})
    if feedback.acknowledged_at is not None:
        return feedback
    feedback.acknowledged_by = _account(actor)
    feedback.acknowledged_at = timezone.now()
    feedback.save(update_fields=["acknowledged_by", "acknowledged_at"])
    audit.record(actor=actor, action="feedback.acknowledge", obj=feedback,
                 summary=str(feedback.assignment.organization))
    return feedback
