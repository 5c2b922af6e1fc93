"""The guidance checklist: libraries, versions with their item trees, the fieldwork guide for
a target, and the office's writes (start a draft, add an item, publish).

Missing and out-of-scope records answer 404 alike; a write the role may not make answers
403; a refused change (a draft already there, publishing an empty draft …) 422 with the reason.
"""

from __future__ import annotations

from datetime import datetime

from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from xuncha.access.policy import CHANGE, require
from xuncha.api.common import invalid
from xuncha.api.schemas import ErrorOut, Payload, ValidationErrorOut
from xuncha.checklist import selectors, services
from xuncha.checklist.models import Item, Library, Version

router = Router()

WRITE_ERRORS = {403: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut}


# -- shapes ----------------------------------------------------------------------------------

class VersionBrief(Schema):
    id: int
    number: int
    state: str
    note: str
    published_at: datetime | None


class LibraryOut(Schema):
    id: int
    committee: int
    committee_name: str
    kind: str = Field(..., description="Code of the kind of organization, e.g. village.")
    kind_name: str
    name: str
    in_force: VersionBrief | None = Field(None, description="The latest published version.")
    draft: VersionBrief | None = None

    @staticmethod
    def resolve_committee(obj) -> int:
        return obj.committee_id

    @staticmethod
    def resolve_committee_name(obj) -> str:
        return obj.committee.name

    @staticmethod
    def resolve_kind(obj) -> str:
        return obj.kind.code

    @staticmethod
    def resolve_kind_name(obj) -> str:
        return obj.kind.name


class LibraryDetail(LibraryOut):
    versions: list[VersionBrief]

    @staticmethod
    def resolve_versions(obj) -> list:
        return obj.shown_versions


class ItemOut(Schema):
    id: int
    key: str = Field(..., description="Stable across versions.")
    level: int = Field(..., description="1 监督重点, 2 监督要点, 3 问题表现形式, 4 巡察方式方法.")
    title: str
    note: str
    children: list[ItemOut] = []


ItemOut.model_rebuild()


class VersionOut(VersionBrief):
    library: int
    counts: dict[int, int] = Field(..., description="Number of items per level.")
    items: list[ItemOut] = Field(..., description="The 监督重点, each with its subtree.")


class GuideOut(Schema):
    assignment: int
    organization: str
    kind: str
    version: VersionOut | None = Field(None, description="The version in force for the target's kind; "
                                                         "null when none is published.")


class DraftIn(Payload):
    note: str = Field("", max_length=300)


class PublishIn(Payload):
    note: str | None = Field(None, max_length=300)


class ItemIn(Payload):
    title: str
    note: str = ""
    parent: str | None = Field(None, description="Key of the parent item; none for a 监督重点.")


class ItemCreated(Schema):
    id: int
    key: str
    level: int
    title: str
    note: str


# -- helpers ---------------------------------------------------------------------------------

def _brief(version: Version | None) -> dict | None:
    if version is None:
        return None
    return {"id": version.pk, "number": version.number, "state": version.state, "note": version.note,
            "published_at": version.published_at}


def _node(item: Item) -> dict:
    return {"id": item.pk, "key": item.key, "level": item.level, "title": item.title, "note": item.note,
            "children": [_node(kid) for kid in item.kids]}


def _version_out(version: Version) -> dict:
    tree = selectors.tree_of(version)
    return {**_brief(version), "library": version.library_id, "counts": tree.counts,
            "items": [_node(root) for root in tree.roots]}


def _library_out(user, pk: int) -> Library:
    library = next((lib for lib in selectors.libraries_with_versions(user) if lib.pk == pk), None)
    if library is None:
        from django.http import Http404

        raise Http404
    return library


# -- reads -----------------------------------------------------------------------------------

@router.get("", response=list[LibraryOut], summary="List checklist libraries")
def library_list(request):
    return selectors.libraries_with_versions(request.auth)


@router.get("/{int:library_id}", response={200: LibraryDetail, 404: ErrorOut},
            summary="One library with its versions")
def library_detail(request, library_id: int):
    return _library_out(request.auth, library_id)


@router.get("/versions/{int:version_id}", response={200: VersionOut, 404: ErrorOut},
            summary="One version with its items as a tree")
def version_detail(request, version_id: int):
    return _version_out(selectors.get_version_for_user(request.auth, version_id))


@router.get("/guide/{int:assignment_id}", response={200: GuideOut, 404: ErrorOut},
            summary="What to check at an inspection target")
def guide(request, assignment_id: int):
    user = request.auth
    target = selectors.get_target_for_user(user, assignment_id)
    version, _tree = selectors.guide_for(user, target)
    return {"assignment": target.pk, "organization": target.organization.name,
            "kind": target.organization.kind.code,
            "version": _version_out(version) if version is not None else None}


# -- writes ----------------------------------------------------------------------------------

@router.post("/{int:library_id}/drafts", response={201: VersionOut, **WRITE_ERRORS},
             summary="Start a draft (a copy of the latest published version)")
def draft_create(request, library_id: int, payload: DraftIn):
    user = request.auth
    library = selectors.get_library_for_user(user, library_id)
    draft = services.draft_create(actor=user, library=library, note=payload.note)
    return Status(201, _version_out(selectors.get_version_for_user(user, draft.pk)))


@router.post("/versions/{int:version_id}/items", response={201: ItemCreated, **WRITE_ERRORS},
             summary="Add an item to a draft")
def item_add(request, version_id: int, payload: ItemIn):
    user = request.auth
    version = selectors.get_version_for_user(user, version_id)
    require(user, CHANGE, version)
    parent = None
    if payload.parent:
        parent = version.items.filter(key=payload.parent).first()
        if parent is None:
            raise invalid("parent", _("There is no item %(key)s in this draft.") % {"key": payload.parent})
    item = services.item_add(actor=user, version=version, parent=parent, title=payload.title, note=payload.note)
    return Status(201, item)


@router.post("/versions/{int:version_id}/publish", response={200: VersionOut, **WRITE_ERRORS},
             summary="Publish a draft: it becomes the version in force")
def publish(request, version_id: int, payload: PublishIn):
    user = request.auth
    version = selectors.get_version_for_user(user, version_id)
    services.publish(actor=user, version=version, note=payload.note)
    return _version_out(selectors.get_version_for_user(user, version.pk))
