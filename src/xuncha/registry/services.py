"""Writes to the registry: one function per use case, permission-checked and audited."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from xuncha.access import audit
from xuncha.access.policy import CHANGE, CREATE, require
from xuncha.registry.models import (
    Committee,
    Organization,
    OrganizationKind,
    Person,
    Relative,
    WorkHistory,
)
from xuncha.registry.validation import clean_name, clean_phone, clean_unified_code
from xuncha.text import match_key


def _jsonable(value: Any) -> Any:
    if isinstance(value, models.Model):
        return {"id": value.pk, "name": str(value)}
    if isinstance(value, date):
        return value.isoformat()
    return value


def _apply(obj: models.Model, changes: dict[str, Any], allowed: set[str]) -> dict[str, list[Any]]:
    """Set the given fields; return {field: [old, new]} for those that changed."""
    unknown = set(changes) - allowed
    if unknown:
        raise TypeError(f"fields that cannot be changed here: {sorted(unknown)}")
    diff: dict[str, list[Any]] = {}
    for field, new in changes.items():
        old = getattr(obj, field)
        if old != new:
            setattr(obj, field, new)
            diff[field] = [_jsonable(old), _jsonable(new)]
    return diff


# -- committees ------------------------------------------------------------------------------

@transaction.atomic
def committee_create(*, actor, name: str, level: str, parent: Committee | None = None,
                     short_name: str = "") -> Committee:
    committee = Committee(name=clean_name(name, max_length=100), level=level, parent=parent,
                          short_name=short_name.strip())
    require(actor, CREATE, committee)
    committee.full_clean(exclude=["path"])
    committee.save()
    audit.record(actor=actor, action="committee.create", obj=committee, summary=committee.name)
    return committee


@transaction.atomic
def committee_update(*, actor, committee: Committee, **changes: Any) -> Committee:
    require(actor, CHANGE, committee)
    committee = Committee.objects.select_for_update().get(pk=committee.pk)
    diff = _apply(committee, changes, {"name", "short_name", "level", "active"})
    if diff:
        committee.full_clean(exclude=["path"])
        committee.save(update_fields=list(diff))
        audit.record(actor=actor, action="committee.update", obj=committee, summary=committee.name,
                     detail={"changes": diff})
    return committee


# -- organizations ---------------------------------------------------------------------------

def _check_organization(org: Organization) -> None:
    errors: dict[str, list[str]] = {}
    if org.parent_id is not None:
        if org.parent.committee_id != org.committee_id:
            errors.setdefault("parent", []).append(_("The parent organization belongs to another committee."))
        ancestor, seen = org.parent, set()
        while ancestor is not None and org.pk is not None:
            if ancestor.pk == org.pk or ancestor.pk in seen:
                errors.setdefault("parent", []).append(_("An organization cannot be placed under itself."))
                break
            seen.add(ancestor.pk)
            ancestor = ancestor.parent
    if org.principal_id is not None and org.principal.committee_id != org.committee_id:
        errors.setdefault("principal", []).append(_("The principal belongs to another committee."))
    siblings = Organization.objects.filter(committee_id=org.committee_id, parent_id=org.parent_id,
                                           name_key=match_key(org.name)).exclude(pk=org.pk)
    if siblings.exists():
        errors.setdefault("name", []).append(
            _("An organization named “%(name)s” already exists there.") % {"name": org.name})
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def organization_create(
    *, actor, committee: Committee, name: str, kind: OrganizationKind,
    parent: Organization | None = None, short_name: str = "", unified_code: str = "",
    active: bool = True, principal: Person | None = None,
) -> Organization:
    org = Organization(
        committee=committee, name=clean_name(name, max_length=100), kind=kind, parent=parent,
        short_name=short_name.strip(), unified_code=clean_unified_code(unified_code), active=active,
        principal=principal,
    )
    require(actor, CREATE, org)
    _check_organization(org)
    org.save()
    audit.record(actor=actor, action="organization.create", obj=org, summary=org.name,
                 detail={"committee": committee.pk, "kind": kind.code,
                         "parent": parent.pk if parent else None})
    return org


@transaction.atomic
def organization_update(*, actor, organization: Organization, **changes: Any) -> Organization:
    require(actor, CHANGE, organization)
    org = Organization.objects.select_for_update().get(pk=organization.pk)
    if "name" in changes:
        changes["name"] = clean_name(changes["name"], max_length=100)
    if "unified_code" in changes:
        changes["unified_code"] = clean_unified_code(changes["unified_code"])
    diff = _apply(org, changes, {"name", "short_name", "kind", "parent", "unified_code", "active",
                                 "principal"})
    if diff:
        _check_organization(org)
        org.save()
        audit.record(actor=actor, action="organization.update", obj=org, summary=org.name,
                     detail={"changes": diff})
    return org


# -- people ----------------------------------------------------------------------------------

def _check_person(person: Person) -> None:
    if person.organization_id is not None and person.organization.committee_id != person.committee_id:
        raise ValidationError({"organization": [_("The organization belongs to another committee.")]})
    if person.birth_date and person.birth_date > date.today():
        raise ValidationError({"birth_date": [_("The birth date is in the future.")]})


@transaction.atomic
def person_create(
    *, actor, committee: Committee, name: str, gender: str = "", birth_date: date | None = None,
    organization: Organization | None = None, post: str = "", phone: str = "",
) -> Person:
    person = Person(committee=committee, name=clean_name(name, max_length=50), gender=gender,
                    birth_date=birth_date, organization=organization, post=post.strip(),
                    phone=clean_phone(phone))
    require(actor, CREATE, person)
    _check_person(person)
    person.full_clean(exclude=["name_key", "pinyin", "stroke_key"])
    person.save()
    audit.record(actor=actor, action="person.create", obj=person, summary=person.name,
                 detail={"organization": organization.pk if organization else None})
    return person


@transaction.atomic
def person_update(*, actor, person: Person, **changes: Any) -> Person:
    require(actor, CHANGE, person)
    person = Person.objects.select_for_update().get(pk=person.pk)
    if "name" in changes:
        changes["name"] = clean_name(changes["name"], max_length=50)
    if "phone" in changes:
        changes["phone"] = clean_phone(changes["phone"])
    diff = _apply(person, changes, {"name", "gender", "birth_date", "organization", "post", "phone"})
    if diff:
        _check_person(person)
        person.save()
        audit.record(actor=actor, action="person.update", obj=person, summary=person.name,
                     detail={"changes": diff})
    return person


@transaction.atomic
def work_history_add(
    *, actor, person: Person, start_date: date, end_date: date | None = None,
    organization: Organization | None = None, organization_name: str = "", post: str = "",
) -> WorkHistory:
    entry = WorkHistory(person=person, organization=organization,
                        organization_name=organization_name.strip(), post=post.strip(),
                        start_date=start_date, end_date=end_date)
    require(actor, CREATE, entry)
    if organization is None and not entry.organization_name:
        raise ValidationError({"organization": [_("Give the organization.")]})
    if organization is not None and organization.committee_id != person.committee_id:
        entry.organization_name = entry.organization_name or organization.name
    if end_date and end_date < start_date:
        raise ValidationError({"end_date": [_("The end date is before the start date.")]})
    entry.save()
    audit.record(actor=actor, action="person.work_history.add", obj=person, summary=person.name,
                 detail={"organization": organization.pk if organization else entry.organization_name,
                         "from": start_date, "to": end_date})
    return entry


@transaction.atomic
def work_history_remove(*, actor, entry: WorkHistory) -> None:
    require(actor, CHANGE, entry)
    person, pk = entry.person, entry.pk  # delete() clears the pk
    entry.delete()
    audit.record(actor=actor, action="person.work_history.remove", obj=person, summary=person.name,
                 detail={"entry": pk})


@transaction.atomic
def relative_add(
    *, actor, person: Person, relation: str, name: str, organization: Organization | None = None,
    organization_name: str = "", post: str = "",
) -> Relative:
    relative = Relative(person=person, relation=relation, name=clean_name(name, max_length=50),
                        organization=organization, organization_name=organization_name.strip(),
                        post=post.strip())
    require(actor, CREATE, relative)
    if relation not in Relative.Relation.values:
        raise ValidationError({"relation": [_("Unknown relation.")]})
    relative.save()
    audit.record(actor=actor, action="person.relative.add", obj=person, summary=person.name,
                 detail={"relation": relation, "organization": organization.pk if organization else None})
    return relative


@transaction.atomic
def relative_remove(*, actor, relative: Relative) -> None:
    require(actor, CHANGE, relative)
    person, pk = relative.person, relative.pk  # delete() clears the pk
    relative.delete()
    audit.record(actor=actor, action="person.relative.remove", obj=person, summary=person.name,
                 detail={"relative": pk})
