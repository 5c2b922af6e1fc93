"""Text prepared for near-duplicate matching, with a map back to the original characters.

`prepare(text)` is what the matcher compares: the text normalized (xuncha.text.normalize: NFKC,
pinyin annotations removed, traditional → simplified), lower case, then
  - persons written as 王某某 / 李某 become 某; numbers (Arabic, and Chinese numerals before a
    measure word: 三笔, 十二户) become #, 万元/亿元 after a number become 元, dates (#年#月#日)
    become one #年; place names (two characters before 村/镇/乡/社区/街道/县/市) become @ —
    so changed amounts, dates, persons and places still match;
  - paraphrases are folded to one word (没有/尚未/未能 → 未, 不到位/不严格/不健全 → 不规范,
    兑付/拨付 → 发放, 公示 → 公开 …);
  - how it was found is dropped when a colon closes it near the start (巡察组在个别谈话中…
    反映，经核实：), filler too (的, 了, 经查, 存在, 问题, 共计 …), and every character that is not a
    letter, digit, Han character or mask (punctuation, spaces).

`prepare_mapped(text)` gives the same string and, for each of its characters, the span of the
original text it came from (a mask spans the whole number or name it replaced), so that
shared phrases found on prepared text can be highlighted in what was typed.

Every step is either a function of one character or a regex substitution; the fast path runs
them on strings, the mapped path runs the same steps on (character, span) pairs, so the two
agree by construction.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from difflib import SequenceMatcher
from functools import lru_cache

from xuncha.text.normalize import _t2s, strip_pinyin_annotations
from xuncha.text.vagueness import _alternation as _trie

_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
NUMBER = "#"
PLACE = "@"
PERSON = "某"


def _words(text: str) -> list[str]:
    return text.split()


# canonical word ← the words folded into it (tried longest first, so 没有 before 没)
SYNONYMS: dict[str, list[str]] = {
    "未": _words("没有 尚未 未能 未曾 并未 均未 从未 没能 未予 不曾"),
    "不规范": _words("""不到位 不严格 不严谨 不严肃 不严 不完善 不健全 不够规范 不够严格 不合规 不符合规定
                      不按规定 不按程序 不正规 欠规范 较乱 混乱 随意"""),
    "不全": _words("不完整 不齐全 不全面 不完备 缺失 缺少 缺项 残缺"),
    "不及时": _words("滞后 迟缓 拖延 延迟 超期 逾期 不按时"),
    "资金": _words("款项 钱款 资金款"),
    "发放": _words("兑付 兑现 拨付 发给 发到 兑发"),
    "公开": _words("公示 张榜公布 公布 张贴公布"),
    "记录": _words("记载 纪要 笔录"),
    "账": _words("账目 账簿 账本 账务 帐目 帐簿 帐"),
    "入账": _words("记账 登记入账 纳入账内 纳入账务 上账"),
    "凭证": _words("原始凭证 票据 单据 凭据"),
    "村委": _words("村委会 村民委员会 村两委 村支两委"),
    "村代会": _words("村民代表大会 村民代表会议 村民代表会 村民会议 村民大会"),
    "民主程序": _words("民主决策程序 民主议事程序 四议两公开程序 四议两公开"),
    "招标": _words("招投标 公开招标 招标投标 比选"),
    "亲属": _words("近亲属 亲友 亲戚 家属 亲人 家人"),
    "违规": _words("违反规定 违反有关规定 违反相关规定 违纪违规 违规违纪"),
    "超标": _words("超标准 超出标准 超过标准 超范围"),
    "公车私用": _words("私用公车 公车私驾"),
    "报销": _words("报账 列支 报支"),
    "低保": _words("最低生活保障金 最低生活保障 低保金 低保资金"),
    "村干部": _words("村组干部 村级干部 村社干部"),
    "集体": _words("村集体 村级集体"),
    "三资": _words("集体三资 资金资产资源 资产资源资金"),
    "现金": _words("现款"),
    "召开": _words("组织召开 开展了 举行"),
    "签订": _words("签署 订立 签定"),
    "合同": _words("协议书 协议 合约"),
    "挪用": _words("挪作他用 挪作它用 挪为他用"),
    "侵占": _words("侵吞 私占"),
    "多次": _words("屡次 反复 多回"),
    "长期": _words("长时间 常年 长年"),
    "部分": _words("个别 少数 一些 有的"),
    "集体决策": _words("集体研究决定 集体研究 集体讨论决定 集体讨论 集体决定"),
    "落实": _words("贯彻落实 贯彻执行 执行"),
    "审核": _words("审查 把关 核查 审核把关"),
    "党员": _words("共产党员"),
    "支部": _words("党支部 支委会 支部委员会"),
    "会议": _words("例会"),
    "接待": _words("公务接待 招待"),
}
# dropped words: connectives, report formulae and boilerplate around the facts
FILLER = _words("""
    的 了 着 等 均 仍 也 都 已 该 其 经查 经核查 经查阅 经调阅 经查实 查阅 调阅 抽查 巡察组发现 巡察中发现 巡察发现
    巡察期间 巡察进驻时 巡察时 巡察中 发现 存在 问题 情况 现象 方面 相关 有关 其中 共计 合计 累计 总计 涉及 金额
    进行 予以 以来 期间 目前 截至 截止 一直 仍然 依然 还 但 却 而 并且 以及 或者 方面 反映 群众反映 据反映
""")
# Chinese numerals masked before a measure word (三笔, 十二户, 两万元)
_CN_DIGITS = "零〇一二两三四五六七八九十百千万亿"
_MEASURES = "笔户人名个项次份元张台辆处亩间家条起宗年月日天期批件本位栋座所"
_PLACE_SUFFIX = "社区|街道|村(?![民委级务组干代两])|镇(?![村级])|乡(?![村镇级])|县(?![级委直])|市(?![级委场直])"
# characters that do not start a place name (在东门村: the place is 东门村)
_NOT_IN_PLACE = "的在向对经未将由把该本全各和与及是为从到个每其"


def _alternation(words) -> str:
    """Any of `words`, longest first, as a trie (much faster than a flat alternation)."""
    return _trie(" ".join(sorted(set(words))))


_SYNONYM_OF = {w: canon for canon, words in SYNONYMS.items() for w in words}

# (pattern, replacement) in order; a replacement is a string or a function of the match
Step = tuple[re.Pattern[str], "str | Callable[[re.Match[str]], str]"]
STEPS: list[Step] = [
    # how it was found, before a colon near the start: "巡察组在个别谈话中…反映，经核实：",
    # "经调阅…会计账簿，发现：" — the problem is what follows
    (re.compile(r"^(?:巡察|经|个别谈话|在|通过|据|对|群众|问卷|民主测评|下沉|实地)[^:。;]{0,50}?"
                r"(?:发现|核实|了解到?|查实|查明|证实|查看|反映)[^:。;]{0,8}:"), ""),
    # persons by surname: 王某某, 李某 → 某
    (re.compile(rf"[{_HAN}]某某?"), PERSON),
    # numbers: 12, 3.5, 1,200, ５０; Chinese numerals before a measure word
    (re.compile(r"\d+(?:[.,，]\d+)*"), NUMBER),
    (re.compile(rf"(?<![\d{NUMBER}])[{_CN_DIGITS[:-2]}][{_CN_DIGITS}]*(?=[{_MEASURES}])"), NUMBER),
    (re.compile(rf"{NUMBER}(?:余|多)?[万亿千百]?(?=元)"), NUMBER),
    (re.compile(rf"{NUMBER}(?:余|多)?(?=[{_MEASURES}])"), NUMBER),
    # dates: #年#月#日, #年#月, #月#日 → #年
    (re.compile(rf"{NUMBER}年(?:{NUMBER}月(?:{NUMBER}[日号])?)?|{NUMBER}月(?:{NUMBER}[日号])?"), f"{NUMBER}年"),
    # places: two characters before an administrative suffix
    (re.compile(rf"[^\W\d_{NUMBER}{PLACE}{_NOT_IN_PLACE}a-z]{{2}}(?:{_PLACE_SUFFIX})"), PLACE),
    # paraphrases folded, then filler dropped
    (re.compile(_alternation(_SYNONYM_OF)), lambda m: _SYNONYM_OF[m.group(0)]),
    (re.compile(_alternation(FILLER)), ""),
    # everything but letters, digits, Han characters and masks
    (re.compile(rf"[^\w{NUMBER}{PLACE}]|_"), ""),
]


def _fold_char(ch: str) -> str:
    return ch.lower()


def _lower(text: str) -> str:
    """Lower case, character by character (str.lower differs only for a final Σ)."""
    return text.lower() if "Σ" not in text else "".join(_fold_char(ch) for ch in text)


def _normalized(text: str) -> str:
    """xuncha.text.normalize.normalize without its whitespace collapsing (spaces go later)."""
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    return _t2s(strip_pinyin_annotations(text))


@lru_cache(maxsize=65536)
def prepare(text: str) -> str:
    """The text as the matcher compares it (see the module's docstring)."""
    return prepare_uncached(text)


def prepare_uncached(text: str) -> str:
    """`prepare` without its cache, for batches seen once (a cache would only churn)."""
    if not text:
        return ""
    out = _lower(_normalized(text))
    for pattern, repl in STEPS:
        out = pattern.sub(repl, out)
    return out


# ---- the mapped path -------------------------------------------------------------------------
Spans = list[tuple[int, int]]


def _align(before: str, spans: Spans, after: str) -> Spans:
    """Spans for `after`, a rewrite of `before` by a function we cannot follow step by step
    (NFKC, pinyin removal, OpenCC): character for character when the lengths agree, else by
    the longest matching blocks, a replaced run taking the span of what it replaced."""
    if len(before) == len(after):
        return list(spans)
    out: Spans = []
    matcher = SequenceMatcher(None, before, after, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            out.extend(spans[i1:i2])
        elif j2 > j1:
            if i2 > i1:
                span = (spans[i1][0], spans[i2 - 1][1])
            elif spans:
                near = spans[min(i1, len(spans) - 1)]
                span = (near[0], near[0]) if i1 < len(spans) else (near[1], near[1])
            else:
                span = (0, 0)
            out.extend([span] * (j2 - j1))
    return out


def _normalized_mapped(text: str) -> tuple[str, Spans]:
    chars: list[str] = []
    spans: Spans = []
    for i, ch in enumerate(text):
        folded = unicodedata.normalize("NFKC", ch)
        chars.append(folded)
        spans.extend([(i, i + 1)] * len(folded))
    folded = "".join(chars)
    whole = unicodedata.normalize("NFKC", text)
    if whole != folded:  # combining sequences compose across characters
        spans = _align(folded, spans, whole)
    stripped = strip_pinyin_annotations(whole)
    spans = _align(whole, spans, stripped)
    simplified = _t2s(stripped)
    spans = _align(stripped, spans, simplified)
    return simplified, spans


def prepare_mapped(text: str) -> tuple[str, Spans]:
    """`prepare(text)` and, for each of its characters, the (start, end) span of `text` it
    stands for."""
    if not text:
        return "", []
    normalized, spans = _normalized_mapped(text)
    chars: list[str] = []
    out_spans: Spans = []
    for ch, span in zip(normalized, spans, strict=True):
        folded = _fold_char(ch)
        chars.append(folded)
        out_spans.extend([span] * len(folded))
    current = "".join(chars)
    spans = out_spans
    for pattern, repl in STEPS:
        pieces: list[str] = []
        new_spans: Spans = []
        last = 0
        for m in pattern.finditer(current):
            pieces.append(current[last:m.start()])
            new_spans.extend(spans[last:m.start()])
            replacement = repl if isinstance(repl, str) else repl(m)
            if replacement:
                if len(replacement) == m.end() - m.start():
                    new_spans.extend(spans[m.start():m.end()])
                else:
                    whole = (spans[m.start()][0], spans[m.end() - 1][1])
                    new_spans.extend([whole] * len(replacement))
                pieces.append(replacement)
            last = m.end()
        pieces.append(current[last:])
        new_spans.extend(spans[last:])
        current = "".join(pieces)
        spans = new_spans
    return current, spans
