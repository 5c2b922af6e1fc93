"""Reading and writing a checklist version as YAML or as an Excel workbook.

Both formats carry each item's stable key, so that a version exported, edited elsewhere and
imported again compares item by item with the one it came from. Reading never touches the
database: it turns a file into a `Parsed` checklist (items in tree order) or refuses it with
`ImportRefused`, whose messages name the bad item's path (YAML) or row and column (Excel).
Writing the items into a draft is the services' job (services.draft_import).

The YAML format (the shipped default libraries use exactly this):

    kind: village                 # OrganizationKind.code
    name: 村（社区）党组织巡察分类操作指引清单
    items:                        # level 1: 监督重点
      - key: V1
        title: ...
        note: ...                 # optional
        children:                 # 2: 监督要点, 3: 问题表现形式, 4: 巡察方式方法
          - key: V1.1
            title: ...
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings
from django.utils.translation import gettext as _

from xuncha.checklist.models import Item

LEVELS = 4
KEY_MAX = Item._meta.get_field("key").max_length
TITLE_MAX = Item._meta.get_field("title").max_length
ITEM_FIELDS = {"key", "title", "note", "children"}
# The workbook's columns, in order: the headers are part of the file format.
COLUMNS = ("层级", "编号", "上级编号", "标题", "说明")
SHEET_TITLE = "指引清单"


class ImportRefused(Exception):
    """The file cannot be imported; `messages` say why, each naming where."""

    def __init__(self, messages: str | list[str]):
        self.messages = [messages] if isinstance(messages, str) else list(messages)
        super().__init__("; ".join(self.messages))


@dataclass
class ItemSpec:
    key: str
    title: str
    level: int
    parent_key: str | None = None
    note: str = ""
    where: str = ""  # the item's path in the YAML file, or its row in the workbook


@dataclass
class Parsed:
    items: list[ItemSpec]  # in tree order: every parent before its children
    kind: str = ""
    name: str = ""
    errors: list[str] = field(default_factory=list)


def level_name(level: int) -> str:
    return str(Item.Level(level).label)


# -- YAML ------------------------------------------------------------------------------------

def _text(value: Any) -> str | None:
    """A scalar as text (numbers as written); None for what is no scalar."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, int | float):
        return str(value)
    return None


def _yaml_item(raw: Any, path: str, level: int, parent_key: str | None, out: list[ItemSpec],
               errors: list[str]) -> None:
    if not isinstance(raw, dict):
        errors.append(_("%(path)s: an item must be a mapping with key and title.") % {"path": path})
        return
    unknown = sorted(str(k) for k in raw if k not in ITEM_FIELDS)
    if unknown:
        errors.append(_("%(path)s: unknown field %(fields)s.") % {"path": path, "fields": ", ".join(unknown)})
    key = _text(raw.get("key"))
    title = _text(raw.get("title"))
    note = raw.get("note")
    if not key:
        errors.append(_("%(path)s: the key is missing.") % {"path": path})
    elif len(key) > KEY_MAX:
        errors.append(_("%(path)s: the key is longer than %(max)d characters.") % {"path": path, "max": KEY_MAX})
    if not title:
        errors.append(_("%(path)s: the title is missing.") % {"path": path})
    elif len(title) > TITLE_MAX:
        errors.append(_("%(path)s: the title is longer than %(max)d characters.") % {"path": path, "max": TITLE_MAX})
    if note is not None and _text(note) is None:
        errors.append(_("%(path)s: the note must be text.") % {"path": path})
    out.append(ItemSpec(key=key or "", title=title or "", level=level, parent_key=parent_key,
                        note=_text(note) or "", where=path))
    children = raw.get("children")
    if children is None:
        return
    if not isinstance(children, list):
        errors.append(_("%(path)s: children must be a list.") % {"path": path})
        return
    if children and level >= LEVELS:
        errors.append(_("%(path)s: a method (level 4) cannot have children.") % {"path": path})
        return
    for i, child in enumerate(children):
        _yaml_item(child, f"{path}.children[{i}]", level + 1, key, out, errors)


def parse_yaml(data: bytes | str, *, max_bytes: int | None = None) -> Parsed:
    """Read a checklist from YAML text; ImportRefused names every bad item by its path."""
    limit = max_bytes if max_bytes is not None else settings.UPLOAD_MAX_BYTES
    raw_bytes = data.encode("utf-8") if isinstance(data, str) else data
    if not raw_bytes.strip():
        raise ImportRefused(_("The file is empty."))
    if len(raw_bytes) > limit:
        raise ImportRefused(_("The file is too large: at most %(max)s MB may be uploaded.")
                            % {"max": f"{limit / (1024 * 1024):.0f}"})
    try:
        text = raw_bytes.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportRefused(_("The file is not UTF-8 text.")) from None
    try:
        doc = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = _(" (line %(line)d)") % {"line": mark.line + 1} if mark is not None else ""
        raise ImportRefused(_("The file is not valid YAML%(where)s.") % {"where": where}) from None
    if not isinstance(doc, dict):
        raise ImportRefused(_("The file must be a mapping with kind, name and items."))
    items = doc.get("items")
    if not isinstance(items, list) or not items:
        raise ImportRefused(_("items: the checklist has no items (a list of 监督重点 is expected)."))
    specs: list[ItemSpec] = []
    errors: list[str] = []
    for i, raw in enumerate(items):
        _yaml_item(raw, f"items[{i}]", 1, None, specs, errors)
    errors.extend(_duplicate_keys(specs))
    if errors:
        raise ImportRefused(errors)
    return Parsed(items=specs, kind=_text(doc.get("kind")) or "", name=_text(doc.get("name")) or "")


def load_yaml_file(path: Path) -> Parsed:
    return parse_yaml(path.read_bytes(), max_bytes=max(settings.UPLOAD_MAX_BYTES, path.stat().st_size))


def _duplicate_keys(specs: Iterable[ItemSpec]) -> list[str]:
    seen: dict[str, str] = {}
    errors = []
    for spec in specs:
        if not spec.key:
            continue
        if spec.key in seen:
            errors.append(_("%(where)s: the key %(key)s is already used by %(other)s.")
                          % {"where": spec.where, "key": spec.key, "other": seen[spec.key]})
        else:
            seen[spec.key] = spec.where
    return errors


def _tree_rows(items: list[Item]) -> list[Item]:
    """The items in tree order (depth first, siblings by position)."""
    children: dict[int | None, list[Item]] = {}
    for item in sorted(items, key=lambda i: (i.position, i.pk)):
        children.setdefault(item.parent_id, []).append(item)
    ordered: list[Item] = []

    def walk(parent_id):
        for item in children.get(parent_id, []):
            ordered.append(item)
            walk(item.pk)

    walk(None)
    return ordered


def dump_yaml(version) -> str:
    """The version as YAML in the shipped format (kind, name, nested items)."""
    items = list(version.items.all())
    nodes: dict[int, dict] = {}
    roots: list[dict] = []
    for item in _tree_rows(items):
        node: dict[str, Any] = {"key": item.key, "title": item.title}
        if item.note:
            node["note"] = item.note
        nodes[item.pk] = node
        if item.parent_id is None:
            roots.append(node)
        else:
            nodes[item.parent_id].setdefault("children", []).append(node)
    library = version.library
    doc = {"kind": library.kind.code, "name": library.name, "items": roots}
    return yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=1000)


# -- Excel -----------------------------------------------------------------------------------

def dump_xlsx(version) -> bytes:
    """One sheet, one row per item in tree order: 层级 / 编号 / 上级编号 / 标题 / 说明."""
    import openpyxl
    from openpyxl.styles import Font

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = SHEET_TITLE
    sheet.append(list(COLUMNS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    by_id = {item.pk: item for item in version.items.all()}
    for item in _tree_rows(list(by_id.values())):
        parent = by_id.get(item.parent_id)
        sheet.append([item.level, item.key, parent.key if parent else "", item.title, item.note])
    for letter, width in zip("ABCDE", (6, 14, 14, 60, 60), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _level(value: str) -> int | None:
    if value.isdigit() and 1 <= int(value) <= LEVELS:
        return int(value)
    names = {str(label): level for level, label in Item.Level.choices}
    names.update({"监督重点": 1, "监督要点": 2, "问题表现形式": 3, "巡察方式方法": 4})
    return names.get(value)


def parse_xlsx(path: Path) -> Parsed:
    """Read a workbook written by dump_xlsx (or by hand in its shape). The file must already
    have passed registry.io.xlsx.check_upload; every bad cell is named by row and column."""
    from xuncha.registry.io.xlsx import UploadRefused, open_workbook

    try:
        workbook = open_workbook(path)
    except UploadRefused as exc:
        raise ImportRefused(exc.message) from None
    sheet = workbook.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = [_cell(v) for v in next(rows, ())]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        workbook.close()
        raise ImportRefused(_("Row 1: the columns %(columns)s are missing from the header.")
                            % {"columns": "、".join(missing)})
    index = {name: header.index(name) for name in COLUMNS}
    specs: list[ItemSpec] = []
    errors: list[str] = []
    levels: dict[str, int] = {}
    for number, row in enumerate(rows, start=2):
        cells = {name: _cell(row[i]) if i < len(row) else "" for name, i in index.items()}
        if not any(cells.values()):
            continue

        def bad(column: str, message: str, number=number) -> None:
            errors.append(_("Row %(row)d, column %(column)s: %(message)s")
                          % {"row": number, "column": column, "message": message})

        level = _level(cells["层级"])
        key, parent_key, title = cells["编号"], cells["上级编号"], cells["标题"]
        if level is None:
            bad("层级", _("the level must be 1 to 4 (监督重点, 监督要点, 问题表现形式, 巡察方式方法)."))
        if not key:
            bad("编号", _("the key is missing."))
        elif len(key) > KEY_MAX:
            bad("编号", _("the key is longer than %(max)d characters.") % {"max": KEY_MAX})
        elif key in levels:
            bad("编号", _("the key %(key)s is used twice.") % {"key": key})
        if not title:
            bad("标题", _("the title is missing."))
        elif len(title) > TITLE_MAX:
            bad("标题", _("the title is longer than %(max)d characters.") % {"max": TITLE_MAX})
        if level == 1 and parent_key:
            bad("上级编号", _("a 监督重点 (level 1) has no parent."))
        elif level is not None and level > 1:
            if not parent_key:
                bad("上级编号", _("the parent key is missing."))
            elif parent_key not in levels:
                bad("上级编号", _("the parent %(key)s is not on an earlier row.") % {"key": parent_key})
            elif levels[parent_key] != level - 1:
                bad("上级编号", _("the parent %(key)s is on level %(level)d, not %(expected)d.")
                    % {"key": parent_key, "level": levels[parent_key], "expected": level - 1})
        if key and key not in levels and level is not None:
            levels[key] = level
        specs.append(ItemSpec(key=key, title=title, level=level or 0, parent_key=parent_key or None,
                              note=cells["说明"], where=_("row %(row)d") % {"row": number}))
    workbook.close()
    if errors:
        raise ImportRefused(errors)
    if not specs:
        raise ImportRefused(_("The workbook has no items below its header row."))
    return Parsed(items=specs)
