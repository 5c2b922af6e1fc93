"""Names in official lists are ordered by surname strokes (姓氏笔画)."""

from __future__ import annotations

import random

import pytest

from xuncha.text import sort_by_strokes, stroke_sort_key
from xuncha.text.strokes import stroke_count

# 丁(2) < 于(3, 一一丨) < 万(3, 一乛丿) < 马(3, 乛乛一) < 王(4) < 李(7, 一…) < 张(7, 乛…)
# < 欧阳(欧 8) < 赵(9); names with the same surname go by the given name.
ORDERED = ["丁", "于", "万", "马", "王", "王一", "王一二", "王五", "李", "张", "欧阳", "赵"]


def test_stroke_counts_of_the_reference_surnames():
    counts = {c: stroke_count(c) for c in "丁于万马王李张欧赵"}
    assert counts == {"丁": 2, "于": 3, "万": 3, "马": 3, "王": 4, "李": 7, "张": 7, "欧": 8, "赵": 9}


def test_sort_by_strokes_pins_the_reference_order():
    shuffled = ORDERED[:]
    random.Random(7).shuffle(shuffled)
    assert sort_by_strokes(shuffled) == ORDERED


def test_keys_sort_as_plain_strings():
    keys = [stroke_sort_key(name) for name in ORDERED]
    assert keys == sorted(keys)
    assert len(set(keys)) == len(keys)


def test_equal_counts_go_by_stroke_sequence():
    # 横 before 竖 before 撇 before 点 before 折 in the strokes after the first.
    assert stroke_sort_key("于") < stroke_sort_key("万") < stroke_sort_key("马")
    assert stroke_sort_key("李") < stroke_sort_key("张")


def test_same_surname_orders_by_the_given_name():
    assert sort_by_strokes(["王建国", "王丁", "王一"]) == ["王一", "王丁", "王建国"]


def test_whitespace_is_ignored_and_unknown_characters_sort_last():
    assert stroke_sort_key("王 一") == stroke_sort_key("王一")
    assert sort_by_strokes(["Smith", "赵", "丁"]) == ["丁", "赵", "Smith"]


def test_sort_by_strokes_accepts_a_key_function():
    people = [{"name": "赵"}, {"name": "丁"}]
    assert sort_by_strokes(people, name=lambda p: p["name"]) == [{"name": "丁"}, {"name": "赵"}]


@pytest.mark.django_db
def test_people_come_out_of_the_database_in_stroke_order():
    from xuncha.registry.models import Committee, Person

    county = Committee.objects.create(name="示例县委", level=Committee.Level.COUNTY)
    shuffled = ORDERED[:]
    random.Random(3).shuffle(shuffled)
    for name in shuffled:
        Person.objects.create(committee=county, name=name)
    assert list(Person.objects.values_list("name", flat=True)) == ORDERED
