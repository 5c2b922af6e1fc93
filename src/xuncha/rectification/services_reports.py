"""Writes for the organization's progress report (集中整改进展情况报告), the office's review opinion
(审核意见) on it, and the public disclosure of the rectification (整改情况公开).

The organization's liaison starts the report of an issued feedback (one per feedback; its due
date is the feedback's progress-report deadline, computed when the feedback was issued), writes
it — text, a .docx or .pdf file, or both — and submits it. The office reviews it: it accepts it
with a review opinion dated on a day, or returns it with a comment (the latest comment is what
the liaison sees; every one is in the audit log). Accepting fixes the disclosure deadline from
the deadline policy in force on the opinion's date, kept with the report. Each publication is
a Disclosure recorded by the liaison or the office; the office removes one recorded by mistake.

Who: the policy lets both the liaison and the office CHANGE a report; they mean different
things by it (writing, reviewing), so every check here names the roles (`roles=`). The office
holds no CREATE on a report: the organization starts its own.

Every function checks the policy, runs in one transaction and leaves an audit event.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import IO

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from xuncha.access import audit
from xuncha.access.policy import CHANGE, CREATE, DELETE, require
from xuncha.access.roles import Role
from xuncha.findings.uploads import DOCX, PDF, UploadRefused, check_evidence
from xuncha.rectification import deadlines
from xuncha.rectification.models import Disclosure, ProgressReport
from xuncha.reports.models import Feedback

S = ProgressReport.State
OFFICE = (Role.OFFICE_ADMIN, Role.OFFICE_STAFF)
LIAISON = (Role.UNIT_LIAISON,)
DEFAULT_TITLE = "关于巡察反馈意见集中整改进展情况的报告"
FILE_TYPES = (DOCX, PDF)
TITLE_MAX = ProgressReport._meta.get_field("title").max_length
NAME_MAX = ProgressReport._meta.get_field("original_name").max_length
DISCLOSURE_MAX = {field: Disclosure._meta.get_field(field).max_length for field in ("place", "title")}

# (state, action) → (next state, the roles that take it).
TRANSITIONS: dict[tuple[str, str], tuple[str, tuple[str, ...]]] = {
    (S.DRAFT, "submit"): (S.SUBMITTED, LIAISON),
    (S.RETURNED, "submit"): (S.SUBMITTED, LIAISON),
    (S.SUBMITTED, "accept"): (S.REVIEWED, OFFICE),
    (S.SUBMITTED, "return"): (S.RETURNED, OFFICE),
}
# The organization writes its report while it is with the organization.
EDITABLE = (S.DRAFT, S.RETURNED)
DECISIONS = ("accept", "return")


def _account(actor):
    return actor if getattr(actor, "pk", None) else None


def _required() -> list[str]:
    return [_("This field is required.")]


def _day(day: date) -> str:
    return date_format(day, "DATE_FORMAT")


def _not_in_future(day: date | None, field: str, errors: dict[str, list[str]]) -> bool:
    if day is None:
        errors[field] = _required()
    elif day > timezone.localdate():
        errors[field] = [_("The date cannot be in the future.")]
    else:
        return True
    return False


def _lock(report: ProgressReport) -> ProgressReport:
    return (ProgressReport.objects.select_for_update(of=("self",))
            .select_related("organization", "round__committee", "feedback").get(pk=report.pk))


def _locked(actor, report: ProgressReport, action: str, roles) -> ProgressReport:
    """The report, locked and fresh, after checking the actor may take `action` through `roles`."""
    require(actor, action, report, roles=roles)
    report = _lock(report)
    require(actor, action, report, roles=roles)
    return report


def transition_for(state: str, action: str) -> tuple[str, tuple[str, ...]] | None:
    return TRANSITIONS.get((state, action))


def _transition(actor, report: ProgressReport, action: str) -> tuple[ProgressReport, str, str]:
    """Lock the report, check the actor may take `action` and that the report's state allows it;
    (report, old state, new state)."""
    roles = next(roles for (_state, name), (_next, roles) in TRANSITIONS.items() if name == action)
    report = _locked(actor, report, CHANGE, roles)
    found = transition_for(report.state, action)
    if found is None:
        raise ValidationError({"state": [_("This cannot be done while the report is “%(state)s”.")
                                         % {"state": report.get_state_display()}]})
    return report, report.state, found[0]


def new_report(feedback: Feedback) -> ProgressReport:
    """An unsaved report of the feedback, so that the policy can judge it before it exists."""
    assignment = feedback.assignment
    return ProgressReport(feedback=feedback, organization=assignment.organization, round=assignment.round,
                          due=feedback.progress_report_due)


# -- the report ------------------------------------------------------------------------------

@transaction.atomic
def report_start(*, actor, feedback: Feedback, title: str = "") -> ProgressReport:
    """Start the progress report of an issued feedback (one per feedback), due on the feedback's
    progress-report deadline."""
    feedback = (Feedback.objects.select_for_update(of=("self",))
                .select_related("assignment__organization", "assignment__round__committee").get(pk=feedback.pk))
    report = new_report(feedback)
    require(actor, CREATE, report)
    if feedback.state != Feedback.State.ISSUED or feedback.progress_report_due is None:
        raise ValidationError({"feedback": [_("A progress report follows an issued feedback.")]})
    if ProgressReport.objects.filter(feedback=feedback).exists():
        raise ValidationError({"feedback": [_("This feedback already has its progress report.")]})
    title = (title or "").strip() or DEFAULT_TITLE
    if len(title) > TITLE_MAX:
        raise ValidationError({"title": [_("At most %(n)d characters.") % {"n": TITLE_MAX}]})
    report.title = title
    report.created_by = _account(actor)
    report.save()
    audit.record(actor=actor, action="progress_report.start", obj=report, summary=str(report.organization),
                 detail={"feedback": feedback.pk, "due": report.due.isoformat()})
    return report


def _checked_file(file: IO[bytes], name: str):
    original = (name or "").replace("\\", "/").rsplit("/", 1)[-1].strip().replace("\x00", "")
    if not original:
        raise ValidationError({"file": [_("The file has no name.")]})
    try:
        checked = check_evidence(file, original)
    except UploadRefused as refusal:
        raise ValidationError({"file": [refusal.message]}) from None
    if checked.type not in FILE_TYPES:
        raise ValidationError({"file": [_("Upload the report as a Word document (.docx) or a PDF file; this "
                                          "file is %(type)s.") % {"type": checked.type.label}]})
    if len(original) > NAME_MAX:
        original = original[: NAME_MAX - len(checked.extension) - 1] + "." + checked.extension
    return checked, original


@transaction.atomic
def report_update(*, actor, report: ProgressReport, title: str | None = None, text: str | None = None,
                  file: IO[bytes] | None = None, file_name: str = "", remove_file: bool = False) -> ProgressReport:
    """Write the report while it is with the organization (being written or returned): title,
    text, and its file (.docx or .pdf, checked by its content); what is not given stays."""
    report = _locked(actor, report, CHANGE, LIAISON)
    if report.state not in EDITABLE:
        raise ValidationError({"state": [_("The report has been submitted; it can no longer be changed.")]})
    changes: dict[str, object] = {}
    if title is not None:
        title = title.strip()
        if not title:
            raise ValidationError({"title": _required()})
        if len(title) > TITLE_MAX:
            raise ValidationError({"title": [_("At most %(n)d characters.") % {"n": TITLE_MAX}]})
        if title != report.title:
            changes["title"] = title
    if text is not None and text.strip() != report.text:
        changes["text"] = text.strip()
    checked = None
    if file is not None:
        checked, original = _checked_file(file, file_name)
        changes.update(original_name=original, sha256=checked.sha256)
    elif remove_file and report.file:
        changes.update(file="", original_name="", sha256="")
    if not changes:
        return report
    old_file = report.file.name if report.file and "sha256" in changes else ""
    storage = report.file.storage
    for field, value in changes.items():
        setattr(report, field, value)
    stored = ""
    if checked is not None:
        file.seek(0)
        report.file.save(f"{uuid.uuid4().hex}.{checked.extension}", File(file), save=False)
        stored = report.file.name
    # Nothing half-written: a file stored for a row that fails to save is removed again.
    try:
        report.save(update_fields=sorted({*changes, "file"} if "sha256" in changes else changes))
        audit.record(actor=actor, action="progress_report.update", obj=report, summary=str(report.organization),
                     detail={"fields": sorted(changes), "sha256": report.sha256 or None,
                             "file": report.original_name or None})
    except Exception:
        if stored:
            storage.delete(stored)
        raise
    if old_file:
        transaction.on_commit(lambda: storage.delete(old_file))
    return report


@transaction.atomic
def report_submit(*, actor, report: ProgressReport) -> ProgressReport:
    """The liaison submits the report (text or file required) today; a report submitted after
    its due date is marked late, not refused."""
    report, old, new = _transition(actor, report, "submit")
    if not report.text.strip() and not report.file:
        raise ValidationError({"text": [_("Write the report or attach its file before submitting it.")]})
    today = timezone.localdate()
    report.state, report.submitted_on, report.submitted_by = new, today, _account(actor)
    report.save(update_fields=["state", "submitted_on", "submitted_by"])
    audit.record(actor=actor, action="progress_report.submit", obj=report, summary=str(report.organization),
                 detail={"from": old, "to": new, "submitted_on": today.isoformat(), "due": report.due.isoformat(),
                         "late": today > report.due})
    return report


@transaction.atomic
def report_review(*, actor, report: ProgressReport, decision: str, opinion: str = "",
                  reviewed_on: date | None = None, comment: str = "") -> ProgressReport:
    """The office decides on a submitted report: "accept" with its review opinion dated
    `reviewed_on` (not in the future, not before the submission), which fixes the disclosure
    deadline by the policy in force that day; or "return" with a comment for the organization."""
    if decision not in DECISIONS:
        raise ValidationError({"decision": [_("Choose to accept or to return the report.")]})
    report, old, new = _transition(actor, report, decision)
    if decision == "return":
        comment = (comment or "").strip()
        if not comment:
            raise ValidationError({"comment": [_("Say what the organization should improve.")]})
        report.state, report.opinion = new, comment
        report.save(update_fields=["state", "opinion"])
        audit.record(actor=actor, action="progress_report.return", obj=report, summary=str(report.organization),
                     detail={"from": old, "to": new, "comment": comment})
        return report
    errors: dict[str, list[str]] = {}
    opinion = (opinion or "").strip()
    if not opinion:
        errors["opinion"] = _required()
    if _not_in_future(reviewed_on, "reviewed_on", errors) and report.submitted_on and reviewed_on < report.submitted_on:
        errors["reviewed_on"] = [_("The review cannot be dated before the report was submitted (%(day)s).")
                                 % {"day": _day(report.submitted_on)}]
    if errors:
        raise ValidationError(errors)
    assert reviewed_on is not None
    rules = deadlines.in_force(report.round.committee, reviewed_on)
    report.state, report.opinion = new, opinion
    report.reviewed_on, report.reviewed_by = reviewed_on, _account(actor)
    report.policy = rules
    report.disclosure_due = deadlines.add_months(reviewed_on, rules.disclosure_months)
    report.save(update_fields=["state", "opinion", "reviewed_on", "reviewed_by", "policy", "disclosure_due"])
    audit.record(actor=actor, action="progress_report.accept", obj=report, summary=str(report.organization),
                 detail={"from": old, "to": new, "reviewed_on": reviewed_on.isoformat(), "opinion": opinion,
                         "policy": rules.pk, "policy_effective_from": rules.effective_from.isoformat(),
                         "disclosure_due": report.disclosure_due.isoformat()})
    return report


def record_download(*, actor, report: ProgressReport) -> None:
    """Every download of a report's file is in the audit log."""
    audit.record(actor=actor, action="progress_report.download", obj=report, summary=report.original_name,
                 detail={"sha256": report.sha256})


# -- disclosure ------------------------------------------------------------------------------

@transaction.atomic
def disclosure_add(*, actor, report: ProgressReport, published_on: date | None, channel: str, place: str,
                   title: str, content: str = "") -> Disclosure:
    """Record one publication of the rectification of a reviewed report: when (not in the
    future, not before the review opinion), through which channel, where, under which title."""
    disclosure = Disclosure(report=report)
    require(actor, CREATE, disclosure)
    report = _lock(report)
    disclosure.report = report
    require(actor, CREATE, disclosure)
    if report.state != S.REVIEWED:
        raise ValidationError({"state": [_("The rectification is published after the office's review opinion.")]})
    errors: dict[str, list[str]] = {}
    place, title, content = (place or "").strip(), (title or "").strip(), (content or "").strip()
    if _not_in_future(published_on, "published_on", errors) and published_on < report.reviewed_on:
        errors["published_on"] = [_("The publication cannot be dated before the review opinion (%(day)s).")
                                  % {"day": _day(report.reviewed_on)}]
    if channel not in Disclosure.Channel.values:
        errors["channel"] = [_("Choose where it was published.")]
    for field, value in (("place", place), ("title", title)):
        if not value:
            errors[field] = _required()
        elif len(value) > DISCLOSURE_MAX[field]:
            errors[field] = [_("At most %(n)d characters.") % {"n": DISCLOSURE_MAX[field]}]
    if errors:
        raise ValidationError(errors)
    disclosure.published_on, disclosure.channel, disclosure.place = published_on, channel, place
    disclosure.title, disclosure.content, disclosure.recorded_by = title, content, _account(actor)
    disclosure.save()
    assert published_on is not None and report.disclosure_due is not None
    audit.record(actor=actor, action="progress_report.disclosure_add", obj=report, summary=title,
                 detail={"disclosure": disclosure.pk, "published_on": published_on.isoformat(), "channel": channel,
                         "place": place, "disclosure_due": report.disclosure_due.isoformat(),
                         "late": published_on > report.disclosure_due})
    return disclosure


@transaction.atomic
def disclosure_remove(*, actor, disclosure: Disclosure) -> None:
    """The office removes a publication recorded by mistake."""
    require(actor, DELETE, disclosure)
    disclosure = Disclosure.objects.select_for_update(of=("self",)).select_related("report").get(pk=disclosure.pk)
    require(actor, DELETE, disclosure)
    audit.record(actor=actor, action="progress_report.disclosure_remove", obj=disclosure.report,
                 summary=disclosure.title,
                 detail={"disclosure": disclosure.pk, "published_on": disclosure.published_on.isoformat(),
                         "channel": disclosure.channel, "place": disclosure.place})
    disclosure.delete()
