"""Finding an organization by what a person typed: a name, or "上级/名称" when several
organizations share the name. Matching uses match_key (NFKC, full-width spaces, traditional →
simplified), so "東門村" finds 东门村."""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from xuncha.text import match_key

SEPARATORS = ("/", "／", "\\", "＼")


@dataclass
class Entry:
    key: Hashable
    name: str
    name_key: str
    # Names of the ancestors, nearest first, as far as they are known.
    parent_names: tuple[str, ...] = ()
    ancestors: tuple[str, ...] = ()  # their match keys

    def __post_init__(self) -> None:
        if self.parent_names and not self.ancestors:
            self.ancestors = tuple(match_key(name) for name in self.parent_names)


class Unresolved(ValueError):
    pass


def split_path(typed: str) -> list[str]:
    path = typed
    for separator in SEPARATORS[1:]:
        path = path.replace(separator, "/")
    return [part.strip() for part in path.split("/") if part.strip()]


class OrgIndex:
    """Organizations of one committee (and rows of a file) by normalized name."""

    def __init__(self) -> None:
        self.entries: dict[Hashable, Entry] = {}
        self.by_name: dict[str, list[Hashable]] = {}

    def add(self, entry: Entry) -> None:
        self.entries[entry.key] = entry
        self.by_name.setdefault(entry.name_key, []).append(entry.key)

    def remove(self, key: Hashable) -> None:
        entry = self.entries.pop(key, None)
        if entry is not None:
            self.by_name[entry.name_key].remove(key)

    @classmethod
    def from_rows(cls, rows: list[tuple[int, str, str, int | None]]) -> OrgIndex:
        """From (id, name, name_key, parent_id) of the committee's organizations."""
        index = cls()
        parents = {pk: parent for pk, _name, _key, parent in rows}
        info = {pk: (name, key) for pk, name, key, _parent in rows}
        for pk, name, key, _parent in rows:
            names: list[str] = []
            keys: list[str] = []
            parent, seen = parents.get(pk), {pk}
            while parent is not None and parent in info and parent not in seen and len(names) < 8:
                names.append(info[parent][0])
                keys.append(info[parent][1])
                seen.add(parent)
                parent = parents.get(parent)
            index.add(Entry(pk, name, key, tuple(names), tuple(keys)))
        return index

    def candidates(self, typed: str) -> list[Hashable]:
        whole = self.by_name.get(match_key(typed), [])
        if whole:
            return list(whole)
        parts = split_path(typed)
        if len(parts) < 2:
            return []
        wanted = tuple(match_key(p) for p in reversed(parts[:-1]))
        found = []
        for key in self.by_name.get(match_key(parts[-1]), []):
            known = self.entries[key].ancestors
            depth = min(len(known), len(wanted))
            if depth and known[:depth] == wanted[:depth]:
                found.append(key)
        return found

    def resolve(self, typed: str) -> Hashable:
        """The key of the one organization meant by `typed`; Unresolved says why not."""
        found = self.candidates(typed)
        if not found:
            raise Unresolved(_("No organization named “%(name)s” is registered in this committee.")
                             % {"name": typed})
        if len(found) > 1:
            example = self.label(found[0], force_parent=True)
            if "/" not in example:
                example = "城关镇/东门村"
            raise Unresolved(
                _("%(count)d organizations are named “%(name)s”: write it with its parent, "
                  "for example “%(example)s”.") % {"count": len(found), "name": typed,
                                                    "example": example})
        return found[0]

    def label(self, key: Hashable, *, force_parent: bool = False) -> str:
        """How to write the organization so that it is found again: its name, or with as
        many parents before it as it takes to be unique ("城关镇/东门村")."""
        entry = self.entries[key]
        if not force_parent and len(self.by_name.get(entry.name_key, [])) <= 1:
            return entry.name
        for depth in range(1, len(entry.parent_names) + 1):
            typed = "/".join([*reversed(entry.parent_names[:depth]), entry.name])
            if self.candidates(typed) == [key]:
                return typed
        return "/".join([*reversed(entry.parent_names), entry.name])
