"""Reads of rectification evaluation, always within the policy's scope: the office's scoring
templates, batches with their counts by grade (computed by the database), the organizations of a
batch, one evaluation's scoring sheet and the vague measures behind it. Anything outside the
user's scope is a 404 like a missing record; the inspected organization, receivers and
inspection groups reach none of it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import (
    Count,
    DecimalField,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.http import Http404

from xuncha.access import policy
from xuncha.access.policy import CHANGE, CREATE, VIEW, can, scope
from xuncha.rectification import indicators, services_evaluation
from xuncha.rectification.models import (
    Criterion,
    Deduction,
    Evaluation,
    EvaluationBatch,
    EvaluationScore,
    EvaluationTemplate,
    Task,
)
from xuncha.rectification.services_plans import assess_tasks
from xuncha.rectification.vague_labels import describe
from xuncha.registry.models import Committee
from xuncha.reports.models import Feedback

Grade = Evaluation.Grade
# Sort orders of a batch's organizations: by name (kind, then pinyin) or by score, highest first.
SORTS = {
    "name": ("organization__kind__sort_order", "organization__pinyin", "pk"),
    "score": (F("total").desc(nulls_last=True), "organization__kind__sort_order", "organization__pinyin", "pk"),
}


def _get(qs: QuerySet, pk):
    try:
        return qs.get(pk=pk)
    except (qs.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def committees_to_evaluate(user, model=EvaluationBatch) -> list[Committee]:
    """The committees in which the user may create batches (or templates): the office's own."""
    seen: dict[int, Committee] = {}
    for assignment in policy.assignments(user):
        committee = assignment.committee
        if committee is not None and committee.pk not in seen and can(user, CREATE, model(committee=committee)):
            seen[committee.pk] = committee
    return list(seen.values())


# -- templates -------------------------------------------------------------------------------

def templates_for(user, action: str = VIEW) -> QuerySet[EvaluationTemplate]:
    """Templates with their number of criteria, total points and whether a batch uses them."""
    criteria = Criterion.objects.filter(template=OuterRef("pk")).order_by().values("template")
    return (scope(user, EvaluationTemplate, action).select_related("committee")
            .annotate(n_criteria=Subquery(criteria.annotate(n=Count("pk")).values("n")),
                      total_points=Subquery(criteria.annotate(s=Sum("points")).values("s"),
                                            output_field=DecimalField(max_digits=6, decimal_places=1)),
                      in_use=Exists(EvaluationBatch.objects.filter(template=OuterRef("pk"))))
            .order_by("committee__name", "name", "pk"))


def template_details(user, action: str = VIEW) -> QuerySet[EvaluationTemplate]:
    """Templates with their criteria (`rows`) and each criterion's deduction items (`items`)."""
    deductions = scope(user, Deduction, VIEW).order_by("seq", "pk")
    criteria = (scope(user, Criterion, VIEW).order_by("seq")
                .prefetch_related(Prefetch("deductions", queryset=deductions, to_attr="items")))
    return templates_for(user, action).prefetch_related(Prefetch("criteria", queryset=criteria, to_attr="rows"))


def get_template_for_user(user, pk, action: str = VIEW) -> EvaluationTemplate:
    return _get(template_details(user, action), pk)


def get_criterion_for_user(user, pk, action: str = VIEW) -> Criterion:
    deductions = scope(user, Deduction, VIEW).order_by("seq", "pk")
    return _get(scope(user, Criterion, action).select_related("template__committee")
                .prefetch_related(Prefetch("deductions", queryset=deductions, to_attr="items")), pk)


# -- batches ---------------------------------------------------------------------------------

def _grade_count(grade: str) -> Count:
    return Count("evaluations", filter=Q(evaluations__grade=grade))


def batches_for(user, *, state: str = "") -> QuerySet[EvaluationBatch]:
    """Batches the user sees, newest period first, each with its organizations counted by grade."""
    qs = scope(user, EvaluationBatch, VIEW).select_related("committee", "template")
    if state:
        qs = qs.filter(state=state)
    return (qs.annotate(n_evaluations=Count("evaluations"), n_ungraded=_grade_count(""),
                        n_excellent=_grade_count(Grade.EXCELLENT), n_good=_grade_count(Grade.GOOD),
                        n_basic=_grade_count(Grade.BASIC), n_fail=_grade_count(Grade.FAIL))
            .order_by("-period_end", "-pk"))


def get_batch_for_user(user, pk) -> EvaluationBatch:
    return _get(batches_for(user), pk)


def batch_evaluations(user, batch: EvaluationBatch, *, sort: str = "name", grade: str = "") -> QuerySet[Evaluation]:
    """The organizations of a batch the user sees, by name or by score."""
    qs = scope(user, Evaluation, VIEW).filter(batch=batch).select_related(
        "organization__kind", "feedback__assignment__round__term")
    if grade == "none":
        qs = qs.filter(grade="")
    elif grade in Grade.values:
        qs = qs.filter(grade=grade)
    return qs.order_by(*SORTS.get(sort, SORTS["name"]))


def preview(user, committee: Committee, period_start: date, period_end: date) -> QuerySet[Feedback]:
    """The issued feedbacks a batch over the period would evaluate, as far as the user sees them."""
    return ((scope(user, Feedback, VIEW) & services_evaluation.selection(committee, period_start, period_end))
            .select_related("assignment__organization__kind", "assignment__round__term")
            .order_by("rectification_due", "assignment__organization__kind__sort_order",
                      "assignment__organization__pinyin", "pk"))


# -- one evaluation --------------------------------------------------------------------------

def get_evaluation_for_user(user, pk, action: str = VIEW) -> Evaluation:
    return _get(scope(user, Evaluation, action).select_related(
        "batch__template", "batch__committee", "organization__kind", "feedback__assignment__round__term",
        "feedback__assignment__group", "evaluated_by"), pk)


@dataclass
class DeductionRow:
    deduction: Deduction
    applied: int
    suggested: int


@dataclass
class SheetRow:
    """One criterion of an evaluation: its score (None until scored), the deduction items with
    the times applied and suggested by the indicators, the figures shown next to it."""

    criterion: Criterion
    score: EvaluationScore | None
    deductions: list[DeductionRow] = field(default_factory=list)
    figures: list[tuple[str, str, str]] = field(default_factory=list)
    # The stored score was given directly, not as the points less the deductions applied.
    explicit: bool = False


def evaluation_sheet(user, evaluation: Evaluation) -> list[SheetRow]:
    """The criteria of the batch's template with the evaluation's scores (three queries). A
    reader who may not read templates (the superior office) sees the scored criteria only."""
    scores = {s.criterion_id: s for s in scope(user, EvaluationScore, VIEW).filter(evaluation=evaluation)
              .select_related("criterion")}
    deductions = scope(user, Deduction, VIEW).order_by("seq", "pk")
    criteria = list(scope(user, Criterion, VIEW).filter(template=evaluation.batch.template_id).order_by("seq")
                    .prefetch_related(Prefetch("deductions", queryset=deductions)))
    with_items = bool(criteria)
    if not with_items:
        criteria = sorted((s.criterion for s in scores.values()), key=lambda c: c.seq)
    rows = []
    for criterion in criteria:
        score = scores.get(criterion.pk)
        applied = {int(k): v for k, v in (score.deductions if score else {}).items()}
        items = list(criterion.deductions.all()) if with_items else []
        rows.append(SheetRow(
            criterion=criterion, score=score,
            deductions=[DeductionRow(d, applied.get(d.pk, 0), indicators.suggest(evaluation.indicators, d.description))
                        for d in items],
            figures=indicators.figures(criterion.indicator, evaluation.indicators),
            explicit=bool(score and with_items and score.score != services_evaluation.deducted(criterion, applied))))
    return rows


def sheet_points(rows: list[SheetRow]) -> Decimal:
    return sum((row.criterion.points for row in rows), Decimal(0))


@dataclass(frozen=True)
class VagueMeasure:
    task: Task
    reasons: list[str]


def vague_measures(user, evaluation: Evaluation) -> list[VagueMeasure]:
    """The organization's tasks whose measures are vague, with the reasons, assessed as the plan
    services assess them (one query: a copied measure is vague only beside the plan's others)."""
    tasks = list(scope(user, Task, VIEW).filter(plan__feedback_id=evaluation.feedback_id)
                 .select_related("problem").order_by("seq"))
    assessed = assess_tasks(tasks)
    return [VagueMeasure(task, describe(assessed[task.pk].reasons)) for task in tasks if task.vague]


def evaluations_to_complete(user) -> QuerySet[Evaluation]:
    """Ungraded evaluations of open batches the user may score."""
    return scope(user, Evaluation, CHANGE).filter(batch__state=EvaluationBatch.State.OPEN, grade="")
