"""Word documents from a template (the committee's active upload, else the GB/T 9704 default),
rendered in the sandbox with plain data.

The render functions take only the problems they are given; what may reach the inspected
organization is decided by the services (fed-back, non-lead problems only) — and a lead passed
here by mistake is still dropped from every document but the leads report.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from xuncha.reports.documents import context as ctx
from xuncha.reports.documents import gbt9704, sandbox
from xuncha.reports.models import DocumentTemplate

LEAD = "lead"


@dataclass(frozen=True)
class Rendered:
    data: bytes
    title: str
    format: str  # docx | xlsx
    template: DocumentTemplate | None = None


def active_template(committee, doc_type: str) -> DocumentTemplate | None:
    return DocumentTemplate.objects.filter(committee=committee, doc_type=doc_type, active=True).first()


def render_docx(doc_type: str, data: dict, *, committee=None, template: DocumentTemplate | None = None,
                use_active: bool = True) -> Rendered:
    """Render plain `data` with `template`, else the committee's active template, else the default."""
    if template is None and use_active and committee is not None:
        template = active_template(committee, doc_type)
    if template is not None:
        with template.file.open("rb") as handle:
            source: bytes | str = handle.read()
    else:
        source = str(gbt9704.default_template_path(doc_type))
    return Rendered(sandbox.render(source, data), data.get("title", ""), "docx", template)


def _not_leads(problems) -> list:
    return [p for p in problems if p.kind != LEAD]


def render_report(report, version, *, on: date | None = None, **kwargs) -> Rendered:
    """The inspection report or the leads report (by report.kind) of one version."""
    data = ctx.report_context(report, version, on=on)
    doc_type = "leads" if report.kind == "leads" else "report"
    return render_docx(doc_type, data, committee=report.assignment.round.committee, **kwargs)


def render_feedback(feedback, problems=None, **kwargs) -> Rendered:
    """The feedback (反馈意见) with `problems` (default: the feedback's own), never a lead."""
    chosen = _not_leads(feedback_problems(feedback) if problems is None else problems)
    data = ctx.feedback_context(feedback, chosen)
    return render_docx("feedback", data, committee=feedback.assignment.round.committee, **kwargs)


def feedback_problems(feedback) -> list:
    return list(feedback.problems.exclude(kind=LEAD).select_related(
        "classification__parent__parent", "organization", "group"))


def render_problem_list(target, problems=None, **kwargs) -> Rendered:
    """The problem list (问题清单) of an inspection target or of a feedback, in Word."""
    assignment, fed_back, chosen = _problem_list_source(target, problems)
    data = ctx.problem_list_context(assignment, chosen, fed_back=fed_back)
    return render_docx("problem_list", data, committee=assignment.round.committee, **kwargs)


def _problem_list_source(target, problems):
    from xuncha.reports.models import Feedback

    if isinstance(target, Feedback):
        chosen = feedback_problems(target) if problems is None else problems
        return target.assignment, True, _not_leads(chosen)
    if problems is None:
        problems = target.problems.exclude(kind=LEAD).select_related(
            "classification__parent__parent", "organization", "group")
    return target, False, _not_leads(problems)


def render_problem_list_xlsx(target, problems=None) -> Rendered:
    from xuncha.reports.documents import excel

    assignment, fed_back, chosen = _problem_list_source(target, problems)
    data = ctx.problem_list_context(assignment, chosen, fed_back=fed_back)
    return Rendered(excel.problem_list(data), data["title"], "xlsx")


def render_ledger(round_, problems) -> Rendered:
    """The round's ledger of problems (Excel), from the problems given (leads dropped)."""
    from xuncha.reports.documents import excel

    title = f"{round_.committee.name}{round_.label}巡察发现问题台账"
    return Rendered(excel.ledger(title, ctx.problem_rows(_not_leads(problems))), title, "xlsx")
