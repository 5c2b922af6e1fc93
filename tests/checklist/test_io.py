"""YAML and Excel: export → import → compare shows every item unchanged; bad files are refused
naming the item's path or the row and column, and nothing is written."""

from __future__ import annotations

import io as pyio

import openpyxl
import pytest

from tests.checklist.conftest import SMALL_YAML
from xuncha.checklist import io, services
from xuncha.checklist.models import Item


def _xlsx(tmp_path, rows, header=io.COLUMNS):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    path = tmp_path / "checklist.xlsx"
    workbook.save(path)
    return path


def test_yaml_round_trip_keeps_every_item(checklist, world):
    text = io.dump_yaml(checklist.v1)
    parsed = io.parse_yaml(text)
    assert (parsed.kind, parsed.name) == ("village", "村（社区）测试指引清单")
    draft = services.draft_create(actor=world.office_admin, library=checklist.library)
    Item.objects.filter(version=draft).update(title="乱改")  # the import replaces everything
    result = services.draft_import(actor=world.office_admin, version=draft, parsed=parsed)
    assert result.items == 10 and result.by_level == {1: 2, 2: 2, 3: 3, 4: 3}
    assert {r.status for r in services.compare(checklist.v1, draft)} == {services.UNCHANGED}
    assert io.dump_yaml(draft) == text


def test_the_export_is_the_shipped_format(checklist):
    assert io.parse_yaml(SMALL_YAML).items == io.parse_yaml(io.dump_yaml(checklist.v1)).items


def test_excel_round_trip_keeps_every_item(checklist, world, tmp_path):
    path = tmp_path / "v1.xlsx"
    path.write_bytes(io.dump_xlsx(checklist.v1))
    sheet = openpyxl.load_workbook(path).active
    assert [c.value for c in sheet[1]] == list(io.COLUMNS)
    assert [c.value for c in sheet[2]] == [1, "V1", None, "贯彻落实党的路线方针政策情况", None]
    assert sheet[4][4].value == "含耕地地力保护补贴"
    draft = services.draft_create(actor=world.office_admin, library=checklist.library)
    services.draft_import(actor=world.office_admin, version=draft, parsed=io.parse_xlsx(path))
    assert {r.status for r in services.compare(checklist.v1, draft)} == {services.UNCHANGED}


@pytest.mark.parametrize(("text", "where"), [
    ("items:\n  - key: V1\n    title: a\n  - title: b\n", "items[1]: the key is missing"),
    ("items:\n  - key: V1\n    title: a\n    children:\n      - key: V1.1\n", "items[0].children[0]: the title is missing"),
    ("items:\n  - key: V1\n    title: a\n  - key: V1\n    title: b\n", "items[1]: the key V1 is already used by items[0]"),
    ("items:\n  - key: V1\n    title: a\n    children: x\n", "items[0]: children must be a list"),
    ("items:\n  - key: V1\n    title: a\n    colour: red\n", "items[0]: unknown field colour"),
    ("items:\n  - just text\n", "items[0]: an item must be a mapping"),
    ("items: [\n", "not valid YAML (line"),
    ("- a\n- b\n", "must be a mapping"),
    ("kind: village\nitems: []\n", "items: the checklist has no items"),
    ("", "empty"),
])
def test_bad_yaml_is_refused_naming_where(text, where):
    with pytest.raises(io.ImportRefused) as refused:
        io.parse_yaml(text)
    assert any(where in m for m in refused.value.messages), refused.value.messages


def test_yaml_deeper_than_four_levels_is_refused():
    text = "items:\n" + "".join("  " * (2 * n) + f"  - key: K{n}\n" + "  " * (2 * n) + "    title: t\n"
                                + "  " * (2 * n) + "    children:\n" for n in range(4)) + "  " * 8 + "  - key: K5\n"
    with pytest.raises(io.ImportRefused, match=r"items\[0\]\.children\[0\]\.children\[0\]\.children\[0\]: a method"):
        io.parse_yaml(text)


def test_yaml_larger_than_the_limit_is_refused():
    with pytest.raises(io.ImportRefused, match="too large"):
        io.parse_yaml("items: []\n" + "#" * 2000, max_bytes=1000)


@pytest.mark.parametrize(("rows", "where"), [
    ([(1, "V1", "", "重点"), (2, "", "V1", "要点")], "Row 3, column 编号: the key is missing"),
    ([(1, "V1", "", "重点"), (2, "V1.1", "V9", "要点")], "Row 3, column 上级编号: the parent V9 is not on an earlier row"),
    ([(1, "V1", "", "重点"), (3, "V1.1", "V1", "要点")], "Row 3, column 上级编号: the parent V1 is on level 1, not 2"),
    ([(1, "V1", "", "重点"), (7, "V1.1", "V1", "要点")], "Row 3, column 层级"),
    ([(1, "V1", "", "重点"), (1, "V1", "", "重点")], "Row 3, column 编号: the key V1 is used twice"),
    ([(1, "V1", "", "")], "Row 2, column 标题: the title is missing"),
    ([(1, "V1", "V0", "重点")], "Row 2, column 上级编号"),
])
def test_bad_workbooks_are_refused_naming_row_and_column(tmp_path, rows, where):
    with pytest.raises(io.ImportRefused) as refused:
        io.parse_xlsx(_xlsx(tmp_path, rows))
    assert any(where in m for m in refused.value.messages), refused.value.messages


def test_a_workbook_without_the_columns_is_refused(tmp_path):
    with pytest.raises(io.ImportRefused, match="Row 1: the columns 上级编号"):
        io.parse_xlsx(_xlsx(tmp_path, [(1, "V1", "重点")], header=("层级", "编号", "标题", "说明")))


def test_level_names_are_read_as_levels(tmp_path):
    parsed = io.parse_xlsx(_xlsx(tmp_path, [("监督重点", "V1", "", "重点"), ("监督要点", "V1.1", "V1", "要点", "说明")]))
    assert [(s.key, s.level, s.parent_key, s.note) for s in parsed.items] == [("V1", 1, None, ""), ("V1.1", 2, "V1", "说明")]


def test_an_import_for_another_kind_is_refused_and_nothing_changes(checklist, world):
    draft = services.draft_create(actor=world.office_admin, library=checklist.library)
    parsed = io.parse_yaml(SMALL_YAML.replace("kind: village", "kind: township"))
    with pytest.raises(Exception, match="township"):
        services.draft_import(actor=world.office_admin, version=draft, parsed=parsed)
    assert draft.items.count() == 10


def test_the_dump_is_bytes_excel_reads(checklist):
    workbook = openpyxl.load_workbook(pyio.BytesIO(io.dump_xlsx(checklist.v1)))
    assert workbook.active.max_row == 11
