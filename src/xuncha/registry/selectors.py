"""Reads of the registry, always within what the user may see."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from xuncha.access.policy import CHANGE, VIEW, scope
from xuncha.registry.models import (
    Committee,
    Organization,
    OrganizationKind,
    Person,
    Relative,
    WorkHistory,
)
from xuncha.text import match_key


def committees_for(user, action: str = VIEW) -> QuerySet[Committee]:
    return scope(user, Committee, action)


def kinds_for(user) -> QuerySet[OrganizationKind]:
    return scope(user, OrganizationKind)


def organizations_for(user, *, action: str = VIEW, query: str = "", kind: str = "",
                      committee: int | None = None, parent: int | None = None,
                      active: bool | None = None) -> QuerySet[Organization]:
    """Organizations the user may see, filtered; `query` matches name, short name or pinyin initials."""
    qs = scope(user, Organization, action).select_related("kind", "parent", "committee", "principal")
    if query:
        key = match_key(query)
        qs = qs.filter(Q(name_key__contains=key) | Q(short_name__icontains=query.strip())
                       | Q(pinyin__startswith=key.lower()))
    if kind:
        qs = qs.filter(kind__code=kind)
    if committee:
        qs = qs.filter(committee_id=committee)
    if parent:
        qs = qs.filter(parent_id=parent)
    if active is not None:
        qs = qs.filter(active=active)
    return qs


def organization_tree(user, *, committee: int | None = None) -> list[dict]:
    """Top-level organizations with their children (township → villages), two queries."""
    qs = organizations_for(user, committee=committee).annotate(n_people=Count("people"))
    rows = list(qs.order_by("kind__sort_order", "pinyin", "id"))
    by_parent: dict[int | None, list[Organization]] = {}
    visible = {org.pk for org in rows}
    for org in rows:
        parent = org.parent_id if org.parent_id in visible else None
        by_parent.setdefault(parent, []).append(org)

    def build(parent_id):
        return [{"org": org, "children": build(org.pk)} for org in by_parent.get(parent_id, [])]

    return build(None)


def get_organization_for_user(user, pk: int, *, action: str = VIEW) -> Organization:
    org = organizations_for(user, action=action).filter(pk=pk).first()
    if org is None:
        raise Http404
    return org


def people_for(user, *, action: str = VIEW, query: str = "", organization: int | None = None,
               committee: int | None = None) -> QuerySet[Person]:
    """People the user may see, in surname stroke order (姓氏笔画)."""
    qs = scope(user, Person, action).select_related("organization", "committee")
    if query:
        key = match_key(query)
        qs = qs.filter(Q(name_key__contains=key) | Q(pinyin__startswith=key.lower())
                       | Q(post__icontains=query.strip()) | Q(post__icontains=key))
    if organization:
        qs = qs.filter(organization_id=organization)
    if committee:
        qs = qs.filter(committee_id=committee)
    return qs.order_by("stroke_key", "name", "id")


def get_person_for_user(user, pk: int, *, action: str = VIEW) -> Person:
    person = people_for(user, action=action).filter(pk=pk).first()
    if person is None:
        raise Http404
    return person


def can_change(user, obj) -> bool:
    from xuncha.access.policy import can

    return can(user, CHANGE, obj)


# -- committees, work history and relatives (used by the JSON API) ---------------------------

def get_committee_for_user(user, pk: int, *, action: str = VIEW) -> Committee:
    committee = committees_for(user, action).filter(pk=pk).first()
    if committee is None:
        raise Http404
    return committee


def work_history_for(user, person: Person) -> QuerySet[WorkHistory]:
    """A person's work history, empty unless the user may see it (units never do)."""
    return (scope(user, WorkHistory).filter(person=person).select_related("organization")
            .order_by("start_date", "id"))


def relatives_for(user, person: Person) -> QuerySet[Relative]:
    return scope(user, Relative).filter(person=person).select_related("organization").order_by("id")


# -- pages of the registry -------------------------------------------------------------------

def organization_list(user, *, action: str = VIEW, query: str = "", kind: str = "",
                      committee: int | None = None, parent: int | None = None,
                      active: bool | None = None,
                      without_principal: bool = False) -> QuerySet[Organization]:
    """The organization list: `organizations_for` with people counted and the to-do filter
    "no principal"."""
    qs = organizations_for(user, action=action, query=query, kind=kind, committee=committee,
                           parent=parent, active=active)
    if without_principal:
        qs = qs.filter(principal__isnull=True)
    # Meta.ordering does not apply to a GROUP BY query: order explicitly.
    return qs.annotate(n_people=Count("people")).order_by(
        "committee__path", "kind__sort_order", "pinyin", "id")


def organization_forest(user, *, committee: int | None = None) -> list[dict]:
    """The organization tree in one query: committee → kind → organization → children.

    Each section is {"committee", "kinds": [{"kind", "nodes": [{"org", "children"}]}]};
    an organization whose parent the user may not see is shown at the top of its kind.
    """
    rows = list(
        organizations_for(user, committee=committee).annotate(n_people=Count("people"))
        .order_by("committee__path", "kind__sort_order", "pinyin", "id")
    )
    visible = {org.pk for org in rows}
    children: dict[int, list[Organization]] = {}
    roots: list[Organization] = []
    for org in rows:
        if org.parent_id in visible:
            children.setdefault(org.parent_id, []).append(org)
        else:
            roots.append(org)

    def build(org: Organization) -> dict:
        return {"org": org, "children": [build(child) for child in children.get(org.pk, [])]}

    sections: dict[int, dict] = {}
    for org in roots:
        section = sections.setdefault(org.committee_id, {"committee": org.committee, "kinds": {}})
        group = section["kinds"].setdefault(org.kind_id, {"kind": org.kind, "nodes": []})
        group["nodes"].append(build(org))
    return [{"committee": s["committee"], "kinds": list(s["kinds"].values())}
            for s in sections.values()]


def committees_to_create(user, model: type[Organization] | type[Person]) -> list[Committee]:
    """Committees the user may see in which it may create an organization or a person.

    Committee itself grants CREATE only to the system administrator, so the question is asked
    of the record to be created; the committees a user sees are few."""
    from xuncha.access.policy import CREATE, can

    return [committee for committee in committees_for(user)
            if can(user, CREATE, model(committee=committee))]


def get_work_history_for_user(user, person: Person, pk: int) -> WorkHistory:
    entry = work_history_for(user, person).select_related("person").filter(pk=pk).first()
    if entry is None:
        raise Http404
    return entry


def get_relative_for_user(user, person: Person, pk: int) -> Relative:
    relative = relatives_for(user, person).select_related("person").filter(pk=pk).first()
    if relative is None:
        raise Http404
    return relative
