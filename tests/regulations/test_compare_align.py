"""Alignment of two versions' articles (pure, no database): texts the tests write themselves."""

from __future__ import annotations

import pytest

from xuncha.regulations import compare
from xuncha.regulations.compare import Article, align, diff
from xuncha.text.numerals import to_chinese

BASE = [
    "为了规范青崖县巡察工作，加强党内监督，根据有关规定，结合本县实际，制定本规则。",
    "县委巡察工作领导小组在县委领导下开展工作，对县委负责并报告工作。",
    "巡察组设组长、副组长和组员，实行组长负责制，组长由县委巡察工作领导小组研究确定。",
    "巡察组进驻后应当召开动员会，向被巡察党组织领导班子通报巡察任务，公布举报电话和邮箱。",
    "巡察组可以采取个别谈话、受理来信来访、调阅复制文件、列席会议、民主测评等方式开展工作。",
    "巡察组应当在巡察结束后二十个工作日内向领导小组报告巡察情况，提出处理建议。",
    "被巡察党组织应当在收到反馈意见后三个月内完成集中整改，并报送整改进展情况报告。",
    "巡察人员违反本规则，泄露巡察工作秘密或者滥用职权的，依规依纪依法严肃处理。",
]


def articles(texts: list[str]) -> list[Article]:
    return [Article(number=n, label=f"第{to_chinese(n)}条", text=f"第{to_chinese(n)}条　{t}")
            for n, t in enumerate(texts, start=1)]


def kinds(result) -> list[str]:
    return [row.kind for row in result.rows]


def test_it_marks_identical_versions_unchanged():
    result = align(articles(BASE), articles(BASE))
    assert kinds(result) == [compare.UNCHANGED] * len(BASE)
    assert all(row.note == "" and row.segments == [compare.Segment("equal", row.new_text)] for row in result.rows)


def test_it_marks_a_few_characters_changed_as_modified_with_the_characters():
    new = list(BASE)
    new[5] = BASE[5].replace("二十个工作日", "十五个工作日")
    result = align(articles(BASE), articles(new))
    assert kinds(result).count(compare.MODIFIED) == 1
    row = result.rows[5]
    assert row.kind == compare.MODIFIED and row.old_labels == row.new_labels == "第六条"
    assert ("delete", "二") in [(s.op, s.text) for s in row.segments]
    assert ("insert", "五") in [(s.op, s.text) for s in row.segments]
    assert "".join(s.text for s in row.new_segments) == row.new_text
    assert "".join(s.text for s in row.old_segments) == row.old_text


def test_it_keeps_renumbered_articles_unchanged_after_an_insertion():
    inserted = "县委巡察机构应当加强对村级巡察的指导，推动形成上下联动的监督网络。"
    new = BASE[:2] + [inserted] + BASE[2:]
    result = align(articles(BASE), articles(new))
    assert kinds(result) == [compare.UNCHANGED] * 2 + [compare.INSERTED] + [compare.UNCHANGED] * 6
    assert compare.MODIFIED not in kinds(result)
    shifted = result.rows[3]
    assert (shifted.old_labels, shifted.new_labels) == ("第三条", "第四条")
    assert shifted.note == "条号调整：原第三条，现第四条"
    assert result.rows[2].new_labels == "第三条" and result.rows[2].old == []


def test_it_shows_a_deleted_article_after_its_old_neighbour():
    new = BASE[:3] + BASE[4:]
    result = align(articles(BASE), articles(new))
    assert kinds(result) == [compare.UNCHANGED] * 3 + [compare.DELETED] + [compare.UNCHANGED] * 4
    deleted = result.rows[3]
    assert deleted.old_labels == "第四条" and deleted.new == []
    assert deleted.segments == [compare.Segment("delete", BASE[3])]


def test_it_marks_an_article_moved_out_of_order():
    new = [BASE[0], BASE[6], *BASE[1:6], BASE[7]]
    result = align(articles(BASE), articles(new))
    counts = result.counts()
    assert counts[compare.MOVED] == 1 and counts[compare.UNCHANGED] == 7
    moved = next(row for row in result.rows if row.kind == compare.MOVED)
    assert (moved.old_labels, moved.new_labels) == ("第七条", "第二条")
    assert moved.note == "位置调整：原第七条，现第二条"


def test_it_labels_a_moved_and_modified_article_modified():
    changed = BASE[6].replace("三个月", "二个月")
    new = [BASE[0], changed, *BASE[1:6], BASE[7]]
    result = align(articles(BASE), articles(new))
    row = next(row for row in result.rows if row.kind == compare.MODIFIED)
    assert row.moved and row.note.startswith("位置调整")
    assert result.counts()[compare.MOVED] == 0


def test_it_groups_one_article_split_into_two():
    first, second = "巡察组进驻后应当召开动员会，向被巡察党组织领导班子通报巡察任务。", "巡察组应当公布举报电话和邮箱。"
    new = BASE[:3] + [first, second] + BASE[4:]
    result = align(articles(BASE), articles(new))
    split = [row for row in result.rows if row.kind == compare.SPLIT]
    assert len(split) == 1
    assert split[0].old_labels == "第四条" and split[0].new_labels == "第四条、第五条"
    assert split[0].note == "原第四条拆分为第四条、第五条"
    assert compare.INSERTED not in kinds(result) and compare.DELETED not in kinds(result)
    assert [row.kind for row in result.rows[4:]] == [compare.UNCHANGED] * 4


def test_it_groups_two_articles_merged_into_one():
    merged = BASE[5] + BASE[6]
    new = BASE[:5] + [merged] + BASE[7:]
    result = align(articles(BASE), articles(new))
    rows = [row for row in result.rows if row.kind == compare.MERGED]
    assert len(rows) == 1
    assert rows[0].old_labels == "第六条、第七条" and rows[0].new_labels == "第六条"
    assert compare.INSERTED not in kinds(result) and compare.DELETED not in kinds(result)
    assert rows[0].note == "原第六条、第七条合并为第六条"


def test_it_treats_a_wholly_rewritten_article_as_deleted_and_inserted():
    new = list(BASE)
    new[4] = "各乡镇党委应当每年向县委报告基层党风廉政建设情况，主动接受群众评议。"
    result = align(articles(BASE), articles(new))
    assert result.counts()[compare.DELETED] == 1 and result.counts()[compare.INSERTED] == 1
    assert result.counts()[compare.MODIFIED] == 0
    at = kinds(result).index(compare.DELETED)
    assert result.rows[at].old_labels == "第五条" and kinds(result)[at + 1] == compare.INSERTED


def test_it_ignores_whitespace_and_punctuation_width():
    new = list(BASE)
    new[1] = BASE[1].replace("，", ", ").replace("在县委", "在 县委")
    result = align(articles(BASE), articles(new))
    assert kinds(result) == [compare.UNCHANGED] * len(BASE)


def test_it_treats_an_article_cut_down_as_modified():
    new = list(BASE)
    new[4] = "巡察组可以采取个别谈话、调阅复制文件等方式开展工作。"
    result = align(articles(BASE), articles(new))
    assert result.rows[4].kind == compare.MODIFIED


def test_it_handles_empty_versions():
    assert align([], []).rows == []
    assert kinds(align(articles(BASE[:2]), [])) == [compare.DELETED] * 2
    assert kinds(align([], articles(BASE[:2]))) == [compare.INSERTED] * 2


@pytest.mark.parametrize(("old", "new"), [
    ("第一条 本规则自发布之日起施行。", "本规则自2025年1月1日起施行。"),
    ("甲乙丙", "甲乙丙丁"),
    ("", "新的条文"),
    ("旧的条文", ""),
    ("巡察组\n  应当报告。", "巡察组应当及时报告。"),
])
def test_it_diffs_back_to_both_texts(old, new):
    segments = diff(compare.body(old), compare.body(new))
    assert "".join(s.text for s in segments if s.op != "delete") == compare.body(new).strip()
    # equal parts show the new side's spacing: the old text comes back up to whitespace
    old_side = "".join(s.text for s in segments if s.op != "insert")
    assert old_side.split() == [] if not old else "".join(old_side.split()) == "".join(compare.body(old).split())


def test_it_ignores_full_width_in_the_diff():
    assert diff("巡察组，应当报告。", "巡察组,应当报告。") == [compare.Segment("equal", "巡察组,应当报告。")]
