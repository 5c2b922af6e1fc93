"""Citations: found in free text, resolved within the user's committees, linked with their text."""

from __future__ import annotations

from django.template import Context, Template

from tests.regulations.library_sample import import_rules
from xuncha.regulations.citations import find_citations, linked, parse_citation, resolve


def test_find_citations_in_free_text():
    text = "违反了规则(2024)第三条第二款和《规则》（2024）第二条第（一）项，另见本规则第五条。"
    found = find_citations(text, titles={"规则"})
    assert [c.address for c in found] == ["第三条第二款", "第二条第（一）项"]
    assert text[found[0].start:found[0].end] == "规则(2024)第三条第二款"
    assert text[found[1].start:found[1].end] == "《规则》（2024）第二条第（一）项"


def test_parse_citation_written_alone():
    c = parse_citation("条例（2024）第三十二条第二款第（一）项")
    assert (c.title, c.version, c.article, c.paragraph, c.item) == ("条例", "2024", 32, 2, 1)
    assert parse_citation("《条例》第六条之一").address == "第六条之一"
    assert parse_citation("条例第三条") is None


def test_it_resolves_articles_paragraphs_and_items(world):
    import_rules(world)
    user = world.office_admin
    assert resolve(user, "规则(2024)第三条").provision.address == "第三条"
    assert resolve(user, "规则（2024）第三条第二款").provision.text == "领导小组办公室设在县纪委监委。"
    assert resolve(user, "《规则》(2024)第四条第一款第（二）项").provision.text == "听取巡察综合情况汇报。"
    # a one-paragraph article: its 第一款 is the article itself
    assert resolve(user, "规则(2024)第二条第一款第（一）项").provision.address == "第二条第（一）项"
    assert resolve(user, "《规则》第六条之一").article.label == "第六条之一"  # the newest version
    assert resolve(world.unit_liaison, "规则(2024)第三条") is not None


def test_unresolvable_citations(world):
    import_rules(world)
    user = world.office_admin
    assert resolve(user, "规则(2019)第三条") is None  # no such version
    assert resolve(user, "规则(2024)第九十九条") is None
    assert resolve(user, "规则(2024)第三条第五款") is None
    assert resolve(user, "办法(2024)第三条") is None
    assert resolve(world.outsider, "规则(2024)第三条") is None  # another committee's library


def test_linked_escapes_and_links(world):
    version = import_rules(world)
    html = linked('<script>alert(1)</script> 依据规则(2024)第三条第二款 和 规则(2024)第九十九条', world.office_admin)
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert f'href="/regulations/{version.pk}/articles/3/#p' in html
    assert 'title="规则(2024)第三条第二款\n领导小组办公室设在县纪委监委。"' in html
    assert html.count("<a ") == 1 and "规则(2024)第九十九条" in html


def test_the_cite_filter(world):
    import_rules(world)
    html = Template("{% load regulation_citations %}{{ text|cite:user }}").render(
        Context({"text": "规则(2024)第一条 <b>", "user": world.group_leader}))
    assert 'class="citation"' in html and "&lt;b&gt;" in html
    outsider = Template("{% load regulation_citations %}{{ text|cite:user }}").render(
        Context({"text": "规则(2024)第一条 <b>", "user": world.outsider}))
    assert "<a " not in outsider and "&lt;b&gt;" in outsider
