"""Writes for problems (问题): confirmed findings built from signed working papers.

A problem belongs to one inspection target (assignment) and is made from papers of that target
in state signed or registered, each paper in at most one problem. Merging keeps the first
problem (lowest number) with all the papers and deletes the others; splitting keeps the first
part in the original problem and makes the other parts new problems pointing back to it
(split_from). Every paper of a split problem goes to exactly one part (one matter per paper,
一事一底稿), so a problem of a single paper cannot be split.

The classification is a manifestation (level 3) of the checklist version in force for the
target's kind, or the classification one of the papers already has (an older version's item
stays valid for the problem built from it). Every function checks the policy, runs in one
transaction and leaves an audit event.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from xuncha.access import audit
from xuncha.access.policy import CHANGE, CREATE, DELETE, VIEW, can, require
from xuncha.checklist.models import Item, Version
from xuncha.findings.models import Kind, Problem, WorkingPaper
from xuncha.rounds.models import Assignment, Group
from xuncha.text.search import search_key

USABLE_STATES = (WorkingPaper.State.SIGNED, WorkingPaper.State.REGISTERED)
FIELDS = ("title", "description", "classification", "kind", "severity", "amount")
SEVERITY_ORDER = [Problem.Severity.MINOR, Problem.Severity.SERIOUS, Problem.Severity.GRAVE]


def _account(actor):
    return actor if getattr(actor, "pk", None) else None


def _required() -> list[str]:
    return [_("This field is required.")]


def _numbers(papers: Iterable[WorkingPaper]) -> str:
    return "、".join(p.number for p in papers)


# -- checks ----------------------------------------------------------------------------------

def _locked_papers(actor, papers: Sequence[WorkingPaper], *, field: str = "papers",
                   allow_in: Iterable[int] = ()) -> list[WorkingPaper]:
    """The papers, locked, after checking they can make one problem for this actor."""
    ids = sorted({p.pk for p in papers})
    if not ids:
        raise ValidationError({field: [_("Choose at least one signed working paper.")]})
    locked = list(WorkingPaper.objects.select_for_update().filter(pk__in=ids)
                  .select_related("assignment__organization__kind", "group__round__term", "round__committee")
                  .order_by("seq"))
    if len(locked) != len(ids) or not all(can(actor, VIEW, p) for p in locked):
        raise ValidationError({field: [_("No such record, or you may not use it here.")]})
    for paper in locked:
        require(actor, CHANGE, paper)
    unsigned = [p for p in locked if p.state not in USABLE_STATES]
    if unsigned:
        raise ValidationError({field: [_("Only papers signed by the group leader make a problem; not yet signed: "
                                         "%(numbers)s.") % {"numbers": _numbers(unsigned)}]})
    if len({p.assignment_id for p in locked}) > 1:
        raise ValidationError({field: [_("The papers concern different inspection targets; a problem is about "
                                         "one target.")]})
    taken = (Problem.papers.through.objects.filter(workingpaper_id__in=ids)
             .exclude(problem_id__in=list(allow_in)).values_list("workingpaper_id", flat=True))
    taken_ids = set(taken)
    if taken_ids:
        raise ValidationError({field: [_("Already in another problem: %(numbers)s.")
                                       % {"numbers": _numbers(p for p in locked if p.pk in taken_ids)}]})
    return locked


def _in_force(organization) -> Version | None:
    return (Version.objects.filter(library__committee_id=organization.committee_id,
                                   library__kind_id=organization.kind_id, state=Version.State.PUBLISHED)
            .order_by("-number").first())


def _check(problem: Problem, papers: Sequence[WorkingPaper]) -> None:
    errors: dict[str, list[str]] = {}
    problem.title = (problem.title or "").strip()
    problem.description = (problem.description or "").strip()
    if not problem.title:
        errors["title"] = _required()
    elif len(problem.title) > 200:
        errors["title"] = [_("At most 200 characters.")]
    if not problem.description:
        errors["description"] = _required()
    if problem.kind not in Kind.values:
        errors["kind"] = [_("Choose a kind of problem.")]
    if problem.severity not in Problem.Severity.values:
        errors["severity"] = [_("Choose a severity.")]
    if problem.amount is not None and problem.amount < 0:
        errors["amount"] = [_("The amount cannot be negative.")]
    item = problem.classification if problem.classification_id else None
    if item is None:
        errors["classification"] = _required()
    elif item.pk not in {p.classification_id for p in papers}:
        version = _in_force(problem.assignment.organization)
        if item.level != Item.Level.MANIFESTATION or version is None or item.version_id != version.pk:
            errors["classification"] = [_("Choose a manifestation of the checklist in force for this kind of "
                                          "organization.")]
    if errors:
        raise ValidationError(errors)


def _kind_of(kinds: Iterable[str]) -> str:
    """Leads stay leads whatever they are merged with: confidentiality wins."""
    kinds = set(kinds)
    for kind in (Kind.LEAD, Kind.CADRE):
        if kind in kinds:
            return kind
    return Kind.GENERAL


def _sum(amounts: Iterable[Decimal | None]) -> Decimal | None:
    present = [a for a in amounts if a is not None]
    return sum(present, Decimal(0)) if present else None


def _next_seq(group_id: int) -> int:
    # Locking the group serializes numbering within it.
    Group.objects.select_for_update().filter(pk=group_id).first()
    return (Problem.objects.filter(group_id=group_id).aggregate(m=Max("seq"))["m"] or 0) + 1


def _save_new(actor, problem: Problem, papers: Sequence[WorkingPaper]) -> Problem:
    problem.seq = _next_seq(problem.assignment.group_id)
    problem.search_text = search_key(problem.title, problem.description)
    problem.created_by = _account(actor)
    problem.save()
    problem.papers.set(papers)
    return problem


def _apply(problem: Problem, values: dict[str, Any]) -> dict[str, list]:
    diff: dict[str, list] = {}
    for name, value in values.items():
        if name not in FIELDS:
            raise ValueError(f"unknown field {name}")
        if isinstance(value, str):
            value = value.strip()
        if name == "amount" and value == "":
            value = None
        old = getattr(problem, name) if name != "classification" or problem.classification_id else None
        if old != value:
            diff[name] = [str(old) if old is not None else None, str(value) if value is not None else None]
            setattr(problem, name, value)
    return diff


def new_problem(assignment: Assignment, **values: Any) -> Problem:
    """An unsaved problem of the target with group, round and organization filled in, so that
    the policy can judge it before it is saved."""
    return Problem(assignment=assignment, group=assignment.group, round=assignment.round,
                   organization=assignment.organization, **values)


def problem_defaults(papers: Sequence[WorkingPaper]) -> dict[str, Any]:
    """What a problem made from these papers starts with (the form shows it, the service
    fills in what is not given)."""
    papers = list(papers)
    if not papers:
        return {}
    first = papers[0]
    return {"title": first.title,
            "description": "\n\n".join(p.facts.strip() for p in papers if p.facts.strip()),
            "classification": first.classification,
            "kind": _kind_of(p.kind for p in papers),
            "severity": Problem.Severity.MINOR,
            "amount": _sum(p.amount for p in papers)}


# -- create, update, delete ------------------------------------------------------------------

@transaction.atomic
def problem_create(*, actor, papers: Sequence[WorkingPaper], title: str = "", description: str = "",
                   classification: Item | None = None, kind: str = "", severity: str = "",
                   amount: Decimal | None = None) -> Problem:
    """A problem from signed papers of one target, none of them already in a problem. What is
    not given comes from the papers: the first one's title and classification, their facts,
    the most confidential kind, the sum of their amounts."""
    locked = _locked_papers(actor, papers)
    defaults = problem_defaults(locked)
    problem = new_problem(
        Assignment.objects.select_related("organization", "group", "round__committee").get(pk=locked[0].assignment_id),
        title=title or defaults["title"],
        description=description or defaults["description"],
        classification=classification or defaults["classification"],
        kind=kind or defaults["kind"],
        severity=severity or defaults["severity"],
        amount=amount if amount is not None else defaults["amount"],
    )
    require(actor, CREATE, problem)
    _check(problem, locked)
    _save_new(actor, problem, locked)
    audit.record(actor=actor, action="problem.create", obj=problem, summary=problem.title,
                 detail={"papers": [p.number for p in locked], "kind": problem.kind})
    return problem


def _locked(actor, problem: Problem, action: str) -> Problem:
    require(actor, action, problem)
    problem = (Problem.objects.select_for_update().select_related("assignment__organization", "group__round__term")
               .get(pk=problem.pk))
    require(actor, action, problem)
    return problem


@transaction.atomic
def problem_update(*, actor, problem: Problem, **changes: Any) -> Problem:
    """Change the title, description, classification, kind, severity or amount."""
    problem = _locked(actor, problem, CHANGE)
    diff = _apply(problem, changes)
    if diff:
        _check(problem, list(problem.papers.all()))
        problem.search_text = search_key(problem.title, problem.description)
        problem.save(update_fields=[*diff, "search_text", "updated_at"])
        audit.record(actor=actor, action="problem.update", obj=problem, summary=problem.title,
                     detail={"changes": {k: v for k, v in diff.items() if k not in ("description",)},
                             "fields": sorted(diff)})
    return problem


@transaction.atomic
def problem_delete(*, actor, problem: Problem) -> None:
    """Delete a problem; its papers are free to make another one."""
    problem = _locked(actor, problem, DELETE)
    papers = list(problem.papers.values_list("number", flat=True))
    audit.record(actor=actor, action="problem.delete", obj=problem, summary=problem.title,
                 detail={"number": problem.number, "papers": papers})
    problem.delete()


# -- merge and split -------------------------------------------------------------------------

@transaction.atomic
def problem_merge(*, actor, problems: Sequence[Problem], title: str = "", description: str = "",
                  classification: Item | None = None, kind: str = "", severity: str = "") -> Problem:
    """Merge problems of one target into the first of them (lowest number), which keeps every
    paper; the others are deleted. Unless given: the first one's title and classification,
    the descriptions joined, the most confidential kind, the gravest severity, amounts summed."""
    ids = sorted({p.pk for p in problems})
    if len(ids) < 2:
        raise ValidationError({"problems": [_("Choose at least two problems to merge.")]})
    locked = list(Problem.objects.select_for_update().filter(pk__in=ids)
                  .select_related("assignment__organization", "group__round__term").order_by("seq"))
    if len(locked) != len(ids) or not all(can(actor, VIEW, p) for p in locked):
        raise ValidationError({"problems": [_("No such record, or you may not use it here.")]})
    if len({p.assignment_id for p in locked}) > 1:
        raise ValidationError({"problems": [_("Only problems of the same inspection target can be merged.")]})
    survivor, others = locked[0], locked[1:]
    require(actor, CHANGE, survivor)
    for other in others:
        require(actor, DELETE, other)
    papers = list(WorkingPaper.objects.filter(problems__in=locked).distinct().order_by("seq"))
    merged = {p.pk: p.number for p in others}
    _apply(survivor, {
        "title": title or survivor.title,
        "description": description or "\n\n".join(p.description for p in locked),
        "classification": classification or survivor.classification,
        "kind": kind or _kind_of(p.kind for p in locked),
        "severity": severity or max((p.severity for p in locked), key=SEVERITY_ORDER.index),
        "amount": _sum(p.amount for p in locked),
    })
    _check(survivor, papers)
    for other in others:
        other.delete()
    survivor.search_text = search_key(survivor.title, survivor.description)
    survivor.save()
    survivor.papers.set(papers)
    audit.record(actor=actor, action="problem.merge", obj=survivor, summary=survivor.title,
                 detail={"merged": list(merged.values()), "merged_ids": list(merged),
                         "papers": [p.number for p in papers]})
    return survivor


@transaction.atomic
def problem_split(*, actor, problem: Problem, parts: Sequence[dict[str, Any]]) -> list[Problem]:
    """Split a problem: parts = [{"title", "description", "papers": [...], and optionally
    "classification", "kind", "severity", "amount"}, ...], at least two, each paper of the
    problem in exactly one part. The first part stays in the problem; the others are new
    problems with split_from pointing to it."""
    problem = _locked(actor, problem, CHANGE)
    own = {p.pk: p for p in problem.papers.select_for_update().order_by("seq")}
    if len(parts) < 2:
        raise ValidationError({"parts": [_("Split into at least two parts.")]})
    counted: dict[int, int] = {}
    for index, part in enumerate(parts, start=1):
        ids = {getattr(p, "pk", p) for p in part.get("papers") or ()}
        if not ids:
            raise ValidationError({"parts": [_("Part %(n)s has no working paper.") % {"n": index}]})
        if not ids <= set(own):
            raise ValidationError({"parts": [_("Part %(n)s names a paper that is not in this problem.")
                                             % {"n": index}]})
        for pk in ids:
            counted[pk] = counted.get(pk, 0) + 1
    missing = [own[pk] for pk in own if pk not in counted]
    twice = [own[pk] for pk, n in counted.items() if n > 1]
    if missing or twice:
        raise ValidationError({"parts": [_("Every paper goes to exactly one part; left out: %(missing)s; in more "
                                           "than one part: %(twice)s.")
                                         % {"missing": _numbers(missing) or "—", "twice": _numbers(twice) or "—"}]})
    results: list[Problem] = []
    for index, part in enumerate(parts):
        papers = [own[getattr(p, "pk", p)] for p in part["papers"]]
        values = {"title": part.get("title") or problem.title,
                  "description": part.get("description") or "\n\n".join(p.facts for p in papers if p.facts),
                  "classification": part.get("classification") or problem.classification,
                  "kind": part.get("kind") or problem.kind,
                  "severity": part.get("severity") or problem.severity,
                  "amount": part["amount"] if "amount" in part else _sum(p.amount for p in papers)}
        if index == 0:
            target = problem
        else:
            target = new_problem(problem.assignment, split_from=problem)
            require(actor, CREATE, target)
        _apply(target, values)
        try:
            _check(target, papers)
        except ValidationError as exc:
            raise ValidationError({"parts": [_("Part %(n)s: %(errors)s") % {
                "n": index + 1, "errors": " ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())}]}) \
                from None
        if index == 0:
            target.search_text = search_key(target.title, target.description)
            target.save()
            target.papers.set(papers)
        else:
            _save_new(actor, target, papers)
        results.append(target)
    audit.record(actor=actor, action="problem.split", obj=problem, summary=problem.title,
                 detail={"into": [p.pk for p in results[1:]],
                         "parts": [[p.number for p in r.papers.all()] for r in results]})
    return results
