"""Word and Excel documents: the office's own templates per document type, and every file
generated (kept, listed in the round's document centre, each download audited)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class DocType(models.TextChoices):
    REPORT = "report", _("Inspection report")
    LEADS = "leads", _("Leads report")
    FEEDBACK = "feedback", _("Feedback")
    PROBLEM_LIST = "problem_list", _("Problem list")
    LEDGER = "ledger", _("Ledger")


class DocumentTemplate(models.Model):
    """An uploaded .docx template (docxtpl placeholders) for one document type."""

    committee = models.ForeignKey("registry.Committee", verbose_name=_("committee"), on_delete=models.PROTECT,
                                  related_name="document_templates")
    doc_type = models.CharField(_("document type"), max_length=16, choices=DocType.choices)
    name = models.CharField(_("name"), max_length=100)
    file = models.FileField(upload_to="templates/%Y/", max_length=200)
    sha256 = models.CharField(max_length=64, editable=False)
    variables = models.JSONField(default=list, editable=False)
    active = models.BooleanField(_("in use"), default=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("document template")
        verbose_name_plural = _("document templates")
        ordering = ["committee_id", "doc_type", "-uploaded_at"]
        constraints = [models.UniqueConstraint(fields=["committee", "doc_type"], condition=Q(active=True),
                                               name="one_active_template_per_type")]

    def __str__(self) -> str:
        return self.name


class GeneratedDocument(models.Model):
    """A generated file. `confidential` documents (the leads report) never reach the inspected
    organization; `for_organization` marks what its liaison may download after feedback."""

    class Format(models.TextChoices):
        DOCX = "docx", "Word"
        XLSX = "xlsx", "Excel"

    round = models.ForeignKey("rounds.Round", verbose_name=_("round"), on_delete=models.PROTECT,
                              related_name="documents")
    group = models.ForeignKey("rounds.Group", verbose_name=_("inspection group"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="documents")
    organization = models.ForeignKey("registry.Organization", verbose_name=_("organization"), null=True,
                                     blank=True, on_delete=models.PROTECT, related_name="documents")
    doc_type = models.CharField(_("document type"), max_length=16, choices=DocType.choices)
    format = models.CharField(_("format"), max_length=4, choices=Format.choices)
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(upload_to="documents/%Y/%m/", max_length=200)
    size = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField(max_length=64)
    confidential = models.BooleanField(_("confidential"), default=False)
    for_organization = models.BooleanField(_("for the inspected organization"), default=False)
    template = models.ForeignKey(DocumentTemplate, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("generated document")
        verbose_name_plural = _("generated documents")
        ordering = ["-created_at", "-id"]
        constraints = [models.CheckConstraint(condition=~Q(confidential=True, for_organization=True),
                                              name="confidential_never_for_organization")]
        indexes = [models.Index(fields=["round", "doc_type"]), models.Index(fields=["organization", "for_organization"])]

    def __str__(self) -> str:
        return self.title
