"""Committees: read only here (the system administrator keeps them on the system pages)."""

from __future__ import annotations

from ninja import Query, Router

from xuncha.api.common import page
from xuncha.api.schemas import CommitteeFilters, CommitteeOut, CommitteePage, ErrorOut
from xuncha.registry import selectors

router = Router()


@router.get("", response=CommitteePage, summary="List committees")
def committee_list(request, filters: Query[CommitteeFilters]):
    qs = selectors.committees_for(request.auth)
    if filters.level:
        qs = qs.filter(level=filters.level)
    if filters.active is not None:
        qs = qs.filter(active=filters.active)
    return page(qs.order_by("path"), filters)


@router.get("/{int:committee_id}", response={200: CommitteeOut, 404: ErrorOut},
            summary="One committee")
def committee_detail(request, committee_id: int):
    return selectors.get_committee_for_user(request.auth, committee_id)
