"""Reads of fieldwork: a group's logs, its announcement and its guidance, always within what
the user may see. A group outside the user's scope is a 404, as is any record of it."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Exists, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from xuncha.access import policy
from xuncha.access.policy import VIEW, can, scope
from xuncha.access.roles import GROUP_ROLES
from xuncha.registry.models import Organization
from xuncha.rounds.models import (
    Announcement,
    Assignment,
    DocumentRequest,
    Group,
    GuidanceVisit,
    Interview,
    OnTheSpotFix,
    Prescription,
    Round,
)

OPEN, ANSWERED, CLOSED = Prescription.Status.OPEN, Prescription.Status.ANSWERED, Prescription.Status.CLOSED


def _get(qs: QuerySet, pk):
    try:
        return qs.get(pk=pk)
    except (qs.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def get_group_for_user(user, group_id) -> Group:
    return _get(scope(user, Group).select_related("round__term", "round__committee"), group_id)


def get_round_for_user(user, round_id) -> Round:
    return _get(scope(user, Round).select_related("term", "committee"), round_id)


def _overdue_q(today: date) -> Q:
    return Q(due__lt=today, returned_on__isnull=True)


# -- a group's logs ----------------------------------------------------------------------------

def interviews_for(user, group: Group) -> QuerySet[Interview]:
    return scope(user, Interview).filter(group=group).order_by("-held_at", "-id")


def get_interview_for_user(user, group: Group, pk) -> Interview:
    return _get(interviews_for(user, group).select_related("group__round__term", "recorded_by"), pk)


def document_requests_for(user, group: Group, *, overdue: bool = False,
                          today: date | None = None) -> QuerySet[DocumentRequest]:
    qs = scope(user, DocumentRequest).filter(group=group)
    if overdue:
        qs = qs.filter(_overdue_q(today or timezone.localdate())).order_by("due", "id")
    return qs


def get_document_request_for_user(user, group: Group, pk) -> DocumentRequest:
    return _get(document_requests_for(user, group).select_related("group__round"), pk)


def spot_fixes_for(user, group: Group) -> QuerySet[OnTheSpotFix]:
    return scope(user, OnTheSpotFix).filter(group=group).select_related("organization")


def get_spot_fix_for_user(user, group: Group, pk) -> OnTheSpotFix:
    return _get(spot_fixes_for(user, group).select_related("group__round"), pk)


def targets_of(group: Group) -> QuerySet[Assignment]:
    """The organizations the group inspects (the group itself was fetched through the scope)."""
    return group.assignments.select_related("organization__kind").order_by(
        "organization__kind__sort_order", "organization__pinyin", "organization_id")


def target_organizations(group: Group) -> QuerySet[Organization]:
    return Organization.objects.filter(assignments__group=group).order_by("kind__sort_order", "pinyin", "id")


def _count(qs: QuerySet, by: str = "group_id") -> Coalesce:
    counted = qs.order_by().values(by).annotate(n=Count("id")).values("n")[:1]
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


SUMMARY = ("n_interviews", "n_documents_open", "n_documents_overdue", "n_spot_fixes", "n_prescriptions_open",
           "n_visits", "n_has_announcement")


def fieldwork_summary(user, group: Group, today: date | None = None) -> dict | None:
    """Counts for the group page in one query; None when the user may not read the logs.
    The group came through the scope, and every log model shares the group's reading rule,
    so what can() allows here is what the lists show."""
    if not can(user, VIEW, Interview(group=group)):
        return None
    today = today or timezone.localdate()
    docs = DocumentRequest.objects.filter(group=OuterRef("pk"))
    row = scope(user, Group).filter(pk=group.pk).annotate(
        n_interviews=_count(Interview.objects.filter(group=OuterRef("pk"))),
        n_documents_open=_count(docs.filter(returned_on__isnull=True)),
        n_documents_overdue=_count(docs.filter(_overdue_q(today))),
        n_spot_fixes=_count(OnTheSpotFix.objects.filter(group=OuterRef("pk"))),
        n_prescriptions_open=_count(Prescription.objects.filter(visit__group=OuterRef("pk")).exclude(status=CLOSED),
                                    by="visit__group_id"),
        n_visits=_count(GuidanceVisit.objects.filter(group=OuterRef("pk"))),
        n_has_announcement=Exists(Announcement.objects.filter(group=OuterRef("pk"))),
    ).values(*SUMMARY).first()
    return {key.removeprefix("n_"): value for key, value in row.items()} if row else None


# -- announcement ----------------------------------------------------------------------------

def announcement_of(user, group: Group) -> Announcement | None:
    return scope(user, Announcement).filter(group=group).first()


# -- guidance --------------------------------------------------------------------------------

def guidance_visits_for(user, group: Group) -> QuerySet[GuidanceVisit]:
    prescriptions = scope(user, Prescription).order_by("due", "id")
    return (scope(user, GuidanceVisit).filter(group=group).select_related("recorded_by")
            .prefetch_related(Prefetch("prescriptions", queryset=prescriptions))
            .order_by("-visited_on", "-id"))


def get_visit_for_user(user, group: Group, pk) -> GuidanceVisit:
    return _get(scope(user, GuidanceVisit).filter(group=group).select_related("group__round"), pk)


def get_prescription_for_user(user, group: Group, pk) -> Prescription:
    return _get(scope(user, Prescription).filter(visit__group=group)
                .select_related("visit__group__round"), pk)


def _status_counts(prefix: str) -> dict:
    return {
        "n_open": Count(f"{prefix}id", filter=Q(**{f"{prefix}status": OPEN}), distinct=True),
        "n_answered": Count(f"{prefix}id", filter=Q(**{f"{prefix}status": ANSWERED}), distinct=True),
        "n_closed": Count(f"{prefix}id", filter=Q(**{f"{prefix}status": CLOSED}), distinct=True),
    }


def guidance_overview(user, rnd: Round) -> list[Group]:
    """The round's groups with their visits and prescriptions counted by status (one query)."""
    return list(
        scope(user, Group).filter(round=rnd)
        .annotate(n_visits=Count("guidance_visits", distinct=True),
                  **_status_counts("guidance_visits__prescriptions__"))
        .order_by("number")
    )


def rounds_for_guidance(user) -> QuerySet[Round]:
    """Rounds whose groups are on site or just back, with prescriptions counted by status."""
    return (scope(user, Round).exclude(state__in=[Round.State.PLANNED, Round.State.COMPLETED])
            .select_related("term")
            .annotate(n_groups=Count("groups", distinct=True),
                      **_status_counts("groups__guidance_visits__prescriptions__"))
            .order_by("-term__number", "-number"))


# -- workbench -------------------------------------------------------------------------------

def serves_in_group(user, group_id: int) -> bool:
    """Whether the user holds a group role in this very group (the console acts for anyone)."""
    if user is policy.CONSOLE:
        return True
    return any(a.role in GROUP_ROLES and a.group_id == group_id for a in policy.assignments(user))


def group_ids_of(user) -> list[int]:
    """The groups the user serves in (policy.assignments is cached for the request)."""
    return sorted({a.group_id for a in policy.assignments(user) if a.role in GROUP_ROLES and a.group_id})


def overdue_documents_by_group(user, today: date | None = None) -> list[dict]:
    """For the user's own groups: how many documents are overdue for return, per group."""
    groups = group_ids_of(user)
    if not groups:
        return []
    return list(
        scope(user, DocumentRequest).filter(group_id__in=groups)
        .exclude(group__round__state=Round.State.COMPLETED)
        .filter(_overdue_q(today or timezone.localdate()))
        .values("group_id").annotate(n=Count("id")).order_by("group_id")
    )


def open_prescriptions_by_group(user) -> list[dict]:
    groups = group_ids_of(user)
    if not groups:
        return []
    return list(
        scope(user, Prescription).filter(visit__group_id__in=groups, status=OPEN)
        .exclude(visit__group__round__state=Round.State.COMPLETED)
        .values("visit__group_id").annotate(n=Count("id")).order_by("visit__group_id")
    )

