"""Committees, organizations and people: who inspects and who is inspected."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from xuncha.text import match_key, pinyin_initials, stroke_sort_key


class Committee(models.Model):
    """A party committee that sends inspection groups (派出巡察的党组织); a tree."""

    class Level(models.TextChoices):
        PROVINCE = "province", _("Province")
        CITY = "city", _("City")
        COUNTY = "county", _("County")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=100)
    short_name = models.CharField(_("short name"), max_length=40, blank=True)
    level = models.CharField(_("level"), max_length=16, choices=Level.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent committee"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="children",
    )
    # Materialized path "/1/4/9/" so that a supervisor's subtree is one indexed prefix match.
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("committee")
        verbose_name_plural = _("committees")
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        super().save(*args, **kwargs)
        parent_path = self.parent.path if self.parent_id else "/"
        path = f"{parent_path}{self.pk}/"
        if path != self.path:
            self.path = path
            Committee.objects.filter(pk=self.pk).update(path=path)

    def is_within(self, other: Committee) -> bool:
        return self.path.startswith(other.path)


class OrganizationKind(models.Model):
    """Kinds of organization (乡镇/街道, 县级部门, 村/社区 …); the office may add more."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=40, unique=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=100)

    class Meta:
        verbose_name = _("kind of organization")
        verbose_name_plural = _("kinds of organization")
        ordering = ["sort_order", "id"]

    def __str__(self) -> str:
        return self.name


class Organization(models.Model):
    """A party organization or unit: inspected, receiving leads, or a department."""

    committee = models.ForeignKey(
        Committee, verbose_name=_("committee"), on_delete=models.PROTECT,
        related_name="organizations",
    )
    name = models.CharField(_("name"), max_length=100)
    short_name = models.CharField(_("short name"), max_length=40, blank=True)
    kind = models.ForeignKey(
        OrganizationKind, verbose_name=_("kind"), on_delete=models.PROTECT,
        related_name="organizations",
    )
    parent = models.ForeignKey(
        "self", verbose_name=_("parent organization"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="children",
    )
    unified_code = models.CharField(_("unified social credit code"), max_length=18, blank=True)
    active = models.BooleanField(_("active"), default=True)
    principal = models.ForeignKey(
        "Person", verbose_name=_("principal"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    name_key = models.CharField(max_length=100, editable=False, db_index=True)
    pinyin = models.CharField(max_length=100, editable=False, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        ordering = ["committee_id", "kind__sort_order", "pinyin", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "name_key"], condition=Q(parent__isnull=True),
                name="organization_unique_top_name",
            ),
            models.UniqueConstraint(fields=["parent", "name_key"], name="organization_unique_child_name"),
        ]
        indexes = [models.Index(fields=["committee", "kind", "active"])]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.name_key = match_key(self.name)
        self.pinyin = pinyin_initials(self.name)[:100]
        super().save(*args, **kwargs)


class Person(models.Model):
    """A cadre, inspector or anyone the work concerns."""

    class Gender(models.TextChoices):
        MALE = "M", _("Male")
        FEMALE = "F", _("Female")

    committee = models.ForeignKey(
        Committee, verbose_name=_("committee"), on_delete=models.PROTECT, related_name="people",
    )
    name = models.CharField(_("name"), max_length=50)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices, blank=True)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    organization = models.ForeignKey(
        Organization, verbose_name=_("organization"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="people",
    )
    post = models.CharField(_("post"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    name_key = models.CharField(max_length=50, editable=False, db_index=True)
    pinyin = models.CharField(max_length=50, editable=False, db_index=True)
    # Stroke order of the name (姓氏笔画), stored so that lists sort in the database.
    stroke_key = models.CharField(max_length=160, editable=False, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["stroke_key", "name", "id"]
        indexes = [models.Index(fields=["committee", "stroke_key"])]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.name_key = match_key(self.name)
        self.pinyin = pinyin_initials(self.name)[:50]
        self.stroke_key = stroke_sort_key(self.name)
        super().save(*args, **kwargs)


class WorkHistory(models.Model):
    """Where a person worked; recusal checks read it."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="work_history")
    organization = models.ForeignKey(
        Organization, verbose_name=_("organization"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    organization_name = models.CharField(_("organization name"), max_length=100, blank=True)
    post = models.CharField(_("post"), max_length=100, blank=True)
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("to"), null=True, blank=True)

    class Meta:
        verbose_name = _("work history")
        verbose_name_plural = _("work history")
        ordering = ["person_id", "start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="work_history_dates_in_order",
            )
        ]

    def __str__(self) -> str:
        return f"{self.organization or self.organization_name} {self.start_date}–{self.end_date or ''}"


class Relative(models.Model):
    """A relative of a person, for recusal (回避)."""

    class Relation(models.TextChoices):
        SPOUSE = "spouse", _("Spouse")
        PARENT = "parent", _("Parent")
        CHILD = "child", _("Child")
        SIBLING = "sibling", _("Sibling")
        IN_LAW = "in_law", _("In-law")
        OTHER = "other", _("Other close relative")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="relatives")
    relation = models.CharField(_("relation"), max_length=16, choices=Relation.choices)
    name = models.CharField(_("name"), max_length=50)
    organization = models.ForeignKey(
        Organization, verbose_name=_("organization"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    organization_name = models.CharField(_("organization name"), max_length=100, blank=True)
    post = models.CharField(_("post"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("relative")
        verbose_name_plural = _("relatives")
        ordering = ["person_id", "id"]

    def __str__(self) -> str:
        return f"{self.get_relation_display()} {self.name}"


class ImportJob(models.Model):
    """One Excel import started from a page; the page polls it for progress and result."""

    class Kind(models.TextChoices):
        ORGANIZATIONS = "orgs", _("Organizations")
        PEOPLE = "people", _("People")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    public_id = models.UUIDField(unique=True, editable=False)
    created_by = models.ForeignKey(
        "access.User", verbose_name=_("started by"), on_delete=models.PROTECT, related_name="+",
    )
    committee = models.ForeignKey(
        Committee, verbose_name=_("committee"), on_delete=models.PROTECT, related_name="+",
    )
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    dry_run = models.BooleanField(_("dry run"), default=False)
    file_name = models.CharField(_("file name"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.QUEUED)
    processed = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    counts = models.JSONField(default=dict, blank=True)
    # At most a thousand errors are kept; error_count says how many there were.
    errors = models.JSONField(default=list, blank=True)
    error_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("import job")
        verbose_name_plural = _("import jobs")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.file_name}"

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def percent(self) -> int:
        if self.finished:
            return 100
        return min(99, self.processed * 100 // self.total) if self.total else 0
