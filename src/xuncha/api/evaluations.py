"""Rectification evaluation (整改评估), through services_evaluation and the policy's scope.

The office opens, refreshes, scores and concludes batches; the leading group and the superior
office read. Missing and out-of-scope records answer 404 alike; a write the role may not make
403 (and every call of a role that sees no evaluation at all); bad input 422 naming the fields —
an empty period, a template of another committee, a score out of bounds, a low grade without
its follow-up, any change to a concluded batch.
"""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from xuncha.access.policy import VIEW, PermissionDenied, can_any
from xuncha.api.common import invalid, not_visible, page
from xuncha.api.evaluations_schemas import (
    BatchDetail,
    BatchFilters,
    BatchIn,
    BatchPage,
    CloseIn,
    EvaluationDetail,
    ScoresIn,
    TemplateList,
)
from xuncha.api.schemas import ErrorOut, ValidationErrorOut
from xuncha.rectification import services_evaluation as services
from xuncha.rectification.evaluation_defaults import default_template
from xuncha.rectification.models import EvaluationBatch, EvaluationTemplate
from xuncha.rectification.selectors import evaluation as selectors

router = Router()

WRITE_ERRORS = {403: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut}


def _reader(user) -> None:
    if not can_any(user, VIEW, EvaluationBatch):
        raise PermissionDenied("view EvaluationBatch")


def _batch(user, pk: int) -> EvaluationBatch:
    _reader(user)
    batch = selectors.batches_for(user).filter(pk=pk).first()
    if batch is None:
        raise Http404
    return batch


def _batch_detail(user, pk: int) -> EvaluationBatch:
    batch = _batch(user, pk)
    batch.evaluations_shown = list(selectors.batch_evaluations(user, batch))
    return batch


# -- templates -------------------------------------------------------------------------------

@router.get("/templates", response={200: TemplateList, 403: ErrorOut},
            summary="Scoring templates with their criteria and deduction items")
def template_list(request):
    user = request.auth
    if not can_any(user, VIEW, EvaluationTemplate):
        raise PermissionDenied("view EvaluationTemplate")
    for committee in selectors.committees_to_evaluate(user, EvaluationTemplate):
        default_template(committee, actor=user)
    items = list(selectors.template_details(user))
    return {"count": len(items), "items": items}


# -- batches ---------------------------------------------------------------------------------

@router.get("/batches", response={200: BatchPage, 403: ErrorOut},
            summary="Evaluation batches with their organizations counted by grade")
def batch_list(request, filters: Query[BatchFilters]):
    user = request.auth
    _reader(user)
    return page(selectors.batches_for(user, state=filters.state), filters)


@router.post("/batches", response={201: BatchDetail, **WRITE_ERRORS},
             summary="Open a batch over the organizations whose concentrated rectification was due in a period")
def batch_open(request, payload: BatchIn):
    user = request.auth
    committees = selectors.committees_to_evaluate(user)
    if not committees:
        raise PermissionDenied("create EvaluationBatch")
    if payload.committee is None and len(committees) > 1:
        raise invalid("committee", _("This field is required."))
    committee = next((c for c in committees if payload.committee in (None, c.pk)), None)
    if committee is None:
        raise not_visible("committee")
    template = None
    if payload.template is not None:
        template = selectors.templates_for(user).filter(pk=payload.template).first()
        if template is None:
            raise not_visible("template")
    batch = services.batch_open(actor=user, committee=committee, title=payload.title,
                                period_start=payload.period_start, period_end=payload.period_end, template=template)
    return Status(201, _batch_detail(user, batch.pk))


@router.get("/batches/{int:batch_id}", response={200: BatchDetail, 403: ErrorOut, 404: ErrorOut},
            summary="One batch with its organizations' indicators, totals and grades")
def batch_detail(request, batch_id: int):
    return _batch_detail(request.auth, batch_id)


@router.post("/batches/{int:batch_id}/refresh", response={200: BatchDetail, **WRITE_ERRORS},
             summary="Measure the indicators again and add feedbacks newly in the period")
def batch_refresh(request, batch_id: int):
    user = request.auth
    services.batch_refresh(actor=user, batch=_batch(user, batch_id))
    return _batch_detail(user, batch_id)


@router.post("/batches/{int:batch_id}/close", response={200: BatchDetail, **WRITE_ERRORS},
             summary="Conclude a batch whose organizations are all graded, with the overall findings")
def batch_close(request, batch_id: int, payload: CloseIn):
    user = request.auth
    services.batch_close(actor=user, batch=_batch(user, batch_id), conclusion=payload.conclusion)
    return _batch_detail(user, batch_id)


# -- one evaluation --------------------------------------------------------------------------

def _evaluation_detail(user, pk: int) -> dict:
    _reader(user)
    evaluation = selectors.get_evaluation_for_user(user, pk)
    sheet = selectors.evaluation_sheet(user, evaluation)
    by = evaluation.evaluated_by
    return {
        "id": evaluation.pk, "organization": evaluation.organization_id,
        "organization_name": evaluation.organization.name, "feedback": evaluation.feedback_id,
        "rectification_due": evaluation.feedback.rectification_due, "indicators": evaluation.indicators,
        "measured_at": evaluation.measured_at, "total": evaluation.total, "grade": evaluation.grade,
        "follow_up": evaluation.follow_up, "batch": evaluation.batch_id, "batch_state": evaluation.batch.state,
        "comment": evaluation.comment, "follow_up_note": evaluation.follow_up_note,
        "evaluated_by": (by.full_name or by.username) if by else None, "evaluated_at": evaluation.evaluated_at,
        "criteria": [{
            "id": row.criterion.pk, "seq": row.criterion.seq, "title": row.criterion.title,
            "points": row.criterion.points, "indicator": row.criterion.indicator,
            "score": row.score.score if row.score else None, "comment": row.score.comment if row.score else "",
            "deductions": [{"id": d.deduction.pk, "description": d.deduction.description,
                            "points": d.deduction.points, "applied": d.applied, "suggested": d.suggested}
                           for d in row.deductions],
            "figures": [{"key": key, "label": label, "value": value} for key, label, value in row.figures],
        } for row in sheet],
        "vague_measures": [{"task": v.task.pk, "seq": v.task.seq, "problem": v.task.problem.title,
                            "measures": v.task.measures, "reasons": v.reasons}
                           for v in selectors.vague_measures(user, evaluation)],
    }


@router.get("/{int:evaluation_id}", response={200: EvaluationDetail, 403: ErrorOut, 404: ErrorOut},
            summary="One organization's evaluation: indicators, the scoring sheet with suggested deductions, "
                    "vague measures")
def evaluation_detail(request, evaluation_id: int):
    return _evaluation_detail(request.auth, evaluation_id)


@router.put("/{int:evaluation_id}/scores", response={200: EvaluationDetail, **WRITE_ERRORS},
            summary="Score criteria (directly or by deductions), comment, follow-up; partial saves allowed")
def evaluation_score(request, evaluation_id: int, payload: ScoresIn):
    user = request.auth
    _reader(user)
    evaluation = selectors.get_evaluation_for_user(user, evaluation_id)
    rows = [{"criterion": row.criterion, "score": row.score, "comment": row.comment,
             "deductions": {applied.deduction: applied.times for applied in row.deductions}}
            for row in payload.scores]
    services.evaluation_score(actor=user, evaluation=evaluation, scores=rows, comment=payload.comment,
                              follow_up=payload.follow_up, follow_up_note=payload.follow_up_note)
    return _evaluation_detail(user, evaluation_id)
