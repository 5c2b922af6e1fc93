import pytest

from xuncha.reports.outline import (
    BODY,
    LEVEL1,
    LEVEL2,
    LEVEL3,
    LEVEL4,
    Block,
    blocks,
    level_of,
    number,
)


@pytest.mark.parametrize(("level", "n", "expected"), [
    (LEVEL1, 1, "一、"), (LEVEL1, 12, "十二、"), (LEVEL2, 3, "（三）"), (LEVEL3, 10, "10."), (LEVEL4, 2, "（2）"),
])
def test_numbers(level, n, expected):
    assert number(level, n) == expected


@pytest.mark.parametrize(("text", "level"), [
    ("二、主要问题", LEVEL1), ("（十一）组织建设方面", LEVEL2), ("(三)半角括号", LEVEL2), ("3. 村级工程", LEVEL3),
    ("12．全角点", LEVEL3), ("（2）挤占挪用资金", LEVEL4), ("2023年，该村……", BODY), ("一些问题", BODY),
])
def test_level_of(text, level):
    assert level_of(text) == level


def test_blocks_number_the_sections_and_keep_the_paragraph_levels():
    sections = [{"key": "overview", "title": "基本情况和总体评价", "body": "该村党支部……\n\n"},
                {"key": "problems", "title": "二、主要问题", "body": "（一）落实方面\n1. 乡村振兴\n（1）项目闲置。\n详情……"}]
    assert blocks(sections) == [
        Block(LEVEL1, "一、基本情况和总体评价"), Block(BODY, "该村党支部……"), Block(LEVEL1, "二、主要问题"),
        Block(LEVEL2, "（一）落实方面"), Block(LEVEL3, "1. 乡村振兴"), Block(LEVEL4, "（1）项目闲置。"), Block(BODY, "详情……"),
    ]
