"""Writes of reports: generate a draft from the problems, save an edit as a new version,
submit it up the approval chain, approve or return a step, and configure a committee's chain.

Every function checks the policy, runs in one transaction and leaves an audit event. Versions
are never changed: an edit saves a new one. Once the last step approves, the report is approved,
its approved version is fixed and nothing is saved on it any more.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xuncha.access import audit, policy
from xuncha.access.policy import CHANGE, CREATE, require
from xuncha.reports import chain, generate
from xuncha.reports.models import ApprovalChain, DocKind, Report, ReportStep, ReportVersion
from xuncha.rounds.models import Assignment

S = Report.State
EDITABLE = (S.DRAFT, S.RETURNED)
KEY = re.compile(r"^[a-z0-9_-]{1,40}$")
MAX_BODY = 200_000
MAX_NOTE = 200


def _account(actor):
    return actor if getattr(actor, "pk", None) else None


def _locked(report: Report) -> Report:
    return (Report.objects.select_for_update()
            .select_related("assignment__round__committee", "assignment__group", "assignment__organization")
            .get(pk=report.pk))


def latest_version(report: Report) -> ReportVersion | None:
    return report.versions.order_by("-number").first()


def _new_version(report: Report, sections: list[dict], note: str, actor) -> ReportVersion:
    last = report.versions.order_by("-number").values_list("number", flat=True).first()
    return ReportVersion.objects.create(report=report, number=(last or 0) + 1, sections=sections,
                                        note=note[:MAX_NOTE], created_by=_account(actor))


def _writer(actor, report: Report) -> str:
    role = chain.writer_role(report, actor)
    if not role:
        raise policy.PermissionDenied("write report")
    return role


def _editable(report: Report) -> None:
    if report.state == S.APPROVED:
        raise ValidationError(_("The report was approved: its approved version is frozen."))
    if report.state not in EDITABLE:
        raise ValidationError(_("Only a draft or a returned report can be changed; this one is “%(state)s”.") % {
            "state": report.get_state_display()})


def clean_sections(sections) -> list[dict]:
    """[{"key", "title", "body"}] with keys unique and titles given; raises naming the section."""
    if not isinstance(sections, (list, tuple)) or not sections:
        raise ValidationError({"sections": [_("Give at least one section.")]})
    cleaned, seen, errors = [], set(), []
    for n, section in enumerate(sections, start=1):
        if not isinstance(section, dict):
            errors.append(_("Section %(n)d: give a key, a title and a body.") % {"n": n})
            continue
        key = str(section.get("key") or "").strip()
        title = " ".join(str(section.get("title") or "").split())
        body = str(section.get("body") or "").replace("\r\n", "\n").replace("\r", "\n").strip()
        if not KEY.match(key):
            errors.append(_("Section %(n)d: the key must be 1 to 40 lowercase letters, digits, - or _.") % {"n": n})
        elif key in seen:
            errors.append(_("Section %(n)d: the key “%(key)s” is used twice.") % {"n": n, "key": key})
        seen.add(key)
        if not title:
            errors.append(_("Section %(n)d: give the section a title.") % {"n": n})
        if len(body) > MAX_BODY:
            errors.append(_("Section “%(title)s” is longer than %(max)d characters.") % {"title": title, "max": MAX_BODY})
        cleaned.append({"key": key, "title": title, "body": body})
    if errors:
        raise ValidationError({"sections": errors})
    return cleaned


# -- generate --------------------------------------------------------------------------------

@transaction.atomic
def report_generate(*, actor, assignment: Assignment, kind: str = DocKind.REPORT) -> Report:
    """A new report of `kind` for a target, drafted from its problems as version 1.
    Refused when the target already has one (regenerate it instead)."""
    if kind not in DocKind.values:
        raise ValidationError({"kind": [_("Choose the inspection report or the leads report.")]})
    assignment = (Assignment.objects.select_for_update()
                  .select_related("round__committee", "round__term", "group", "organization").get(pk=assignment.pk))
    report = Report(assignment=assignment, kind=kind, title=generate.title_for(assignment, kind),
                    created_by=_account(actor))
    require(actor, CREATE, report)
    if actor is not policy.CONSOLE and not chain.acting_role(chain.WRITER_ROLES, chain.roles_for(report, actor)):
        raise policy.PermissionDenied("create report")
    if Report.objects.filter(assignment=assignment, kind=kind).exists():
        raise ValidationError({"kind": [_("This target already has a %(kind)s: regenerate it instead.") % {
            "kind": chain.kind_label(kind)}]})
    report.save()
    version = _new_version(report, generate.draft(assignment, kind), _("Generated from the problems"), actor)
    audit.record(actor=actor, action="report.generate", obj=report, summary=report.title,
                 detail={"assignment": assignment.pk, "kind": kind, "version": version.number})
    return report


@transaction.atomic
def report_regenerate(*, actor, report: Report, note: str = "") -> ReportVersion:
    """A new version of a draft or returned report, generated from the target's current problems."""
    require(actor, CHANGE, report)
    report = _locked(report)
    _writer(actor, report)
    _editable(report)
    version = _new_version(report, generate.draft(report.assignment, report.kind),
                           (note or "").strip() or _("Regenerated from the current problems"), actor)
    report.save(update_fields=["updated_at"])
    audit.record(actor=actor, action="report.regenerate", obj=report, summary=report.title,
                 detail={"version": version.number})
    return version


# -- edit ------------------------------------------------------------------------------------

@transaction.atomic
def report_save(*, actor, report: Report, sections, note: str = "") -> ReportVersion:
    """Save edited sections as the next version (a draft or returned report only)."""
    require(actor, CHANGE, report)
    report = _locked(report)
    _writer(actor, report)
    _editable(report)
    cleaned = clean_sections(sections)
    note = " ".join((note or "").split())
    if len(note) > MAX_NOTE:
        raise ValidationError({"note": [_("The note is longer than %(max)d characters.") % {"max": MAX_NOTE}]})
    last = latest_version(report)
    if last is not None and last.sections == cleaned:
        raise ValidationError(_("Nothing was changed."))
    version = _new_version(report, cleaned, note, actor)
    report.save(update_fields=["updated_at"])
    audit.record(actor=actor, action="report.save", obj=report, summary=report.title,
                 detail={"version": version.number, "note": note})
    return version


# -- approval --------------------------------------------------------------------------------

def _history(report: Report, version: ReportVersion, step: int, step_name: str, action: str, actor, role: str,
             comment: str, at) -> ReportStep:
    return ReportStep.objects.create(report=report, version=version, step=step, step_name=step_name[:40],
                                     action=action, actor=_account(actor), role=role[:16], at=at, comment=comment)


@transaction.atomic
def report_submit(*, actor, report: Report, comment: str = "") -> Report:
    """Send a draft or returned report to the first step of its chain (copied from the
    committee's chain when first submitted)."""
    require(actor, CHANGE, report)
    report = _locked(report)
    role = _writer(actor, report)
    if report.state not in EDITABLE:
        raise ValidationError(_("Only a draft or a returned report can be submitted; this one is “%(state)s”.") % {
            "state": report.get_state_display()})
    version = latest_version(report)
    if version is None:
        raise ValidationError(_("The report has no text yet."))
    if not report.steps:
        report.steps = chain.steps_for(report.assignment.round.committee, report.kind)
    old = report.state
    report.state, report.step = S.IN_REVIEW, 0
    report.save(update_fields=["state", "step", "steps", "updated_at"])
    comment = (comment or "").strip()
    _history(report, version, 0, report.steps[0]["name"], chain.SUBMIT, actor, role, comment, timezone.now())
    audit.record(actor=actor, action="report.submit", obj=report, summary=report.title,
                 detail={"from": old, "version": version.number, "role": role})
    return report


@transaction.atomic
def report_decide(*, actor, report: Report, action: str, comment: str = "") -> Report:
    """Approve or return the current step. Only a holder of a role of that step decides; a
    return needs a comment and sends the report back to its writers; approving the last step
    approves the report and fixes its latest version."""
    require(actor, CHANGE, report)
    report = _locked(report)
    if action not in chain.DECISIONS:
        raise ValidationError({"action": [_("Choose approve or return.")]})
    if report.state != S.IN_REVIEW:
        raise ValidationError(_("The report is not in approval (it is “%(state)s”): it must be submitted first.") % {
            "state": report.get_state_display()})
    step = chain.current_step(report)
    role = chain.decider_role(report, actor)
    if step is None or not role:
        raise policy.PermissionDenied("decide report step")
    comment = (comment or "").strip()
    if action == chain.RETURN and not comment:
        raise ValidationError({"comment": [_("Say why the report is returned.")]})
    version = latest_version(report)
    index, now = report.step, timezone.now()
    fields = ["state", "step", "updated_at"]
    if action == chain.RETURN:
        report.state, report.step = S.RETURNED, 0
    elif index + 1 >= len(report.steps):
        report.state = S.APPROVED
        report.approved_version = version
        fields.append("approved_version")
    else:
        report.step = index + 1
    report.save(update_fields=fields)
    _history(report, version, index, step["name"], action, actor, role, comment, now)
    audit.record(actor=actor, action=f"report.{action}", obj=report, summary=report.title,
                 detail={"step": index, "step_name": step["name"], "role": role, "to": report.state,
                         "version": version.number, "comment": comment})
    return report


# -- the chain -------------------------------------------------------------------------------

@transaction.atomic
def chain_save(*, actor, committee, kind: str, steps) -> ApprovalChain:
    """Set a committee's approval steps for a kind of report (the office administrator).
    Reports already submitted keep the steps they copied."""
    if kind not in DocKind.values:
        raise ValidationError({"kind": [_("Choose the inspection report or the leads report.")]})
    cleaned = chain.clean_steps(steps)
    existing = ApprovalChain.objects.select_for_update().filter(committee=committee, kind=kind).first()
    obj = existing or ApprovalChain(committee=committee, kind=kind)
    require(actor, CHANGE if existing else CREATE, obj)
    before = list(obj.steps or [])
    obj.steps = cleaned
    obj.save()
    audit.record(actor=actor, action="report.chain", obj=obj, summary=str(obj),
                 detail={"kind": kind, "before": before, "after": cleaned})
    return obj
