"""Helpers of the evaluation tests: inspected organizations with issued (or draft) feedback whose
concentrated-rectification deadline is chosen, plans, tasks, progress, evidence, progress
reports and disclosures — all written straight to the database (those areas are others')."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from django.core.files.base import ContentFile
from django.db.models import Max
from django.utils import timezone

from tests.reports.feedback_helpers import report
from xuncha.findings.models import Problem
from xuncha.rectification.models import (
    Disclosure,
    Plan,
    Progress,
    ProgressEvidence,
    ProgressReport,
    Task,
)
from xuncha.registry.models import Organization
from xuncha.reports.models import Feedback
from xuncha.rounds.models import Assignment, Group, Round, Term


def aware(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def round_of(committee, number: int = 1) -> Round:
    """A round of the committee (its first term is made when missing)."""
    term = Term.objects.filter(committee=committee).order_by("number").first() or Term.objects.create(
        committee=committee, number=1, name="第一届", start_date=date(2023, 1, 1))
    found = Round.objects.filter(term=term, number=number).first()
    return found or Round.objects.create(term=term, number=number, planned_entry=date(2024, 3, 1),
                                         planned_exit=date(2024, 4, 30), state=Round.State.RECTIFYING)


def feedback_for(world, name: str, due: date, *, committee=None, state: str = "issued", kind: str = "village",
                 organization=None) -> Feedback:
    """An organization of the committee (the county by default) inspected in its round 1, with
    its feedback due for concentrated rectification on `due`."""
    committee = committee or world.county
    rnd = round_of(committee)
    group = Group.objects.filter(round=rnd).order_by("number").first() or Group.objects.create(round=rnd, number=1)
    organization = organization or Organization.objects.create(committee=committee, name=name,
                                                               kind=world.kinds[kind])
    target = Assignment.objects.create(group=group, organization=organization)
    fed_back_on = due - timedelta(days=92)
    return Feedback.objects.create(
        assignment=target, report=report(target), state=state,
        fed_back_on=fed_back_on if state == "issued" else None,
        rectification_due=due if state == "issued" else None,
        progress_report_due=due if state == "issued" else None,
        issued_at=aware(fed_back_on) if state == "issued" else None)


def problems_for(feedback: Feedback, classification, count: int) -> list[Problem]:
    """`count` general problems of the feedback's target, fed back."""
    target = feedback.assignment
    start = (Problem.objects.filter(group=target.group).aggregate(m=Max("seq"))["m"] or 0) + 1
    made = [Problem.objects.create(assignment=target, seq=start + n, title=f"问题{n + 1}", description="……",
                                   classification=classification, kind="general") for n in range(count)]
    feedback.problems.add(*made)
    return made


def plan_for(feedback: Feedback, *, state: str = "approved", decided_on: date | None = None,
             submitted_on: date | None = None) -> Plan:
    assignment = feedback.assignment
    return Plan.objects.create(feedback=feedback, organization=assignment.organization, round=assignment.round,
                               state=state, submitted_at=aware(submitted_on) if submitted_on else None,
                               decided_at=aware(decided_on) if decided_on else None)


def task(plan: Plan, problem, seq: int, *, due: date, state: str = "open", closed_on: date | None = None,
         vague: bool = False, measures: str = "", person_in_charge: str = "李会计") -> Task:
    return Task.objects.create(
        plan=plan, problem=problem, seq=seq, due=due, state=state, vague=vague,
        measures=measures or f"由报账员于{due:%Y年%m月%d日}前补录入账，村务监督委员会公示，支部书记负责。",
        responsible_leader="王建国", lead_department="村两委", person_in_charge=person_in_charge,
        closed_at=aware(closed_on) if closed_on else None)


def evidence(task_: Task, day: date, *, files: int = 1) -> Progress:
    progress = Progress.objects.create(task=task_, reported_on=day, text="已整改到位。")
    for n in range(files):
        item = ProgressEvidence(progress=progress, original_name=f"凭证{n + 1}.pdf", content_type="application/pdf",
                                size=4, sha256="0" * 64)
        item.file.save(f"evidence-{task_.pk}-{n}.pdf", ContentFile(b"%PDF"), save=False)
        item.save()
    return progress


def progress_report(feedback: Feedback, *, submitted_on: date | None, due: date | None = None,
                    disclosure_due: date | None = None, disclosed_on: date | None = None) -> ProgressReport:
    assignment = feedback.assignment
    made = ProgressReport.objects.create(
        feedback=feedback, organization=assignment.organization, round=assignment.round,
        state="reviewed" if disclosure_due else ("submitted" if submitted_on else "draft"),
        due=due or feedback.progress_report_due, title="整改进展情况报告", submitted_on=submitted_on,
        reviewed_on=submitted_on if disclosure_due else None, disclosure_due=disclosure_due)
    if disclosed_on:
        Disclosure.objects.create(report=made, published_on=disclosed_on, channel="notice_board", place="村务公开栏",
                                  title="巡察整改情况公开")
    return made


@pytest.fixture
def files_in_tmp(settings, tmp_path):
    """Evidence files and generated documents go to a temporary directory."""
    settings.DATA_DIR = tmp_path
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                                                          "OPTIONS": {"location": tmp_path / "uploads"}}}
