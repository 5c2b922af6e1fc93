"""Excel export of a committee's organizations or people, in the import format: the file can
be edited and imported again (rows carry their 系统编号). One audit event per export."""

from __future__ import annotations

from typing import IO

from xuncha.access import audit
from xuncha.access.policy import CONSOLE, EXPORT, can, require
from xuncha.registry.io import columns as c
from xuncha.registry.io.resolve import OrgIndex
from xuncha.registry.io.templates import build, date_cell
from xuncha.registry.models import (
    Committee,
    Organization,
    Person,
    Relative,
    WorkHistory,
)


def _index(committee: Committee) -> OrgIndex:
    return OrgIndex.from_rows(list(Organization.objects.filter(committee=committee).values_list(
        "id", "name", "name_key", "parent_id")))


def export_organizations(*, actor, committee: Committee, target: str | IO[bytes]) -> int:
    """Write the committee's organizations, parents before their children. Returns the count."""
    require(actor, EXPORT, Organization(committee=committee))
    rows = list(Organization.objects.filter(committee=committee).values_list(
        "id", "name", "short_name", "kind__name", "parent_id", "unified_code", "active",
        "principal__name", "kind__sort_order", "pinyin"))
    index = _index(committee)
    children: dict[int | None, list[tuple]] = {}
    known = {row[0] for row in rows}
    for row in rows:
        parent = row[4] if row[4] in known else None
        children.setdefault(parent, []).append(row)
    ordered: list[tuple] = []
    stack = sorted(children.get(None, []), key=lambda r: (r[8], r[9], r[0]), reverse=True)
    while stack:
        row = stack.pop()
        ordered.append(row)
        stack.extend(sorted(children.get(row[0], []), key=lambda r: (r[8], r[9], r[0]),
                            reverse=True))

    def fill(sheets):
        sheet = sheets[0]
        for pk, name, short, kind, parent, code, active, principal, _o, _p in ordered:
            sheet.append([pk, name, short, kind, index.label(parent) if parent else "", code,
                          c.YES if active else c.NO, principal or ""])

    build("orgs", fill).save(target)
    audit.record(actor=actor, action="registry.export", obj=committee,
                 summary=f"orgs {len(ordered)}", detail={"kind": "orgs", "rows": len(ordered)})
    return len(ordered)


def export_people(*, actor, committee: Committee, target: str | IO[bytes]) -> int:
    """Write the committee's people in surname stroke order, with their work history and
    relatives when the actor may export those. Returns the number of people."""
    require(actor, EXPORT, Person(committee=committee))
    probe = Person(committee=committee)
    details = actor is CONSOLE or (can(actor, EXPORT, WorkHistory(person=probe))
                                   and can(actor, EXPORT, Relative(person=probe)))
    index = _index(committee)
    people = list(Person.objects.filter(committee=committee).order_by("stroke_key", "name", "id")
                  .values_list("id", "name", "gender", "birth_date", "organization_id", "post",
                               "phone"))
    seq = {pk: number for number, (pk, *_rest) in enumerate(people, start=1)}

    def place(org_id, org_name, org_fallback):
        if org_id in index.entries:
            return index.label(org_id)
        return org_name or org_fallback or ""

    def fill(sheets):
        sheet = sheets[0]
        for pk, name, gender, birth, org_id, post, phone in people:
            sheet.append([pk, seq[pk], name, c.GENDER_LABELS.get(gender, ""),
                          date_cell(sheet, birth), index.label(org_id) if org_id else "", post,
                          phone])
        if not details:
            return
        work = WorkHistory.objects.filter(person__committee=committee).order_by(
            "person_id", "start_date", "id").values_list(
            "person_id", "organization_id", "organization_name", "organization__name", "post",
            "start_date", "end_date")
        for person_id, org_id, org_name, org_fallback, post, start, end in work.iterator(2000):
            sheets[1].append([seq[person_id], place(org_id, org_name, org_fallback), post,
                              date_cell(sheets[1], start), date_cell(sheets[1], end)])
        relatives = Relative.objects.filter(person__committee=committee).order_by(
            "person_id", "id").values_list(
            "person_id", "relation", "name", "organization_id", "organization_name",
            "organization__name", "post")
        for person_id, relation, name, org_id, org_name, org_fallback, post in relatives.iterator(2000):
            sheets[2].append([seq[person_id], c.RELATION_LABELS.get(relation, relation), name,
                              place(org_id, org_name, org_fallback), post])

    build("people", fill).save(target)
    audit.record(actor=actor, action="registry.export", obj=committee,
                 summary=f"people {len(people)}",
                 detail={"kind": "people", "rows": len(people), "details": details})
    return len(people)


EXPORTERS = {"orgs": export_organizations, "people": export_people}
