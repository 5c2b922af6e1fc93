import pytest

from xuncha.text.search import query_terms, search_key


def _hit(query: str, text: str) -> bool:
    key = search_key(text)
    terms = query_terms(query)
    return bool(terms) and all(term in key for term in terms)


@pytest.mark.parametrize(("query", "text"), [
    ("挪用村集体资金", "村集體的資金被挪用"),            # traditional text, simplified query
    ("村集體資金", "村集体资金坐收坐支"),                # traditional query
    ("ＰＰＰ项目", "ppp项目未按规定招标"),                 # full-width query, half-width text
    ("资金", "村集体资(zī)金(jīn)被挪用"),                 # pinyin annotations in the text
    ("坐收坐支 白条", "存在坐收坐支、白条入账问题"),       # words in another order
])
def test_it_finds_across_scripts_widths_and_order(query, text):
    assert _hit(query, text)


@pytest.mark.parametrize(("query", "text"), [
    ("挪用工程款", "村集体资金坐收坐支"),
    ("低保", "惠农补贴发放不到位"),
])
def test_it_does_not_find_what_is_not_there(query, text):
    assert not _hit(query, text)


def test_particles_are_dropped_but_a_single_character_query_is_kept():
    assert "的" not in query_terms("村集体的资金")
    assert query_terms("村") == ("村",)
    assert query_terms("  ，。 ") == ()


def test_search_key_joins_the_parts_and_skips_empty_ones():
    assert search_key("甲 乙", "", "丙") == "甲乙\n丙"
