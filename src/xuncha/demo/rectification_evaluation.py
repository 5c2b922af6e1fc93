"""The demo's concluded evaluation batch of 2023: the default template, the indicators measured
when the batch opened, the deductions they suggest plus the evaluator's own, so that each
organization's total lands in the range of the quality its rectification was given.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from decimal import Decimal

from xuncha.access import policy
from xuncha.demo import rectification_text as text
from xuncha.demo.rectification_plans import Builder
from xuncha.demo.rectification_rows import BATCH, at
from xuncha.rectification import indicators
from xuncha.rectification.evaluation_defaults import default_template
from xuncha.rectification.models import (
    Evaluation,
    EvaluationBatch,
    EvaluationScore,
    EvaluationTemplate,
)
from xuncha.rectification.services_evaluation import grade_for, selection
from xuncha.registry.models import Committee

EVALUATED = (date(2023, 1, 1), date(2023, 12, 31), "2023年度巡察整改评估")
OPENED, CONCLUDED = date(2024, 1, 15), date(2024, 3, 15)
# The total each tier's evaluation lands in: [floor, ceiling).
RANGES = {"excellent": (90, 101), "pass": (80, 90), "basic": (60, 80), "fail": (0, 60)}


def evaluate(builder: Builder, county: Committee, tiers: dict[int, str]) -> dict[str, int]:
    """The 2023 batch: the default template, the indicators measured when it opened, the
    deductions they suggest plus the evaluator's own, grades, follow-ups; concluded."""
    rng = builder.rng
    template = default_template(county, actor=policy.CONSOLE)
    EvaluationTemplate.objects.filter(pk=template.pk).update(created_at=at(OPENED - timedelta(days=10), 9))
    criteria = list(template.criteria.order_by("seq").prefetch_related("deductions"))
    start, end, title = EVALUATED
    batch = EvaluationBatch.objects.create(committee=county, title=title, period_start=start, period_end=end,
                                           template=template, state=EvaluationBatch.State.CLOSED,
                                           closed_at=at(CONCLUDED, 16), created_by=builder.office[0])
    EvaluationBatch.objects.filter(pk=batch.pk).update(created_at=at(OPENED, 9))
    feedbacks = list(selection(county, start, end).order_by("rectification_due", "pk")
                     .values_list("pk", "assignment__organization_id"))
    evaluations = Evaluation.objects.bulk_create([Evaluation(batch=batch, feedback_id=f, organization_id=o)
                                                  for f, o in feedbacks])
    measured = indicators.measure(Evaluation.objects.filter(batch=batch).values("feedback_id"), as_of=OPENED)
    probe = {"vague": 1, "missing_responsibility": 1, "overdue": 1, "without_evidence": 1,
             "disclosed_on_time": False, "plan_on_time": False, "report_on_time": False}
    scores = []
    for evaluation in evaluations:
        found = measured.get(evaluation.feedback_id, {})
        applied = {c.pk: {d.pk: indicators.suggest(found, d.description) for d in c.deductions.all()} for c in criteria}
        own = [(c, d) for c in criteria for d in c.deductions.all() if not indicators.suggest(probe, d.description)]

        def score(c, applied=applied) -> Decimal:
            taken = sum((d.points * applied[c.pk].get(d.pk, 0) for d in c.deductions.all()), Decimal(0))
            return max(Decimal(0), c.points - taken)

        tier = tiers.get(evaluation.feedback_id, "excellent")  # no problem was fed back
        floor, ceiling = RANGES[tier]
        total = sum(score(c) for c in criteria)
        while total >= ceiling or (tier == "excellent" and total == 100 and rng.random() < 0.5):
            fits = [(c, d) for c, d in own if total - min(d.points, score(c)) >= floor and score(c) > 0
                    and ("每" in d.description or not applied[c.pk].get(d.pk))]
            if not fits:
                break
            c, d = rng.choice(fits)
            applied[c.pk][d.pk] = applied[c.pk].get(d.pk, 0) + 1
            total = sum(score(c) for c in criteria)
        for c in criteria:
            taken = {str(d): n for d, n in applied[c.pk].items() if n}
            notes = [f"{d.description}（{taken[str(d.pk)]}项）" for d in c.deductions.all() if str(d.pk) in taken]
            scores.append(EvaluationScore(evaluation=evaluation, criterion=c, score=score(c), deductions=taken,
                                          comment="；".join(notes)))
        grade = grade_for(total)
        evaluation.indicators, evaluation.measured_at = found, at(OPENED, 9, 30)
        evaluation.total, evaluation.grade = total, grade
        evaluation.comment = rng.choice(text.EVALUATION_COMMENTS[grade])
        evaluation.follow_up = {"basic": rng.choice(("interview", "revisit")), "fail": "both"}.get(grade, "")
        evaluation.follow_up_note = text.FOLLOW_UP_NOTES.get(evaluation.follow_up, "")
        evaluation.evaluated_by = builder.clerk()
        evaluation.evaluated_at = at(builder.days(OPENED + timedelta(days=5), CONCLUDED - timedelta(days=5)), 15)
    Evaluation.objects.bulk_update(evaluations, ["indicators", "measured_at", "total", "grade", "comment", "follow_up",
                                                 "follow_up_note", "evaluated_by", "evaluated_at"], batch_size=BATCH)
    EvaluationScore.objects.bulk_create(scores, batch_size=BATCH)
    grades = Counter(e.grade for e in evaluations)
    batch.conclusion = text.batch_conclusion(len(evaluations), grades, sum(m.get("vague", 0) for m in measured.values()),
                                             sum(m.get("overdue", 0) for m in measured.values()))
    batch.save(update_fields=["conclusion"])
    return {"evaluations": len(evaluations), **{f"grade_{g}": n for g, n in sorted(grades.items())}}
