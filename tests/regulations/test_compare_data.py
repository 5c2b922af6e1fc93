"""The comparison of the shipped demo texts (2019 → 2024) finds what their README says."""

from __future__ import annotations

from pathlib import Path

from xuncha.regulations import compare
from xuncha.regulations.parse import parse

DATA = Path(compare.__file__).parent / "data"


def articles(name: str) -> list[compare.Article]:
    result = parse((DATA / name).read_text(encoding="utf-8"))
    return [compare.Article(number=a.number, label=a.label, text=a.text) for a in result.articles]


def test_it_finds_every_change_of_the_2024_revision():
    result = compare.align(articles("xuncha-shishi-banfa-2019.txt"), articles("xuncha-shishi-banfa-2024.txt"))
    assert result.counts() == {"modified": 27, "inserted": 8, "deleted": 3, "moved": 1, "split": 1, "merged": 1,
                               "unchanged": 26}
    by_kind = {kind: [(row.old_labels, row.new_labels) for row in result.of_kind(kind)] for kind in compare.KINDS}
    assert by_kind["deleted"] == [("第二十一条", ""), ("第三十七条", ""), ("第五十五条", "")]
    assert by_kind["split"] == [("第三十条", "第三十二条、第三十三条")]
    assert by_kind["merged"] == [("第十九条、第二十条", "第二十一条")]
    assert by_kind["moved"] == [("第六条", "第十七条")]
    assert result.rows[4].kind == "inserted" and result.rows[4].new_labels == "第五条"
