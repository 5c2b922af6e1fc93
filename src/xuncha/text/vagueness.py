"""How vague a rectification measure is (措施空泛): a pure function, no Django.

A measure is vague when it is a slogan without action (进一步加强, 高度重视, 切实提高, 认真学习 …)
and names no concrete object, time, quantity or responsible actor; when it is very short; or
when it is near-identical to the measures written for other problems (copy-paste).

`assess(measure, others)` returns an Assessment: a score in [0, 1] (higher is vaguer), whether
it counts as vague, and the reasons as codes (the web layer translates them):
  slogan      — slogan phrases carry it, with no concrete action
  no_object   — nothing concrete is acted on (an account, a fund, a document, a meeting …)
  no_time     — no date or time limit
  no_quantity — no number or amount
  no_actor    — no one named responsible
  short       — too short to say what will be done
  copy        — near-identical to the measures for another problem
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from xuncha.text.normalize import normalize

SLOGANS = (
    "进一步", "加强", "高度重视", "切实", "认真", "深刻", "提高认识", "提高思想认识", "强化意识", "增强意识",
    "引以为戒", "举一反三", "持续推进", "不断完善", "常抓不懈", "落到实处", "严格落实", "全面加强", "着力",
    "扎实推进", "努力", "积极", "大力", "高标准", "严要求", "以此为戒", "坚决杜绝", "切实提高", "认真学习",
)
TIME = re.compile(r"(\d{4}年|\d{1,2}月|\d{1,2}日|[上中下]旬|月底|年底|季度|前完成|之前|以内|内完成|每[周月季年]|"
                  r"[一二三四五六七八九十两\d]+个?(?:月|周|天|日|工作日)内|即日起|立即|当天|本周|本月|本年)")
QUANTITY = re.compile(r"(\d+(?:\.\d+)?\s*(?:万?元|万|份|次|人|户|笔|项|个|张|本|场|期|条|名|亩|家|%|％)|"
                      r"[一二三四五六七八九十百千两]+(?:份|次|人|户|笔|项|个|张|本|场|期|条|名|亩|家))")
ACTOR = re.compile(r"(书记|主任|局长|镇长|乡长|站长|所长|会计|出纳|报账员|负责人|分管|班子成员|支委|委员|"
                   r"责任人|牵头|财务室|办公室|纪委|监委|党委|支部|[由负]责)")
OBJECT = re.compile(r"(台账|账目|账户|资金|款|凭证|票据|制度|办法|细则|规定|清单|档案|合同|项目|会议|记录|"
                    r"补贴|资产|资源|工程|公示|公开|报告|方案|问卷|谈话|约谈|处分|追缴|退还|清退|整改|审计|"
                    r"培训|考试|检查|核查|清查|盘点|收回|移交|通报|录入|系统|人员|干部|名单|会|文件)")
ACTION = re.compile(r"(建立|制定|修订|出台|召开|组织|开展|完成|补齐|补录|清理|清退|追缴|收回|退还|公示|公开|"
                    r"核查|核实|盘点|录入|整理|归档|调整|更换|撤销|处理|处分|约谈|通报|上报|报送|签订|移交|"
                    r"审计|培训|考核|张贴|发放|兑现|纠正|规范|停止|取消|关闭|注销|拆除)")
SHORT = 12
COPY_SIMILARITY = 0.85
VAGUE_AT = 0.5


@dataclass(frozen=True)
class Assessment:
    score: float
    vague: bool
    reasons: tuple[str, ...]


def _bigrams(text: str) -> set[str]:
    text = re.sub(r"[\s，。、；：,.;:！!？?（）()“”\"'《》]", "", text)
    return {text[i:i + 2] for i in range(len(text) - 1)} or ({text} if text else set())


def similarity(a: str, b: str) -> float:
    """Dice coefficient of the character bigrams of two measures (0 … 1)."""
    x, y = _bigrams(normalize(a)), _bigrams(normalize(b))
    if not x or not y:
        return 0.0
    return 2 * len(x & y) / (len(x) + len(y))


def assess(measure: str, others: Iterable[str] = ()) -> Assessment:
    """Score `measure`; `others` are the measures written for the other problems of the plan."""
    text = normalize(measure or "")
    compact = re.sub(r"\s", "", text)
    reasons: list[str] = []
    slogans = sum(compact.count(s) for s in SLOGANS)
    concrete = {
        "no_time": bool(TIME.search(compact)),
        "no_quantity": bool(QUANTITY.search(compact)),
        "no_actor": bool(ACTOR.search(compact)),
        "no_object": bool(OBJECT.search(compact)),
    }
    actions = len(ACTION.findall(compact))
    score = 0.0
    if len(compact) < SHORT:
        reasons.append("short")
        score += 0.4
    if slogans and actions == 0:
        reasons.append("slogan")
        score += 0.3 + 0.05 * min(slogans, 4)
    for code, present in concrete.items():
        if not present:
            reasons.append(code)
            score += 0.1
    if any(similarity(text, other) >= COPY_SIMILARITY for other in others if other and other.strip()):
        reasons.append("copy")
        score += 0.5
    score = min(score, 1.0)
    return Assessment(score=round(score, 3), vague=score >= VAGUE_AT, reasons=tuple(reasons))
