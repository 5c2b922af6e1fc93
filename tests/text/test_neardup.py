"""The near-duplicate engine (xuncha.text.neardup): what counts as the same problem, the
explanation's spans in the original texts, and batch and incremental matching against brute
force. No Django, no benchmark."""

from __future__ import annotations

import itertools
import random

import pytest

from xuncha.text import neardup as nd

BASE = "东门村2023年有白条入账3笔，金额共计5600元，村会计王某某未能说明原因。"


def test_equal_after_prepare_is_one():
    a = "村集体资金存在白条入账现象，涉及金额8000余元。"
    b = "村集体资金 存在 白条入账现象；涉及金额８０００余元"
    assert nd.prepare(a) == nd.prepare(b)
    assert nd.similarity(a, b) == 1.0
    assert nd.similarity("", "") == 1.0
    assert nd.similarity(a, "") == 0.0


def test_prepare_masks_numbers_places_persons_and_folds_paraphrase():
    prepared = nd.prepare("東門村2023年3月有白條入賬3筆，共計5.6萬元，會計王某某沒有說明原因。")
    assert "东门" not in prepared and "2023" not in prepared and "王" not in prepared
    assert prepared.startswith("@#年")
    assert "白条入账#笔" in prepared and "#元" in prepared and "未说明" in prepared
    assert nd.prepare("三会一课落实不到位") == nd.prepare("三会一课落实不严格")


@pytest.mark.parametrize("variant", [
    "西山村2022年有白条入账5笔，金额共计1.2万元，村会计李某未能说明原因。",  # amounts, place, person
    "村会计王某某未能说明原因，东门村2023年有白条入账3笔，金额共计5600元。",  # clauses reordered
    "東門村2023年有白條入賬3筆，金額共計5600元，村會計王某某未能說明原因。",  # traditional script
    "东门村２０２３年有白条入账３笔，金额共计５６００元，村会计王某某未能说明原因。",  # full width
    "东门村2023年有白条入账3笔，金额合计5600元，村会计王某某没有说明原因。",  # paraphrase
])
def test_variants_match(variant):
    assert nd.similarity(BASE, variant) >= nd.DEFAULT_THRESHOLD


@pytest.mark.parametrize(("a", "b"), [
    ("白条入账3笔", "大额现金支付"),
    (BASE, "东门村2023年有大额现金支付3笔，单笔超过5000元，出纳未按规定提取现金。"),
    ("低保审核把关不严，向5户不符合条件的家庭发放低保金。", "低保金发放不及时，3户低保对象2个月未领到。"),
    ("工程项目未按规定公开招标，直接指定施工单位。", "工程项目竣工后未组织验收即支付全部工程款。"),
    ("党费收缴不及时，部分党员长期未交纳党费。", "党费使用不规范，用党费购买办公用品。"),
])
def test_hard_negatives_do_not_match(a, b):
    assert nd.similarity(a, b) < nd.DEFAULT_THRESHOLD


def test_similarity_is_symmetric_and_bounded():
    texts = [BASE, "西山村白条入账", "公车私用", "私用公车，节假日驾驶公车办理私事。", "。。", "A"]
    for a, b in itertools.product(texts, repeat=2):
        score = nd.similarity(a, b)
        assert 0.0 <= score <= 1.0
        assert score == nd.similarity(b, a)


def test_explain_spans_point_into_the_original_texts():
    a = "東門村2023年有白條入賬3筆，村會計未能說明原因。"
    b = "ＸＸ村会计没有说明原因；西山村白条入账５笔。"
    explanation = nd.explain(a, b)
    assert explanation.similarity == nd.similarity(a, b)
    marked_a = [a[s:e] for s, e in explanation.spans_a]
    marked_b = [b[s:e] for s, e in explanation.spans_b]
    assert any("白條入賬" in m for m in marked_a)
    assert any("說明原因" in m for m in marked_a)
    assert any("白条入账" in m for m in marked_b)
    assert any("说明原因" in m for m in marked_b)
    for spans, text in ((explanation.spans_a, a), (explanation.spans_b, b)):
        assert spans == sorted(spans)
        for (_s1, e1), (s2, _e2) in itertools.pairwise(spans):
            assert e1 < s2  # merged, no overlap
        assert all(0 <= s < e <= len(text) for s, e in spans)
    # the phrases are as written in a, normalized (simplified), longest first
    assert any("白条入账" in p for p in explanation.phrases)
    assert [len(p) for p in explanation.phrases] == sorted((len(p) for p in explanation.phrases), reverse=True)


def test_explain_full_width_spans():
    a = "ＡＢＣ公司工程未公开招标"
    b = "工程没有公开招标"
    explanation = nd.explain(a, b)
    marked = "".join(a[s:e] for s, e in explanation.spans_a)
    assert "公开招标" in marked and "ＡＢＣ" not in marked


def test_explain_unrelated_has_no_spans():
    explanation = nd.explain("公车私用", "党费收缴不及时")
    assert explanation.similarity == 0.0
    assert explanation.spans_a == explanation.spans_b == explanation.phrases == []


def test_prepare_mapped_agrees_with_prepare():
    from xuncha.text.neardup_prepare import prepare_mapped

    for text in [BASE, "機(jī)構改革中，東門村村委會沒有公示", "ＡＢＣ１２３，王某某", "", "   ", "Σίσυφος ΣΑΣ"]:
        prepared, spans = prepare_mapped(text)
        assert prepared == nd.prepare(text)
        assert len(spans) == len(prepared)


def test_signature_has_a_fixed_length():
    sigs = nd.signatures(["", "A", BASE, BASE * 20])
    assert {len(s) for s in sigs} == {nd.SIGNATURE_BYTES}
    assert nd.signature(BASE) == sigs[2]
    assert nd.signature("東門村2023年有白條入賬3筆") == nd.signature("东门村2023年有白条入账3笔")


def _corpus(seed: int = 3, n: int = 60) -> list[str]:
    rng = random.Random(seed)
    bases = [
        "村集体资金存在白条入账现象，涉及金额{a}元。",
        "低保审核把关不严，向{n}户不符合条件的家庭发放低保金。",
        "工程项目未按规定公开招标，直接指定施工单位，合同金额{a}元。",
        "党费收缴不及时，{n}名党员长期未交纳党费。",
        "公务接待超标准，接待费用中列支烟酒{a}元。",
        "集体鱼塘发包未经民主程序，也未公开竞价，年承包费{a}元。",
        "三会一课制度落实不到位，{y}年支部党员大会仅召开{n}次。",
        "固定资产账实不符，{n}项资产未登记入账。",
        "村务公开不及时，{y}年财务收支未公开。",
        "违规发放津补贴，以加班补助名义发放{a}元。",
    ]
    places = ["东门村", "西山村", "南岭村", "城关镇", "青石乡", ""]
    out = []
    for _ in range(n):
        text = rng.choice(places) + rng.choice(bases).format(
            a=rng.randint(100, 99999), n=rng.randint(1, 20), y=rng.randint(2019, 2024))
        if rng.random() < 0.3:
            clauses = text.rstrip("。").split("，")
            rng.shuffle(clauses)
            text = "，".join(clauses) + "。"
        out.append(text)
    return out


def _brute(texts, keys, threshold):
    found = []
    for (i, a), (j, b) in itertools.combinations(zip(keys, texts, strict=True), 2):
        score = nd.similarity(a, b)
        if score >= threshold:
            found.append((min(i, j), max(i, j), score))
    return sorted(found)


@pytest.mark.parametrize("threshold", [0.5, nd.DEFAULT_THRESHOLD, 0.8])
def test_find_pairs_equals_brute_force(threshold):
    texts = _corpus()
    keys = [1000 - 7 * i for i in range(len(texts))]  # not in order, not positions
    assert sorted(nd.find_pairs(texts, threshold, keys=keys)) == _brute(texts, keys, threshold)
    assert sorted(nd.find_pairs(texts, threshold)) == _brute(texts, range(len(texts)), threshold)


def test_find_pairs_edge_cases():
    assert nd.find_pairs([]) == []
    assert nd.find_pairs(["公车私用"]) == []
    assert nd.find_pairs(["", ""]) == [(0, 1, 1.0)]
    with pytest.raises(ValueError):
        nd.find_pairs(["a", "b"], keys=[1])


def test_index_query_and_pairs():
    texts = _corpus(n=30)
    index = nd.Index()
    index.add(list(range(100, 130)), nd.signatures(texts))
    assert len(index) == 30
    candidates = index.query(nd.signatures(texts[:5]))
    for i, found in enumerate(candidates):
        assert 100 + i in found  # a text is its own candidate
        assert found == sorted(set(found))
    pairs = list(index.pairs())
    assert all(a < b for a, b in pairs) and len(pairs) == len(set(pairs))
    truth = {(a, b) for a, b, _s in _brute(texts, range(100, 130), nd.DEFAULT_THRESHOLD)}
    assert truth <= set(pairs)
    with pytest.raises(ValueError):
        index.add([1], [b"short"])


def test_match_is_incremental_find_pairs():
    texts = _corpus(seed=5, n=80)
    keys = list(range(1, 81))
    old, new = dict(zip(keys[:50], texts[:50], strict=True)), dict(zip(keys[50:], texts[50:], strict=True))
    index = nd.Index()
    index.add(list(old), nd.signatures(list(old.values())))
    fetched: list[int] = []

    def lookup(wanted):
        wanted = list(wanted)
        fetched.extend(wanted)
        return {k: old[k] for k in wanted}

    found = nd.match(new, index, lookup)
    assert set(fetched) <= set(old)
    union = nd.find_pairs(texts, keys=keys)
    expected = {(a, b, s) for a, b, s in union if a in new or b in new}
    got = {(min(a, b), max(a, b), s) for a, b, s in found}
    assert got == expected
    assert all(a in new for a, _b, _s in found)
    # an index already holding the new keys does not match them with themselves or twice
    index.add(list(new), nd.signatures(list(new.values())))
    again = nd.match(new, index, lambda ks: {k: {**old, **new}[k] for k in ks})
    assert {(min(a, b), max(a, b), s) for a, b, s in again} == expected


def test_match_with_empty_index_and_missing_texts():
    index = nd.Index()
    assert nd.match({1: BASE}, index, lambda ks: {}) == []
    index.add([7], [nd.signature(BASE)])
    assert nd.match({1: BASE}, index, lambda ks: {}) == []  # a candidate whose text is gone
    assert nd.match({1: BASE}, index, lambda ks: {7: BASE}) == [(1, 7, 1.0)]
