"""The rules library (法规制度库): documents, their versions, and each version's text parsed
into provisions 编/章/节/条/款/项 that papers, problems and reports can cite by address, e.g.
条例(2024)第三十二条."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Regulation(models.Model):
    committee = models.ForeignKey("registry.Committee", verbose_name=_("committee"), on_delete=models.PROTECT,
                                  related_name="regulations")
    title = models.CharField(_("title"), max_length=200)
    # The name used in citations: 条例 in 条例(2024)第三十二条. Unique in the committee.
    short_title = models.CharField(_("short title"), max_length=40)
    issuer = models.CharField(_("issuer"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("regulation")
        verbose_name_plural = _("regulations")
        ordering = ["committee_id", "title"]
        constraints = [models.UniqueConstraint(fields=["committee", "short_title"], name="regulation_unique_short")]

    def __str__(self) -> str:
        return self.title


class RegulationVersion(models.Model):
    """One text of a regulation (e.g. the 2017 and the 2024 revision)."""

    class Source(models.TextChoices):
        DOCX = "docx", _("Word document")
        TEXT = "text", _("Pasted text")

    regulation = models.ForeignKey(Regulation, verbose_name=_("regulation"), on_delete=models.CASCADE,
                                   related_name="versions")
    label = models.CharField(_("version"), max_length=20, help_text=_("As cited, e.g. 2024."))
    doc_number = models.CharField(_("document number"), max_length=100, blank=True)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    effective_on = models.DateField(_("in force from"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=8, choices=Source.choices, default=Source.TEXT)
    text = models.TextField(_("text"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("regulation version")
        verbose_name_plural = _("regulation versions")
        ordering = ["regulation_id", "-effective_on", "-id"]
        constraints = [models.UniqueConstraint(fields=["regulation", "label"], name="regulation_version_unique_label")]

    def __str__(self) -> str:
        return f"{self.regulation.short_title}({self.label})"


class Provision(models.Model):
    """A unit of the structure, in document order. Articles (条) are what citations name; 款 and 项
    sit under their article, 编/章/节 above it."""

    class Level(models.IntegerChoices):
        PART = 1, _("Part")          # 编
        CHAPTER = 2, _("Chapter")    # 章
        SECTION = 3, _("Section")    # 节
        ARTICLE = 4, _("Article")    # 条
        PARAGRAPH = 5, _("Paragraph")  # 款
        ITEM = 6, _("Item")          # 项

    version = models.ForeignKey(RegulationVersion, on_delete=models.CASCADE, related_name="provisions")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="children")
    level = models.PositiveSmallIntegerField(choices=Level.choices)
    number = models.PositiveIntegerField()  # 32 for 第三十二条; 2 for the second 款
    label = models.CharField(max_length=40)  # 第三十二条, 第二章, （一）
    heading = models.CharField(max_length=200, blank=True)  # a chapter's or section's title
    text = models.TextField(blank=True)  # the unit's own text (an article: its full text)
    position = models.PositiveIntegerField()  # document order within the version
    # Within the version: "第三十二条", "第三十二条第二款", "第三十二条第二款第（一）项".
    address = models.CharField(max_length=80)
    search_text = models.TextField(editable=False, default="")

    class Meta:
        verbose_name = _("provision")
        verbose_name_plural = _("provisions")
        ordering = ["version_id", "position"]
        constraints = [models.UniqueConstraint(fields=["version", "position"], name="provision_unique_position")]
        indexes = [models.Index(fields=["version", "level", "number"]), models.Index(fields=["version", "address"])]

    def __str__(self) -> str:
        return self.address or self.label
