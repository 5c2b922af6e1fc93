"""Comparing two versions section by section, with insertions and deletions marked character by
character after escaping."""

from __future__ import annotations

from xuncha.reports import diff


def test_it_marks_insertions_and_deletions_by_character():
    assert diff.chars("村集体资金坐收坐支", "村集体资金长期坐收坐支") == "村集体资金<ins>长期</ins>坐收坐支"
    assert diff.chars("发放不及时", "发放及时") == "发放<del>不</del>及时"
    assert diff.chars("三万元", "五万元") == "<del>三</del><ins>五</ins>万元"


def test_it_escapes_before_marking():
    html = diff.text("a < b", "a < b <script>")
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert html.startswith("a &lt; b") and "<ins>" in html


def test_unchanged_lines_stay_plain_and_changed_lines_are_compared_inside():
    old = "（一）第一\n1.要点\n（1）问题甲。"
    new = "（一）第一\n1.要点\n（1）问题乙。\n（2）问题丙。"
    html = diff.text(old, new)
    assert html.startswith("（一）第一\n1.要点\n（1）问题")
    assert "<del>甲</del><ins>乙</ins>" in html and "<ins>" in html and "问题丙" in html


def test_sections_are_matched_by_key():
    old = [{"key": "a", "title": "概述", "body": "旧"}, {"key": "b", "title": "问题", "body": "同"},
           {"key": "c", "title": "附件", "body": "删"}]
    new = [{"key": "b", "title": "主要问题", "body": "同"}, {"key": "a", "title": "概述", "body": "新"},
           {"key": "d", "title": "新增", "body": "加"}]
    result = {d.key: d for d in diff.sections(old, new)}
    assert [d.key for d in diff.sections(old, new)] == ["b", "a", "d", "c"]
    assert result["b"].status == "changed" and result["b"].old_title == "问题" and result["b"].html == "同"
    assert result["a"].html == "<del>旧</del><ins>新</ins>"
    assert result["d"].status == "added" and result["d"].html == "<ins>加</ins>"
    assert result["c"].status == "removed" and result["c"].html == "<del>删</del>"
    same = diff.sections(old[:1], old[:1])[0]
    assert same.status == "same" and not same.changed


def test_long_reports_compare_quickly():
    import time

    body = "\n".join(f"（{i}）第{i}个问题的描述，涉及资金若干万元，未按规定履行程序。" for i in range(1, 400))
    changed = body.replace("第200个", "第二百个").replace("第5个", "第五个")
    start = time.perf_counter()
    html = diff.text(body, changed)
    assert time.perf_counter() - start < 2
    assert html.count("<ins>") == 2
