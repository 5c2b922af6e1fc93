"""Reads of the checklist, always through the access policy."""

from __future__ import annotations

from django.db.models import QuerySet

from xuncha.access.policy import scope
from xuncha.checklist.models import Item, Version


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
