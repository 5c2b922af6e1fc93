"""Reads of the old/new comparison: the versions a user may compare, and the comparison itself.
Both versions come through the scope, so another committee's version is a 404."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch
from django.http import Http404

from xuncha.access.policy import VIEW, scope
from xuncha.regulations import compare
from xuncha.regulations.models import Provision, Regulation, RegulationVersion


@dataclass
class VersionPair:
    old: RegulationVersion
    new: RegulationVersion
    result: compare.Comparison


def regulations_with_versions(user) -> list[Regulation]:
    """The regulations the user reads, each with `compare_versions` (oldest first): the picker."""
    versions = scope(user, RegulationVersion, VIEW).order_by("effective_on", "issued_on", "id")
    return list(scope(user, Regulation, VIEW).order_by("title", "id")
                .prefetch_related(Prefetch("versions", queryset=versions, to_attr="compare_versions")))


def get_version_for_user(user, pk) -> RegulationVersion:
    try:
        return scope(user, RegulationVersion, VIEW).select_related("regulation").get(pk=int(pk))
    except (RegulationVersion.DoesNotExist, TypeError, ValueError) as exc:
        raise Http404 from exc


def latest_two(user, regulation_id) -> tuple[RegulationVersion, RegulationVersion] | None:
    """The two most recent versions of a regulation (older, newer), or None when it has fewer."""
    try:
        regulation_id = int(regulation_id)
    except (TypeError, ValueError):
        return None
    newest = list(scope(user, RegulationVersion, VIEW).filter(regulation_id=regulation_id)
                  .select_related("regulation").order_by("-effective_on", "-issued_on", "-id")[:2])
    return (newest[1], newest[0]) if len(newest) == 2 else None


def articles_of(version: RegulationVersion) -> list[compare.Article]:
    rows = (Provision.objects.filter(version=version, level=Provision.Level.ARTICLE)
            .order_by("position").values_list("number", "label", "text"))
    return [compare.Article(number=number, label=label, text=text) for number, label, text in rows]


def comparison(old: RegulationVersion, new: RegulationVersion) -> VersionPair:
    return VersionPair(old=old, new=new, result=compare.align(articles_of(old), articles_of(new)))


def comparison_for_user(user, old_id, new_id) -> VersionPair:
    """Two versions of one regulation the user reads, aligned; anything else is a 404."""
    old = get_version_for_user(user, old_id)
    new = get_version_for_user(user, new_id)
    if old.regulation_id != new.regulation_id:
        raise Http404
    return comparison(old, new)
