"""Writes of peer review (底稿评查): rubrics, sessions over a sample of a round's papers,
assignments to reviewers from other groups, scores, and closing a session.

Reviewer independence is enforced here, not only in the forms: nobody is given a paper of a
group they belong to (a GroupMember row or a group role in that group), whether the session is
opening or a review is being reassigned.

Closing a session with reviews still unsubmitted is refused, and the refusal lists them;
the office may close anyway with `force=True`, which leaves them unsubmitted (they count in
no result) and names them in the audit event.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from xuncha.access import audit, policy
from xuncha.access.models import RoleAssignment, User
from xuncha.access.policy import CHANGE, CREATE, require
from xuncha.access.roles import GROUP_ROLES, Role
from xuncha.findings.models import Defect, Review, ReviewSession, Rubric, WorkingPaper
from xuncha.rounds.models import GroupMember, Round

DEFAULT_RUBRIC_NAME = "四个准确"
DEFAULT_CRITERIA = [{"name": name, "max": 25} for name in ("事实准确", "定性准确", "依据准确", "表述准确")]
# A score below this share of the criterion's maximum needs a comment saying why.
COMMENT_BELOW = Decimal("0.6")
SAMPLED_STATES = (WorkingPaper.State.SIGNED, WorkingPaper.State.REGISTERED)
OFFICE_ROLES = (Role.OFFICE_ADMIN, Role.OFFICE_STAFF)
MAX_NAME = 40


# -- rubrics ---------------------------------------------------------------------------------

def clean_criteria(criteria: Any) -> list[dict[str, Any]]:
    """[{"name": str, "max": int}, ...] checked: at least one, names non-empty and unique,
    each maximum a whole number from 1 to 100. Errors name the row."""
    if not isinstance(criteria, (list, tuple)) or not criteria:
        raise ValidationError({"criteria": [_("Give at least one criterion.")]})
    errors: list[str] = []
    cleaned: list[dict[str, Any]] = []
    seen: set[str] = set()
    for row, item in enumerate(criteria, start=1):
        name = str(item.get("name", "") if isinstance(item, Mapping) else "").strip()
        raw_max = item.get("max") if isinstance(item, Mapping) else None
        if not name:
            errors.append(_("Criterion %(row)d: the name is required.") % {"row": row})
        elif len(name) > MAX_NAME:
            errors.append(_("Criterion %(row)d: the name is longer than %(n)d characters.") % {"row": row, "n": MAX_NAME})
        elif name in seen:
            errors.append(_("Criterion %(row)d: “%(name)s” appears twice.") % {"row": row, "name": name})
        seen.add(name)
        if isinstance(raw_max, bool) or not isinstance(raw_max, (int, str)) or not str(raw_max).strip().isdigit() \
                or not 1 <= int(raw_max) <= 100:
            errors.append(_("Criterion %(row)d: the maximum must be a whole number from 1 to 100.") % {"row": row})
        else:
            cleaned.append({"name": name, "max": int(raw_max)})
    if errors:
        raise ValidationError({"criteria": errors})
    return cleaned


@transaction.atomic
def rubric_default(*, actor, committee) -> Rubric:
    """The committee's default rubric 四个准确 (each criterion 0–25), created the first time."""
    rubric = Rubric.objects.filter(committee=committee, name=DEFAULT_RUBRIC_NAME).first()
    if rubric is not None:
        return rubric
    rubric = Rubric(committee=committee, name=DEFAULT_RUBRIC_NAME, criteria=[dict(c) for c in DEFAULT_CRITERIA])
    require(actor, CREATE, rubric)
    rubric.save()
    audit.record(actor=actor, action="rubric.create", obj=rubric, summary=rubric.name,
                 detail={"criteria": rubric.criteria})
    return rubric


def _check_rubric_name(rubric: Rubric) -> None:
    if not rubric.name:
        raise ValidationError({"name": [_("This field is required.")]})
    clash = Rubric.objects.filter(committee_id=rubric.committee_id, name=rubric.name).exclude(pk=rubric.pk)
    if clash.exists():
        raise ValidationError({"name": [_("The committee already has a rubric of this name.")]})


@transaction.atomic
def rubric_create(*, actor, committee, name: str, criteria: Sequence[Mapping[str, Any]]) -> Rubric:
    rubric = Rubric(committee=committee, name=(name or "").strip())
    require(actor, CREATE, rubric)
    _check_rubric_name(rubric)
    rubric.criteria = clean_criteria(criteria)
    rubric.save()
    audit.record(actor=actor, action="rubric.create", obj=rubric, summary=rubric.name,
                 detail={"criteria": rubric.criteria})
    return rubric


@transaction.atomic
def rubric_update(*, actor, rubric: Rubric, name: str | None = None,
                  criteria: Sequence[Mapping[str, Any]] | None = None, active: bool | None = None) -> Rubric:
    """Change a rubric. Sessions already open keep the criteria copied into them."""
    require(actor, CHANGE, rubric)
    rubric = Rubric.objects.select_for_update().get(pk=rubric.pk)
    require(actor, CHANGE, rubric)
    before = {"name": rubric.name, "criteria": rubric.criteria, "active": rubric.active}
    if name is not None:
        rubric.name = name.strip()
        _check_rubric_name(rubric)
    if criteria is not None:
        rubric.criteria = clean_criteria(criteria)
    if active is not None:
        rubric.active = active
    after = {"name": rubric.name, "criteria": rubric.criteria, "active": rubric.active}
    changed = {k: [before[k], after[k]] for k in before if before[k] != after[k]}
    if changed:
        rubric.save(update_fields=list(changed))
        audit.record(actor=actor, action="rubric.update", obj=rubric, summary=rubric.name, detail={"changes": changed})
    return rubric


# -- who may review --------------------------------------------------------------------------

def eligible_reviewers(rnd: Round) -> QuerySet[User]:
    """Accounts that may review papers of `rnd`: the committee's office, and the group-role
    accounts of the round's groups (each only for the other groups' papers)."""
    current = RoleAssignment.objects.current()
    office = current.filter(role__in=OFFICE_ROLES, committee_id=rnd.committee_id)
    groups = current.filter(role__in=GROUP_ROLES, group__round=rnd)
    return (User.objects.filter(is_active=True, system_role="")
            .filter(Q(pk__in=office.values("user_id")) | Q(pk__in=groups.values("user_id"))
                    | Q(pk__in=GroupMember.objects.filter(group__round=rnd, user__isnull=False).values("user_id")))
            .order_by("full_name", "username"))


def groups_of(users: Iterable[User], rnd: Round) -> dict[int, set[int]]:
    """{user id: ids of the round's groups the user belongs to} (membership or group role)."""
    ids = [u.pk for u in users]
    found: dict[int, set[int]] = defaultdict(set)
    for user_id, group_id in GroupMember.objects.filter(user_id__in=ids, group__round=rnd).values_list(
            "user_id", "group_id"):
        found[user_id].add(group_id)
    for user_id, group_id in RoleAssignment.objects.current().filter(
            user_id__in=ids, role__in=GROUP_ROLES, group__round=rnd).values_list("user_id", "group_id"):
        found[user_id].add(group_id)
    return found


def _check_reviewers(rnd: Round, reviewers: Sequence[User]) -> None:
    if not reviewers:
        raise ValidationError({"reviewers": [_("Choose at least one reviewer.")]})
    eligible = set(eligible_reviewers(rnd).filter(pk__in=[u.pk for u in reviewers]).values_list("pk", flat=True))
    wrong = [str(u.full_name or u.username) for u in reviewers if u.pk not in eligible]
    if wrong:
        raise ValidationError({"reviewers": [
            _("Not an office or inspection-group account of this round: %(names)s.") % {"names": "、".join(wrong)}]})


def _check_independent(paper: WorkingPaper, reviewer: User) -> None:
    if paper.group_id in groups_of([reviewer], paper.round).get(reviewer.pk, set()):
        raise ValidationError({"reviewer": [
            _("%(name)s belongs to %(group)s and may not review its paper %(number)s.") % {
                "name": reviewer.full_name or reviewer.username, "group": paper.group.name,
                "number": paper.number}]})


# -- sampling and assignment -----------------------------------------------------------------

def draw_sample(rnd: Round, *, sample: str, per_group: int | None, seed: int) -> list[WorkingPaper]:
    """The papers of the round that reached signed or registered; all of them, or `per_group`
    drawn at random in each group with `seed` (the same seed draws the same papers)."""
    papers = list(WorkingPaper.objects.filter(round=rnd, state__in=SAMPLED_STATES)
                  .select_related("group__round__term").order_by("group__number", "seq"))
    if sample == ReviewSession.Sample.ALL:
        return papers
    by_group: dict[int, list[WorkingPaper]] = defaultdict(list)
    for paper in papers:
        by_group[paper.group.number].append(paper)
    rng = random.Random(seed)
    drawn: list[WorkingPaper] = []
    for number in sorted(by_group):
        group_papers = by_group[number]
        chosen = rng.sample(group_papers, min(per_group or 0, len(group_papers)))
        drawn.extend(sorted(chosen, key=lambda p: p.seq))
    return drawn


def assign(papers: Sequence[WorkingPaper], reviewers: Sequence[User], membership: Mapping[int, set[int]],
           load: Mapping[int, int] | None = None) -> dict[int, User]:
    """{paper id: reviewer}: each paper to a reviewer outside its group, the load spread
    evenly (the most constrained papers first, then the least loaded reviewer, ties by the
    order given). Refuses, naming the papers, when some paper has no eligible reviewer."""
    current = {u.pk: (load or {}).get(u.pk, 0) for u in reviewers}
    options = {p.pk: [u for u in reviewers if p.group_id not in membership.get(u.pk, set())] for p in papers}
    stranded = [p for p in papers if not options[p.pk]]
    if stranded:
        raise ValidationError({"reviewers": [
            _("No reviewer outside %(group)s for paper %(number)s: add a reviewer from another group or the office.")
            % {"group": p.group.name, "number": p.number} for p in stranded]})
    order = {u.pk: i for i, u in enumerate(reviewers)}
    result: dict[int, User] = {}
    for paper in sorted(papers, key=lambda p: (len(options[p.pk]), p.group.number, p.seq)):
        chosen = min(options[paper.pk], key=lambda u: (current[u.pk], order[u.pk]))
        current[chosen.pk] += 1
        result[paper.pk] = chosen
    return result


# -- sessions --------------------------------------------------------------------------------

@transaction.atomic
def session_open(*, actor, round: Round, title: str, rubric: Rubric, sample: str = ReviewSession.Sample.ALL,
                 per_group: int | None = None, reviewers: Sequence[User], seed: int | None = None) -> ReviewSession:
    """Open a session over the round's signed or registered papers and assign each sampled
    paper to one of `reviewers` who is not of the paper's group. The rubric is copied in."""
    rnd = round
    session = ReviewSession(round=rnd, title=(title or "").strip(), sample=sample,
                            opened_by=actor if getattr(actor, "pk", None) else None)
    require(actor, CREATE, session)
    errors: dict[str, list[str]] = {}
    if not session.title:
        errors["title"] = [_("This field is required.")]
    if rubric.committee_id != rnd.committee_id or not rubric.active:
        errors["rubric"] = [_("Choose an active rubric of the round's committee.")]
    if sample not in ReviewSession.Sample.values:
        errors["sample"] = [_("Choose all papers or a random sample per group.")]
    elif sample == ReviewSession.Sample.RANDOM and not (per_group and per_group >= 1):
        errors["per_group"] = [_("Give how many papers to draw in each group (at least 1).")]
    if errors:
        raise ValidationError(errors)
    reviewers = list(dict.fromkeys(reviewers))
    _check_reviewers(rnd, reviewers)
    session.per_group = per_group if sample == ReviewSession.Sample.RANDOM else None
    session.seed = seed if seed is not None else random.SystemRandom().randrange(1, 2**62)
    session.criteria = clean_criteria(rubric.criteria)
    papers = draw_sample(rnd, sample=sample, per_group=session.per_group, seed=session.seed)
    if not papers:
        raise ValidationError({"round": [_("The round has no signed or registered paper to review.")]})
    given = assign(papers, reviewers, groups_of(reviewers, rnd))
    session.save()
    Review.objects.bulk_create([Review(session=session, paper=p, reviewer=given[p.pk]) for p in papers])
    audit.record(actor=actor, action="review_session.open", obj=session, summary=session.title,
                 detail={"round": rnd.pk, "rubric": rubric.pk, "sample": sample, "per_group": session.per_group,
                         "seed": session.seed, "papers": len(papers), "reviewers": [u.pk for u in reviewers]})
    return session


def _locked_session(actor, session: ReviewSession) -> ReviewSession:
    require(actor, CHANGE, session)
    session = ReviewSession.objects.select_for_update().select_related("round").get(pk=session.pk)
    require(actor, CHANGE, session)
    return session


@transaction.atomic
def session_close(*, actor, session: ReviewSession, force: bool = False) -> ReviewSession:
    """Close an open session. Unsubmitted reviews refuse the close (listed in the message)
    unless `force`: then they stay unsubmitted and count in no result."""
    session = _locked_session(actor, session)
    if session.state != ReviewSession.State.OPEN:
        raise ValidationError(_("This session is already closed."))
    pending = list(session.reviews.filter(submitted_at__isnull=True).select_related("paper")
                   .order_by("paper__group__number", "paper__seq").values_list("paper__number", flat=True))
    if pending and not force:
        raise ValidationError({"force": [
            _("%(n)d reviews are not submitted yet: %(papers)s. Close anyway to leave them out of the results.")
            % {"n": len(pending), "papers": "、".join(pending)}]})
    session.state = ReviewSession.State.CLOSED
    session.closed_at = timezone.now()
    session.save(update_fields=["state", "closed_at"])
    audit.record(actor=actor, action="review_session.close", obj=session, summary=session.title,
                 detail={"unsubmitted": pending, "forced": bool(pending)})
    return session


# -- reviews ---------------------------------------------------------------------------------

def _locked_review(review: Review) -> Review:
    return (Review.objects.select_for_update(of=("self",))
            .select_related("session__round", "paper__group__round__term", "reviewer").get(pk=review.pk))


@transaction.atomic
def review_reassign(*, actor, review: Review, reviewer: User) -> Review:
    """Give an unsubmitted review of an open session to another reviewer (the office)."""
    require(actor, CHANGE, review.session)  # the reviewer's own CHANGE on a Review is not enough
    review = _locked_review(review)
    require(actor, CHANGE, review.session)
    if review.session.state != ReviewSession.State.OPEN:
        raise ValidationError(_("This session is closed."))
    if review.done:
        raise ValidationError(_("This review is already submitted."))
    if reviewer.pk == review.reviewer_id:
        return review
    rnd = review.session.round
    if not eligible_reviewers(rnd).filter(pk=reviewer.pk).exists():
        raise ValidationError({"reviewer": [_("Not an office or inspection-group account of this round.")]})
    _check_independent(review.paper, reviewer)
    previous = review.reviewer
    review.reviewer = reviewer
    review.save(update_fields=["reviewer"])
    audit.record(actor=actor, action="review.reassign", obj=review, summary=review.paper.number,
                 detail={"from": previous.pk, "to": reviewer.pk})
    return review


def _decimal(value: Any) -> Decimal | None:
    if isinstance(value, bool) or value is None or value == "":
        return None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def _json_number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def clean_scores(criteria: Sequence[Mapping[str, Any]], scores: Mapping[str, Any], comments: Mapping[str, Any],
                 defects: Iterable[str]) -> tuple[dict, dict, list, Decimal]:
    """Check a review against the session's criteria; errors are keyed "scores.<criterion>",
    "comments.<criterion>" and "defects" and name the criterion."""
    errors: dict[str, list[str]] = {}
    names = [c["name"] for c in criteria]
    unknown = sorted(set(scores) - set(names))
    if unknown:
        errors["scores"] = [_("Unknown criteria: %(names)s.") % {"names": "、".join(unknown)}]
    clean: dict[str, int | float] = {}
    notes: dict[str, str] = {}
    total = Decimal(0)
    for criterion in criteria:
        name, top = criterion["name"], Decimal(criterion["max"])
        value = _decimal(scores.get(name))
        comment = str(comments.get(name) or "").strip()
        if value is None:
            errors[f"scores.{name}"] = [_("%(name)s: give a score.") % {"name": name}]
        elif not Decimal(0) <= value <= top:
            errors[f"scores.{name}"] = [_("%(name)s: the score must be from 0 to %(max)s.") % {"name": name, "max": top}]
        elif value != value.quantize(Decimal("0.1")):
            errors[f"scores.{name}"] = [_("%(name)s: use at most one decimal place.") % {"name": name}]
        else:
            clean[name] = _json_number(value)
            total += value
            if value < top * COMMENT_BELOW and not comment:
                errors[f"comments.{name}"] = [
                    _("%(name)s: say why the score is below %(pct)d%% of %(max)s.")
                    % {"name": name, "pct": int(COMMENT_BELOW * 100), "max": top}]
        if comment:
            notes[name] = comment
    codes = list(dict.fromkeys(defects or []))
    bad = [c for c in codes if c not in Defect.values]
    if bad:
        errors["defects"] = [_("Unknown defects: %(codes)s.") % {"codes": "、".join(map(str, bad))}]
    if errors:
        raise ValidationError(errors)
    return clean, notes, codes, total


@transaction.atomic
def review_submit(*, actor, review: Review, scores: Mapping[str, Any], comments: Mapping[str, Any] | None = None,
                  defects: Iterable[str] = ()) -> Review:
    """The assigned reviewer scores the paper against the session's criteria, while the
    session is open. Submitting again before the close replaces the scores."""
    if actor is not policy.CONSOLE and getattr(actor, "pk", None) != review.reviewer_id:
        raise policy.PermissionDenied("only the assigned reviewer submits")
    require(actor, CHANGE, review)
    review = _locked_review(review)
    if actor is not policy.CONSOLE and actor.pk != review.reviewer_id:
        raise policy.PermissionDenied("only the assigned reviewer submits")
    if review.session.state != ReviewSession.State.OPEN:
        raise ValidationError(_("This session is closed: reviews can no longer be submitted."))
    clean, notes, codes, total = clean_scores(review.session.criteria, scores, comments or {}, defects)
    resubmitted = review.done
    review.scores, review.comments, review.defects, review.total = clean, notes, codes, total
    review.submitted_at = timezone.now()
    review.save(update_fields=["scores", "comments", "defects", "total", "submitted_at"])
    audit.record(actor=actor, action="review.resubmit" if resubmitted else "review.submit", obj=review,
                 summary=review.paper.number, detail={"total": total, "defects": codes})
    return review
