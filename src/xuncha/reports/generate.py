"""Drafts of the inspection report (巡察报告) and the leads report (专题报告) from a target's
confirmed problems, in the standard outline (reports.outline):

    基本情况和总体评价 → 主要问题 → 意见建议

主要问题 groups the problems by checklist focus （一）, then point 1., each problem （1）, in
checklist order (focus position, point position, problem number). Leads never go into the
inspection report; the leads report holds only the leads, with the persons and amounts involved.

The bodies are document text (Chinese, whatever the UI language): plain paragraphs, one a line,
headings starting with their outline number. Pure functions over already-loaded rows.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from xuncha.findings.models import Kind, Problem
from xuncha.reports import outline
from xuncha.reports.models import DocKind

OVERVIEW, PROBLEMS, SUGGESTIONS = "overview", "problems", "suggestions"
SECTION_TITLES = {OVERVIEW: "基本情况和总体评价", PROBLEMS: "主要问题", SUGGESTIONS: "意见建议"}
ASSESSMENT_PLACEHOLDER = "【此处由巡察组填写对被巡察党组织的总体评价。】"
KIND_NAMES = {Kind.GENERAL: "一般问题", Kind.CADRE: "选人用人问题", Kind.LEAD: "问题线索"}
_END = "。！？；…."


def problems_query(assignment, kind: str):
    """The problems that go into a report of `kind` about one target, with what generation reads."""
    qs = Problem.objects.filter(assignment=assignment)
    qs = qs.filter(kind=Kind.LEAD) if kind == DocKind.LEADS else qs.exclude(kind=Kind.LEAD)
    return (qs.select_related("classification__parent__parent")
            .prefetch_related("papers").order_by("seq", "id"))


def title_for(assignment, kind: str) -> str:
    org = assignment.organization.name
    if kind == DocKind.LEADS:
        return f"{assignment.group.name}关于巡察{org}发现问题线索的专题报告"
    return f"{assignment.group.name}关于巡察{org}情况的报告"


def yuan(amount: Decimal | None) -> str:
    """3万元, 4.2万元, 3500元: amounts as a report writes them."""
    if amount is None:
        return "0元"
    amount = Decimal(amount)
    if amount >= 10000:
        return f"{_plain(amount / 10000)}万元"
    return f"{_plain(amount)}元"


def _plain(value: Decimal) -> str:
    text = format(value.quantize(Decimal("0.01")), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _sentence(text: str) -> str:
    text = " ".join((text or "").split())
    return text if not text or text[-1] in _END else text + "。"


def _one_line(text: str) -> str:
    return "".join(part.strip() for part in (text or "").splitlines())


def _date(d) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


# -- grouping --------------------------------------------------------------------------------

@dataclass
class Point:
    key: str
    title: str
    position: int
    problems: list[Problem] = field(default_factory=list)


@dataclass
class Focus:
    key: str
    title: str
    position: int
    points: dict[str, Point] = field(default_factory=dict)

    def ordered_points(self) -> list[Point]:
        return sorted(self.points.values(), key=lambda p: (p.position, p.key))


def group_by_checklist(problems: Iterable[Problem]) -> list[Focus]:
    """Focus → point → problems, each level in checklist order; problems by number."""
    focuses: dict[str, Focus] = {}
    for problem in problems:
        manifestation = problem.classification
        point_item = manifestation.parent if manifestation.level > 2 else manifestation
        focus_item = point_item.parent if point_item.parent_id else point_item
        focus = focuses.setdefault(focus_item.key, Focus(focus_item.key, focus_item.title, focus_item.position))
        point = focus.points.setdefault(point_item.key, Point(point_item.key, point_item.title, point_item.position))
        point.problems.append(problem)
    ordered = sorted(focuses.values(), key=lambda f: (f.position, f.key))
    for focus in ordered:
        for point in focus.points.values():
            point.problems.sort(key=lambda p: (p.seq, p.pk or 0))
    return ordered


# -- sections --------------------------------------------------------------------------------

def _persons(problem: Problem) -> str:
    seen: list[str] = []
    for paper in problem.papers.all():
        for name in (paper.persons_involved or "").replace("，", "、").replace(",", "、").split("、"):
            name = name.strip()
            if name and name not in seen:
                seen.append(name)
    return "、".join(seen)


def _problem_line(n: int, problem: Problem, leads: bool) -> str:
    text = f"{outline.number(outline.LEVEL4, n)}{_sentence(problem.title)}{_sentence(_one_line(problem.description))}"
    if leads:
        persons = _persons(problem)
        text += f"涉及人员：{persons or '待查明'}。"
        text += f"涉及金额：{yuan(problem.amount)}。" if problem.amount is not None else ""
    return text


def problems_body(focuses: Sequence[Focus], *, leads: bool = False) -> str:
    if not focuses:
        return "巡察中未发现问题线索。" if leads else "巡察中未发现需要报告的问题。"
    lines: list[str] = []
    for i, focus in enumerate(focuses, start=1):
        lines.append(f"{outline.number(outline.LEVEL2, i)}{focus.title}")
        for j, point in enumerate(focus.ordered_points(), start=1):
            lines.append(f"{outline.number(outline.LEVEL3, j)}{point.title}")
            for k, problem in enumerate(point.problems, start=1):
                lines.append(_problem_line(k, problem, leads))
    return "\n".join(lines)


def suggestions_body(focuses: Sequence[Focus], organization: str, *, leads: bool = False) -> str:
    if not focuses:
        return "【此处由巡察组填写意见建议。】"
    lines = []
    for i, focus in enumerate(focuses, start=1):
        points = "、".join(p.title for p in focus.ordered_points())
        if leads:
            text = (f"针对{points}等方面发现的问题线索，建议按照有关规定移交纪检监察机关依规依纪依法处置，"
                    f"并督促{organization}党组织配合做好核查工作。")
        else:
            text = (f"针对{points}等方面存在的问题，建议{organization}党组织切实履行主体责任，"
                    f"深入剖析问题根源，逐项制定整改措施，健全完善相关制度，确保问题整改到位。")
        lines.append(f"{outline.number(outline.LEVEL2, i)}{_sentence(focus.title)}{text}")
    return "\n".join(lines)


def overview_body(assignment, problems: Sequence[Problem], *, leads: bool = False) -> str:
    rnd = assignment.round
    org = assignment.organization.name
    period = f"{_date(rnd.planned_entry)}至{_date(rnd.planned_exit)}"
    first = (f"根据{rnd.committee.name}巡察工作统一部署，{rnd.label}{assignment.group.name}于{period}"
             f"对{org}开展了巡察。")
    counts: dict[str, int] = {}
    total = Decimal(0)
    with_amount = 0
    for problem in problems:
        counts[problem.kind] = counts.get(problem.kind, 0) + 1
        if problem.amount is not None:
            total += problem.amount
            with_amount += 1
    if leads:
        found = f"巡察中发现问题线索{len(problems)}条"
    else:
        parts = [f"{KIND_NAMES[kind]}{counts[kind]}个" for kind in (Kind.GENERAL, Kind.CADRE) if counts.get(kind)]
        found = f"巡察中共发现问题{len(problems)}个" + (f"，其中{'、'.join(parts)}" if parts else "")
    amounts = f"，涉及金额{with_amount}项共{yuan(total)}" if with_amount else ""
    lines = [first + found + amounts + "。"]
    lines.append("现将有关线索情况专题报告如下。" if leads else ASSESSMENT_PLACEHOLDER)
    return "\n".join(lines)


def sections_for(assignment, kind: str, problems: Sequence[Problem]) -> list[dict]:
    """The three sections of a report of `kind` over `problems` (already filtered by kind)."""
    leads = kind == DocKind.LEADS
    focuses = group_by_checklist(problems)
    org = assignment.organization.name
    return [
        {"key": OVERVIEW, "title": SECTION_TITLES[OVERVIEW], "body": overview_body(assignment, problems, leads=leads)},
        {"key": PROBLEMS, "title": SECTION_TITLES[PROBLEMS], "body": problems_body(focuses, leads=leads)},
        {"key": SUGGESTIONS, "title": SECTION_TITLES[SUGGESTIONS],
         "body": suggestions_body(focuses, org, leads=leads)},
    ]


def draft(assignment, kind: str) -> list[dict]:
    """Sections generated now from the target's current problems of that kind."""
    return sections_for(assignment, kind, list(problems_query(assignment, kind)))
