"""Reads of study activities and campaigns, always within the policy's scope, and the progress
of a campaign computed by the database.

An organization has studied for a campaign when it has an activity linked to the campaign or
to the campaign's rule (version), dated within [starts_on, due_on]. Progress lists only the
organizations the user sees in the registry: a liaison sees its own organization's line, the
office and the leading group every organization of the committee.
"""

from __future__ import annotations

import operator
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import reduce

from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    IntegerField,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from xuncha.access.policy import CREATE, VIEW, assignments, rules_for, scope
from xuncha.access.roles import SCOPE_OF_ROLE, ScopeKind
from xuncha.registry.models import Committee, Organization
from xuncha.regulations.models import Provision, RegulationVersion, StudyActivity, StudyCampaign

TOWNSHIP = "township"
NEAR_DUE_DAYS = 7  # the office's to-do shows a campaign this many days before its due date


def _get(qs: QuerySet, pk):
    try:
        return qs.get(pk=pk)
    except (qs.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def _ids(values: Iterable) -> list[int]:
    ids = []
    for value in values:
        try:
            ids.append(int(value))
        except (TypeError, ValueError):
            continue
    return ids


# -- activities ------------------------------------------------------------------------------

@dataclass(frozen=True)
class ActivityFilters:
    organization: int | None = None
    kind: str = ""
    campaign: int | None = None
    held_from: date | None = None
    held_to: date | None = None


def activities_for(user, filters: ActivityFilters | None = None) -> QuerySet[StudyActivity]:
    """The activities the user sees (a liaison: its own organization's), filtered, newest first."""
    f = filters or ActivityFilters()
    qs = scope(user, StudyActivity, VIEW)
    if f.organization:
        qs = qs.filter(organization_id=f.organization)
    if f.kind:
        qs = qs.filter(kind=f.kind)
    if f.campaign:
        qs = qs.filter(campaign_id=f.campaign)
    if f.held_from:
        qs = qs.filter(held_on__gte=f.held_from)
    if f.held_to:
        qs = qs.filter(held_on__lte=f.held_to)
    return qs.select_related("organization", "campaign").order_by("-held_on", "-id")


def _activity_detail_qs(user) -> QuerySet[StudyActivity]:
    return (scope(user, StudyActivity, VIEW)
            .select_related("organization__parent", "campaign", "created_by")
            .prefetch_related(Prefetch("versions", queryset=RegulationVersion.objects.select_related("regulation")
                                       .order_by("regulation__title", "label")),
                              Prefetch("articles", queryset=Provision.objects.select_related("version__regulation")
                                       .order_by("version_id", "position"))))


def get_activity_for_user(user, pk) -> StudyActivity:
    return _get(_activity_detail_qs(user), pk)


def organizations_to_record(user) -> QuerySet[Organization]:
    """The active organizations the user may record activities for: a liaison its own, the
    office every one of its committee (the roles the policy grants CREATE on activities)."""
    grants = rules_for(StudyActivity).grants
    parts = []
    for a in assignments(user):
        if CREATE not in grants.get(a.role, ()):
            continue
        kind = SCOPE_OF_ROLE[a.role]
        if kind == ScopeKind.ORGANIZATION and a.organization_id:
            parts.append(Q(pk=a.organization_id))
        elif kind == ScopeKind.COMMITTEE and a.committee_id:
            parts.append(Q(committee_id=a.committee_id))
    if not parts:
        return Organization.objects.none()
    return (scope(user, Organization, VIEW).filter(reduce(operator.or_, parts), active=True)
            .select_related("parent").order_by("committee_id", "name_key"))


def versions_for(user) -> QuerySet[RegulationVersion]:
    return (scope(user, RegulationVersion, VIEW).select_related("regulation")
            .order_by("regulation__title", "-issued_on", "label"))


def articles_of(user, version_ids: Iterable) -> QuerySet[Provision]:
    """The articles (条) of the given versions, in document order."""
    return (scope(user, Provision, VIEW).filter(version_id__in=_ids(version_ids), level=Provision.Level.ARTICLE)
            .select_related("version__regulation").order_by("version_id", "position"))


def published_study(committee) -> QuerySet[StudyActivity]:
    """What the public portal's study section shows for `committee`: published activities,
    newest first. The portal is public; this is its only read of study material."""
    return (StudyActivity.objects.filter(committee=committee, published=True)
            .select_related("organization")
            .prefetch_related(Prefetch("versions", queryset=RegulationVersion.objects.select_related("regulation")))
            .order_by("-held_on", "-id"))


# -- campaigns -------------------------------------------------------------------------------

def campaigns_for(user) -> QuerySet[StudyCampaign]:
    n_orgs = (StudyCampaign.organizations.through.objects.filter(studycampaign_id=OuterRef("pk")).order_by()
              .values("studycampaign_id").annotate(n=Count("*")).values("n"))
    return (scope(user, StudyCampaign, VIEW).select_related("version__regulation")
            .annotate(n_required=Coalesce(Subquery(n_orgs, output_field=IntegerField()), 0))
            .order_by("-starts_on", "-id"))


def get_campaign_for_user(user, pk) -> StudyCampaign:
    return _get(scope(user, StudyCampaign, VIEW).select_related("version__regulation", "committee"), pk)


def _qualifying(organization, campaign, version, starts_on, due_on) -> QuerySet[StudyActivity]:
    """Activities that count as studying for a campaign; arguments are values or OuterRefs."""
    # One level deeper than the activities: an outer reference reaches out one more step.
    deeper = OuterRef(version) if isinstance(version, OuterRef) else version
    by_version = StudyActivity.versions.through.objects.filter(regulationversion_id=deeper).values("studyactivity_id")
    return (StudyActivity.objects.filter(organization_id=organization, held_on__gte=starts_on, held_on__lte=due_on)
            .filter(Q(campaign_id=campaign) | Q(pk__in=by_version)))


def _township_of():
    """The township an organization counts under: itself if it is one, else its parent township."""
    return (Case(When(kind__code=TOWNSHIP, then=F("pk")), When(parent__kind__code=TOWNSHIP, then=F("parent_id")),
                 default=None, output_field=IntegerField()),
            Case(When(kind__code=TOWNSHIP, then=F("name")), When(parent__kind__code=TOWNSHIP, then=F("parent__name")),
                 default=Value(""), output_field=CharField()))


def required_organizations(user, campaign: StudyCampaign) -> QuerySet[Organization]:
    """The campaign's required organizations the user sees, each with `studied`, `n_activities`,
    `last_held_on`, `township_key` and `township_name` computed by the database."""
    qualifying = _qualifying(OuterRef("pk"), campaign.pk, campaign.version_id, campaign.starts_on, campaign.due_on)
    count = qualifying.order_by().values("organization_id").annotate(n=Count("pk")).values("n")
    last = qualifying.order_by().values("organization_id").annotate(m=Max("held_on")).values("m")
    key, name = _township_of()
    return (scope(user, Organization, VIEW).filter(study_campaigns=campaign)
            .annotate(studied=Exists(qualifying),
                      n_activities=Coalesce(Subquery(count, output_field=IntegerField()), 0),
                      last_held_on=Subquery(last), township_key=key, township_name=name)
            .select_related("kind", "parent"))


@dataclass(frozen=True)
class TownshipProgress:
    township_id: int | None  # None: organizations under no township (departments…)
    name: str
    required: int
    studied: int

    @property
    def rate(self) -> float:
        return self.studied / self.required if self.required else 0.0

    @property
    def percent(self) -> int:
        return round(self.rate * 100)


@dataclass(frozen=True)
class Progress:
    required: int
    studied: int
    behind: int  # not studied once the due date has passed (0 before)
    overdue: bool
    townships: list[TownshipProgress]

    @property
    def rate(self) -> float:
        return self.studied / self.required if self.required else 0.0

    @property
    def percent(self) -> int:
        return round(self.rate * 100)


def campaign_progress(user, campaign: StudyCampaign, *, today: date | None = None) -> Progress:
    """Per township and overall, in one grouped query."""
    today = today or timezone.localdate()
    rows = (required_organizations(user, campaign).order_by()
            .values("township_key", "township_name")
            .annotate(required=Count("pk", distinct=True),
                      done=Sum(Case(When(studied=True, then=1), default=0, output_field=IntegerField())))
            .order_by("township_name"))
    townships = [TownshipProgress(r["township_key"], r["township_name"], r["required"], r["done"] or 0) for r in rows]
    # Organizations under no township come last.
    townships.sort(key=lambda t: (t.township_id is None, t.name))
    required = sum(t.required for t in townships)
    studied = sum(t.studied for t in townships)
    overdue = today > campaign.due_on
    return Progress(required=required, studied=studied, behind=(required - studied) if overdue else 0,
                    overdue=overdue, townships=townships)


def is_running(campaign: StudyCampaign, today: date | None = None) -> bool:
    today = today or timezone.localdate()
    return campaign.starts_on <= today <= campaign.due_on


# -- reminders -------------------------------------------------------------------------------

def campaigns_to_study(user, organization_ids: Iterable[int], *, today: date | None = None) -> list[tuple]:
    """(campaign, organization) pairs: running campaigns requiring one of the organizations that
    has not studied yet, soonest due first."""
    today = today or timezone.localdate()
    pairs = []
    for org_id in set(organization_ids):
        qualifying = _qualifying(org_id, OuterRef("pk"), OuterRef("version_id"), OuterRef("starts_on"),
                                 OuterRef("due_on"))
        campaigns = (scope(user, StudyCampaign, VIEW)
                     .filter(organizations=org_id, starts_on__lte=today, due_on__gte=today)
                     .filter(~Exists(qualifying)).select_related("version__regulation").order_by("due_on", "pk"))
        pairs.extend((c, org_id) for c in campaigns)
    pairs.sort(key=lambda pair: (pair[0].due_on, pair[0].pk))
    return pairs


def campaigns_behind(user, *, today: date | None = None) -> QuerySet[StudyCampaign]:
    """Campaigns past or within NEAR_DUE_DAYS of their due date (and started, and due no more than
    30 days ago), each with `n_behind`: required organizations that have not studied."""
    today = today or timezone.localdate()
    qualifying = _qualifying(OuterRef("organization_id"), OuterRef(OuterRef("pk")), OuterRef(OuterRef("version_id")),
                             OuterRef(OuterRef("starts_on")), OuterRef(OuterRef("due_on")))
    behind = (StudyCampaign.organizations.through.objects.filter(studycampaign_id=OuterRef("pk"))
              .filter(~Exists(qualifying)).order_by().values("studycampaign_id")
              .annotate(n=Count("*")).values("n"))
    return (scope(user, StudyCampaign, VIEW)
            .filter(starts_on__lte=today, due_on__lte=today + timedelta(days=NEAR_DUE_DAYS),
                    due_on__gte=today - timedelta(days=30))
            .annotate(n_behind=Coalesce(Subquery(behind, output_field=IntegerField()), 0))
            .filter(n_behind__gt=0).select_related("version__regulation").order_by("due_on", "pk"))


def public_committee(pk):
    """The committee whose public study section is asked for: an active one, else 404. Its
    name is public; nothing else of it is read here."""
    committee = Committee.objects.filter(pk=pk, active=True).first() if str(pk).isdigit() else None
    if committee is None:
        raise Http404
    return committee
