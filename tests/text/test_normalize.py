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


# The generous table: (raw, expected normalized). Grouped by what they exercise; every case is
# a line the project wrote, none is copied text.
CASES = [
    # -- the brief's examples
    ("机(jī)构(gòu)", "机构"),
    ("機(ji1)構(gou4)", "机构"),
    ("（以下简称《条例》）", "(以下简称《条例》)"),
    ("党委（党组）", "党委(党组)"),
    ("第（一）项", "第(一)项"),
    ("(2024)", "(2024)"),
    ("（试行）", "(试行)"),
    ("Word(docx)", "Word(docx)"),
    # -- every tone mark, one character each
    ("阿(ā)", "阿"), ("啊(á)", "啊"), ("啊(ǎ)", "啊"), ("啊(à)", "啊"),
    ("鹅(é)字", "鹅字"), ("饿(è)字", "饿字"), ("恶(ě)心", "恶心"), ("阿(ē)胶", "阿胶"),
    ("一(yī)", "一"), ("移(yí)交", "移交"), ("以(yǐ)上", "以上"), ("议(yì)事", "议事"),
    ("窝(wō)", "窝"), ("哦(ó)", "哦"), ("我(wǒ)们", "我们"), ("握(wò)手", "握手"),
    ("督(dū)查", "督查"), ("无(wú)", "无"), ("五(wǔ)条", "五条"), ("务(wù)必", "务必"),
    ("驴(lǘ)", "驴"), ("吕(lǚ)", "吕"), ("律(lǜ)师", "律师"), ("女(nǚ)", "女"), ("绿(lǖ)", "绿"),
    ("旅(lü)游", "旅游"),
    ("嗯(ń)", "嗯"), ("嗯(ň)", "嗯"), ("嗯(ǹ)", "嗯"), ("呣(ḿ)", "呣"),
    ("略(lüè)", "略"), ("虐(nüè)待", "虐待"),
    # -- numbered tones 1-5 (and 0 as some tools write the neutral tone)
    ("中(zhong1)", "中"), ("国(guo2)", "国"), ("党(dang3)", "党"), ("任(ren4)务", "任务"),
    ("的(de5)", "的"), ("吗(ma0)", "吗"), ("绿(lv4)", "绿"), ("绿(lu:4)", "绿"),
    ("巡(xun2)察(cha2)组(zu3)", "巡察组"), ("巡察(xun2 cha2)", "巡察"), ("巡察(xun2cha2)", "巡察"),
    # -- several syllables after a word
    ("巡察(xún chá)", "巡察"), ("巡察（xún chá）工作", "巡察工作"),
    ("整改(zhěng gǎi)落实", "整改落实"), ("被巡察党组织(dǎng zǔ zhī)", "被巡察党组织"),
    ("党委（dǎngwěi）", "党委"), ("中国(Zhōngguó)", "中国"), ("西安(xī'ān)", "西安"),
    ("西安(Xī’ān)", "西安"),
    # -- without tones: only when the letters read as the characters before them
    ("他们(ta men)", "他们"), ("中国(zhongguo)", "中国"), ("巡察(xun cha)", "巡察"),
    ("工具(ping)", "工具(ping)"), ("系统(man)", "系统(man)"), ("附件(an)", "附件(an)"),
    # -- annotations next to real parentheses
    ("巡察(xún chá)（以下简称巡察）", "巡察(以下简称巡察)"),
    ("巡(xún)察(chá)（试行）", "巡察(试行)"),
    ("第(dì)（一）项", "第(一)项"),
    ("党委(dǎng wěi)（党组）", "党委(党组)"),
    ("（巡(xún)察(chá)）", "(巡察)"),
    ("《条(tiáo)例(lì)》（2024）", "《条例》(2024)"),
    ("中(zhōng)国(guó)（China）", "中国(China)"),
    ("这(zhè)是(shì)Word(docx)文件", "这是Word(docx)文件"),
    # -- nested and other real brackets stay
    ("党委（党组（扩大）会议）", "党委(党组(扩大)会议)"),
    ("党委（党组（扩(kuò)大(dà)）会议）", "党委(党组(扩大)会议)"),
    ("第（二十）条（一）", "第(二十)条(一)"),
    ("青崖县（2024）12号", "青崖县(2024)12号"),
    ("县委办〔2024〕3号", "县委办〔2024〕3号"),
    ("附件（pdf）", "附件(pdf)"),
    ("下载(PDF)", "下载(PDF)"),
    ("会议（Meeting）", "会议(Meeting)"),
    ("汇报(report)", "汇报(report)"),
    ("工作(work)", "工作(work)"),
    ("人工智能(AI)", "人工智能(AI)"),
    ("中(zhōngguó)", "中(zhōngguó)"),  # two syllables for one character
    ("(jī)构", "(jī)构"),  # nothing before it to annotate
    ("A(ā)", "A(ā)"),
    ("ISO(9001)", "ISO(9001)"),
    ("函数f(x)", "函数f(x)"),
    # -- whitespace, empty
    ("", ""), (" ", ""), ("\u3000\u3000", ""), ("\t\n", ""),
    ("  第一条  为了 ", "第一条 为了"),
    ("巡察\u00a0工作", "巡察 工作"),
    ("机 (jī)构", "机构"),
    # -- full-width letters, digits and punctuation
    ("ＷＯＲＤ２０２４", "WORD2024"),
    ("ｐｄｆ", "pdf"),
    ("第１２条：", "第12条:"),
    ("问题？整改！", "问题?整改!"),
    ("机（ｊī）构（ｇòu）", "机构"),
    ("〈条例〉", "〈条例〉"),
    # -- traditional → simplified, with and without annotations
    ("巡察組（試行）", "巡察组(试行)"),
    ("黨(dǎng)組(zǔ)織(zhī)", "党组织"),
    ("問題線索", "问题线索"),
    ("監督檢查", "监督检查"),
    # -- mixed scripts
    ("县委第3巡察组 Group 3", "县委第3巡察组 Group 3"),
    ("第(dì)3组 team(A)", "第3组 team(A)"),
    ("Python(pài sēn)", "Python(pài sēn)"),
]


def test_the_table_is_generous():
    assert len(CASES) >= 60


@pytest.mark.parametrize(("raw", "expected"), CASES, ids=[f"{i}:{raw[:12]}" for i, (raw, _) in enumerate(CASES)])
def test_it_normalizes_the_table(raw, expected):
    assert normalize(raw) == expected


@pytest.mark.parametrize("mark", list("āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ"))
def test_every_tone_mark_appears_in_the_table(mark):
    assert any(mark in raw for raw, _ in CASES)


@pytest.mark.parametrize("tone", "12345")
def test_every_tone_number_appears_in_the_table(tone):
    assert any(tone + ")" in raw for raw, _ in CASES)


@pytest.mark.parametrize(("raw", "expected"), CASES)
def test_normalize_is_idempotent(raw, expected):
    assert normalize(expected) == expected
