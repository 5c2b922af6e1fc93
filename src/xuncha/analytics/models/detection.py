"""Recurring, common and systemic problems: the detector's settings, its per-problem fingerprints,
the near-duplicate pairs it found and the clusters built from them; the editable mapping of
checklist points to the functional departments responsible for their domain."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class DetectionSettings(models.Model):
    """A committee's thresholds; a committee without a row uses the installation's defaults
    (settings.XUNCHA_MATCH_THRESHOLD, settings.XUNCHA_COMMON_MIN_ORGANIZATIONS)."""

    committee = models.OneToOneField("registry.Committee", verbose_name=_("committee"), on_delete=models.CASCADE,
                                     related_name="detection_settings")
    threshold = models.FloatField(_("similarity threshold"), default=0.6,
                                  help_text=_("Two problems are near-duplicates at or above this similarity (0–1)."))
    common_min_organizations = models.PositiveSmallIntegerField(
        _("organizations for a common problem"), default=3,
        help_text=_("A cluster is a common problem when it spans at least this many organizations."))
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("detection settings")
        verbose_name_plural = _("detection settings")
        constraints = [
            models.CheckConstraint(condition=Q(threshold__gt=0) & Q(threshold__lte=1),
                                   name="detection_threshold_in_range"),
            models.CheckConstraint(condition=Q(common_min_organizations__gte=2), name="detection_common_min_two"),
        ]

    def __str__(self) -> str:
        return f"{self.committee} {self.threshold}"


class DepartmentMapping(models.Model):
    """A checklist point (监督要点, level 2) whose domain a functional department is responsible for,
    e.g. 村集体“三资”管理 → 县农业农村局. Common problems under the point are systemic for it."""

    committee = models.ForeignKey("registry.Committee", verbose_name=_("committee"), on_delete=models.CASCADE,
                                  related_name="department_mappings")
    point = models.ForeignKey("checklist.Item", verbose_name=_("supervision point"), on_delete=models.CASCADE,
                              related_name="department_mappings")
    department = models.ForeignKey("registry.Organization", verbose_name=_("department"), on_delete=models.PROTECT,
                                   related_name="department_mappings")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("point-to-department mapping")
        verbose_name_plural = _("point-to-department mappings")
        ordering = ["committee_id", "point_id", "department_id"]
        constraints = [models.UniqueConstraint(fields=["committee", "point", "department"],
                                               name="department_mapping_once")]

    def __str__(self) -> str:
        return f"{self.point} → {self.department}"


class ProblemFingerprint(models.Model):
    """The detector's index entry for one problem: its signature over the normalized text, and
    the text's hash so an edited problem is fingerprinted again. Internal: no page reads it."""

    problem = models.OneToOneField("findings.Problem", on_delete=models.CASCADE, related_name="fingerprint",
                                   primary_key=True)
    text_hash = models.CharField(max_length=64)
    signature = models.BinaryField()
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("problem fingerprint")
        verbose_name_plural = _("problem fingerprints")

    def __str__(self) -> str:
        return f"{self.problem_id} {self.text_hash[:8]}"


class ProblemMatch(models.Model):
    """Two problems of one committee whose texts are near-duplicates. `problem` is the later one
    (by the start of its round, then id); `earlier` the one it resembles."""

    class Relation(models.TextChoices):
        RECURRING = "recurring", _("Recurring (same organization, earlier round)")
        RECURRING_AFTER_CLOSURE = "persistent", _("Recurring after being rectified")
        SAME_ROUND = "same_round", _("Same round")
        OTHER_ORGANIZATION = "other_org", _("Another organization")

    problem = models.ForeignKey("findings.Problem", on_delete=models.CASCADE, related_name="matches")
    earlier = models.ForeignKey("findings.Problem", on_delete=models.CASCADE, related_name="matched_by")
    similarity = models.FloatField(_("similarity"))
    relation = models.CharField(_("relation"), max_length=12, choices=Relation.choices)
    found_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("near-duplicate pair")
        verbose_name_plural = _("near-duplicate pairs")
        ordering = ["-similarity", "problem_id"]
        constraints = [
            models.UniqueConstraint(fields=["problem", "earlier"], name="problem_match_once"),
            models.CheckConstraint(condition=~Q(problem=models.F("earlier")), name="problem_match_not_self"),
        ]
        indexes = [models.Index(fields=["relation", "problem"]), models.Index(fields=["earlier"])]

    def __str__(self) -> str:
        return f"{self.problem_id}~{self.earlier_id} {self.similarity:.2f}"


class Cluster(models.Model):
    """Near-duplicate problems of one term across organizations (共性问题 when they span at least
    `common_min_organizations`). Rebuilt for a term after each detection run; `key` (the lowest
    member's id) keeps a cluster's identity across rebuilds so recommendations can refer to it."""

    committee = models.ForeignKey("registry.Committee", on_delete=models.CASCADE, related_name="problem_clusters")
    term = models.ForeignKey("rounds.Term", verbose_name=_("term"), on_delete=models.CASCADE, related_name="clusters")
    key = models.PositiveBigIntegerField(editable=False)
    label = models.CharField(_("label"), max_length=200)
    point = models.ForeignKey("checklist.Item", verbose_name=_("supervision point"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    problem_count = models.PositiveIntegerField(_("problems"), default=0)
    organization_count = models.PositiveIntegerField(_("organizations"), default=0)
    round_count = models.PositiveIntegerField(_("rounds"), default=0)
    amount = models.DecimalField(_("amount involved (yuan)"), max_digits=18, decimal_places=2, null=True, blank=True)
    built_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("problem cluster")
        verbose_name_plural = _("problem clusters")
        ordering = ["-organization_count", "-problem_count", "key"]
        constraints = [models.UniqueConstraint(fields=["term", "key"], name="cluster_key_per_term")]
        indexes = [models.Index(fields=["committee", "term"])]

    def __str__(self) -> str:
        return self.label


class ClusterMember(models.Model):
    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="members")
    problem = models.ForeignKey("findings.Problem", on_delete=models.CASCADE, related_name="cluster_memberships")

    class Meta:
        verbose_name = _("cluster member")
        verbose_name_plural = _("cluster members")
        constraints = [models.UniqueConstraint(fields=["cluster", "problem"], name="cluster_member_once")]

    def __str__(self) -> str:
        return f"{self.cluster_id}:{self.problem_id}"
