"""The default guidance checklists the project ships (src/xuncha/checklist/data/*.yaml).

Each file is a four-level tree: 监督重点 → 监督要点 → 问题表现形式 → 巡察方式方法, with keys made of
the kind's prefix and one dotted number per level (V1, V1.2, V1.2.3, V1.2.3.1).
"""

from __future__ import annotations

import re
from importlib import resources

import pytest
import yaml

from xuncha.registry.models import OrganizationKind

PREFIXES = {"village": "V", "township": "T", "department": "D"}
NODE_FIELDS = {"key", "title", "note", "children"}
FOCUSES = range(3, 5)
POINTS = range(12, 19)
MANIFESTATIONS = range(50, 71)
METHODS_PER_MANIFESTATION = range(1, 4)
NOTE_MAX_CHARS = 60


def load(kind: str) -> dict:
    text = (resources.files("xuncha.checklist") / "data" / f"{kind}.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


def walk(nodes: list, level: int = 1, parent_key: str | None = None):
    """Yield (level, parent_key, node) for every node, depth first."""
    for node in nodes:
        yield level, parent_key, node
        yield from walk(node.get("children") or [], level + 1, node.get("key"))


@pytest.fixture(params=sorted(PREFIXES))
def library(request):
    return request.param, load(request.param)


def test_it_has_kind_name_and_items(library):
    kind, data = library
    assert set(data) == {"kind", "name", "items"}
    assert data["kind"] == kind
    assert isinstance(data["name"], str) and data["name"].strip() == data["name"] != ""
    assert isinstance(data["items"], list) and data["items"]


def test_it_gives_every_node_a_clean_key_and_title(library):
    _, data = library
    for _, _, node in walk(data["items"]):
        assert isinstance(node, dict), node
        assert set(node) <= NODE_FIELDS, node
        assert isinstance(node.get("key"), str) and node["key"], node
        title = node.get("title")
        assert isinstance(title, str) and title, node["key"]
        assert title == title.strip(), node["key"]
        assert "\n" not in title, node["key"]
        if "note" in node:
            note = node["note"]
            assert isinstance(note, str) and note and note == note.strip(), node["key"]
            assert len(note) <= NOTE_MAX_CHARS, node["key"]


def test_it_keeps_keys_unique_and_hierarchical(library):
    kind, data = library
    pattern = re.compile(rf"^{PREFIXES[kind]}[1-9]\d*(\.[1-9]\d*)*$")
    seen = set()
    for level, parent_key, node in walk(data["items"]):
        key = node["key"]
        assert pattern.match(key), key
        assert key not in seen, f"duplicate key {key}"
        seen.add(key)
        assert key.count(".") + 1 == level, f"{key} is at level {level}"
        if parent_key is None:
            assert "." not in key
        else:
            assert key.rsplit(".", 1)[0] == parent_key, key


def test_it_numbers_siblings_in_order(library):
    _, data = library
    for _, _, node in walk([{"key": "", "children": data["items"]}], level=0):
        children = node.get("children") or []
        numbers = [int(re.split(r"[.A-Z]", child["key"])[-1]) for child in children]
        assert numbers == list(range(1, len(children) + 1)), node["key"]


def test_it_stops_at_level_four_and_gives_every_manifestation_methods(library):
    _, data = library
    for level, _, node in walk(data["items"]):
        children = node.get("children")
        if level == 4:
            assert "children" not in node, f"{node['key']} is a method and has children"
            continue
        assert children, f"{node['key']} at level {level} has no children"
        if level == 3:
            assert len(children) in METHODS_PER_MANIFESTATION, node["key"]


def test_it_has_the_expected_size(library):
    kind, data = library
    counts = {1: 0, 2: 0, 3: 0, 4: 0}
    for level, _, _ in walk(data["items"]):
        counts[level] += 1
    assert counts[1] in FOCUSES, (kind, counts)
    assert counts[2] in POINTS, (kind, counts)
    assert counts[3] in MANIFESTATIONS, (kind, counts)
    assert counts[4] >= counts[3], (kind, counts)


@pytest.mark.parametrize(("kind", "words"), [
    ("village", ["三资", "乡村振兴", "水利", "八项规定", "三会一课", "四议两公开", "低保", "征地", "发展党员"]),
    ("township", ["对村级的监督管理", "项目资金", "水利", "征地拆迁", "八项规定", "选人用人", "三会一课"]),
    ("department", ["履行职能职责", "财务管理", "政府采购", "公务用车", "公务接待", "干部选拔任用",
                    "意识形态", "整改", "三会一课"]),
])
def test_it_covers_the_required_subjects(kind, words):
    text = "\n".join(node["title"] for _, _, node in walk(load(kind)["items"]))
    missing = [word for word in words if word not in text]
    assert not missing, (kind, missing)


def test_it_names_an_existing_organization_kind(db):
    codes = set(OrganizationKind.objects.values_list("code", flat=True))
    for kind in PREFIXES:
        assert load(kind)["kind"] in codes
