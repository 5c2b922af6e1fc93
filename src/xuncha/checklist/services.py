"""Writes of the guidance checklist: libraries, drafts and their items, publishing, imports.

Only a draft changes. Publishing turns the draft into the version in force and it never
changes again, so papers and problems classified under it keep their items. A draft starts
as a copy of the latest published version, every item keeping its key; a new item gets a key
no version of the library has used, so that two versions compare item by item.

Every function checks the policy, runs in one transaction and leaves an audit event.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from xuncha.access import audit
from xuncha.access.policy import CHANGE, CREATE, IMPORT, require
from xuncha.checklist import io
from xuncha.checklist.models import Item, Library, Version
from xuncha.registry.models import Committee, OrganizationKind

DATA_DIR = Path(__file__).resolve().parent / "data"


def shipped_file(kind_code: str) -> Path | None:
    """The default checklist the project ships for a kind of organization, if any."""
    if not re.fullmatch(r"[a-z0-9_-]+", kind_code or ""):
        return None
    path = DATA_DIR / f"{kind_code}.yaml"
    return path if path.is_file() else None


def _account(actor):
    return actor if getattr(actor, "pk", None) else None


# -- libraries -------------------------------------------------------------------------------

@transaction.atomic
def library_create(*, actor, committee: Committee, kind: OrganizationKind, name: str) -> Library:
    """A committee's (empty) checklist for a kind of organization; one per kind."""
    name = (name or "").strip()
    library = Library(committee=committee, kind=kind, name=name)
    require(actor, CREATE, library)
    if not name:
        raise ValidationError({"name": [_("This field is required.")]})
    if Library.objects.filter(committee=committee, kind=kind).exists():
        raise ValidationError({"kind": [_("%(committee)s already has a checklist for %(kind)s.")
                                        % {"committee": committee.name, "kind": kind.name}]})
    library.save()
    audit.record(actor=actor, action="checklist.create", obj=library, summary=name,
                 detail={"committee": committee.pk, "kind": kind.code})
    return library


@transaction.atomic
def install_default(*, actor, committee: Committee, kind_code: str) -> Library:
    """Install the shipped checklist for a kind as the committee's library, published as
    version 1. Refused when the committee already has one for the kind or none is shipped."""
    kind = OrganizationKind.objects.filter(code=kind_code).first()
    if kind is None:
        raise ValidationError({"kind": [_("Unknown kind of organization: %(code)s") % {"code": kind_code}]})
    path = shipped_file(kind_code)
    if path is None:
        raise ValidationError({"kind": [_("No default checklist is shipped for %(kind)s.") % {"kind": kind.name}]})
    try:
        parsed = io.load_yaml_file(path)
    except io.ImportRefused as exc:
        raise ValidationError({"kind": [_("The shipped checklist for %(kind)s cannot be read: %(why)s")
                                        % {"kind": kind.name, "why": "; ".join(exc.messages[:5])}]}) from None
    if parsed.kind and parsed.kind != kind_code:
        raise ValidationError({"kind": [_("The shipped file for %(code)s says it is for %(other)s.")
                                        % {"code": kind_code, "other": parsed.kind}]})
    library = library_create(actor=actor, committee=committee, kind=kind,
                             name=parsed.name or _("Guidance checklist for %(kind)s") % {"kind": kind.name})
    version = Version(library=library, number=1, state=Version.State.DRAFT, created_by=_account(actor),
                      note=_("The default checklist shipped with xuncha."))
    require(actor, CREATE, version)
    version.save()
    _write_items(version, parsed.items)
    _check_publishable(version)
    version.state = Version.State.PUBLISHED
    version.published_at = timezone.now()
    version.published_by = _account(actor)
    version.save(update_fields=["state", "published_at", "published_by"])
    audit.record(actor=actor, action="checklist.install_default", obj=library, summary=library.name,
                 detail={"kind": kind_code, "version": version.pk, "items": len(parsed.items)})
    return library


# -- versions --------------------------------------------------------------------------------

def _locked_library(actor, library: Library) -> Library:
    require(actor, CHANGE, library)
    return Library.objects.select_for_update().get(pk=library.pk)


def _locked_draft(actor, version: Version) -> Version:
    """The version, locked; refused unless it is a draft the actor may change."""
    require(actor, CHANGE, version)
    version = Version.objects.select_for_update().select_related("library__kind").get(pk=version.pk)
    if version.state != Version.State.DRAFT:
        raise ValidationError(_("Version %(number)d is published and can no longer change; "
                                "start a new draft.") % {"number": version.number})
    return version


@transaction.atomic
def draft_create(*, actor, library: Library, note: str = "") -> Version:
    """A new draft: a copy of the latest published version (or empty), each item keeping its key."""
    library = _locked_library(actor, library)
    if library.versions.filter(state=Version.State.DRAFT).exists():
        raise ValidationError(_("This checklist already has a draft: edit it, publish it or discard it."))
    latest = library.versions.filter(state=Version.State.PUBLISHED).order_by("-number").first()
    number = (library.versions.aggregate(m=Max("number"))["m"] or 0) + 1
    draft = Version(library=library, number=number, note=note.strip(), created_by=_account(actor))
    require(actor, CREATE, draft)
    draft.save()
    copied = 0
    if latest is not None:
        copied = _copy_items(latest, draft)
    audit.record(actor=actor, action="checklist.draft_create", obj=draft, summary=str(draft),
                 detail={"from": latest.number if latest else None, "items": copied})
    return draft


def _copy_items(source: Version, target: Version) -> int:
    new_ids: dict[int, Item] = {}
    items = list(source.items.order_by("level", "position", "id"))
    for level in range(1, io.LEVELS + 1):
        batch = [Item(version=target, parent=new_ids.get(i.parent_id), level=i.level, key=i.key,
                      title=i.title, note=i.note, position=i.position)
                 for i in items if i.level == level]
        created = Item.objects.bulk_create(batch)
        for old, new in zip([i for i in items if i.level == level], created, strict=True):
            if new.pk is None:  # backends that do not return ids from bulk inserts
                new = Item.objects.get(version=target, key=old.key)
            new_ids[old.pk] = new
    return len(items)


@transaction.atomic
def draft_discard(*, actor, version: Version) -> None:
    """Throw a draft away, items and all."""
    version = _locked_draft(actor, version)
    label = str(version)
    pk = version.pk
    version.delete()
    audit.record(actor=actor, action="checklist.draft_discard", summary=label, object_type="checklist.Version",
                 object_id=str(pk))


def _check_publishable(version: Version) -> None:
    items = list(version.items.all())
    if not items:
        raise ValidationError(_("The draft has no items; add at least one 监督重点 with its points "
                                "and manifestations."))
    has_children = {i.parent_id for i in items}
    problems = []
    for item in sorted(items, key=lambda i: (i.level, i.position, i.pk)):
        if item.level in (Item.Level.FOCUS, Item.Level.POINT) and item.pk not in has_children:
            below = io.level_name(item.level + 1)
            problems.append(_("%(key)s %(title)s has no %(below)s.")
                            % {"key": item.key, "title": item.title, "below": below})
    if problems:
        raise ValidationError([_("The draft cannot be published yet:")] + problems[:20])


@transaction.atomic
def publish(*, actor, version: Version, note: str | None = None) -> Version:
    """The draft becomes the version in force. Refused for an empty draft, or one where a
    focus has no point or a point no manifestation."""
    version = _locked_draft(actor, version)
    _check_publishable(version)
    version.state = Version.State.PUBLISHED
    version.published_at = timezone.now()
    version.published_by = _account(actor)
    fields = ["state", "published_at", "published_by"]
    if note is not None:
        version.note = note.strip()[:300]
        fields.append("note")
    version.save(update_fields=fields)
    audit.record(actor=actor, action="checklist.publish", obj=version, summary=str(version),
                 detail={"items": version.items.count()})
    return version


# -- items of a draft ------------------------------------------------------------------------

def _used_keys(library: Library) -> set[str]:
    return set(Item.objects.filter(version__library=library).values_list("key", flat=True))


def _prefix_of(version: Version) -> str:
    first = version.items.filter(level=Item.Level.FOCUS).order_by("position", "id").first()
    if first is not None:
        match = re.match(r"[A-Za-z]+", first.key)
        if match:
            return match.group(0)
    return (version.library.kind.code[:1] or "X").upper()


def new_key(version: Version, parent: Item | None) -> str:
    """A key no version of the library has used: the parent's key and a running number."""
    used = _used_keys(version.library)
    stem = f"{parent.key}." if parent is not None else _prefix_of(version)
    n = (parent.children.count() if parent is not None
         else version.items.filter(level=Item.Level.FOCUS).count()) + 1
    while f"{stem}{n}" in used:
        n += 1
    return f"{stem}{n}"


def _check_text(title: str, note: str) -> tuple[str, str]:
    title, note = (title or "").strip(), (note or "").strip()
    if not title:
        raise ValidationError({"title": [_("This field is required.")]})
    if len(title) > io.TITLE_MAX:
        raise ValidationError({"title": [_("At most %(max)d characters.") % {"max": io.TITLE_MAX}]})
    return title, note


@transaction.atomic
def item_add(*, actor, version: Version, title: str, parent: Item | None = None, note: str = "") -> Item:
    """Add an item at the end of its siblings: a 监督重点 without a parent, otherwise one level
    below its parent (at most level 4)."""
    version = _locked_draft(actor, version)
    title, note = _check_text(title, note)
    if parent is not None:
        if parent.version_id != version.pk:
            raise ValidationError({"parent": [_("The parent is not in this draft.")]})
        if parent.level >= io.LEVELS:
            raise ValidationError({"parent": [_("A method (level 4) cannot have items below it.")]})
    siblings = version.items.filter(parent=parent)
    position = (siblings.aggregate(m=Max("position"))["m"] or 0) + 1 if siblings.exists() else 0
    item = Item(version=version, parent=parent, level=parent.level + 1 if parent else Item.Level.FOCUS,
                key=new_key(version, parent), title=title, note=note, position=position)
    require(actor, CREATE, item)
    item.save()
    audit.record(actor=actor, action="checklist.item_add", obj=item, summary=title[:80],
                 detail={"version": version.pk, "key": item.key})
    return item


def _locked_item(actor, item: Item) -> Item:
    _locked_draft(actor, item.version)
    require(actor, CHANGE, item)
    return Item.objects.select_for_update().select_related("version__library").get(pk=item.pk)


@transaction.atomic
def item_update(*, actor, item: Item, title: str | None = None, note: str | None = None) -> Item:
    item = _locked_item(actor, item)
    title, note = _check_text(item.title if title is None else title, item.note if note is None else note)
    changed = {name: [getattr(item, name), value] for name, value in (("title", title), ("note", note))
               if getattr(item, name) != value}
    if changed:
        item.title, item.note = title, note
        item.save(update_fields=list(changed))
        audit.record(actor=actor, action="checklist.item_update", obj=item, summary=item.key,
                     detail={"changes": changed})
    return item


@transaction.atomic
def item_delete(*, actor, item: Item) -> int:
    """Delete an item of a draft with everything below it; returns how many went."""
    item = _locked_item(actor, item)
    gone = 1 + _descendant_count(item)
    key, pk, version = item.key, item.pk, item.version
    item.delete()
    audit.record(actor=actor, action="checklist.item_delete", summary=key, object_type="checklist.Item",
                 object_id=str(pk), detail={"version": version.pk, "items": gone})
    return gone


def _descendant_count(item: Item) -> int:
    ids = [item.pk]
    total = 0
    while ids:
        ids = list(Item.objects.filter(parent_id__in=ids).values_list("pk", flat=True))
        total += len(ids)
    return total


def _renumber(version: Version, parent_id: int | None, ordered: list[Item]) -> None:
    for position, sibling in enumerate(ordered):
        if sibling.position != position:
            sibling.position = position
            sibling.save(update_fields=["position"])


@transaction.atomic
def item_move(*, actor, item: Item, direction: str = "", parent: Item | None = None) -> Item:
    """Move an item of a draft one place up or down among its siblings (direction "up" or
    "down"), or under another parent one level above it (at the end of its new siblings)."""
    item = _locked_item(actor, item)
    version = item.version
    old_parent_id = item.parent_id
    if parent is not None:
        if parent.version_id != version.pk:
            raise ValidationError({"parent": [_("The parent is not in this draft.")]})
        if parent.level != item.level - 1:
            raise ValidationError({"parent": [_("Choose a %(level)s as the new parent.")
                                              % {"level": io.level_name(item.level - 1)}]})
        if parent.pk != item.parent_id:
            siblings = list(version.items.filter(parent=parent).order_by("position", "id"))
            item.parent = parent
            item.position = len(siblings)
            item.save(update_fields=["parent", "position"])
            _renumber(version, old_parent_id,
                      list(version.items.filter(parent_id=old_parent_id).order_by("position", "id")))
    elif direction in ("up", "down"):
        siblings = list(version.items.filter(parent_id=item.parent_id).order_by("position", "id"))
        index = next(i for i, s in enumerate(siblings) if s.pk == item.pk)
        other = index - 1 if direction == "up" else index + 1
        if 0 <= other < len(siblings):
            siblings[index], siblings[other] = siblings[other], siblings[index]
        _renumber(version, item.parent_id, siblings)
    else:
        raise ValidationError(_("Say where to move the item."))
    audit.record(actor=actor, action="checklist.item_move", obj=item, summary=item.key,
                 detail={"direction": direction, "parent": parent.key if parent else None})
    return item


# -- import ----------------------------------------------------------------------------------

def _write_items(version: Version, specs: list[io.ItemSpec]) -> None:
    """Create the parsed items in a (fresh) version; parents come before their children."""
    by_key: dict[str, Item] = {}
    counts: dict[str | None, int] = {}
    for spec in specs:
        parent = by_key.get(spec.parent_key) if spec.parent_key else None
        position = counts.get(spec.parent_key, 0)
        counts[spec.parent_key] = position + 1
        by_key[spec.key] = Item.objects.create(version=version, parent=parent, level=spec.level, key=spec.key,
                                               title=spec.title, note=spec.note, position=position)


@dataclass
class ImportResult:
    version: Version
    items: int
    by_level: dict[int, int] = field(default_factory=dict)


@transaction.atomic
def draft_import(*, actor, version: Version, parsed: io.Parsed) -> ImportResult:
    """Replace a draft's items by those of an imported file, all or nothing."""
    version = _locked_draft(actor, version)
    require(actor, IMPORT, version)
    if parsed.kind and parsed.kind != version.library.kind.code:
        raise ValidationError(_("The file is a checklist for %(other)s, not for %(kind)s.")
                              % {"other": parsed.kind, "kind": version.library.kind.code})
    version.items.all().delete()
    _write_items(version, parsed.items)
    by_level: dict[int, int] = {}
    for spec in parsed.items:
        by_level[spec.level] = by_level.get(spec.level, 0) + 1
    audit.record(actor=actor, action="checklist.import", obj=version, summary=str(version),
                 detail={"items": len(parsed.items)})
    return ImportResult(version=version, items=len(parsed.items), by_level=by_level)


# -- comparing versions ----------------------------------------------------------------------

ADDED, REMOVED, CHANGED, UNCHANGED = "added", "removed", "changed", "unchanged"


@dataclass
class Difference:
    key: str
    status: str  # added / removed / changed / unchanged
    level: int
    old: Item | None
    new: Item | None
    fields: list[str] = field(default_factory=list)  # what changed: title, note, parent

    @property
    def item(self) -> Item:
        return self.new or self.old  # type: ignore[return-value]


def compare(version_a: Version, version_b: Version) -> list[Difference]:
    """Every key of either version, item by item: added (only in b), removed (only in a),
    changed (title, note or parent differ) or unchanged; in b's tree order, each removed
    item right after where it stood in a."""
    a_items = io._tree_rows(list(version_a.items.all()))
    b_items = io._tree_rows(list(version_b.items.all()))
    a_keys = {i.pk: i.key for i in a_items}
    b_keys = {i.pk: i.key for i in b_items}
    a_by_key = {i.key: i for i in a_items}
    b_by_key = {i.key: i for i in b_items}
    rows: list[Difference] = []
    for new in b_items:
        old = a_by_key.get(new.key)
        if old is None:
            rows.append(Difference(new.key, ADDED, new.level, None, new))
            continue
        fields = [name for name in ("title", "note") if getattr(old, name) != getattr(new, name)]
        if a_keys.get(old.parent_id) != b_keys.get(new.parent_id):
            fields.append("parent")
        rows.append(Difference(new.key, CHANGED if fields else UNCHANGED, new.level, old, new, fields))
    # A removed item goes right after the nearest earlier item of a that b still has.
    after: dict[int, list[Difference]] = {}
    placed = {row.key: n for n, row in enumerate(rows)}
    slot = -1
    for old in a_items:
        if old.key in b_by_key:
            slot = placed[old.key]
        else:
            after.setdefault(slot, []).append(Difference(old.key, REMOVED, old.level, old, None))
    merged = list(after.get(-1, []))
    for n, row in enumerate(rows):
        merged.append(row)
        merged.extend(after.get(n, []))
    return merged
