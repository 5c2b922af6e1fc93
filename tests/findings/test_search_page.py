"""Search over papers and problems: both scripts, full-width characters, pinyin annotations,
the words marked (escaped first), and never beyond what the user may see."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.findings.problem_helpers import problem
from xuncha.text.search import search_key


def _paper(make_paper, title, facts="", **fields):
    paper = make_paper("signed", title=title, facts=facts, **fields)
    paper.search_text = search_key(paper.title, paper.facts)
    paper.save(update_fields=["search_text"])
    return paper


def _search(client, q, **params):
    response = client.get(reverse("findings:search"), {"q": q, **params})
    assert response.status_code == 200
    return response.content.decode()


def test_a_simplified_query_finds_traditional_text_and_marks_it(client, world, make_paper):
    _paper(make_paper, "村集體的資金被挪用", "村會計將集體資金轉入個人賬戶。")
    client.force_login(world.group_leader)
    page = _search(client, "挪用村集体资金")
    assert "<mark>資金</mark>" in page and "<mark>挪用</mark>" in page


def test_a_traditional_query_finds_simplified_text(client, world, make_paper):
    made = problem(world, make_paper, title="工程项目未经招投标", description="村委会将工程直接发包。")
    client.force_login(world.office_admin)
    page = _search(client, "工程項目招投標")
    assert reverse("findings:problem_detail", args=[made.pk]) in page
    assert "<mark>工程项目</mark>" in page


def test_full_width_characters_match_half_width(client, world, make_paper):
    _paper(make_paper, "ABC公司围标串标", "涉及金额 120 万元。")
    _paper(make_paper, "ＸＹＺ合作社虚报面积", "")
    client.force_login(world.group_leader)
    page = _search(client, "ＡＢＣ公司")
    assert "<mark>ABC公司</mark>" in page and "ＸＹＺ" not in page
    assert "<mark>ＸＹＺ合作社</mark>" in _search(client, "xyz合作社")


def test_a_pinyin_annotated_text_is_found(client, world, make_paper):
    _paper(make_paper, "机(jī)构(gòu)改革不到位", "")
    client.force_login(world.group_leader)
    page = _search(client, "机构改革")
    assert "<mark>机(jī)构</mark>" in page


def test_the_text_is_escaped_before_marking(client, world, make_paper):
    _paper(make_paper, "<script>alert(1)</script>资金", "")
    client.force_login(world.group_leader)
    page = _search(client, "资金")
    assert "<script>alert" not in page and "&lt;script&gt;" in page


@pytest.mark.parametrize("role", ["group_member", "supervisor"])
def test_another_groups_paper_and_a_lead_never_appear(client, world, findings, make_paper, role):
    _paper(make_paper, "甲村资金问题", "")  # group 1
    problem(world, make_paper, papers=[_paper(make_paper, "线索资金问题", "书记收受好处。", kind="lead")], title="线索资金问题")
    client.force_login(world.users[role])
    page = _search(client, "资金")
    assert "线索" not in page
    if role == "group_member":
        assert "甲村" not in page
    else:
        assert "甲村<mark>资金</mark>问题" in page  # the superior office reads ordinary papers


def test_results_are_paginated_per_type(client, world, make_paper, django_assert_max_num_queries):
    for i in range(25):
        _paper(make_paper, f"资金问题{i:02d}", "")
    client.force_login(world.group_leader)
    with django_assert_max_num_queries(14):
        first = _search(client, "资金")
    second = _search(client, "资金", papers_page=2)
    assert first.count("<mark>资金</mark>问题") == 20 and second.count("<mark>资金</mark>问题") == 5


def test_an_empty_query_lists_nothing(client, world, make_paper):
    _paper(make_paper, "资金问题", "")
    client.force_login(world.group_leader)
    assert "资金问题" not in _search(client, "")
