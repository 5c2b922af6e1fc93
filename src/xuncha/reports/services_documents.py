"""Writes of the documents area: generating Word/Excel files into the document centre, the
office's templates (upload, validate, activate), and audited downloads.

What may reach the inspected organization is decided here: only the feedback and its problem
list, only once the feedback is issued, and only with fed-back non-lead problems.
"""

from __future__ import annotations

import hashlib
import uuid

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from xuncha.access import audit
from xuncha.access.policy import CHANGE, CREATE, EXPORT, VIEW, PermissionDenied, can, require
from xuncha.reports.documents import context as ctx
from xuncha.reports.documents import render as rendering
from xuncha.reports.documents import sandbox
from xuncha.reports.documents.render import Rendered
from xuncha.reports.models import DocType, DocumentTemplate, Feedback, GeneratedDocument, Report
from xuncha.rounds.models import Assignment, Round

WORD_TYPES = (DocType.REPORT, DocType.LEADS, DocType.FEEDBACK, DocType.PROBLEM_LIST)


class DocumentError(ValueError):
    """A document that cannot be generated (no version yet, wrong target); str() is the message."""


def _store(*, actor, rendered: Rendered, doc_type: str, round_, group=None, organization=None,
           confidential: bool = False, for_organization: bool = False) -> GeneratedDocument:
    document = GeneratedDocument(round=round_, group=group, organization=organization, doc_type=doc_type,
                                 format=rendered.format, title=rendered.title[:200], confidential=confidential,
                                 for_organization=for_organization and not confidential,
                                 template=rendered.template, created_by=actor if actor.pk else None,
                                 size=len(rendered.data), sha256=hashlib.sha256(rendered.data).hexdigest())
    require(actor, CREATE, document)
    document.file.save(f"{uuid.uuid4().hex}.{rendered.format}", ContentFile(rendered.data), save=False)
    document.save()
    audit.record(actor=actor, action="document.generate", obj=document,
                 summary=f"{document.get_doc_type_display()} {document.title}",
                 detail={"format": document.format, "sha256": document.sha256, "confidential": confidential,
                         "for_organization": document.for_organization})
    return document


def _report_version(report: Report):
    version = report.approved_version or report.versions.order_by("-number").first()
    if version is None:
        raise DocumentError(_("The report has no saved version yet."))
    return version


@transaction.atomic
def generate(*, actor, doc_type: str, target, format: str = "docx") -> GeneratedDocument:
    """Generate one document of `doc_type` about `target` (a Report for report/leads, a Feedback
    for feedback, an Assignment or Feedback for problem_list, a Round for ledger)."""
    if doc_type in (DocType.REPORT, DocType.LEADS):
        if not isinstance(target, Report) or (target.kind == "leads") != (doc_type == DocType.LEADS):
            raise DocumentError(_("This document cannot be made from that object."))
        require(actor, VIEW, target)
        assignment = target.assignment
        rendered = rendering.render_report(target, _report_version(target))
        return _store(actor=actor, rendered=rendered, doc_type=doc_type, round_=assignment.round,
                      group=assignment.group, organization=assignment.organization,
                      confidential=doc_type == DocType.LEADS)
    if isinstance(target, Feedback) and doc_type in (DocType.FEEDBACK, DocType.PROBLEM_LIST):
        require(actor, VIEW, target)
        return _feedback_document(actor=actor, feedback=target, doc_type=doc_type, format=format)
    if doc_type == DocType.PROBLEM_LIST and isinstance(target, Assignment):
        require(actor, VIEW, target)
        rendered = (rendering.render_problem_list_xlsx(target) if format == "xlsx"
                    else rendering.render_problem_list(target))
        return _store(actor=actor, rendered=rendered, doc_type=doc_type, round_=target.round, group=target.group,
                      organization=target.organization)
    if doc_type == DocType.LEDGER and isinstance(target, Round):
        require(actor, EXPORT, target)
        from xuncha.findings.models import Problem

        problems = (Problem.objects.filter(round=target).exclude(kind=rendering.LEAD)
                    .select_related("classification__parent__parent", "organization", "group")
                    .order_by("group__number", "seq"))
        return _store(actor=actor, rendered=rendering.render_ledger(target, problems), doc_type=doc_type,
                      round_=target)
    raise DocumentError(_("This document cannot be made from that object."))


def _feedback_document(*, actor, feedback: Feedback, doc_type: str, format: str = "docx") -> GeneratedDocument:
    issued = feedback.state == Feedback.State.ISSUED
    problems = rendering.feedback_problems(feedback)  # never a lead
    if doc_type == DocType.FEEDBACK:
        rendered = rendering.render_feedback(feedback, problems)
    elif format == "xlsx":
        rendered = rendering.render_problem_list_xlsx(feedback, problems)
    else:
        rendered = rendering.render_problem_list(feedback, problems)
    assignment = feedback.assignment
    return _store(actor=actor, rendered=rendered, doc_type=doc_type, round_=assignment.round,
                  group=assignment.group, organization=assignment.organization, for_organization=issued)


@transaction.atomic
def generate_feedback_documents(*, actor, feedback: Feedback) -> list[GeneratedDocument]:
    """The feedback (Word), its problem list (Word and Excel): for the organization once issued.
    The feedback service calls this when it issues the feedback."""
    require(actor, VIEW, feedback)
    return [
        _feedback_document(actor=actor, feedback=feedback, doc_type=DocType.FEEDBACK),
        _feedback_document(actor=actor, feedback=feedback, doc_type=DocType.PROBLEM_LIST),
        _feedback_document(actor=actor, feedback=feedback, doc_type=DocType.PROBLEM_LIST, format="xlsx"),
    ]


def record_download(*, actor, document: GeneratedDocument) -> None:
    """Every download is audited (the caller has fetched the document through the scope)."""
    if not can(actor, VIEW, document):
        raise PermissionDenied("view GeneratedDocument")
    audit.record(actor=actor, action="document.download", obj=document, summary=document.title,
                 detail={"sha256": document.sha256})


# --- templates ------------------------------------------------------------------------------

def validate_template(*, doc_type: str, data: bytes) -> list[str]:
    """The variables of a valid template, or TemplateRefused with the reason: a real .docx
    without macros within the size limits, only the names allowed for its type, and a trial
    render with sample data in the sandbox."""
    if doc_type not in ctx.ALLOWED:
        raise sandbox.TemplateRefused(_("Templates can only be uploaded for Word documents."))
    sandbox.check_package(data)
    names = sandbox.variables(data)
    unknown = sorted(names - ctx.ALLOWED[doc_type])
    if unknown:
        raise sandbox.TemplateRefused(
            _("The template uses names it is not given: %(names)s. Allowed: %(allowed)s.")
            % {"names": "、".join(unknown), "allowed": "、".join(sorted(ctx.ALLOWED[doc_type]))})
    sandbox.render(data, ctx.sample(doc_type))
    return sorted(names)


@transaction.atomic
def upload_template(*, actor, committee, doc_type: str, name: str, data: bytes,
                    activate: bool = True) -> DocumentTemplate:
    """Store a validated template for the committee; made the active one of its type if asked."""
    template = DocumentTemplate(committee=committee, doc_type=doc_type, name=name.strip()[:100] or doc_type,
                                active=False, uploaded_by=actor if actor.pk else None)
    require(actor, CREATE, template)
    template.variables = validate_template(doc_type=doc_type, data=data)
    template.sha256 = hashlib.sha256(data).hexdigest()
    template.file.save(f"{uuid.uuid4().hex}.docx", ContentFile(data), save=False)
    template.save()
    audit.record(actor=actor, action="document_template.upload", obj=template, summary=template.name,
                 detail={"doc_type": doc_type, "sha256": template.sha256})
    if activate:
        set_template_active(actor=actor, template=template, active=True)
    return template


@transaction.atomic
def set_template_active(*, actor, template: DocumentTemplate, active: bool) -> DocumentTemplate:
    """Use this template for its type (the previous one is set aside), or go back to the default."""
    template = DocumentTemplate.objects.select_for_update().get(pk=template.pk)
    require(actor, CHANGE, template)
    if active:
        (DocumentTemplate.objects.filter(committee=template.committee_id, doc_type=template.doc_type, active=True)
         .exclude(pk=template.pk).update(active=False))
    template.active = active
    template.save(update_fields=["active"])
    audit.record(actor=actor, action="document_template.activate" if active else "document_template.deactivate",
                 obj=template, summary=template.name)
    return template
