"""The plan: terms (届), rounds (轮次) with their state machine, groups (巡察组) and targets."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from xuncha.text.numerals import to_chinese


class RoundsPolicy(models.Model):
    """A committee's settings for planning: recusal look-back and the kinds it must cover."""

    committee = models.OneToOneField("registry.Committee", on_delete=models.CASCADE,
                                     related_name="rounds_policy")
    recusal_years = models.PositiveSmallIntegerField(_("recusal look-back (years)"), default=5)
    covered_kinds = models.ManyToManyField("registry.OrganizationKind", blank=True,
                                           verbose_name=_("kinds that must be covered"))

    class Meta:
        verbose_name = _("rounds policy")
        verbose_name_plural = _("rounds policies")

    def __str__(self) -> str:
        return str(self.committee)


class Term(models.Model):
    """A committee's term (届), e.g. 十四届."""

    committee = models.ForeignKey("registry.Committee", verbose_name=_("committee"),
                                  on_delete=models.PROTECT, related_name="terms")
    number = models.PositiveSmallIntegerField(_("number"))
    name = models.CharField(_("name"), max_length=40)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    planned_rounds = models.PositiveSmallIntegerField(_("planned rounds"), default=9)

    class Meta:
        verbose_name = _("term")
        verbose_name_plural = _("terms")
        ordering = ["committee_id", "-number"]
        constraints = [models.UniqueConstraint(fields=["committee", "number"], name="term_unique_number")]

    def __str__(self) -> str:
        return self.name


class Round(models.Model):
    """One round of inspection (轮次) within a term."""

    class Kind(models.TextChoices):
        ROUTINE = "routine", _("Routine")
        SPECIAL = "special", _("Special")
        MOBILE = "mobile", _("Mobile")
        CROSS = "cross", _("Cross")
        UPGRADED = "upgraded", _("Upgraded")
        LINKED = "linked", _("Linked")
        FOLLOW_UP = "follow_up", _("Follow-up")

    class State(models.TextChoices):
        PLANNED = "planned", _("Planned")
        APPROVED = "approved", _("Approved")
        STATIONED = "stationed", _("Stationed")
        REPORTING = "reporting", _("Reporting")
        FEEDBACK = "feedback", _("Feedback")
        RECTIFYING = "rectifying", _("Rectifying")
        COMPLETED = "completed", _("Completed")

    term = models.ForeignKey(Term, verbose_name=_("term"), on_delete=models.PROTECT, related_name="rounds")
    committee = models.ForeignKey("registry.Committee", verbose_name=_("committee"),
                                  on_delete=models.PROTECT, related_name="rounds", editable=False)
    number = models.PositiveSmallIntegerField(_("number"))
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.ROUTINE)
    title = models.CharField(_("title"), max_length=120, blank=True)
    theme = models.CharField(_("theme"), max_length=200, blank=True)
    planned_entry = models.DateField(_("planned entry"))
    planned_exit = models.DateField(_("planned exit"))
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.PLANNED,
                             db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("round")
        verbose_name_plural = _("rounds")
        ordering = ["-term__number", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["term", "number"], name="round_unique_number"),
            models.CheckConstraint(condition=Q(planned_exit__gte=models.F("planned_entry")),
                                   name="round_exit_after_entry"),
        ]
        indexes = [models.Index(fields=["committee", "state"])]

    def __str__(self) -> str:
        return self.label

    def save(self, *args, **kwargs) -> None:
        self.committee_id = self.term.committee_id
        super().save(*args, **kwargs)

    @property
    def label(self) -> str:
        """十四届第八轮"""
        return f"{self.term.name}第{to_chinese(self.number)}轮"


class RoundTransition(models.Model):
    """Who moved a round from one state to the next, when and why."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="transitions")
    action = models.CharField(max_length=20)
    from_state = models.CharField(max_length=16, choices=Round.State.choices)
    to_state = models.CharField(max_length=16, choices=Round.State.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["round_id", "at", "id"]

    def __str__(self) -> str:
        return f"{self.round_id}: {self.from_state} → {self.to_state}"


class Group(models.Model):
    """An inspection group (第一巡察组) of one round."""

    round = models.ForeignKey(Round, verbose_name=_("round"), on_delete=models.PROTECT, related_name="groups")
    number = models.PositiveSmallIntegerField(_("number"))

    class Meta:
        verbose_name = _("inspection group")
        verbose_name_plural = _("inspection groups")
        ordering = ["round_id", "number"]
        constraints = [models.UniqueConstraint(fields=["round", "number"], name="group_unique_number")]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return f"第{to_chinese(self.number)}巡察组"

    @property
    def full_name(self) -> str:
        return f"{self.round.label}{self.name}"


class GroupMember(models.Model):
    """A person serving in a group; with an account, membership grants the group's role."""

    class Role(models.TextChoices):
        LEADER = "leader", _("Group leader")
        DEPUTY = "deputy", _("Deputy group leader")
        MEMBER = "member", _("Member")
        LIAISON = "liaison", _("Liaison officer")

    group = models.ForeignKey(Group, verbose_name=_("group"), on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey("registry.Person", verbose_name=_("person"), on_delete=models.PROTECT,
                               related_name="group_memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("account"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="group_memberships")
    role = models.CharField(_("role in the group"), max_length=16, choices=Role.choices)
    access = models.OneToOneField("access.RoleAssignment", null=True, blank=True, editable=False,
                                  on_delete=models.SET_NULL, related_name="membership")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("group member")
        verbose_name_plural = _("group members")
        ordering = ["group_id", "role", "person__stroke_key"]
        constraints = [models.UniqueConstraint(fields=["group", "person"], name="member_once_per_group")]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_role_display()})"


class Assignment(models.Model):
    """One organization inspected by one group in one round (巡察对象)."""

    class Mode(models.TextChoices):
        DIRECT = "direct", _("Direct inspection")
        EXTENDED = "extended", _("Extended inspection")
        SINKING = "sinking", _("Sinking inspection")
        CROSS = "cross", _("Cross inspection")
        UPGRADED = "upgraded", _("Upgraded inspection")
        OTHER = "other", _("Other")

    round = models.ForeignKey(Round, verbose_name=_("round"), on_delete=models.PROTECT,
                              related_name="assignments", editable=False)
    group = models.ForeignKey(Group, verbose_name=_("group"), on_delete=models.PROTECT, related_name="assignments")
    organization = models.ForeignKey("registry.Organization", verbose_name=_("organization"),
                                     on_delete=models.PROTECT, related_name="assignments")
    mode = models.CharField(_("mode"), max_length=16, choices=Mode.choices, default=Mode.DIRECT)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("inspection target")
        verbose_name_plural = _("inspection targets")
        ordering = ["group_id", "organization__kind__sort_order", "organization__pinyin"]
        constraints = [models.UniqueConstraint(fields=["round", "organization"], name="target_once_per_round")]
        indexes = [models.Index(fields=["organization", "round"])]

    def __str__(self) -> str:
        return f"{self.group}: {self.organization}"

    def save(self, *args, **kwargs) -> None:
        self.round_id = self.group.round_id
        super().save(*args, **kwargs)
