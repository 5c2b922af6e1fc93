"""The vague-measure scorer (措施空泛): each reason, the score, copy detection, and precision and
recall on the hand-labelled set in data/vague_measures.yaml."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from xuncha.text.vagueness import REASONS, VAGUE_AT, Assessment, assess, similarity

DATA = Path(__file__).parent / "data" / "vague_measures.yaml"
CONCRETE = "由村会计于2024年6月底前补齐2023年度缺失的12张报销凭证。"


@pytest.fixture(scope="module")
def labelled() -> dict[str, list[dict]]:
    return yaml.safe_load(DATA.read_text(encoding="utf-8"))


def _counts(items: list[dict]) -> dict[str, int]:
    counts = {"tp": 0, "fp": 0, "fn": 0, "tn": 0}
    for item in items:
        vague = assess(item["text"], item.get("others") or ()).vague
        gold = item["label"] == "vague"
        counts[("t" if vague == gold else "f") + ("p" if vague else "n")] += 1
    return counts


def _precision_recall(counts: dict[str, int]) -> tuple[float, float]:
    return counts["tp"] / (counts["tp"] + counts["fp"]), counts["tp"] / (counts["tp"] + counts["fn"])


# ---- each reason -------------------------------------------------------------------------------

def test_a_fully_concrete_measure_has_no_reason():
    result = assess(CONCRETE)
    assert result == Assessment(score=0.0, vague=False, reasons=())


@pytest.mark.parametrize("measure", [
    "进一步加强财务管理。",
    "切实提高思想认识，增强纪律意识。",
    "高度重视，举一反三，立行立改。",
])
def test_slogans_without_action_are_vague(measure):
    result = assess(measure)
    assert result.vague
    assert "slogan" in result.reasons


def test_a_slogan_opening_does_not_spoil_a_concrete_measure():
    result = assess("进一步加强财务管理，由村会计于6月底前补齐缺失的12张报销凭证。")
    assert not result.vague
    assert "slogan" not in result.reasons
    assert result.score < assess(CONCRETE.replace("。", "")).score + 0.1


def test_a_long_pile_of_slogans_around_one_concrete_clause_is_vague():
    pile = ("深刻汲取教训，举一反三，切实提高思想认识，严格落实主体责任，按时召开组织生活会，"
            "认真开展批评与自我批评，确保整改工作落到实处、取得实效。")
    result = assess(pile)
    assert result.vague
    assert "slogan" in result.reasons
    # The slogans are what tip it: the concrete clause alone scores lower.
    assert assess("按时召开组织生活会。").score < result.score


@pytest.mark.parametrize("measure", ["建立健全长效机制。", "严格落实主体责任。", "切实转变工作作风，提高服务水平。",
                                     "进一步规范村集体资金管理。"])
def test_abstract_objects_are_no_objects(measure):
    result = assess(measure)
    assert "no_object" in result.reasons
    assert result.vague


@pytest.mark.parametrize("measure", ["修订《村级财务管理制度》。", "追回挪用的扶贫资金。", "补齐12张凭证。",
                                     "收回被占用的8.6亩集体土地。"])
def test_an_action_on_a_concrete_object_is_concrete_even_when_short(measure):
    result = assess(measure)
    assert "no_object" not in result.reasons
    assert not result.vague


def test_no_object():
    result = assess("由村会计负责，于6月底前完成整改。")
    assert "no_object" in result.reasons
    assert result.vague  # a deadline and an actor alone do not say what will be done


def test_no_time():
    result = assess("由村会计补齐12张报销凭证。")
    assert "no_time" in result.reasons
    assert {"no_object", "no_quantity", "no_actor"}.isdisjoint(result.reasons)


@pytest.mark.parametrize("when", ["6月底前", "2024年9月30日前", "即日起", "每季度", "3个工作日内", "本学期内"])
def test_time_limits_in_their_usual_forms(when):
    assert "no_time" not in assess(f"{when}由村会计补齐报销凭证。").reasons


@pytest.mark.parametrize("vague_time", ["定期", "及时", "限期", "适时"])
def test_vague_words_of_time_are_no_time(vague_time):
    assert "no_time" in assess(f"由村会计{vague_time}补齐报销凭证。").reasons


def test_no_quantity():
    result = assess("由村会计于6月底前补齐报销凭证。")
    assert "no_quantity" in result.reasons
    assert not result.vague


@pytest.mark.parametrize("amount", ["12张", "3.5万元", "全部7户", "全额", "逐笔", "两名"])
def test_quantities_in_their_usual_forms(amount):
    assert "no_quantity" not in assess(f"由村会计于6月底前清退{amount}补贴。").reasons


@pytest.mark.parametrize("phrase", ["三会一课", "四个意识", "一岗双责", "八项规定", "100%"])
def test_numbers_in_set_phrases_are_no_quantity(phrase):
    assert "no_quantity" in assess(f"严格落实{phrase}要求。").reasons


def test_numbering_of_a_list_of_measures_is_no_quantity():
    assert "no_quantity" in assess("1.加强学习；2.提高认识；（3）转变作风。").reasons
    listed = assess("1.由村会计于6月底前补齐报销凭证；2.进一步加强财务管理。")
    assert not listed.vague
    assert "no_quantity" in listed.reasons
    # A decimal after a comma is still an amount.
    assert "no_quantity" not in assess("由村会计于6月底前退回，3.5万元").reasons


def test_no_actor():
    result = assess("6月底前补齐12张报销凭证。")
    assert result.reasons == ("no_actor",)
    assert not result.vague


@pytest.mark.parametrize("actor", ["村会计", "分管副镇长", "财务室", "镇纪委", "村监委会主任"])
def test_named_actors(actor):
    assert "no_actor" not in assess(f"{actor}于6月底前补齐报销凭证。").reasons


def test_short():
    assert "short" in assess("立即整改").reasons
    assert assess("立即整改").vague
    assert "short" not in assess(CONCRETE).reasons
    # Shorter is vaguer, other things equal.
    assert assess("补齐凭证").score > assess("补齐全部报销凭证").score


def test_copy_of_a_measure_for_another_problem():
    others = [CONCRETE, "召开村民代表大会，对鱼塘承包合同重新表决。"]
    result = assess(CONCRETE, others)
    assert "copy" in result.reasons
    assert result.vague  # a copy is vague however concrete it reads
    assert "copy" not in assess(CONCRETE, others[1:]).reasons


def test_copy_ignores_punctuation_whitespace_script_and_width():
    copy = "由村會計於２０２４年６月底前 補齊2023年度缺失的12張報銷憑證"
    assert similarity(CONCRETE, copy) == 1.0
    assert "copy" in assess(CONCRETE, [copy]).reasons


def test_a_near_copy_with_another_problem_name_is_a_copy():
    measure = "针对公务接待无公函问题，由办公室主任负责，于6月底前完成整改并形成书面整改报告报局党组。"
    other = "针对公车私用问题，由办公室主任负责，于6月底前完成整改并形成书面整改报告报局党组。"
    assert "copy" in assess(measure, [other]).reasons


def test_a_shared_generic_sentence_counts_less_than_a_wholesale_copy():
    generic = "同时举一反三，建立健全长效机制，确保整改落到实处。"
    a = "由村会计于6月底前补齐12张报销凭证，经村监委会审核后归档。" + generic
    b = "由村出纳于7月15日前追回违规借支的3笔备用金共1.2万元。" + generic
    assert similarity(a, b) < similarity(a, a.replace("村会计", "村出纳"))
    assert similarity(a, b) < 0.5
    assert "copy" not in assess(a, [b]).reasons
    # Without the weighting the shared sentence would carry half of the text.
    assert similarity(generic, generic) == 1.0


def test_empty_and_blank_others_are_ignored():
    assert "copy" not in assess("", ["", "   "]).reasons
    assert "copy" not in assess(CONCRETE, ["", "  ", "。"]).reasons


# ---- score ---------------------------------------------------------------------------------------

def test_reasons_are_known_codes_in_a_fixed_order(labelled):
    for item in labelled["measures"] + labelled["held_out"]:
        reasons = assess(item["text"], item.get("others") or ()).reasons
        assert set(reasons) <= set(REASONS)
        assert list(reasons) == sorted(reasons, key=REASONS.index)


def _random_text(rng: random.Random) -> str:
    pieces = ["进一步", "加强", "由村会计", "于6月底前", "补齐", "12张", "凭证", "，", "。", "《制度》", "机制",
              "高度重视", "3.5万元", " ", "ａｂ", "\n", "1.", "（2）", "资金管理", "召开", "会议", "x"]
    return "".join(rng.choice(pieces) for _ in range(rng.randint(0, 30)))


def test_score_stays_within_bounds_and_vague_follows_the_threshold():
    rng = random.Random(20240520)
    texts = ["", " ", "。。。", "a", "整", "进一步加强" * 50, CONCRETE * 20] + [_random_text(rng) for _ in range(300)]
    for text in texts:
        result = assess(text, rng.sample(texts, 3))
        assert 0.0 <= result.score <= 1.0
        assert result.vague == (result.score >= VAGUE_AT)
    assert assess("").vague


def test_vaguer_measures_score_higher():
    ladder = ["加强学习。", "由村会计负责整改。", "追回挪用的扶贫资金。", "由村会计补齐12张报销凭证。", CONCRETE]
    scores = [assess(m).score for m in ladder]
    assert scores == sorted(scores, reverse=True)
    assert len(set(scores)) == len(scores)


def test_similarity_is_symmetric_and_bounded(labelled):
    texts = [item["text"] for item in labelled["measures"][::7]]
    for a in texts:
        assert similarity(a, a) == 1.0
        for b in texts[:5]:
            assert 0.0 <= similarity(a, b) <= 1.0
            assert similarity(a, b) == similarity(b, a)
    assert similarity("", CONCRETE) == 0.0


def test_deterministic_across_processes(labelled):
    """The same scores in another interpreter with another hash seed, and without Django or
    jieba loaded: the scorer is a pure function of its text."""
    items = labelled["measures"][:60]
    here = [assess(i["text"], i.get("others") or ()) for i in items]
    assert here == [assess(i["text"], i.get("others") or ()) for i in items]
    script = (
        "import json, sys\n"
        "from xuncha.text.vagueness import assess\n"
        "items = json.load(sys.stdin)\n"
        "found = [assess(i['text'], i.get('others') or ()) for i in items]\n"
        "print(json.dumps([[a.score, a.vague, list(a.reasons)] for a in found]))\n"
        "assert 'django' not in sys.modules and 'jieba' not in sys.modules, 'not a pure function'\n"
    )
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    done = subprocess.run([sys.executable, "-c", script], input=json.dumps(items), env=env,
                          capture_output=True, text=True, check=True)
    assert json.loads(done.stdout) == [[a.score, a.vague, list(a.reasons)] for a in here]


# ---- the labelled set ----------------------------------------------------------------------------

def test_the_labelled_set_is_large_balanced_and_unique(labelled):
    items = labelled["measures"] + labelled["held_out"]
    assert len(items) >= 200
    assert len(labelled["held_out"]) >= 40
    labels = [item["label"] for item in items]
    assert set(labels) == {"vague", "concrete"}
    for label in ("vague", "concrete"):
        assert labels.count(label) >= 0.4 * len(items)
    texts = [item["text"] for item in items]
    assert len(set(texts)) == len(texts)
    assert any(item.get("others") for item in labelled["held_out"])


def test_precision_and_recall_on_the_labelled_set(labelled):
    counts = _counts(labelled["measures"] + labelled["held_out"])
    precision, recall = _precision_recall(counts)
    print(f"\nall: precision {precision:.3f}, recall {recall:.3f}, {counts}")
    assert precision >= 0.9, counts
    assert recall >= 0.9, counts


def test_precision_and_recall_on_the_held_out_part(labelled):
    counts = _counts(labelled["held_out"])
    precision, recall = _precision_recall(counts)
    print(f"\nheld out: precision {precision:.3f}, recall {recall:.3f}, {counts}")
    assert precision >= 0.8, counts
    assert recall >= 0.8, counts
