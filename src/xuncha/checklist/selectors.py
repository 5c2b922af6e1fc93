"""Reads of the checklist, always through the access policy."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Prefetch, QuerySet
from django.http import Http404

from xuncha.access.policy import VIEW, scope
from xuncha.checklist.models import Item, Library, Version
from xuncha.rounds.models import Assignment


def in_force(user, committee, kind) -> Version | None:
    """The latest published version of the committee's checklist for a kind of organization,
    or None when the committee has none (or the user may not read it)."""
    return (scope(user, Version)
            .filter(library__committee=committee, library__kind=kind, state=Version.State.PUBLISHED)
            .select_related("library").order_by("-number").first())


def manifestations_for(user, organization) -> QuerySet[Item]:
    """The manifestations (level 3) a paper or problem about `organization` may be classified
    by: those of the version in force for its kind, in tree order, with point and focus joined."""
    version = in_force(user, organization.committee, organization.kind)
    if version is None:
        return Item.objects.none()
    return (Item.objects.filter(version=version, level=Item.Level.MANIFESTATION)
            .select_related("parent__parent")
            .order_by("parent__parent__position", "parent__position", "position", "id"))


# -- libraries, versions and items for the pages and the API ----------------------------------

def libraries_for(user, action: str = VIEW) -> QuerySet[Library]:
    return (scope(user, Library, action).select_related("committee", "kind")
            .order_by("committee__path", "kind__sort_order", "kind_id"))


def libraries_with_versions(user) -> list[Library]:
    """The libraries the user reads, each with `in_force` (latest published version or None)
    and `draft` (or None): three queries however many libraries there are."""
    versions = scope(user, Version).order_by("-number").only(
        "id", "library_id", "number", "state", "published_at", "note")
    libraries = list(libraries_for(user).prefetch_related(Prefetch("versions", queryset=versions,
                                                                   to_attr="shown_versions")))
    for library in libraries:
        library.in_force = next((v for v in library.shown_versions if not v.is_draft), None)
        library.draft = next((v for v in library.shown_versions if v.is_draft), None)
    return libraries


def get_library_for_user(user, pk: int, action: str = VIEW) -> Library:
    library = libraries_for(user, action).filter(pk=pk).first()
    if library is None:
        raise Http404
    return library


def versions_of(user, library: Library) -> QuerySet[Version]:
    return (scope(user, Version).filter(library=library).select_related("published_by", "created_by")
            .annotate(n_items=Count("items")).order_by("-number"))


def get_version_for_user(user, pk: int, action: str = VIEW) -> Version:
    version = (scope(user, Version, action).filter(pk=pk)
               .select_related("library__committee", "library__kind", "published_by").first())
    if version is None:
        raise Http404
    return version


def get_item_for_user(user, pk: int, action: str = VIEW) -> Item:
    item = (scope(user, Item, action).filter(pk=pk)
            .select_related("version__library__committee", "version__library__kind", "parent").first())
    if item is None:
        raise Http404
    return item


@dataclass
class Tree:
    """A version's items as nested nodes: `roots` are the 监督重点, each item's `kids` its
    children in order; `counts` the number of items per level (1–4)."""

    roots: list[Item]
    counts: dict[int, int]
    items: list[Item]  # in tree order

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def tree_of(version: Version) -> Tree:
    """One query: every item of the version, linked into a tree in Python."""
    items = list(Item.objects.filter(version=version).order_by("level", "position", "id"))
    by_id = {item.pk: item for item in items}
    for item in items:
        item.kids = []
    roots = []
    for item in items:
        if item.parent_id is None:
            roots.append(item)
        else:
            by_id[item.parent_id].kids.append(item)
            item.parent = by_id[item.parent_id]
    ordered: list[Item] = []

    def walk(nodes):
        for node in nodes:
            ordered.append(node)
            walk(node.kids)

    walk(roots)
    counts = {level: 0 for level in Item.Level.values}
    for item in items:
        counts[item.level] += 1
    return Tree(roots=roots, counts=counts, items=ordered)


# -- the fieldwork guide -----------------------------------------------------------------------

def get_target_for_user(user, pk: int) -> Assignment:
    """An inspection target the user may see; 404 when missing or out of scope."""
    target = (scope(user, Assignment).filter(pk=pk)
              .select_related("organization__kind", "organization__committee", "group__round__term").first())
    if target is None:
        raise Http404
    return target


def guide_for(user, target: Assignment) -> tuple[Version | None, Tree | None]:
    """The version in force for the target's kind of organization, and its tree."""
    organization = target.organization
    version = in_force(user, organization.committee, organization.kind)
    return version, (tree_of(version) if version is not None else None)


def my_targets(user) -> QuerySet[Assignment]:
    """The targets of the groups the user serves in, in rounds not yet completed."""
    from xuncha.access.models import RoleAssignment
    from xuncha.rounds.models import Round

    mine = RoleAssignment.objects.current().filter(user=user, group__isnull=False).values("group_id")
    return (scope(user, Assignment).filter(group_id__in=mine)
            .exclude(group__round__state=Round.State.COMPLETED)
            .select_related("organization__kind", "group__round__term")
            .order_by("group__round_id", "group__number", "organization__kind__sort_order",
                      "organization__pinyin", "id"))
