"""问题症状 of a recommendation, written from the data of its problems.

Three short paragraphs of official prose: how many such problems were found in how many
organizations over which rounds, with the amounts involved; the most frequent manifestations
(the checklist's 问题表现形式) with their counts; and two or three typical examples naming the
organization. The office edits the text afterwards; this only gives it a true starting point.

The problems passed in carry their organization, round (with its term) and classification
(select_related), so that writing the text costs no query.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from decimal import Decimal

from xuncha.text.numerals import to_chinese

MANIFESTATIONS = 3  # the most frequent ones named
EXAMPLES = 3  # typical problems quoted
TEN_THOUSAND = Decimal(10000)


def money(amount: Decimal) -> str:
    """12000 → 1.2万元, 3500.50 → 3500.5元, 8000000 → 800万元."""
    if amount >= TEN_THOUSAND:
        value, unit = amount / TEN_THOUSAND, "万元"
    else:
        value, unit = amount, "元"
    text = f"{value.quantize(Decimal('0.01')):f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text + unit


def _order(problem) -> tuple:
    return (problem.round.term.number, problem.round.number, problem.group_id, problem.seq, problem.pk)


def rounds_text(problems: list) -> str:
    """第一届第一、二轮; rounds of several terms are listed term by term (第一届第三轮，第二届第一轮)."""
    by_term: dict[tuple[int, str], list[int]] = {}
    for problem in problems:
        numbers = by_term.setdefault((problem.round.term.number, problem.round.term.name), [])
        if problem.round.number not in numbers:
            numbers.append(problem.round.number)
    parts = []
    for (_number, name), numbers in sorted(by_term.items()):
        parts.append(f"{name}第{'、'.join(to_chinese(n) for n in sorted(numbers))}轮")
    return "，".join(parts)


def _examples(problems: list) -> list:
    """The typical problems: the largest amounts first, then the earliest; one per organization
    while others remain, so that the examples show how widespread the problem is."""
    ranked = sorted(problems, key=lambda p: (-(p.amount or 0), _order(p)))
    chosen, seen = [], set()
    for problem in ranked:
        if problem.organization_id not in seen:
            chosen.append(problem)
            seen.add(problem.organization_id)
        if len(chosen) == EXAMPLES:
            return chosen
    for problem in ranked:
        if problem not in chosen and len(chosen) < EXAMPLES:
            chosen.append(problem)
    return chosen


def describe(problems: Iterable) -> str:
    """The symptoms in Chinese, one paragraph a line; empty for no problems."""
    problems = sorted(problems, key=_order)
    if not problems:
        return ""
    organizations = {p.organization_id for p in problems}
    amounts = [p.amount for p in problems if p.amount is not None]
    overview = (f"{rounds_text(problems)}巡察中，共发现此类问题{len(problems)}个，"
                f"涉及{len(organizations)}个党组织")
    if amounts:
        overview += f"，涉及金额{money(sum(amounts, Decimal(0)))}"
    paragraphs = [overview + "。"]
    counts = Counter(p.classification.title for p in problems)
    first_seen = {}
    for problem in problems:
        first_seen.setdefault(problem.classification.title, len(first_seen))
    frequent = sorted(counts.items(), key=lambda kv: (-kv[1], first_seen[kv[0]]))[:MANIFESTATIONS]
    paragraphs.append("从问题表现看，主要是" + "，".join(f"{title}{n}个" for title, n in frequent) + "。")
    examples = [f"{p.organization.name}{p.title}" + (f"，涉及金额{money(p.amount)}" if p.amount else "")
                for p in _examples(problems)]
    paragraphs.append("典型的如：" + "；".join(examples) + "。")
    return "\n".join(paragraphs)
