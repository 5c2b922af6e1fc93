"""Evaluation pages: the batches with their counts by grade, opening a batch after a preview of
the organizations it selects, one batch (organizations with their indicators, scores and grades,
sortable by score; refresh, close, the Word report) and one organization's evaluation (the
indicators, the scoring sheet with suggested deductions, the vague measures behind them).

The office writes; the leading group and the superior office read (the leading group also
downloads the report). Anything outside the user's scope is a 404; a reader who tries to write
gets the 403 page; the inspected organization, receivers and groups get the 403 page everywhere.
Writes are POST-only.
"""

from __future__ import annotations

from functools import partial
from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from xuncha.access.policy import CHANGE, EXPORT, VIEW, can
from xuncha.rectification import evaluation_report, indicators
from xuncha.rectification import services_evaluation as services
from xuncha.rectification.evaluation_defaults import default_template
from xuncha.rectification.forms_evaluation import BatchForm, CloseForm, ScoreForm
from xuncha.rectification.models import Evaluation, EvaluationBatch, EvaluationTemplate
from xuncha.rectification.selectors import evaluation as selectors
from xuncha.workbench.pages import service_page

PER_PAGE = 50
BATCH_STATES = EvaluationBatch.State.choices
PREVIEW_NAMES = 200
# Indicators summarised in the batch's table, in order.
SUMMARY = ("tasks", "closed", "overdue", "vague", "evidence_rate")

batch_page = partial(service_page, refuse_system_roles=True, readable=EvaluationBatch)


def _save(form, call) -> bool:
    """Call the service with the form's data; its ValidationError goes onto the form."""
    try:
        call(form.cleaned_data)
    except ValidationError as exc:
        form.add_service_errors(exc)
        return False
    return True


# -- batches ---------------------------------------------------------------------------------

@require_GET
@batch_page
def batch_list(request):
    user = request.user
    state = request.GET.get("state", "")
    state = state if state in EvaluationBatch.State.values else ""
    page = Paginator(selectors.batches_for(user, state=state), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "rectification/evaluation/batch_list.html", {
        "page": page, "state": state, "states": BATCH_STATES,
        "may_open": bool(selectors.committees_to_evaluate(user)),
        "may_see_templates": selectors.templates_for(user).exists() or bool(
            selectors.committees_to_evaluate(user, EvaluationTemplate)),
    })


def _batch_form(request, committees, data=None):
    for committee in committees:
        default_template(committee, actor=request.user)
    templates = (selectors.templates_for(request.user)
                 .filter(committee__in=[c.pk for c in committees]))
    year = timezone.localdate().year - 1
    initial = {"committee": committees[0].pk, "title": f"{year}年度巡察整改评估",
               "period_start": f"{year}-01-01", "period_end": f"{year}-12-31",
               "template": templates.first()}
    return BatchForm(data, initial=initial, committees=committees, templates=templates)


@require_GET
@batch_page
def batch_create(request):
    """The form; with its fields in the query string, the organizations the period selects."""
    committees = selectors.committees_to_evaluate(request.user)
    if not committees:
        raise PermissionDenied
    form = _batch_form(request, committees, request.GET if "period_end" in request.GET else None)
    selected = None
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        if data["period_start"] > data["period_end"]:
            form.add_error("period_end", _("The end of the period cannot come before its start."))
        else:
            found = selectors.preview(request.user, data["committee"], data["period_start"], data["period_end"])
            selected = {"count": found.count(), "feedbacks": list(found[:PREVIEW_NAMES])}
    return render(request, "rectification/evaluation/batch_create.html", {"form": form, "selected": selected})


@require_POST
@batch_page
def batch_open(request):
    committees = selectors.committees_to_evaluate(request.user)
    if not committees:
        raise PermissionDenied
    form = _batch_form(request, committees, request.POST)
    batch = None

    def call(data):
        nonlocal batch
        batch = services.batch_open(actor=request.user, committee=data["committee"], title=data["title"],
                                    period_start=data["period_start"], period_end=data["period_end"],
                                    template=data["template"])

    if form.is_valid() and _save(form, call):
        messages.success(request, _("The evaluation batch is open: %(count)d organizations to evaluate.")
                         % {"count": batch.evaluations.count()})
        return redirect("rectification:batch_detail", batch.pk)
    return render(request, "rectification/evaluation/batch_create.html", {"form": form, "selected": None},
                  status=400)


def _sort(request) -> str:
    sort = request.GET.get("sort", "name")
    return sort if sort in selectors.SORTS else "name"


def _render_batch(request, batch: EvaluationBatch, *, close_form=None, status: int = 200):
    user = request.user
    sort, grade = _sort(request), request.GET.get("grade", "")
    page = Paginator(selectors.batch_evaluations(user, batch, sort=sort, grade=grade),
                     PER_PAGE).get_page(request.GET.get("page"))
    is_open = batch.state == EvaluationBatch.State.OPEN
    may_change = is_open and can(user, CHANGE, batch)
    rows = [(e, [(key, str(indicators.LABELS[key]), indicators.display(key, (e.indicators or {}).get(key)))
                 for key in SUMMARY]) for e in page.object_list]
    return render(request, "rectification/evaluation/batch_detail.html", {
        "batch": batch, "page": page, "rows": rows, "sort": sort, "grade": grade,
        "grades": Evaluation.Grade.choices, "summary_labels": [indicators.LABELS[k] for k in SUMMARY],
        "may_change": may_change, "may_export": can(user, EXPORT, batch),
        "close_form": close_form or (CloseForm(initial={"conclusion": batch.conclusion}) if may_change else None),
    }, status=status)


@require_GET
@batch_page
def batch_detail(request, pk: int):
    return _render_batch(request, selectors.get_batch_for_user(request.user, pk))


def _changeable(request, pk: int) -> EvaluationBatch:
    batch = selectors.get_batch_for_user(request.user, pk)
    if not can(request.user, CHANGE, batch):
        raise PermissionDenied
    return batch


@require_POST
@batch_page
def batch_refresh(request, pk: int):
    batch = _changeable(request, pk)
    try:
        added = services.batch_refresh(actor=request.user, batch=batch)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Indicators measured again; %(count)d organizations added.") % {"count": added})
    return redirect("rectification:batch_detail", batch.pk)


@require_POST
@batch_page
def batch_close(request, pk: int):
    batch = _changeable(request, pk)
    form = CloseForm(request.POST)
    if form.is_valid() and _save(form, lambda data: services.batch_close(
            actor=request.user, batch=batch, conclusion=data["conclusion"])):
        messages.success(request, _("The evaluation batch is concluded."))
        return redirect("rectification:batch_detail", batch.pk)
    return _render_batch(request, selectors.get_batch_for_user(request.user, pk), close_form=form, status=400)


@require_GET
@batch_page
def batch_report(request, pk: int):
    batch = selectors.get_batch_for_user(request.user, pk)
    if not can(request.user, EXPORT, batch):
        raise PermissionDenied
    content, filename = evaluation_report.export_report(actor=request.user, batch=batch)
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument"
                                                  ".wordprocessingml.document")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


# -- one evaluation --------------------------------------------------------------------------

def _render_evaluation(request, evaluation, *, form=None, status: int = 200):
    user = request.user
    sheet = selectors.evaluation_sheet(user, evaluation)
    may_score = evaluation.batch.state == EvaluationBatch.State.OPEN and can(user, CHANGE, evaluation)
    if may_score and form is None:
        form = ScoreForm(sheet=sheet, initial={"comment": evaluation.comment, "follow_up": evaluation.follow_up,
                                               "follow_up_note": evaluation.follow_up_note})
    shown = evaluation.indicators or {}
    return render(request, "rectification/evaluation/evaluation_detail.html", {
        "evaluation": evaluation, "batch": evaluation.batch, "sheet": sheet, "form": form if may_score else None,
        "score_rows": form.rows() if may_score else None,
        "points": selectors.sheet_points(sheet),
        "overview": [(key, str(indicators.LABELS[key]), indicators.display(key, shown.get(key)))
                     for key in indicators.LABELS] if shown else [],
        "vague": selectors.vague_measures(user, evaluation),
    }, status=status)


@require_GET
@batch_page
def evaluation_detail(request, pk: int):
    return _render_evaluation(request, selectors.get_evaluation_for_user(request.user, pk, VIEW))


@require_POST
@batch_page
def evaluation_score(request, pk: int):
    user = request.user
    evaluation = selectors.get_evaluation_for_user(user, pk, VIEW)
    if not can(user, CHANGE, evaluation):
        raise PermissionDenied
    form = ScoreForm(request.POST, sheet=selectors.evaluation_sheet(user, evaluation))
    if form.is_valid() and _save(form, lambda data: services.evaluation_score(
            actor=user, evaluation=evaluation, scores=form.scores(), comment=data["comment"],
            follow_up=data["follow_up"], follow_up_note=data["follow_up_note"])):
        messages.success(request, _("The evaluation has been saved."))
        return redirect("rectification:evaluation_detail", evaluation.pk)
    return _render_evaluation(request, selectors.get_evaluation_for_user(user, pk, VIEW), form=form, status=400)
