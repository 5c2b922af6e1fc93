"""Organizations: list, detail, create, update, through the registry's selectors and services."""

from __future__ import annotations

from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from xuncha.access.policy import CHANGE, require
from xuncha.api.common import References, invalid, page
from xuncha.api.schemas import (
    ErrorOut,
    OrganizationFilters,
    OrganizationIn,
    OrganizationOut,
    OrganizationPage,
    OrganizationPatch,
    ValidationErrorOut,
)
from xuncha.registry import selectors, services

router = Router()

WRITE_ERRORS = {403: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut}


@router.get("", response=OrganizationPage, summary="List organizations")
def organization_list(request, filters: Query[OrganizationFilters]):
    qs = selectors.organizations_for(
        request.auth, query=filters.q, kind=filters.kind, committee=filters.committee,
        parent=filters.parent, active=filters.active,
    )
    return page(qs, filters)


@router.get("/{int:organization_id}", response={200: OrganizationOut, 404: ErrorOut},
            summary="One organization")
def organization_detail(request, organization_id: int):
    return selectors.get_organization_for_user(request.auth, organization_id)


@router.post("", response={201: OrganizationOut, **WRITE_ERRORS}, summary="Create an organization")
def organization_create(request, payload: OrganizationIn):
    user = request.auth
    refs = References(user)
    parent = refs.organization(payload.parent, "parent")
    if payload.committee is not None:
        committee = refs.committee(payload.committee)
    elif parent is not None:
        committee = parent.committee
    else:
        raise invalid("committee", _("This field is required."))
    org = services.organization_create(
        actor=user, committee=committee, name=payload.name, kind=refs.kind(payload.kind),
        parent=parent, short_name=payload.short_name, unified_code=payload.unified_code,
        active=payload.active, principal=refs.person(payload.principal, "principal"),
    )
    return Status(201, org)


@router.patch("/{int:organization_id}", response={200: OrganizationOut, **WRITE_ERRORS},
              summary="Change an organization")
def organization_update(request, organization_id: int, payload: OrganizationPatch):
    user = request.auth
    org = selectors.get_organization_for_user(user, organization_id)
    require(user, CHANGE, org)  # before looking at the payload: a reader learns nothing from it
    changes = payload.dict(exclude_unset=True)
    refs = References(user)
    if "kind" in changes:
        changes["kind"] = refs.kind(changes["kind"])
    if "parent" in changes:
        changes["parent"] = refs.organization(changes["parent"], "parent")
    if "principal" in changes:
        changes["principal"] = refs.person(changes["principal"], "principal")
    org = services.organization_update(actor=user, organization=org, **changes)
    return selectors.get_organization_for_user(user, org.pk)
