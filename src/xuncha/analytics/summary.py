"""The paragraph a committee puts at the start of its work summary, written from the statistics
in the style committees use, e.g.

    十四届青崖县委巡察工作开展以来，共开展了九轮巡察，对108个村级党组织开展直巡，发现问题3058个，
    完成整改2473个；对乡（镇、街道）及县级职能部门发出巡察建议书6份。

Rules (the tests hold the exact strings):
- the opening names the term and committee (十四届青崖县委: the term's number in Chinese and the
  committee's name — its name, not its short name, which is the place's: 青崖县) — or the round
  (十四届青崖县委第三轮巡察), or the committee alone when no term is chosen;
- three clauses joined by "；" and closed by "。": the work (rounds, organizations inspected by
  mode and kind, coverage, complaints, problems with the leads among them, rectification),
  transfers and their results, recommendations and their results; a figure that is zero (or
  absent) is left out, and a clause left with nothing disappears with its punctuation; with
  nothing at all the summary is empty;
- numerals: rounds and terms in Chinese (九轮, 十四届; 两轮 for two), every other count in Arabic
  digits (3058个, 6份); rates with one decimal (整改完成率80.9%, a full coverage says 实现全覆盖);
  money in 万元 with two decimals, rounded half up (123456.78 yuan → 12.35万元; an amount that
  rounds to 0.00万元 is left out);
- the organizations' wording comes from their kinds (村级党组织, 乡（镇、街道）党组织,
  县级部门（单位）党组织 …; 县/市/省 from the level of the organization's own committee, so a
  city's summary over its subtree says 县级 of the counties' departments), and the addressees'
  likewise (乡（镇、街道）, 县级职能部门 …).

The text is Chinese whatever the user's language, like every document the office writes.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from xuncha.analytics.filters import Filters
from xuncha.analytics.statistics import Statistics
from xuncha.registry.models import Committee
from xuncha.rounds.models import Assignment
from xuncha.text.numerals import to_chinese

LEVEL_WORDS = {Committee.Level.PROVINCE: "省级", Committee.Level.CITY: "市级", Committee.Level.COUNTY: "县级"}
LEVEL_ORDER = (Committee.Level.PROVINCE, Committee.Level.CITY, Committee.Level.COUNTY)
MODE_VERBS = {
    Assignment.Mode.DIRECT: "开展直巡",
    Assignment.Mode.EXTENDED: "开展延伸巡察",
    Assignment.Mode.SINKING: "开展下沉巡察",
    Assignment.Mode.CROSS: "开展交叉巡察",
    Assignment.Mode.UPGRADED: "开展提级巡察",
    Assignment.Mode.OTHER: "开展巡察",
}
KIND_ORDER = ("township", "department", "village", "soe", "school", "hospital")


def chinese_count(n: int) -> str:
    """A count before a measure word: 两 for two (两轮), else the Chinese numeral (九轮, 十二轮)."""
    return "两" if n == 2 else to_chinese(n)


def wan_yuan(yuan) -> str:
    """123456.78 → "12.35" (万元, two decimals, half up)."""
    return str((Decimal(yuan) / 10000).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def percent(rate: float) -> str:
    return f"{rate:.1f}%"


def _committee_name(committee: Committee) -> str:
    return committee.name


def opening(filters: Filters) -> str:
    """The opening words: the round's, the term's, or the committee's."""
    if filters.round is not None:
        round_ = filters.round
        return f"{to_chinese(round_.term.number)}届{_committee_name(round_.committee)}第{to_chinese(round_.number)}轮巡察"
    if filters.term is not None:
        return f"{to_chinese(filters.term.number)}届{_committee_name(filters.term.committee)}巡察工作开展以来"
    return f"{_committee_name(filters.committee)}巡察工作开展以来"


def organization_words(code: str, name: str, level: str) -> str:
    """How the summary names inspected organizations of a kind."""
    return {
        "township": "乡（镇、街道）党组织",
        "department": f"{level}部门（单位）党组织",
        "village": "村级党组织",
        "soe": "国有企业党组织",
        "school": "学校党组织",
        "hospital": "医院党组织",
    }.get(code, f"{name}党组织")


def addressee_words(code: str, name: str, level: str) -> str:
    """How the summary names the departments a recommendation was sent to, by their kind."""
    return {
        "township": "乡（镇、街道）",
        "department": f"{level}职能部门",
        "village": "村（社区）",
        "soe": "国有企业",
        "school": "学校",
        "hospital": "医院",
    }.get(code, name)


def _kind_order(code: str, level: str = "") -> tuple:
    return (KIND_ORDER.index(code) if code in KIND_ORDER else len(KIND_ORDER), code,
            LEVEL_ORDER.index(level) if level in LEVEL_ORDER else len(LEVEL_ORDER))


def _joined(words: list[str]) -> str:
    """A、B及C"""
    if len(words) <= 1:
        return "".join(words)
    return "、".join(words[:-1]) + "及" + words[-1]


def _inspected(stats: Statistics) -> list[str]:
    by_mode: dict[str, list] = {}
    for row in stats.inspected:
        if row.value:
            by_mode.setdefault(row.mode, []).append(row)
    parts = []
    for mode in Assignment.Mode.values:
        rows = sorted(by_mode.get(mode, []), key=lambda r: _kind_order(r.kind_code, r.level))
        if rows:
            counted = "、".join(f"{r.value}个{organization_words(r.kind_code, r.kind_name, LEVEL_WORDS.get(r.level, ''))}"
                                for r in rows)
            parts.append(f"对{counted}{MODE_VERBS.get(mode, '开展巡察')}")
    return parts


def _work(stats: Statistics, filters: Filters) -> list[str]:
    value = stats.value
    parts = []
    if filters.round is None and value("rounds"):
        parts.append(f"共开展了{chinese_count(value('rounds'))}轮巡察")
    parts += _inspected(stats)
    coverage = value("coverage")
    if coverage:
        parts.append("实现全覆盖" if coverage >= 100 else f"覆盖率达{percent(coverage)}")
    if value("complaints"):
        parts.append(f"受理信访举报{value('complaints')}件")
    if value("problems"):
        leads = f"（其中问题线索{value('leads')}条）" if value("leads") else ""
        parts.append(f"发现问题{value('problems')}个{leads}")
    if value("rectified"):
        parts.append(f"完成整改{value('rectified')}个")
    if value("rectification_rate"):
        parts.append(f"整改完成率{percent(value('rectification_rate'))}")
    if value("overdue"):
        parts.append(f"{value('overdue')}项整改任务逾期未完成")
    return parts


def _transfers(stats: Statistics) -> list[str]:
    value = stats.value
    parts = []
    if value("transfers"):
        parts.append(f"移交问题和线索{value('transfers')}件")
    results = []
    if value("people_disciplined"):
        results.append(f"党纪政务处分{value('people_disciplined')}人")
    if value("people_handled"):
        results.append(f"组织处理{value('people_handled')}人")
    if results:
        parts.append("推动给予" + "、".join(results))
    if value("money_recovered") and Decimal(wan_yuan(value("money_recovered"))):
        parts.append(f"挽回经济损失{wan_yuan(value('money_recovered'))}万元")
    return parts


def _recommendations(stats: Statistics) -> list[str]:
    value = stats.value
    parts = []
    if value("recommendations"):
        kinds: dict[tuple[str, str], str] = {}
        for row in stats.addressees:
            kinds.setdefault((row.kind, row.level), row.kind_name)
        words = [addressee_words(code, name, LEVEL_WORDS.get(level, ""))
                 for (code, level), name in sorted(kinds.items(), key=lambda item: _kind_order(*item[0]))]
        words = list(dict.fromkeys(words))
        to = f"对{_joined(words)}" if words else ""
        parts.append(f"{to}发出巡察建议书{value('recommendations')}份")
    if stats.systems:
        parts.append(f"推动建立完善制度{stats.systems}项")
    if value("campaigns"):
        parts.append(f"开展专项治理{value('campaigns')}项")
    return parts


def summary(stats: Statistics, filters: Filters | None = None) -> str:
    """The paragraph for `stats` (computed under `filters`, by default its own)."""
    filters = filters or stats.filters
    start = opening(filters)
    clauses = [parts for parts in (_work(stats, filters), _transfers(stats), _recommendations(stats))
               if parts]
    if not clauses:
        return ""
    return start + "，" + "；".join("，".join(parts) for parts in clauses) + "。"
