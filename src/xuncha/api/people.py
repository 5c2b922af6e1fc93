"""People: list in stroke order, detail, create, update."""

from __future__ import annotations

from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from xuncha.access import audit
from xuncha.access.policy import CHANGE, VIEW, can, require
from xuncha.api.common import References, invalid, page
from xuncha.api.schemas import (
    ErrorOut,
    PersonDetail,
    PersonFilters,
    PersonIn,
    PersonPage,
    PersonPatch,
    ValidationErrorOut,
)
from xuncha.registry import selectors, services
from xuncha.registry.models import Person, Relative, WorkHistory

router = Router()

WRITE_ERRORS = {403: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut}


@router.get("", response=PersonPage, summary="List people (surname stroke order)")
def person_list(request, filters: Query[PersonFilters]):
    qs = selectors.people_for(request.auth, query=filters.q, organization=filters.organization,
                              committee=filters.committee)
    return page(qs, filters)


def _detail(user, person: Person) -> Person:
    """The person, with work history and relatives only for those who may see them."""
    if can(user, VIEW, WorkHistory(person=person)):
        person.shown_work_history = list(selectors.work_history_for(user, person))
    if can(user, VIEW, Relative(person=person)):
        person.shown_relatives = list(selectors.relatives_for(user, person))
    if hasattr(person, "shown_work_history") or hasattr(person, "shown_relatives"):
        audit.record_read(actor=user, obj=person)
    return person


@router.get("/{int:person_id}", response={200: PersonDetail, 404: ErrorOut},
            exclude_unset=True, summary="One person")
def person_detail(request, person_id: int):
    return _detail(request.auth, selectors.get_person_for_user(request.auth, person_id))


@router.post("", response={201: PersonDetail, **WRITE_ERRORS}, exclude_unset=True,
             summary="Create a person")
def person_create(request, payload: PersonIn):
    user = request.auth
    refs = References(user)
    organization = refs.organization(payload.organization, "organization")
    if payload.committee is not None:
        committee = refs.committee(payload.committee)
    elif organization is not None:
        committee = organization.committee
    else:
        raise invalid("committee", _("This field is required."))
    person = services.person_create(
        actor=user, committee=committee, name=payload.name, gender=payload.gender,
        birth_date=payload.birth_date, organization=organization, post=payload.post,
        phone=payload.phone,
    )
    return Status(201, _detail(user, person))


@router.patch("/{int:person_id}", response={200: PersonDetail, **WRITE_ERRORS},
              exclude_unset=True, summary="Change a person")
def person_update(request, person_id: int, payload: PersonPatch):
    user = request.auth
    person = selectors.get_person_for_user(user, person_id)
    require(user, CHANGE, person)  # before looking at the payload: a reader learns nothing from it
    changes = payload.dict(exclude_unset=True)
    if "organization" in changes:
        changes["organization"] = References(user).organization(changes["organization"],
                                                                "organization")
    person = services.person_update(actor=user, person=person, **changes)
    return _detail(user, selectors.get_person_for_user(user, person.pk))
