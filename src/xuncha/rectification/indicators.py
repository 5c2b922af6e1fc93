"""Automatic indicators of rectification evaluation, measured from the rectification records.

For every feedback of a batch: its tasks (整改任务) — how many, closed, closed on time (the closing
date on or before the task's deadline), overdue (still open past the deadline, or closed after it),
awaiting closure, closed with evidence (at least one ProgressEvidence) and the evidence
completeness in per cent, vague measures, tasks without a named responsibility; the plan's state
and approval date; whether the progress report was submitted on time; whether the rectification
was disclosed, and on time.

`measure` takes the feedbacks as a subquery and runs the same four queries (feedback and plan and
report, task aggregates grouped by feedback, disclosure aggregates, nothing per organization)
however many organizations the batch holds. The figures guide the evaluator: `figures` lists
those shown next to a criterion, `suggest` how often a deduction item applies.
"""

from __future__ import annotations

from datetime import date, datetime

from django.db.models import Count, Exists, F, Min, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xuncha.rectification.models import Criterion, Disclosure, Plan, ProgressEvidence, Task
from xuncha.reports.models import Feedback

CLOSED = Task.State.CLOSED
COUNTS = ("tasks", "closed", "closed_on_time", "overdue", "awaiting_closure", "with_evidence", "vague",
          "missing_responsibility")


def _iso(day: date | datetime | None) -> str | None:
    if day is None:
        return None
    if isinstance(day, datetime):
        day = timezone.localdate(day)
    return day.isoformat()


def _task_counts(feedback_ids: QuerySet, as_of: date) -> dict[int, dict[str, int]]:
    has_evidence = Exists(ProgressEvidence.objects.filter(progress__task=OuterRef("pk")))
    rows = (Task.objects.filter(plan__feedback_id__in=feedback_ids).order_by()
            .values("plan__feedback_id")
            .annotate(tasks=Count("id"),
                      closed=Count("id", filter=Q(state=CLOSED)),
                      closed_on_time=Count("id", filter=Q(state=CLOSED, closed_at__date__lte=F("due"))),
                      overdue=Count("id", filter=(~Q(state=CLOSED) & Q(due__lt=as_of))
                                    | Q(state=CLOSED, closed_at__date__gt=F("due"))),
                      awaiting_closure=Count("id", filter=Q(state=Task.State.REQUESTED)),
                      with_evidence=Count("id", filter=Q(state=CLOSED) & Q(has_evidence)),
                      vague=Count("id", filter=Q(vague=True)),
                      missing_responsibility=Count("id", filter=Q(responsible_leader="") | Q(lead_department="")
                                                   | Q(person_in_charge=""))))
    return {row.pop("plan__feedback_id"): row for row in rows}


def _disclosures(feedback_ids: QuerySet) -> dict[int, date]:
    rows = (Disclosure.objects.filter(report__feedback_id__in=feedback_ids).order_by()
            .values("report__feedback_id").annotate(first=Min("published_on")))
    return {row["report__feedback_id"]: row["first"] for row in rows}


def _on_time(done: date | None, due: date | None, as_of: date) -> bool | None:
    """True when done by the deadline; False when done late, or not done and the deadline has
    passed; None while it is not due yet (or there is no deadline)."""
    if done is not None:
        return due is None or done <= due
    if due is not None and due < as_of:
        return False
    return None


def measure(feedback_ids: QuerySet, *, as_of: date | None = None) -> dict[int, dict]:
    """{feedback id: indicators} of the feedbacks whose ids the queryset `feedback_ids` selects
    (used as a subquery), as of `as_of` (today)."""
    as_of = as_of or timezone.localdate()
    feedbacks = (Feedback.objects.filter(pk__in=feedback_ids).order_by()
                 .values("pk", "rectification_due", "progress_report_due", "plan__state", "plan__submitted_at",
                         "plan__decided_at", "progress_report__due", "progress_report__submitted_on",
                         "progress_report__disclosure_due"))
    tasks = _task_counts(feedback_ids, as_of)
    disclosed = _disclosures(feedback_ids)
    measured: dict[int, dict] = {}
    for row in feedbacks:
        pk = row["pk"]
        counts = {key: 0 for key in COUNTS} | tasks.get(pk, {})
        closed = counts["closed"]
        plan_state = row["plan__state"] or ""
        approved_on = (timezone.localdate(row["plan__decided_at"])
                       if plan_state == Plan.State.APPROVED and row["plan__decided_at"] else None)
        rectification_due = row["rectification_due"]
        report_due = row["progress_report__due"] or row["progress_report_due"]
        disclosure_due = row["progress_report__disclosure_due"]
        disclosed_on = disclosed.get(pk)
        measured[pk] = {
            "as_of": as_of.isoformat(),
            "rectification_due": _iso(rectification_due),
            **counts,
            "without_evidence": closed - counts["with_evidence"],
            "evidence_rate": round(100 * counts["with_evidence"] / closed) if closed else None,
            "plan_state": plan_state,
            "plan_submitted_on": _iso(row["plan__submitted_at"]),
            "plan_approved_on": _iso(approved_on),
            "plan_on_time": approved_on is not None and (rectification_due is None or approved_on <= rectification_due),
            "report_due": _iso(report_due),
            "report_submitted_on": _iso(row["progress_report__submitted_on"]),
            "report_on_time": _on_time(row["progress_report__submitted_on"], report_due, as_of),
            "disclosed": disclosed_on is not None,
            "disclosed_on": _iso(disclosed_on),
            "disclosure_due": _iso(disclosure_due),
            "disclosed_on_time": _on_time(disclosed_on, disclosure_due, as_of),
        }
    return measured


# -- guiding the evaluator -------------------------------------------------------------------

# Words of a deduction item → the indicator counting how often it applies. They match the
# default items (evaluation_defaults) and items the office words the same way in its own templates.
_SUGGESTIONS: tuple[tuple[tuple[str, ...], str], ...] = (
    (("空泛", "不具体"), "vague"),
    (("未明确责任",), "missing_responsibility"),
    (("未按期销号",), "overdue"),
    (("佐证材料",), "without_evidence"),
    (("未按规定公开", "未公开"), "disclosure_late"),
    (("未按期制定整改方案",), "plan_late"),
    (("未按期报送",), "report_late"),
)


def _occurrences(indicators: dict, key: str) -> int:
    if key == "disclosure_late":
        return int(indicators.get("disclosed_on_time") is False)
    if key == "plan_late":
        return int(not indicators.get("plan_on_time", True))
    if key == "report_late":
        return int(indicators.get("report_on_time") is False)
    return int(indicators.get(key) or 0)


def suggest(indicators: dict, description: str) -> int:
    """How many times the indicators suggest applying the deduction item `description` (0 when
    no indicator speaks to it, or nothing was measured)."""
    if not indicators:
        return 0
    for words, key in _SUGGESTIONS:
        if any(word in description for word in words):
            return _occurrences(indicators, key)
    return 0


LABELS = {
    "tasks": gettext_lazy("Tasks"),
    "closed": gettext_lazy("Closed"),
    "closed_on_time": gettext_lazy("Closed on time"),
    "overdue": gettext_lazy("Overdue"),
    "awaiting_closure": gettext_lazy("Awaiting closure"),
    "with_evidence": gettext_lazy("Closed with evidence"),
    "without_evidence": gettext_lazy("Closed without evidence"),
    "evidence_rate": gettext_lazy("Evidence completeness"),
    "vague": gettext_lazy("Vague measures"),
    "missing_responsibility": gettext_lazy("Tasks without named responsibility"),
    "plan_state": gettext_lazy("Plan"),
    "plan_approved_on": gettext_lazy("Plan approved on"),
    "report_due": gettext_lazy("Progress report due"),
    "report_submitted_on": gettext_lazy("Progress report submitted on"),
    "report_on_time": gettext_lazy("Progress report on time"),
    "disclosed_on": gettext_lazy("Disclosed on"),
    "disclosure_due": gettext_lazy("Disclosure due"),
    "disclosed_on_time": gettext_lazy("Disclosed on time"),
}

FIGURES = {
    Criterion.Indicator.LEADERSHIP: ("plan_state", "plan_approved_on", "report_due", "report_submitted_on",
                                     "report_on_time"),
    Criterion.Indicator.RESPONSIBILITY: ("tasks", "missing_responsibility", "vague"),
    Criterion.Indicator.COMPLETION: ("tasks", "closed", "closed_on_time", "overdue", "awaiting_closure",
                                     "without_evidence", "evidence_rate"),
    Criterion.Indicator.SATISFACTION: ("disclosed_on", "disclosure_due", "disclosed_on_time"),
}


def display(key: str, value) -> str:
    """One figure as the page shows it."""
    if value is None or value == "":
        if key == "plan_state":
            return _("No plan")
        return "—"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if key == "plan_state":
        return str(Plan.State(value).label)
    if key == "evidence_rate":
        return f"{value}%"
    if key.endswith(("_on", "_due")):
        return date_format(date.fromisoformat(value), "DATE_FORMAT")
    return str(value)


def figures(indicator: str, indicators: dict) -> list[tuple[str, str, str]]:
    """(key, label, shown value) of the figures for a criterion's indicator; none before measuring."""
    if not indicators:
        return []
    return [(key, str(LABELS[key]), display(key, indicators.get(key))) for key in FIGURES.get(indicator, ())]
