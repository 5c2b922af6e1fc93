"""Special campaigns (专项治理) at /api/v1/campaigns, through services_campaigns and the policy's
scope: the list and one campaign with its items and totals, starting one and adding items (the
office), an item's result (the organization responsible for it, or the office), concluding.

Missing and out-of-scope records answer 404 alike (an item of another organization); a write the
role may not make 403; bad input 422 naming the field.
"""

from __future__ import annotations

from ninja import Query, Router, Status

from xuncha.access.policy import CREATE, VIEW, PermissionDenied, can_any, scope
from xuncha.analytics import filters as shared_filters
from xuncha.analytics import services_campaigns as services
from xuncha.analytics.models import Campaign, CampaignItem
from xuncha.analytics.selectors import campaigns as selectors
from xuncha.api.campaigns_schemas import (
    CampaignDetail,
    CampaignFilters,
    CampaignIn,
    CampaignItemOut,
    CampaignPage,
    CloseIn,
    ItemIn,
    ItemPatch,
)
from xuncha.api.common import not_visible, page
from xuncha.api.schemas import ErrorOut, ValidationErrorOut
from xuncha.registry.models import Organization

router = Router()

WRITE_ERRORS = {403: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut}


def _campaign(c: Campaign) -> dict:
    return {"id": c.pk, "title": c.title, "committee": c.committee_id, "recommendation": c.recommendation_id,
            "lead_department": c.lead_department_id, "started_on": c.started_on, "ends_on": c.ends_on,
            "state": c.state, "summary": c.summary}


def _item(i: CampaignItem) -> dict:
    return {"id": i.pk, "campaign": i.campaign_id, "seq": i.seq, "title": i.title, "organization": i.organization_id,
            "organization_name": i.organization.name if i.organization_id else "", "due": i.due, "state": i.state,
            "result": i.result, "completed_on": i.completed_on, "problems_fixed": i.problems_fixed,
            "money_recovered": i.money_recovered}


def _detail(user, pk: int) -> dict:
    campaign = selectors.get_campaign_for_user(user, pk)
    return {**_campaign(campaign), "items": [_item(i) for i in selectors.items_of(user, campaign)],
            "totals": selectors.totals(campaign)}


def _organization(user, pk, field: str):
    if pk is None:
        return None
    org = scope(user, Organization, VIEW).filter(pk=pk).first()
    if org is None:
        raise not_visible(field)
    return org


@router.get("", response={200: CampaignPage, 403: ErrorOut}, summary="List special campaigns")
def campaign_list(request, filters: Query[CampaignFilters]):
    user = request.auth
    if not can_any(user, VIEW, Campaign):
        raise PermissionDenied("view Campaign")
    result = page(selectors.campaigns(user, state=filters.state), filters)
    result["items"] = [_campaign(c) for c in result["items"]]
    return result


@router.post("", response={201: CampaignDetail, **WRITE_ERRORS}, summary="Start a special campaign")
def campaign_create(request, payload: CampaignIn):
    user = request.auth
    if not can_any(user, CREATE, Campaign):
        raise PermissionDenied("create Campaign")
    committee = shared_filters.home_committee(user)
    recommendation = None
    if payload.recommendation_id is not None:
        recommendation = selectors.recommendation_options(user, committee).filter(
            pk=payload.recommendation_id).first()
        if recommendation is None:
            raise not_visible("recommendation_id")
    campaign = services.start(actor=user, committee=committee, title=payload.title, started_on=payload.started_on,
                              ends_on=payload.ends_on, recommendation=recommendation,
                              lead_department=_organization(user, payload.lead_department_id, "lead_department_id"))
    return Status(201, _detail(user, campaign.pk))


@router.get("/{int:campaign_id}", response={200: CampaignDetail, 404: ErrorOut},
            summary="One campaign with its items and totals")
def campaign_detail(request, campaign_id: int):
    return _detail(request.auth, campaign_id)


@router.post("/{int:campaign_id}/items", response={201: CampaignItemOut, **WRITE_ERRORS},
             summary="Add an item (the office)")
def campaign_item_add(request, campaign_id: int, payload: ItemIn):
    user = request.auth
    campaign = selectors.get_campaign_for_user(user, campaign_id)
    item = services.item_add(actor=user, campaign=campaign, title=payload.title, due=payload.due,
                             organization=_organization(user, payload.organization_id, "organization_id"))
    return Status(201, _item(selectors.get_item_for_user(user, item.pk)))


@router.post("/{int:campaign_id}/close", response={200: CampaignDetail, **WRITE_ERRORS},
             summary="Conclude the campaign with a summary, once every item is done")
def campaign_close(request, campaign_id: int, payload: CloseIn):
    user = request.auth
    services.close(actor=user, campaign=selectors.get_campaign_for_user(user, campaign_id), summary=payload.summary)
    return _detail(user, campaign_id)


@router.patch("/items/{int:item_id}", response={200: CampaignItemOut, **WRITE_ERRORS},
              summary="Edit an item (the office: title, organization, due) and/or report its result "
                      "(the responsible organization or the office)")
def campaign_item_update(request, item_id: int, payload: ItemPatch):
    user = request.auth
    item = selectors.get_item_for_user(user, item_id)
    if payload.title is not None:
        item = services.item_update(actor=user, item=item, title=payload.title, due=payload.due,
                                    organization=_organization(user, payload.organization_id, "organization_id"))
    if payload.result is not None:
        services.item_report(actor=user, item=item, result=payload.result, completed_on=payload.completed_on,
                             problems_fixed=payload.problems_fixed, money_recovered=payload.money_recovered)
    return _item(selectors.get_item_for_user(user, item_id))
