"""Study records (学习贯彻): activities and campaigns with their progress, through
services_study and the policy's scope.

Missing and out-of-scope records answer 404 alike (a record named in a payload that the user may
not see: 422 on that field); a write the role may not make 403; bad input 422 naming the fields.
"""

from __future__ import annotations

from django.http import Http404
from ninja import Query, Router, Status

from xuncha.access.policy import VIEW, PermissionDenied, can_any, scope
from xuncha.api.common import References, not_visible, page
from xuncha.api.schemas import ErrorOut, PageParams, ValidationErrorOut
from xuncha.api.study_schemas import (
    ActivityDetail,
    ActivityFilters,
    ActivityIn,
    ActivityPage,
    ActivityPatch,
    CampaignDetail,
    CampaignIn,
    CampaignPage,
)
from xuncha.registry.models import Organization
from xuncha.regulations import services_study as services
from xuncha.regulations.models import Provision, RegulationVersion, StudyActivity, StudyCampaign
from xuncha.regulations.selectors import study as selectors

router = Router()

WRITE_ERRORS = {403: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut}


def _readers_only(user, model) -> None:
    if user.system_role or not can_any(user, VIEW, model):
        raise PermissionDenied(f"view {model.__name__}")


def _some(user, model, ids: list[int], field: str, **extra) -> list:
    found = list(scope(user, model, VIEW).filter(pk__in=ids, **extra))
    if len(found) != len(set(ids)):
        raise not_visible(field)
    return found


def _one(user, model, pk: int | None, field: str):
    if pk is None:
        return None
    return _some(user, model, [pk], field)[0]


# -- activities ------------------------------------------------------------------------------

def _activity(user, pk: int) -> StudyActivity:
    return selectors.get_activity_for_user(user, pk)


def _activity_values(user, data: dict) -> dict:
    """The payload with the records it names, among those the user sees; a null clears only
    `expected` and `campaign`."""
    data = {name: value for name, value in data.items() if value is not None or name in ("expected", "campaign")}
    if "organization" in data:
        data["organization"] = _one(user, Organization, data["organization"], "organization")
    if "campaign" in data:
        data["campaign"] = _one(user, StudyCampaign, data["campaign"], "campaign")
    if "versions" in data:
        data["versions"] = _some(user, RegulationVersion, data["versions"], "versions")
    if "articles" in data:
        data["articles"] = _some(user, Provision, data["articles"], "articles")
    return data


@router.get("/activities", response={200: ActivityPage, 403: ErrorOut}, summary="List study activities")
def activity_list(request, filters: Query[ActivityFilters]):
    user = request.auth
    _readers_only(user, StudyActivity)
    qs = selectors.activities_for(user, selectors.ActivityFilters(
        organization=filters.organization, kind=filters.kind, campaign=filters.campaign,
        held_from=filters.held_from, held_to=filters.held_to))
    return page(qs, filters)


@router.get("/activities/{int:activity_id}", response={200: ActivityDetail, 404: ErrorOut},
            summary="One study activity with the documents and articles studied")
def activity_detail(request, activity_id: int):
    return _activity(request.auth, activity_id)


@router.post("/activities", response={201: ActivityDetail, **WRITE_ERRORS}, summary="Record a study activity")
def activity_create(request, payload: ActivityIn):
    user = request.auth
    values = _activity_values(user, payload.dict())
    activity = services.activity_record(actor=user, **values)
    return Status(201, _activity(user, activity.pk))


@router.patch("/activities/{int:activity_id}", response={200: ActivityDetail, **WRITE_ERRORS},
              summary="Change a study activity")
def activity_update(request, activity_id: int, payload: ActivityPatch):
    user = request.auth
    activity = _activity(user, activity_id)
    values = _activity_values(user, payload.dict(exclude_unset=True))
    services.activity_update(actor=user, activity=activity, **values)
    return _activity(user, activity_id)


# -- campaigns -------------------------------------------------------------------------------

@router.get("/campaigns", response={200: CampaignPage, 403: ErrorOut}, summary="List study campaigns")
def campaign_list(request, params: Query[PageParams]):
    user = request.auth
    _readers_only(user, StudyCampaign)
    return page(selectors.campaigns_for(user), params)


def _campaign_detail(user, pk: int) -> StudyCampaign:
    campaign = selectors.campaigns_for(user).filter(pk=pk).first()
    if campaign is None:
        raise Http404
    progress = selectors.campaign_progress(user, campaign)
    organizations = selectors.required_organizations(user, campaign).order_by("township_name", "name_key")
    campaign.progress = {
        "required": progress.required, "studied": progress.studied, "rate": round(progress.rate, 4),
        "behind": progress.behind, "overdue": progress.overdue,
        "townships": [{"township": t.township_id, "name": t.name, "required": t.required, "studied": t.studied,
                       "rate": round(t.rate, 4)} for t in progress.townships],
        "organizations": [{"id": o.pk, "name": o.name, "township": o.township_key, "studied": o.studied,
                           "activities": o.n_activities, "last_held_on": o.last_held_on,
                           "behind": progress.overdue and not o.studied} for o in organizations],
    }
    return campaign


@router.get("/campaigns/{int:campaign_id}", response={200: CampaignDetail, 404: ErrorOut},
            summary="One study campaign with its progress per township and organization")
def campaign_detail(request, campaign_id: int):
    return _campaign_detail(request.auth, campaign_id)


@router.post("/campaigns", response={201: CampaignDetail, **WRITE_ERRORS}, summary="Create a study campaign")
def campaign_create(request, payload: CampaignIn):
    user = request.auth
    committee = References(user).committee(payload.committee)
    version = _one(user, RegulationVersion, payload.version, "version")
    organizations = _some(user, Organization, payload.organizations, "organizations")
    campaign = services.campaign_create(actor=user, committee=committee, title=payload.title, version=version,
                                        starts_on=payload.starts_on, due_on=payload.due_on,
                                        organizations=organizations)
    return Status(201, _campaign_detail(user, campaign.pk))
