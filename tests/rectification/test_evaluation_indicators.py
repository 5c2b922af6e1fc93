"""Automatic indicators: each equals a count made independently from the rows, and measuring a
batch takes the same number of queries however many organizations it holds."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.rectification.evaluation_helpers import (
    aware,
    evidence,
    feedback_for,
    files_in_tmp,  # noqa: F401 - a fixture
    plan_for,
    problems_for,
    progress_report,
    task,
)
from xuncha.rectification import indicators
from xuncha.rectification import services_evaluation as services
from xuncha.rectification.models import (
    Criterion,
    Evaluation,
    EvaluationBatch,
    Plan,
    ProgressEvidence,
    Task,
)

AS_OF = date(2024, 9, 1)
pytestmark = pytest.mark.usefixtures("files_in_tmp")


def _work(approved_plan):
    """东门村's four tasks (due 6-19, 7-19, 8-18, 9-17): closed on time with evidence, closed late
    without, closure requested past its deadline, open and vague; one without a person in charge."""
    t1, t2, t3, t4 = approved_plan.tasks
    Task.objects.filter(pk=t1.pk).update(state="closed", closed_at=timezone.make_aware(
        timezone.datetime(2024, 6, 10, 23, 30)))
    evidence(t1, date(2024, 6, 9), files=2)
    Task.objects.filter(pk=t2.pk).update(state="closed", closed_at=timezone.make_aware(
        timezone.datetime(2024, 7, 25, 9, 0)))
    Task.objects.filter(pk=t3.pk).update(state="requested", person_in_charge="")
    evidence(t3, date(2024, 8, 10))
    Task.objects.filter(pk=t4.pk).update(vague=True)
    Plan.objects.filter(pk=approved_plan.plan.pk).update(decided_at=aware(date(2024, 6, 1)))
    progress_report(approved_plan.feedback, submitted_on=date(2024, 8, 25), disclosure_due=date(2024, 8, 31),
                    disclosed_on=date(2024, 8, 28))


def _independent(feedback, as_of: date) -> dict:
    """The counts, made in Python from the task rows."""
    tasks = list(Task.objects.filter(plan__feedback=feedback))
    closed = [t for t in tasks if t.state == "closed"]
    local = {t.pk: timezone.localdate(t.closed_at) for t in closed}
    with_evidence = [t for t in closed if ProgressEvidence.objects.filter(progress__task=t).exists()]
    return {
        "tasks": len(tasks),
        "closed": len(closed),
        "closed_on_time": sum(1 for t in closed if local[t.pk] <= t.due),
        "overdue": sum(1 for t in tasks if (t.state != "closed" and t.due < as_of)
                       or (t.state == "closed" and local[t.pk] > t.due)),
        "awaiting_closure": sum(1 for t in tasks if t.state == "requested"),
        "with_evidence": len(with_evidence),
        "without_evidence": len(closed) - len(with_evidence),
        "vague": sum(1 for t in tasks if t.vague),
        "missing_responsibility": sum(1 for t in tasks if not (t.responsible_leader and t.lead_department
                                                                 and t.person_in_charge)),
    }


def _measure(feedback, as_of=AS_OF) -> dict:
    from xuncha.reports.models import Feedback

    return indicators.measure(Feedback.objects.filter(pk=feedback.pk).values("pk"), as_of=as_of)[feedback.pk]


def test_indicators_equal_counts_made_from_the_rows(world, approved_plan):
    _work(approved_plan)
    measured = _measure(approved_plan.feedback)
    expected = _independent(approved_plan.feedback, AS_OF)
    assert {key: measured[key] for key in expected} == expected
    # And the figures themselves, as read from the fixture's story.
    assert expected == {"tasks": 4, "closed": 2, "closed_on_time": 1, "overdue": 2, "awaiting_closure": 1,
                        "with_evidence": 1, "without_evidence": 1, "vague": 1, "missing_responsibility": 1}
    assert measured["evidence_rate"] == 50
    assert measured["plan_state"] == "approved" and measured["plan_on_time"] is True
    assert measured["plan_approved_on"] == "2024-06-01"
    assert measured["report_due"] == "2024-08-20" and measured["report_submitted_on"] == "2024-08-25"
    assert measured["report_on_time"] is False
    assert measured["disclosed"] is True and measured["disclosed_on"] == "2024-08-28"
    assert measured["disclosed_on_time"] is True
    assert measured["as_of"] == "2024-09-01" and measured["rectification_due"] == "2024-08-20"


def test_closing_late_in_the_evening_counts_by_the_local_date(world, approved_plan):
    t1 = approved_plan.tasks[0]
    # 23:30 in Beijing on the deadline is still on time, whatever the database stores in UTC.
    Task.objects.filter(pk=t1.pk).update(state="closed", closed_at=timezone.make_aware(
        timezone.datetime.combine(t1.due, timezone.datetime.min.time()) + timedelta(hours=23, minutes=30)))
    measured = _measure(approved_plan.feedback, as_of=t1.due + timedelta(days=1))
    assert measured["closed_on_time"] == 1 and measured["overdue"] == 0


def test_a_feedback_without_plan_report_or_disclosure(world, fed_back):
    measured = _measure(fed_back.feedback)
    assert measured["tasks"] == 0 and measured["evidence_rate"] is None
    assert measured["plan_state"] == "" and measured["plan_on_time"] is False
    assert measured["report_on_time"] is False  # due 2024-08-20, nothing submitted by 9-1
    assert measured["disclosed"] is False and measured["disclosed_on_time"] is None
    early = _measure(fed_back.feedback, as_of=date(2024, 8, 1))
    assert early["report_on_time"] is None


def test_disclosure_overdue_and_late(world, fed_back):
    report = progress_report(fed_back.feedback, submitted_on=date(2024, 8, 15), disclosure_due=date(2024, 8, 25))
    assert _measure(fed_back.feedback)["disclosed_on_time"] is False
    from xuncha.rectification.models import Disclosure

    Disclosure.objects.create(report=report, published_on=date(2024, 8, 30), channel="website", place="县政府网",
                              title="公开")
    measured = _measure(fed_back.feedback)
    assert measured["disclosed"] is True and measured["disclosed_on_time"] is False
    assert measured["report_on_time"] is True


def _organizations(world, findings, count: int, start: int) -> None:
    for n in range(start, start + count):
        feedback = feedback_for(world, f"测试村{n:02d}", date(2024, 8, 20))
        plan = plan_for(feedback, decided_on=date(2024, 6, 1))
        for seq, problem in enumerate(problems_for(feedback, findings.items["V2.1.1"], 3), start=1):
            made = task(plan, problem, seq, due=date(2024, 7, 1), state="closed" if seq < 3 else "open",
                        closed_on=date(2024, 6, 20) if seq < 3 else None, vague=seq == 3)
            if seq == 1:
                evidence(made, date(2024, 6, 19))
        progress_report(feedback, submitted_on=date(2024, 8, 1), disclosure_due=date(2024, 9, 15),
                        disclosed_on=date(2024, 9, 1))


def _batch(world) -> EvaluationBatch:
    return services.batch_open(actor=world.office_admin, committee=world.county, title="2024年评估",
                               period_start=date(2024, 1, 1), period_end=date(2024, 12, 31))


def _queries_to_measure(batch) -> int:
    with CaptureQueriesContext(connection) as captured:
        services.measure_batch(batch, as_of=AS_OF)
    return len(captured)


def test_measuring_a_batch_takes_the_same_queries_for_two_or_twelve_organizations(world, findings):
    _organizations(world, findings, 2, 1)
    batch = _batch(world)
    few = _queries_to_measure(batch)
    _organizations(world, findings, 10, 3)
    assert services.batch_refresh(actor=world.office_admin, batch=batch) == 10
    assert _queries_to_measure(batch) == few <= 5
    for evaluation in Evaluation.objects.filter(batch=batch):
        assert evaluation.indicators == _measure(evaluation.feedback) | {}
        shown = evaluation.indicators
        assert (shown["tasks"], shown["closed"], shown["with_evidence"], shown["vague"], shown["overdue"]) \
            == (3, 2, 1, 1, 1)
        assert shown["evidence_rate"] == 50 and shown["report_on_time"] is True


@pytest.mark.parametrize(("description", "expected"), [
    ("整改措施空泛、不具体的，每项扣1分", 1),
    ("整改任务未明确责任领导、责任部门或责任人的，每项扣1分", 1),
    ("未按期销号的，每项扣2分", 2),
    ("佐证材料不全的，每项扣1分", 1),
    ("未按期报送整改进展情况报告的扣3分", 1),
    ("未按期制定整改方案的扣3分", 0),
    ("整改情况未按规定公开的扣3分", 0),
    ("群众满意度测评低于80%的扣5分", 0),
])
def test_deductions_are_suggested_from_the_indicators(world, approved_plan, description, expected):
    _work(approved_plan)
    assert indicators.suggest(_measure(approved_plan.feedback), description) == expected


def test_figures_next_to_a_criterion(world, approved_plan, settings):
    from django.utils import translation

    _work(approved_plan)
    measured = _measure(approved_plan.feedback)
    with translation.override("zh-hans"):
        shown = {key: value for key, _label, value in indicators.figures(Criterion.Indicator.COMPLETION, measured)}
        assert shown["overdue"] == "2" and shown["evidence_rate"] == "50%"
        leadership = dict((k, v) for k, _label, v in indicators.figures(Criterion.Indicator.LEADERSHIP, measured))
        assert leadership["report_submitted_on"] == "2024年8月25日"
    assert indicators.figures("", measured) == [] and indicators.figures(Criterion.Indicator.COMPLETION, {}) == []
