"""Writes of rectification evaluation (整改评估): scoring templates, batches and scores.

Templates (EvaluationTemplate → Criterion → Deduction) are the office's; a template some batch
uses keeps its criteria and deduction items as they were scored (copy it to make a new one).
A batch selects every issued feedback of the committee whose concentrated-rectification deadline
falls within its period; each gets an evaluation with the automatic indicators (indicators.py).
While the batch is open the office scores, refreshes (re-measures, adds feedbacks newly in range)
and finally closes it once every evaluation is graded, writing the overall findings; a closed
batch refuses every change.

Who: the office (office_admin, office_staff) writes; the leading group and the superior office
read. Every function checks the policy, runs in one transaction and leaves an audit event; bad
input is a ValidationError naming the field (and the row), with nothing written.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from xuncha.access import audit
from xuncha.access.policy import CHANGE, CREATE, DELETE, VIEW, require
from xuncha.rectification import indicators
from xuncha.rectification.evaluation_defaults import create_criteria, default_template
from xuncha.rectification.models import (
    Criterion,
    Deduction,
    Evaluation,
    EvaluationBatch,
    EvaluationScore,
    EvaluationTemplate,
)
from xuncha.rectification.policy import OFFICE
from xuncha.reports.models import Feedback

OPEN, CLOSED = EvaluationBatch.State.OPEN, EvaluationBatch.State.CLOSED
Grade = Evaluation.Grade
FollowUp = Evaluation.FollowUp
CLOSE = "close"
# (state, action) → (next state, roles who may): the life of a batch. Scoring and refreshing
# happen while it is open.
TRANSITIONS: dict[tuple[str, str], tuple[str, tuple[str, ...]]] = {
    (OPEN, CLOSE): (CLOSED, OFFICE),
}
# Grades by total score, highest floor first. The model keeps no thresholds: these are the
# evaluation rules' (90 and above 优秀, 80 合格, 60 基本合格, below 60 不合格).
GRADE_FLOORS: tuple[tuple[Decimal, str], ...] = (
    (Decimal(90), Grade.EXCELLENT), (Decimal(80), Grade.GOOD), (Decimal(60), Grade.BASIC))
# Grades that call for a follow-up (约谈, 回头看 or both) with a note of the arrangements.
LOW_GRADES = (Grade.BASIC, Grade.FAIL)
TENTH = Decimal("0.1")


def grade_for(total: Decimal) -> str:
    for floor, grade in GRADE_FLOORS:
        if total >= floor:
            return grade
    return Grade.FAIL


def _account(actor):
    return actor if getattr(actor, "pk", None) else None


def _required() -> list[str]:
    return [_("This field is required.")]


def _decimal(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def _points(value: Any, field: str, errors: dict, *, label: str = "", most: Decimal | None = None) -> Decimal | None:
    """A positive number of points with at most one decimal place (and at most `most`)."""
    number = _decimal(value)
    prefix = f"{label}: " if label else ""
    if number is None:
        errors[field] = [prefix + _("Enter a number of points.")]
    elif number <= 0:
        errors[field] = [prefix + _("The points must be more than 0.")]
    elif number != number.quantize(TENTH):
        errors[field] = [prefix + _("Use at most one decimal place.")]
    elif most is not None and number > most:
        errors[field] = [prefix + _("At most %(most)s points.") % {"most": most.normalize()}]
    else:
        return number
    return None


def _text(value: Any, field: str, errors: dict, *, limit: int, required: bool = True, label: str = "") -> str:
    text = str(value or "").strip()
    prefix = f"{label}: " if label else ""
    if required and not text:
        errors[field] = [prefix + _("This field is required.")]
    elif len(text) > limit:
        errors[field] = [prefix + _("At most %(n)d characters.") % {"n": limit}]
    return text


# -- templates -------------------------------------------------------------------------------

def template_in_use(template: EvaluationTemplate) -> bool:
    return template.batches.exists()


def _require_unused(template: EvaluationTemplate) -> None:
    if template_in_use(template):
        raise ValidationError({"template": [_("An evaluation batch uses this template: copy it to change its "
                                              "criteria or deduction items.")]})


def _check_name(template: EvaluationTemplate, errors: dict) -> None:
    template.name = _text(template.name, "name", errors, limit=100)
    if template.name and (EvaluationTemplate.objects.filter(committee_id=template.committee_id, name=template.name)
                          .exclude(pk=template.pk).exists()):
        errors["name"] = [_("The committee already has a template with this name.")]


def _lock_template(template: EvaluationTemplate) -> EvaluationTemplate:
    return EvaluationTemplate.objects.select_for_update(of=("self",)).select_related("committee").get(pk=template.pk)


@transaction.atomic
def template_create(*, actor, committee, name: str, description: str = "") -> EvaluationTemplate:
    """An empty template of the committee; its criteria are added one by one."""
    template = EvaluationTemplate(committee=committee, name=name, description=(description or "").strip(),
                                  created_by=_account(actor))
    require(actor, CREATE, template)
    errors: dict = {}
    _check_name(template, errors)
    if errors:
        raise ValidationError(errors)
    template.save()
    audit.record(actor=actor, action="evaluation.template_create", obj=template, summary=template.name,
                 detail={"committee": committee.pk})
    return template


@transaction.atomic
def template_update(*, actor, template: EvaluationTemplate, name: str, description: str = "") -> EvaluationTemplate:
    """Rename a template or change its description (allowed while batches use it)."""
    require(actor, CHANGE, template)
    template = _lock_template(template)
    require(actor, CHANGE, template)
    old = template.name
    template.name, template.description = name, (description or "").strip()
    errors: dict = {}
    _check_name(template, errors)
    if errors:
        raise ValidationError(errors)
    template.save(update_fields=["name", "description"])
    audit.record(actor=actor, action="evaluation.template_update", obj=template, summary=template.name,
                 detail={"old_name": old} if old != template.name else {})
    return template


@transaction.atomic
def template_copy(*, actor, template: EvaluationTemplate, name: str) -> EvaluationTemplate:
    """A new template of the same committee with the criteria and deduction items of `template`."""
    require(actor, VIEW, template)
    copy = EvaluationTemplate(committee=template.committee, name=name, description=template.description,
                              created_by=_account(actor))
    require(actor, CREATE, copy)
    errors: dict = {}
    _check_name(copy, errors)
    if errors:
        raise ValidationError(errors)
    copy.save()
    for criterion in template.criteria.order_by("seq").prefetch_related("deductions"):
        made = Criterion.objects.create(template=copy, seq=criterion.seq, title=criterion.title,
                                        points=criterion.points, guidance=criterion.guidance,
                                        indicator=criterion.indicator)
        Deduction.objects.bulk_create([Deduction(criterion=made, seq=d.seq, description=d.description,
                                                 points=d.points) for d in criterion.deductions.all()])
    audit.record(actor=actor, action="evaluation.template_copy", obj=copy, summary=copy.name,
                 detail={"from": template.pk, "from_name": template.name})
    return copy


@transaction.atomic
def template_reset(*, actor, template: EvaluationTemplate) -> EvaluationTemplate:
    """Fill an empty, unused template with the default criteria and deduction items."""
    require(actor, CHANGE, template)
    template = _lock_template(template)
    _require_unused(template)
    if template.criteria.exists():
        raise ValidationError({"template": [_("The template already has criteria.")]})
    create_criteria(template)
    audit.record(actor=actor, action="evaluation.template_defaults", obj=template, summary=template.name)
    return template


@transaction.atomic
def template_delete(*, actor, template: EvaluationTemplate) -> None:
    """Delete a template no batch uses."""
    require(actor, DELETE, template)
    template = _lock_template(template)
    _require_unused(template)
    audit.record(actor=actor, action="evaluation.template_delete", obj=template, summary=template.name)
    template.delete()


def _clean_deductions(rows: Sequence[Mapping[str, Any]], criterion: Criterion, points: Decimal | None,
                      errors: dict) -> list[dict]:
    """The deduction rows to keep, in order; rows are {"id", "description", "points", "delete"}."""
    known = {d.pk: d for d in criterion.deductions.all()} if criterion.pk else {}
    kept: list[dict] = []
    for index, row in enumerate(rows):
        row_no = index + 1
        label = _("Deduction item %(row)d") % {"row": row_no}
        pk = row.get("id")
        if pk is not None and pk not in known:
            errors[f"deductions.{index}.id"] = [label + ": " + _("No such deduction item in this criterion.")]
            continue
        if row.get("delete"):
            continue
        description = _text(row.get("description"), f"deductions.{index}.description", errors, limit=200,
                            label=label)
        each = _points(row.get("points"), f"deductions.{index}.points", errors, label=label, most=points)
        kept.append({"id": pk, "description": description, "points": each})
    return kept


@transaction.atomic
def criterion_save(*, actor, template: EvaluationTemplate, criterion: Criterion | None = None, title: str,
                   points: Any, guidance: str = "", indicator: str = "",
                   deductions: Sequence[Mapping[str, Any]] = ()) -> Criterion:
    """Add a criterion to an unused template, or change one, with its deduction items: rows of
    {"id" (None for a new item), "description", "points" each time, "delete"}; rows are kept in
    the order given. A deduction item cannot take more than the criterion's points at once."""
    require(actor, CHANGE, template)
    template = _lock_template(template)
    if criterion is None:
        criterion = Criterion(template=template)
        require(actor, CREATE, criterion)
    else:
        criterion = Criterion.objects.select_for_update().get(pk=criterion.pk, template=template)
        require(actor, CHANGE, criterion)
    _require_unused(template)
    errors: dict = {}
    criterion.title = _text(title, "title", errors, limit=100)
    criterion.guidance = (guidance or "").strip()
    criterion.points = _points(points, "points", errors, most=Decimal(100))
    criterion.indicator = indicator or ""
    if criterion.indicator not in Criterion.Indicator.values:
        errors["indicator"] = [_("Choose an indicator from the list.")]
    kept = _clean_deductions(deductions, criterion, criterion.points, errors)
    if errors:
        raise ValidationError(errors)
    new = criterion.pk is None
    if new:
        criterion.seq = (template.criteria.aggregate(m=Max("seq"))["m"] or 0) + 1
    criterion.save()
    criterion.deductions.exclude(pk__in=[row["id"] for row in kept if row["id"] is not None]).delete()
    for seq, row in enumerate(kept, start=1):
        values = {"seq": seq, "description": row["description"], "points": row["points"]}
        if row["id"] is not None:
            Deduction.objects.filter(pk=row["id"], criterion=criterion).update(**values)
        else:
            Deduction.objects.create(criterion=criterion, **values)
    audit.record(actor=actor, action="evaluation.criterion_create" if new else "evaluation.criterion_update",
                 obj=criterion, summary=f"{template.name} {criterion.title}",
                 detail={"template": template.pk, "points": str(criterion.points), "indicator": criterion.indicator,
                         "deductions": [[row["description"], str(row["points"])] for row in kept]})
    return criterion


@transaction.atomic
def criterion_delete(*, actor, criterion: Criterion) -> None:
    """Remove a criterion (and its deduction items) from an unused template."""
    require(actor, DELETE, criterion)
    template = _lock_template(criterion.template)
    _require_unused(template)
    audit.record(actor=actor, action="evaluation.criterion_delete", obj=criterion,
                 summary=f"{template.name} {criterion.title}", detail={"template": template.pk})
    criterion.delete()


# -- batches ---------------------------------------------------------------------------------

def selection(committee, period_start: date, period_end: date) -> QuerySet[Feedback]:
    """The issued feedbacks of the committee whose concentrated-rectification deadline falls
    within [period_start, period_end], both days included."""
    return Feedback.objects.filter(state=Feedback.State.ISSUED, assignment__round__committee=committee,
                                   rectification_due__gte=period_start, rectification_due__lte=period_end)


def _check_period(period_start: date | None, period_end: date | None, errors: dict) -> None:
    if period_start is None:
        errors["period_start"] = _required()
    if period_end is None:
        errors["period_end"] = _required()
    if period_start and period_end and period_start > period_end:
        errors["period_end"] = [_("The end of the period cannot come before its start.")]


def _lock_batch(batch: EvaluationBatch) -> EvaluationBatch:
    return (EvaluationBatch.objects.select_for_update(of=("self",)).select_related("committee", "template")
            .get(pk=batch.pk))


def _require_open(batch: EvaluationBatch) -> None:
    if batch.state != OPEN:
        raise ValidationError({"batch": [_("This evaluation batch is concluded; it can no longer be changed.")]})


def _add_evaluations(batch: EvaluationBatch, feedbacks: QuerySet[Feedback]) -> int:
    rows = list(feedbacks.order_by("rectification_due", "pk").values("pk", "assignment__organization_id"))
    Evaluation.objects.bulk_create([Evaluation(batch=batch, feedback_id=row["pk"],
                                               organization_id=row["assignment__organization_id"])
                                    for row in rows])
    return len(rows)


def measure_batch(batch: EvaluationBatch, *, as_of: date | None = None) -> int:
    """Measure the indicators of every evaluation of the batch (a fixed number of queries)."""
    measured = indicators.measure(Evaluation.objects.filter(batch=batch).values("feedback_id"), as_of=as_of)
    now = timezone.now()
    evaluations = list(Evaluation.objects.filter(batch=batch).only("pk", "feedback_id"))
    for evaluation in evaluations:
        evaluation.indicators = measured.get(evaluation.feedback_id, {})
        evaluation.measured_at = now
    Evaluation.objects.bulk_update(evaluations, ["indicators", "measured_at"], batch_size=500)
    return len(evaluations)


@transaction.atomic
def batch_open(*, actor, committee, title: str, period_start: date | None, period_end: date | None,
               template: EvaluationTemplate | None = None) -> EvaluationBatch:
    """Open a batch evaluating every organization of the committee whose concentrated
    rectification was due within the period (the committee's default template when none is
    given); the indicators are measured at once."""
    batch = EvaluationBatch(committee=committee, title=title, period_start=period_start, period_end=period_end,
                            created_by=_account(actor))
    require(actor, CREATE, batch)
    errors: dict = {}
    batch.title = _text(title, "title", errors, limit=200)
    _check_period(period_start, period_end, errors)
    if template is None:
        template = default_template(committee, actor=actor)
    if template.committee_id != committee.pk:
        errors["template"] = [_("Choose a template of the same committee.")]
    elif not template.criteria.exists():
        errors["template"] = [_("The template has no criteria yet.")]
    if not errors and not selection(committee, period_start, period_end).exists():
        errors["period_end"] = [_("No issued feedback has its concentrated rectification due within this period.")]
    if errors:
        raise ValidationError(errors)
    batch.template = template
    batch.save()
    count = _add_evaluations(batch, selection(committee, period_start, period_end))
    measure_batch(batch)
    audit.record(actor=actor, action="evaluation.batch_open", obj=batch, summary=batch.title,
                 detail={"period": [period_start.isoformat(), period_end.isoformat()], "template": template.pk,
                         "organizations": count})
    return batch


@transaction.atomic
def batch_refresh(*, actor, batch: EvaluationBatch) -> int:
    """Re-measure the indicators of an open batch and add the feedbacks newly in its period;
    returns how many organizations were added."""
    require(actor, CHANGE, batch)
    batch = _lock_batch(batch)
    require(actor, CHANGE, batch)
    _require_open(batch)
    added = _add_evaluations(batch, selection(batch.committee, batch.period_start, batch.period_end)
                             .exclude(pk__in=Evaluation.objects.filter(batch=batch).values("feedback_id")))
    measured = measure_batch(batch)
    audit.record(actor=actor, action="evaluation.batch_refresh", obj=batch, summary=batch.title,
                 detail={"added": added, "measured": measured})
    return added


@transaction.atomic
def batch_close(*, actor, batch: EvaluationBatch, conclusion: str) -> EvaluationBatch:
    """Conclude a batch whose evaluations are all graded, with the overall findings."""
    require(actor, CHANGE, batch)
    batch = _lock_batch(batch)
    _require_open(batch)
    to_state, roles = TRANSITIONS[(batch.state, CLOSE)]
    require(actor, CHANGE, batch, roles=roles)
    errors: dict = {}
    conclusion = _text(conclusion, "conclusion", errors, limit=20000)
    ungraded = list(Evaluation.objects.filter(batch=batch, grade="").select_related("organization")
                    .order_by("organization__kind__sort_order", "organization__pinyin", "pk")[:11])
    if ungraded:
        names = "、".join(e.organization.name for e in ungraded[:10]) + ("等" if len(ungraded) > 10 else "")
        errors["evaluations"] = [_("Grade every organization before concluding; not graded yet: %(names)s.")
                                 % {"names": names}]
    if errors:
        raise ValidationError(errors)
    from_state = batch.state
    batch.state, batch.conclusion, batch.closed_at = to_state, conclusion, timezone.now()
    batch.save(update_fields=["state", "conclusion", "closed_at"])
    audit.record(actor=actor, action="evaluation.batch_close", obj=batch, summary=batch.title,
                 detail={"from": from_state, "to": to_state, "grades": grade_counts(batch)})
    return batch


def grade_counts(batch: EvaluationBatch) -> dict[str, int]:
    counts = dict.fromkeys(Grade.values, 0)
    for grade in Evaluation.objects.filter(batch=batch).exclude(grade="").values_list("grade", flat=True):
        counts[grade] += 1
    return counts


# -- scores ----------------------------------------------------------------------------------

def deducted(criterion: Criterion, applied: Mapping[int, int]) -> Decimal:
    """The criterion's score after the deductions applied {deduction id: times}, floored at 0."""
    each = {d.pk: d.points for d in criterion.deductions.all()}
    total = sum((each.get(pk, Decimal(0)) * times for pk, times in applied.items()), Decimal(0))
    return max(Decimal(0), criterion.points - total)


def _whole(value: Any) -> int | None:
    """A whole number from 0 up (an id, or how many times), else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value >= 0 else None
    text = str(value if value is not None else "").strip()
    return int(text) if text.isascii() and text.isdigit() else None


def _clean_row(index: int, row: Mapping[str, Any], criterion: Criterion, errors: dict) -> dict | None:
    """One criterion's score: an explicit score, or the deductions applied."""
    title = criterion.title
    known = {d.pk for d in criterion.deductions.all()}
    applied: dict[int, int] = {}
    for key, value in dict(row.get("deductions") or {}).items():
        pk, times = _whole(key), _whole(value)
        if pk is None or pk not in known:
            errors[f"scores.{index}.deductions"] = [
                _("%(title)s: no such deduction item in this criterion.") % {"title": title}]
            return None
        if times is None or times > 99:
            errors[f"scores.{index}.deductions"] = [
                _("%(title)s: apply a deduction item a whole number of times, from 0 to 99.") % {"title": title}]
            return None
        if times:
            applied[pk] = times
    computed = deducted(criterion, applied)
    raw = row.get("score")
    score = _decimal(raw)
    if raw not in (None, "") and score is None:
        errors[f"scores.{index}.score"] = [_("%(title)s: enter a number.") % {"title": title}]
        return None
    if score is not None:
        if not Decimal(0) <= score <= criterion.points:
            errors[f"scores.{index}.score"] = [_("%(title)s: the score must be from 0 to %(max)s.")
                                               % {"title": title, "max": criterion.points.normalize()}]
            return None
        if score != score.quantize(TENTH):
            errors[f"scores.{index}.score"] = [_("%(title)s: use at most one decimal place.") % {"title": title}]
            return None
        if applied and score != computed:
            errors[f"scores.{index}.score"] = [
                _("%(title)s: the deductions applied give %(computed)s; clear the score or the deductions.")
                % {"title": title, "computed": computed.normalize()}]
            return None
    return {"score": score if score is not None else computed, "deductions": applied,
            "comment": str(row.get("comment") or "").strip()}


@transaction.atomic
def evaluation_score(*, actor, evaluation: Evaluation, scores: Iterable[Mapping[str, Any]] = (),
                     comment: str | None = None, follow_up: str | None = None,
                     follow_up_note: str | None = None) -> Evaluation:
    """Score criteria of an evaluation of an open batch: rows of {"criterion": id, "score" (None:
    points less the deductions), "deductions": {deduction id: times}, "comment"}. Criteria not
    given keep their score; once every criterion is scored the total and grade follow, and a
    basic or failing grade needs a follow-up with its arrangements. What is None stays."""
    require(actor, CHANGE, evaluation)
    # The batch first (as batch_close takes it), so that no score lands in a concluded batch.
    batch = _lock_batch(evaluation.batch)
    evaluation = (Evaluation.objects.select_for_update(of=("self",)).select_related("organization")
                  .get(pk=evaluation.pk))
    evaluation.batch = batch
    require(actor, CHANGE, evaluation)
    _require_open(batch)
    criteria = {c.pk: c for c in Criterion.objects.filter(template=evaluation.batch.template_id)
                .prefetch_related("deductions")}
    errors: dict = {}
    cleaned: dict[int, dict] = {}
    for index, row in enumerate(scores):
        criterion = criteria.get(_whole(row.get("criterion")) or -1)
        if criterion is None:
            errors[f"scores.{index}.criterion"] = [_("No such criterion in the batch's template.")]
        elif criterion.pk in cleaned:
            errors[f"scores.{index}.criterion"] = [_("%(title)s is scored twice.") % {"title": criterion.title}]
        else:
            clean = _clean_row(index, row, criterion, errors)
            if clean is not None:
                cleaned[criterion.pk] = clean
    if follow_up is not None and follow_up not in FollowUp.values:
        errors["follow_up"] = [_("Choose a follow-up from the list.")]
    if errors:
        raise ValidationError(errors)
    if comment is not None:
        evaluation.comment = comment.strip()
    if follow_up is not None:
        evaluation.follow_up = follow_up
    if follow_up_note is not None:
        evaluation.follow_up_note = follow_up_note.strip()
    stored = {s.criterion_id: s.score for s in EvaluationScore.objects.filter(evaluation=evaluation)}
    stored.update({pk: row["score"] for pk, row in cleaned.items()})
    complete = bool(criteria) and set(criteria) <= set(stored)
    evaluation.total = sum((stored[pk] for pk in criteria), Decimal(0)) if complete else None
    evaluation.grade = grade_for(evaluation.total) if complete else ""
    if evaluation.grade in LOW_GRADES and not evaluation.follow_up:
        errors["follow_up"] = [_("A total of %(total)s is graded “%(grade)s”: decide the follow-up "
                                 "(admonitory talk, follow-up inspection or both).")
                               % {"total": evaluation.total.normalize(), "grade": Grade(evaluation.grade).label}]
    if evaluation.follow_up and not evaluation.follow_up_note:
        errors["follow_up_note"] = [_("Write down the follow-up arrangements.")]
    if errors:
        raise ValidationError(errors)
    for pk, row in cleaned.items():
        EvaluationScore.objects.update_or_create(
            evaluation=evaluation, criterion_id=pk,
            defaults={"score": row["score"], "deductions": {str(d): t for d, t in row["deductions"].items()},
                      "comment": row["comment"]})
    evaluation.evaluated_by, evaluation.evaluated_at = _account(actor), timezone.now()
    evaluation.save(update_fields=["comment", "follow_up", "follow_up_note", "total", "grade", "evaluated_by",
                                   "evaluated_at"])
    audit.record(actor=actor, action="evaluation.score", obj=evaluation, summary=str(evaluation.organization),
                 detail={"batch": evaluation.batch_id,
                         "scores": {criteria[pk].title: str(row["score"]) for pk, row in cleaned.items()},
                         "total": str(evaluation.total) if evaluation.total is not None else None,
                         "grade": evaluation.grade, "follow_up": evaluation.follow_up})
    return evaluation
