"""The guidance checklist (分类操作指引清单): per committee and kind of organization, a library
of versions; each version a four-level tree 监督重点 → 监督要点 → 问题表现形式 → 巡察方式方法.

A published version is never changed again: problems classified under it keep pointing at its
items. The office edits a draft (a copy of the latest version) and publishes it. Items carry a
stable `key` kept across versions, so that two versions can be compared item by item.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Library(models.Model):
    """A committee's checklist for one kind of organization (村/社区, 乡镇/街道, 县级部门 …)."""

    committee = models.ForeignKey("registry.Committee", verbose_name=_("committee"),
                                  on_delete=models.PROTECT, related_name="checklists")
    kind = models.ForeignKey("registry.OrganizationKind", verbose_name=_("kind of organization"),
                             on_delete=models.PROTECT, related_name="checklists")
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        verbose_name = _("checklist")
        verbose_name_plural = _("checklists")
        ordering = ["committee_id", "kind__sort_order", "kind_id"]
        constraints = [models.UniqueConstraint(fields=["committee", "kind"], name="checklist_one_per_kind")]

    def __str__(self) -> str:
        return self.name


class Version(models.Model):
    """One version of a library. Only a draft may change; at most one draft per library."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    library = models.ForeignKey(Library, verbose_name=_("checklist"), on_delete=models.CASCADE,
                                related_name="versions")
    number = models.PositiveSmallIntegerField(_("version"))
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.DRAFT)
    note = models.CharField(_("what changed"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")

    class Meta:
        verbose_name = _("checklist version")
        verbose_name_plural = _("checklist versions")
        ordering = ["library_id", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["library", "number"], name="checklist_version_unique_number"),
            models.UniqueConstraint(fields=["library"], condition=Q(state="draft"),
                                    name="checklist_one_draft"),
        ]

    def __str__(self) -> str:
        return f"{self.library} v{self.number}"

    @property
    def is_draft(self) -> bool:
        return self.state == self.State.DRAFT


class Item(models.Model):
    """A node of the tree. Level 1 focus, 2 point, 3 manifestation, 4 method; problems and
    working papers are classified by a manifestation (level 3)."""

    class Level(models.IntegerChoices):
        FOCUS = 1, _("Supervision focus")
        POINT = 2, _("Supervision point")
        MANIFESTATION = 3, _("Manifestation of problems")
        METHOD = 4, _("Inspection method")

    version = models.ForeignKey(Version, verbose_name=_("checklist version"), on_delete=models.CASCADE,
                                related_name="items")
    parent = models.ForeignKey("self", verbose_name=_("parent"), null=True, blank=True,
                               on_delete=models.CASCADE, related_name="children")
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices)
    # Stable across versions: the same item keeps its key when a draft is copied.
    key = models.CharField(_("key"), max_length=40)
    title = models.CharField(_("title"), max_length=300)
    note = models.TextField(_("explanation"), blank=True)
    position = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")
        ordering = ["version_id", "level", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["version", "key"], name="checklist_item_unique_key"),
            models.CheckConstraint(condition=Q(level__gte=1, level__lte=4), name="checklist_item_level"),
            models.CheckConstraint(condition=Q(level=1, parent__isnull=True) | Q(level__gt=1, parent__isnull=False),
                                   name="checklist_item_parent_by_level"),
        ]
        indexes = [models.Index(fields=["version", "parent", "position"])]

    def __str__(self) -> str:
        return self.title
