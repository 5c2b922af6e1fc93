"""Parsing a regulation's text into 编/章/节/条/款/项."""

from __future__ import annotations

import pytest
from django.utils import translation

from tests.regulations.library_sample import RULES, long_rules
from xuncha.regulations.parse import (
    ARTICLE,
    CHAPTER,
    ITEM,
    PARAGRAPH,
    PART,
    SECTION,
    ParseError,
    parse,
)
from xuncha.text.numerals import from_chinese, to_chinese


@pytest.fixture(autouse=True)
def _english(settings):
    """The messages are checked as written (English, a switch away for users); the Chinese
    catalogue is checked whole by tests/test_translations.py."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def _by_address(result):
    return {u.address: u for u in result.units}


@pytest.mark.parametrize(("text", "number"), [
    ("一", 1), ("十", 10), ("十一", 11), ("二十", 20), ("三十二", 32), ("一百", 100), ("一百零一", 101),
    ("一百一十", 110), ("一百二十", 120), ("两千", 2000), ("一千零五", 1005), ("32", 32), ("３２", 32),
    ("一万零五", 10005)])
def test_from_chinese(text, number):
    assert from_chinese(text) == number


@pytest.mark.parametrize("bad", ["", "abc", "一一", "第三"])
def test_from_chinese_refuses_what_is_not_a_numeral(bad):
    with pytest.raises(ValueError):
        from_chinese(bad)


def test_from_chinese_reads_back_to_chinese():
    assert all(from_chinese(to_chinese(n)) == n for n in range(0, 3001))


def test_it_numbers_articles_one_to_one_hundred_twenty():
    result = parse(long_rules(120))
    assert [a.number for a in result.articles] == list(range(1, 121))
    assert result.articles[119].label == "第一百二十条"
    assert result.articles[100].label == "第一百零一条"
    assert result.warnings == []


def test_it_reads_chapters_sections_paragraphs_and_items():
    result = parse(RULES)
    units = _by_address(result)
    assert units["第一章"].level == CHAPTER and units["第一章"].heading == "总则"
    assert units["第二章第一节"].level == SECTION and units["第二章第一节"].heading == "领导小组"
    assert result.units[units["第四条"].parent].address == "第二章第一节"
    # 第三条 has two lines: two 款
    assert units["第三条第二款"].level == PARAGRAPH and units["第三条第二款"].text == "领导小组办公室设在县纪委监委。"
    assert units["第三条"].text.count("\n") == 1
    # 第二条 is one paragraph with items: no 款 rows, items under the article
    assert "第二条第一款" not in units
    assert units["第二条第（二）项"].level == ITEM and units["第二条第（二）项"].text == "坚持实事求是；"
    # 第四条: items belong to the first 款, the line after them is the second 款
    assert units["第四条第一款第（二）项"].text == "听取巡察综合情况汇报。"
    assert units["第四条第二款"].text == "领导小组每年至少召开两次会议。"
    assert "（一）研究部署巡察工作；" in units["第四条第一款"].text


def test_it_keeps_the_preamble_and_drops_the_table_of_contents():
    result = parse(RULES)
    assert result.preamble.startswith("青崖县巡察工作规则")
    assert [u.label for u in result.units if u.level == CHAPTER] == ["第一章", "第二章", "第三章"]


def test_it_reads_stray_spaces_half_width_brackets_and_arabic_numerals():
    result = parse("第 1 条　甲。\n第 二  条 乙：\n(一)丙；\n( 二 )丁。")
    units = _by_address(result)
    assert set(units) >= {"第一条", "第二条", "第二条第（一）项", "第二条第（二）项"}
    assert units["第二条第（二）项"].label == "（二）"


def test_it_keeps_inserted_articles():
    result = parse(RULES)
    inserted = _by_address(result)["第六条之一"]
    assert inserted.level == ARTICLE and inserted.number == 6 and inserted.sub == 1
    assert result.warnings == []


def test_it_reads_parts():
    result = parse("第一编　总则\n第一章　一般规定\n第一条　甲。\n第二编　分则\n第二章　具体规定\n第二条　乙。")
    units = _by_address(result)
    assert units["第一编"].level == PART and units["第二编"].heading == "分则"
    assert result.units[units["第二章"].parent].address == "第二编"


def test_it_warns_of_gaps_duplicates_and_disorder():
    result = parse("第一条　甲。\n第三条　乙。\n第三条　丙。\n第二条　丁。")
    text = "\n".join(result.warnings)
    assert "gap" in text and "twice" in text and "out of order" in text


def test_it_warns_of_an_item_out_of_sequence():
    result = parse("第一条　甲：\n（一）乙；\n（三）丙。")
    assert any("（三）" in w for w in result.warnings)


def test_a_sentence_starting_with_a_chapter_number_is_not_a_heading():
    result = parse("第一条　甲。\n第二章规定的事项，由领导小组决定。")
    assert [u.level for u in result.units] == [ARTICLE, PARAGRAPH, PARAGRAPH]


def test_it_refuses_text_without_articles():
    with pytest.raises(ParseError):
        parse("青崖县巡察工作规则\n这是一段没有条文的文字。")
