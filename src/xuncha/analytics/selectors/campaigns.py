"""Reads of special campaigns (专项治理), always within the policy's scope.

The office, the leading group and the superior office read campaigns of their committees; a
receiver reads the campaigns its department leads. An item is read by the organization
responsible for it (its receiver or liaison) even where the campaign itself is not theirs to
read: they see their own items and what the campaign is called, nothing more.
"""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Count, DecimalField, Prefetch, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.http import Http404

from xuncha.access.policy import CHANGE, VIEW, scope, scope_q
from xuncha.access.roles import Role
from xuncha.analytics.models import Campaign, CampaignItem, Recommendation
from xuncha.registry.models import Organization

OFFICE = (Role.OFFICE_ADMIN, Role.OFFICE_STAFF)
RESPONSIBLE = (Role.RECEIVER, Role.UNIT_LIAISON)
REPORTING = (*RESPONSIBLE, *OFFICE)  # who reports an item's result


def _get(qs: QuerySet, pk):
    try:
        return qs.get(pk=pk)
    except (qs.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def reads_campaigns(user) -> bool:
    return scope_q(user, Campaign, VIEW) is not None or scope_q(user, CampaignItem, VIEW) is not None


def _money_sum(lookup: str):
    return Coalesce(Sum(lookup), Value(Decimal(0)), output_field=DecimalField(max_digits=18, decimal_places=2))


def campaigns(user, *, state: str = "") -> QuerySet:
    """The campaigns the user may read, newest first, with their item counts and results."""
    qs = scope(user, Campaign, VIEW)
    if state:
        qs = qs.filter(state=state)
    return (qs.select_related("committee", "lead_department", "recommendation")
            .annotate(item_count=Count("items", distinct=True),
                      done_count=Count("items", filter=Q(items__state=CampaignItem.State.DONE), distinct=True),
                      problems_fixed=Coalesce(Sum("items__problems_fixed"), 0),
                      money_recovered=_money_sum("items__money_recovered"))
            .order_by("-started_on", "-pk"))


def get_campaign_for_user(user, pk) -> Campaign:
    qs = scope(user, Campaign, VIEW).select_related("committee", "lead_department", "recommendation", "created_by")
    return _get(qs, pk)


def items_of(user, campaign: Campaign) -> QuerySet:
    return (scope(user, CampaignItem, VIEW).filter(campaign=campaign).select_related("organization")
            .order_by("seq"))


def totals(campaign: Campaign) -> dict:
    """Items, done, problems fixed and money recovered of the whole campaign."""
    return CampaignItem.objects.filter(campaign=campaign).aggregate(
        items=Count("pk"), done=Count("pk", filter=Q(state=CampaignItem.State.DONE)),
        problems_fixed=Coalesce(Sum("problems_fixed"), 0), money_recovered=_money_sum("money_recovered"))


def my_items(user) -> QuerySet:
    """The items the user's own organization is responsible for (receiver or liaison)."""
    return (scope(user, CampaignItem, VIEW, roles=RESPONSIBLE)
            .select_related("campaign", "organization").order_by("state", "due", "campaign_id", "seq"))


def get_item_for_user(user, pk, *, action: str = VIEW) -> CampaignItem:
    qs = scope(user, CampaignItem, action).select_related("campaign__committee", "organization")
    return _get(qs, pk)


def open_items_to_report(user) -> QuerySet:
    return scope(user, CampaignItem, CHANGE, roles=RESPONSIBLE).filter(
        state=CampaignItem.State.OPEN, campaign__state=Campaign.State.ACTIVE)


def recommendation_options(user, committee) -> QuerySet:
    """The issued (or closed) letters a campaign may follow from."""
    return (scope(user, Recommendation, VIEW).filter(
        committee=committee, state__in=[Recommendation.State.ISSUED, Recommendation.State.CLOSED])
        .order_by("-year", "-seq"))


def organization_options(user, committee) -> QuerySet:
    return (scope(user, Organization, VIEW).filter(committee=committee, active=True)
            .select_related("kind").order_by("kind__sort_order", "pinyin", "id"))


def with_items(qs: QuerySet) -> QuerySet:
    return qs.prefetch_related(Prefetch("items", queryset=CampaignItem.objects.order_by("seq")))
