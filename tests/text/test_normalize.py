"""normalize() and match_key(): the keys that names and titles are matched and searched by."""

from __future__ import annotations

import unicodedata

import pytest

from xuncha.text import match_key, normalize, strip_pinyin_annotations


@pytest.mark.parametrize(("raw", "expected"), [
    ("ＡＢＣ１２３", "ABC123"),
    ("第１条，第２款；附件：", "第1条,第2款;附件:"),
    ("（以下简称《条例》）", "(以下简称《条例》)"),
    ("巡察　工作", "巡察 工作"),  # U+3000 ideographic space
])
def test_it_folds_full_width_forms(raw, expected):
    assert normalize(raw) == expected


@pytest.mark.parametrize(("raw", "expected"), [
    ("機構", "机构"),
    ("黨委", "党委"),
    ("巡察組", "巡察组"),
    ("整改報告", "整改报告"),
])
def test_it_converts_traditional_to_simplified(raw, expected):
    assert normalize(raw) == expected


def test_it_collapses_whitespace():
    assert normalize("  县财政局 \t\n 党组  ") == "县财政局 党组"
    assert normalize("") == ""
    assert normalize("   ") == ""


# Every tone mark, each on a real syllable.
TONED = {
    "a": ("妈", ["mā", "má", "mǎ", "mà"]),
    "e": ("额", ["ē", "é", "ě", "è"]),
    "i": ("衣", ["yī", "yí", "yǐ", "yì"]),
    "o": ("哦", ["ō", "ó", "ǒ", "ò"]),
    "u": ("乌", ["wū", "wú", "wǔ", "wù"]),
    "ü": ("绿", ["lǖ", "lǘ", "lǚ", "lǜ"]),
}


@pytest.mark.parametrize("vowel", sorted(TONED))
def test_it_strips_annotations_with_every_tone_mark(vowel):
    han, readings = TONED[vowel]
    for reading in readings:
        assert normalize(f"{han}({reading})字") == f"{han}字", reading
        assert normalize(f"{han}（{reading}）字") == f"{han}字", reading


def test_every_tone_mark_of_the_brief_is_covered():
    marks = {c for _, readings in TONED.values() for r in readings for c in r if ord(c) > 127}
    assert marks == set("āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ")


def test_it_strips_decomposed_tone_marks():
    decomposed = unicodedata.normalize("NFD", "机(jī)构(gòu)")
    assert decomposed != "机(jī)构(gòu)"
    assert normalize(decomposed) == "机构"


@pytest.mark.parametrize(("raw", "expected"), [
    ("機(jī)構(gòu)", "机构"),
    ("机（jī）构（gòu）", "机构"),
    ("中(zhong1)国(guo2)", "中国"),
    ("绿(lv4)色", "绿色"),
    ("女(nü3)", "女"),
    ("吗(ma5)", "吗"),
    ("中(Zhōng)", "中"),
    ("第(dì)一(yī)条(tiáo)", "第一条"),
    ("巡察(xún chá)工作", "巡察工作"),
    ("中国(zhōngguó)", "中国"),
    ("中国（zhong1guo2）", "中国"),
    ("他们(ta men)", "他们"),
])
def test_it_strips_pinyin_annotations(raw, expected):
    assert normalize(raw) == expected


@pytest.mark.parametrize(("raw", "expected"), [
    ("（以下简称《条例》）", "(以下简称《条例》)"),
    ("党委（党组）", "党委(党组)"),
    ("附件(A)", "附件(A)"),
    ("附件(a)", "附件(a)"),
    ("附件(An)", "附件(An)"),
    ("（一）（二）", "(一)(二)"),
    ("第一条（一）（二）", "第一条(一)(二)"),
    ("加入世贸组织(WTO)", "加入世贸组织(WTO)"),
    ("（WTO）", "(WTO)"),
    ("人工智能(AI)", "人工智能(AI)"),
    ("公司(change)", "公司(change)"),
    # more syllables than characters before the bracket: not an annotation of them
    ("中(zhōngguó)", "中(zhōngguó)"),
    ("附件（附件(A)）", "附件(附件(A))"),
])
def test_it_keeps_brackets_that_are_not_pinyin(raw, expected):
    assert normalize(raw) == expected


def test_strip_keeps_the_rest_of_the_text_as_typed():
    assert strip_pinyin_annotations("機(jī)構（gòu）ＡＢ") == "機構ＡＢ"


@pytest.mark.parametrize("variant", ["王 建国", "王建國", " 王　建 國 ", "王(wáng)建国"])
def test_match_key_is_equal_for_variants_of_one_name(variant):
    assert match_key(variant) == match_key("王建国") == "王建国"


def test_match_key_folds_full_width_latin_and_case():
    assert match_key("ＷＡＮＧ Jian") == match_key("wang jian") == "wangjian"


def test_match_key_tells_different_names_apart():
    assert match_key("王建国") != match_key("王建军")
