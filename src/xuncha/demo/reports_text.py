"""Texts of the demo reports and feedback: the sections of an inspection report and of a leads
report written from an assignment's problems in the outline of official documents, the edits
that make a later version, the comments of the approval chain, the rectification requirements
and the feedback meeting.

Pure functions over plain data and one random stream: the same input gives the same texts.
Bodies are plain text, one paragraph per line; a paragraph that starts with an outline number
(`outline.number`) is a heading of that level. Section titles carry no number: the outline
numbers sections 一、二、三、 itself.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from xuncha.demo.findings_text import yuan
from xuncha.reports.outline import LEVEL2, LEVEL3, LEVEL4, number

SEVERE = ("serious", "grave")
MODE_WORDS = {"direct": "", "extended": "延伸", "sinking": "下沉", "cross": "交叉", "upgraded": "提级"}
KIND_WORDS = {"routine": "常规巡察", "special": "专项巡察", "mobile": "机动巡察", "cross": "交叉巡察",
              "upgraded": "提级巡察", "linked": "联动巡察", "follow_up": "巡察整改“回头看”"}


@dataclass(frozen=True, slots=True)
class ProblemText:
    """One problem as a report sees it: what it says and where the checklist files it."""

    pk: int
    seq: int
    title: str
    description: str
    kind: str
    severity: str
    amount: Decimal | None
    focus: tuple[int, str]  # (position, title) of the level-1 item
    point: tuple[int, str]  # (position, title) of the level-2 item
    position: int  # of the manifestation


@dataclass(frozen=True, slots=True)
class Target:
    """An assignment as the texts see it."""

    organization: str
    kind: str  # organization kind code
    group: str  # 第一巡察组
    round_label: str  # 十四届第八轮
    round_kind: str
    mode: str
    entry: date
    exit: date


def day(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def party_body(target: Target) -> str:
    """What the inspected party organization is called."""
    if target.kind == "village":
        return f"{target.organization}党组织"
    if target.kind == "township":
        return f"{target.organization}党{'工' if target.organization.endswith('街道') else ''}委"
    return f"{target.organization}党组织"


def report_title(target: Target) -> str:
    return f"{target.group}关于巡察{party_body(target)}情况的报告"


def leads_title(target: Target) -> str:
    return f"{target.group}关于巡察{target.organization}发现问题线索的专题报告"


def _trim(text: str) -> str:
    return text.rstrip("。；;，, ")


def _area(title: str) -> str:
    for end in ("情况", "问题"):
        if title.endswith(end) and len(title) > len(end) + 2:
            return title[: -len(end)]
    return title


# -- the inspection report --------------------------------------------------------------------

EVALUATIONS = (
    "总体看，{body}能够认真贯彻落实上级决策部署，班子团结，各项工作有序推进，但对照巡察监督重点，"
    "仍存在一些不容忽视的问题。",
    "总体看，{body}在推动发展、服务群众等方面做了大量工作，取得一定成效，但在落实全面从严治党"
    "责任、规范权力运行等方面还有差距。",
    "总体看，{body}政治意识有所增强，基层基础工作有一定进步，但管党治党宽松软的问题仍然存在，"
    "有的问题在上轮巡察后仍未得到根本解决。",
)
CAUSES = (
    "究其原因，一是理论学习不深入，政治站位不够高；二是管党治党主体责任压得不实，监督制约乏力；"
    "三是制度执行不严格，“重建设、轻管理”的现象仍然存在。",
    "究其原因，主要是班子成员对全面从严治党认识不到位，“一岗双责”落实不够；日常监督流于形式，"
    "对苗头性、倾向性问题发现不及时、处置不果断。",
)
SUGGESTIONS = (
    ("提高政治站位，切实抓好巡察整改",
     "{body}要把巡察整改作为重大政治任务，主要负责人切实履行第一责任人职责，逐条制定整改措施，"
     "明确责任人和完成时限，做到问题不查清不放过、整改不到位不放过。"),
    ("压实管党治党责任，加强日常监督",
     "严格落实全面从严治党主体责任和监督责任，健全谈心谈话、廉政提醒等制度，"
     "对苗头性、倾向性问题早发现、早提醒、早纠正。"),
    ("健全完善制度机制，规范权力运行",
     "针对巡察发现的共性问题，举一反三、查漏补缺，完善财务管理、项目建设、民主决策等制度，"
     "扎紧制度笼子，推动形成长效机制。"),
    ("加强基层组织建设，锻造过硬队伍",
     "严格落实“三会一课”等组织生活制度，加强党员教育管理，选优配强班子成员，"
     "不断增强基层党组织的政治功能和组织功能。"),
    ("聚焦群众急难愁盼，推动问题解决",
     "对群众反映强烈的问题建立台账、限期办结，及时回应群众关切，以整改实效取信于民。"),
)


def overview(target: Target, problems: list[ProblemText], *, evaluation: str = "") -> str:
    """基本情况和总体评价, with the counts."""
    mode = MODE_WORDS.get(target.mode, "")
    kind = KIND_WORDS.get(target.round_kind, "巡察")
    lines = [
        f"根据县委统一部署，{target.round_label}县委{target.group}于{day(target.entry)}至{day(target.exit)}"
        f"对{party_body(target)}开展了{mode}{kind}。巡察组坚持以习近平新时代中国特色社会主义思想为指导，"
        "紧扣“三个聚焦”，通过个别谈话、调阅资料、受理来信来访、走访群众等方式，全面了解情况，"
        "现将巡察情况报告如下。",
    ]
    if problems:
        focuses = len({p.focus for p in problems})
        points = len({(p.focus, p.point) for p in problems})
        severe = sum(1 for p in problems if p.severity in SEVERE)
        amounts = [p.amount for p in problems if p.amount]
        money = f"，涉及金额{yuan(sum(amounts, Decimal(0)))}" if amounts else ""
        lines.append(f"巡察共发现问题{len(problems)}个，涉及{focuses}个监督重点、{points}个监督要点，"
                     f"其中性质较为严重的{severe}个{money}。")
    else:
        lines.append("巡察期间未发现需要向被巡察党组织反馈的突出问题。")
    if evaluation:
        lines.append(evaluation)
    return "\n".join(lines)


def problems_body(problems: list[ProblemText], *, short: bool = False) -> str:
    """主要问题: grouped by focus （一）, then point 1., then problem （1）."""
    if not problems:
        return "本轮巡察未发现需要单列反馈的问题。"
    ordered = sorted(problems, key=lambda p: (p.focus, p.point, p.position, p.seq))
    lines: list[str] = []
    focus = point = None
    n_focus = n_point = n_problem = 0
    for p in ordered:
        if p.focus != focus:
            focus, point = p.focus, None
            n_focus += 1
            n_point = 0
            lines.append(f"{number(LEVEL2, n_focus)}{_area(p.focus[1])}方面存在的问题")
        if p.point != point:
            point = p.point
            n_point += 1
            n_problem = 0
            lines.append(f"{number(LEVEL3, n_point)}{_trim(p.point[1])}方面")
        n_problem += 1
        text = p.description.split("。")[0] + "。" if short and "。" in p.description else p.description
        lines.append(f"{number(LEVEL4, n_problem)}{_trim(p.title)}。{text.strip()}")
    return "\n".join(lines)


def suggestions_body(target: Target, count: int) -> str:
    lines = []
    for i, (title, text) in enumerate(SUGGESTIONS[:count], start=1):
        lines.append(f"{number(LEVEL2, i)}{title}")
        lines.append(text.format(body=party_body(target)))
    return "\n".join(lines)


def report_sections(target: Target, problems: list[ProblemText], *, stage: int, rng: random.Random) -> list[dict]:
    """The sections of an inspection report at a stage of its writing: 0 as generated from the
    problems, 1 edited by the group (an overall evaluation, full suggestions), 2 the causes
    analysed, 3 closed for decision. `rng` should be seeded per report so that the versions of
    one report differ only by their stage. Leads are never passed in."""
    body = party_body(target)
    evaluation = rng.choice(EVALUATIONS).format(body=body) if stage >= 1 else ""
    if stage >= 2:
        evaluation = f"{evaluation}{rng.choice(CAUSES)}"
    return [
        {"key": "overview", "title": "基本情况和总体评价", "body": overview(target, problems, evaluation=evaluation)},
        {"key": "problems", "title": "主要问题", "body": problems_body(problems, short=stage == 0)},
        {"key": "suggestions", "title": "意见建议",
         "body": suggestions_body(target, 3 if stage == 0 else 5) + ("\n以上报告，请审议。" if stage >= 3 else "")},
    ]


# -- the leads report -------------------------------------------------------------------------

def leads_sections(target: Target, leads: list[ProblemText], *, stage: int) -> list[dict]:
    """The confidential leads report: what was found, each lead, and what to do with them."""
    amounts = [p.amount for p in leads if p.amount]
    money = f"，涉及金额{yuan(sum(amounts, Decimal(0)))}" if amounts else ""
    found = (f"{target.round_label}县委{target.group}在对{party_body(target)}开展巡察期间，"
             f"发现问题线索{len(leads)}件{money}。现将有关情况专题报告如下。")
    lines = []
    for i, p in enumerate(sorted(leads, key=lambda p: p.seq), start=1):
        lines.append(f"{number(LEVEL3, i)}{_trim(p.title)}")
        lines.append(p.description.strip())
    handling = ["建议将上述问题线索按规定移交县纪委监委处置，并请在3个月内反馈处置结果。"]
    if stage >= 1:
        handling.append("巡察组已对相关底稿、证据材料进行整理，随移交函一并移送；移交前严格控制知悉范围，"
                        "防止跑风漏气。")
    return [
        {"key": "summary", "title": "基本情况", "body": found},
        {"key": "leads", "title": "问题线索", "body": "\n".join(lines)},
        {"key": "handling", "title": "处置建议", "body": "\n".join(handling)},
    ]


# -- the approval chain -----------------------------------------------------------------------

VERSION_NOTES = ("根据确认的问题自动生成", "组务会讨论后修改完善", "根据审核意见修改", "提交领导小组前定稿")
STEP_COMMENTS = {
    "组务会": "经组务会集体研究，同意报告初稿，提交组长审核。",
    "组长": "同意，报巡察办审核。",
    "巡察办": "经审核，问题定性准确，建议提交领导小组会议研究。",
    "领导小组": "经县委巡察工作领导小组会议研究，同意报告，提请书记专题会听取。",
    "书记专题会": "县委书记专题会议听取汇报，同意反馈。",
}
RETURN_COMMENTS = {
    "组长": ("个别问题表述不够精准，请对照底稿核实后修改。", "主要问题归类不够清晰，请按监督重点重新梳理。"),
    "巡察办": ("问题定性依据不够充分，请补充相关事实和依据。", "总体评价过于笼统，请结合问题分析原因。",
             "涉及金额的问题请与底稿逐项核对，确保数据准确。"),
}


def step_comment(name: str) -> str:
    return STEP_COMMENTS.get(name, "同意。")


def return_comment(name: str, rng: random.Random) -> str:
    return rng.choice(RETURN_COMMENTS.get(name, RETURN_COMMENTS["巡察办"]))


# -- feedback ---------------------------------------------------------------------------------

def requirements(target: Target, *, count: int, rectification_months: int, progress_months: int) -> str:
    body = party_body(target)
    lines = [
        f"{number(LEVEL2, 1)}提高思想认识，扛牢整改主体责任",
        f"{body}要切实把抓好巡察整改作为重大政治任务，主要负责人履行第一责任人职责，"
        f"对反馈的{count}个问题逐条研究，制定整改方案，建立问题清单、任务清单、责任清单。"
        if count else
        f"{body}要切实把抓好巡察整改作为重大政治任务，对照巡察意见建议举一反三，完善制度机制。",
        f"{number(LEVEL2, 2)}严格整改时限，确保整改见底见效",
        f"自反馈之日起{rectification_months}个月内完成集中整改，{progress_months}个月内向县委巡察办报送整改进展情况"
        "报告，整改情况按规定在一定范围内公开。",
        f"{number(LEVEL2, 3)}建立长效机制，巩固整改成果",
        "对巡察反馈的共性问题举一反三，健全完善相关制度，防止问题反弹回潮；"
        "对已完成整改的问题适时开展“回头看”。",
    ]
    return "\n".join(lines)


def meeting_place(target: Target) -> str:
    if target.kind == "village":
        return f"{target.organization}党群服务中心会议室"
    if target.kind == "township":
        return f"{target.organization}机关会议室"
    return f"{target.organization}会议室"


ATTENDEES = {
    "village": "县委{group}组长、副组长及组员；县委巡察办相关同志；镇（乡）党委分管领导；"
               "村党组织书记、村委会主任及“两委”班子成员；村务监督委员会主任；党员代表",
    "township": "县委{group}组长、副组长及组员；县委巡察办相关同志；党委书记、镇（乡）长及党政班子成员；"
                "各站所负责人；各村（社区）党组织书记",
    "other": "县委{group}组长、副组长及组员；县委巡察办相关同志；县委分管领导；党组（党委）书记、主要负责人"
             "及班子成员；各股室、下属单位负责人",
}


def attendees(target: Target) -> str:
    text = ATTENDEES.get(target.kind, ATTENDEES["other"])
    return text.format(group=target.group)


def meeting_notes(target: Target, *, acknowledged: bool) -> str:
    lines = [f"县委{target.group}组长代表巡察组反馈巡察意见，县委巡察办负责同志就抓好整改提出要求。"]
    if acknowledged:
        lines.append(f"{party_body(target)}主要负责人作表态发言，表示全面认领反馈问题，坚决抓好整改落实。")
    return "\n".join(lines)
