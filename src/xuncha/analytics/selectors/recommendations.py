"""Reads of recommendations (巡察建议书), always within the policy's scope.

Two views of the same letters: the ledger of the office, the leading group and the superior
office (scope of Recommendation), and an addressed department's own letters, reached only
through its RecommendationAddressee rows — which the policy hides from a receiver until the
letter is issued. A receiver never reads the Recommendation scope (it holds none there) nor the
problems behind a letter.

A letter is overdue when it is issued, its response deadline has passed and some addressee
has not responded.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from xuncha.access.policy import CHANGE, VIEW, scope, scope_q
from xuncha.access.roles import Role
from xuncha.analytics.models import (
    Cluster,
    Recommendation,
    RecommendationAddressee,
    RecommendationItem,
    RecommendationStep,
    SystemOutcome,
)
from xuncha.findings.models import Kind, Problem
from xuncha.rectification import warnings
from xuncha.registry.models import Organization
from xuncha.rounds.models import Round, Term

OFFICE = (Role.OFFICE_ADMIN, Role.OFFICE_STAFF)
LEADER = (Role.LEADER,)
RECEIVER = (Role.RECEIVER,)
LEDGER = (Role.LEADER, *OFFICE, Role.SUPERVISOR)
State = Recommendation.State
# The response deadline of one addressee: the letter's, with the letter's policy thresholds.
RESPONSE = warnings.Deadline(due="recommendation__response_due", policy="recommendation__policy",
                             done=Q(responded_on__isnull=False))


def today() -> date:
    """The day deadlines are judged on (one place, so that tests can move it)."""
    return timezone.localdate()


def reads_ledger(user) -> bool:
    return scope_q(user, Recommendation, VIEW, roles=LEDGER) is not None


def is_receiver(user) -> bool:
    return scope_q(user, RecommendationAddressee, VIEW, roles=RECEIVER) is not None


def _get(qs: QuerySet, pk):
    try:
        return qs.get(pk=pk)
    except (qs.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def unanswered_q(prefix: str = "") -> Q:
    return Exists(RecommendationAddressee.objects.filter(recommendation=OuterRef(f"{prefix}pk"),
                                                         responded_on__isnull=True))


def overdue_q(on: date) -> Q:
    return Q(state=State.ISSUED, response_due__lt=on) & unanswered_q()


# -- the ledger ------------------------------------------------------------------------------

@dataclass(frozen=True)
class LedgerFilters:
    committee_path: str = ""
    term: int | None = None
    state: str = ""
    overdue: bool = False

    def as_detail(self) -> dict:
        return {"committee_path": self.committee_path, "term": self.term, "state": self.state,
                "overdue": self.overdue}


def filtered(user, filters: LedgerFilters, *, action: str = VIEW, on: date | None = None) -> QuerySet:
    """The letters the user may read (or export) that the filters select, without decoration."""
    on = on or today()
    qs = scope(user, Recommendation, action, roles=LEDGER)
    if filters.committee_path:
        qs = qs.filter(committee__path__startswith=filters.committee_path)
    if filters.term:
        qs = qs.filter(term_id=filters.term)
    if filters.state:
        qs = qs.filter(state=filters.state)
    if filters.overdue:
        qs = qs.filter(overdue_q(on))
    return qs


def ledger(user, filters: LedgerFilters, *, action: str = VIEW, on: date | None = None) -> QuerySet:
    """The ledger's rows, newest first, with their addressees and the counts the ledger shows:
    addressees, responded, systems established or improved."""
    return (filtered(user, filters, action=action, on=on).select_related("committee", "term", "policy")
            .prefetch_related(Prefetch("addressees", queryset=RecommendationAddressee.objects
                                       .select_related("organization").order_by("id")))
            .annotate(addressee_count=Count("addressees", distinct=True),
                      responded_count=Count("addressees", filter=Q(addressees__responded_on__isnull=False),
                                            distinct=True),
                      outcome_count=Count("addressees__outcomes", distinct=True))
            .order_by("-year", "-seq", "-pk"))


def status(rec: Recommendation, on: date) -> dict:
    """How a letter stands against its response deadline: responded/addressees, overdue, level."""
    addressees = getattr(rec, "addressee_count", None)
    responded = getattr(rec, "responded_count", None)
    if addressees is None:
        rows = list(rec.addressees.all())
        addressees, responded = len(rows), sum(1 for a in rows if a.responded_on)
    waiting = rec.state == State.ISSUED and responded < addressees
    level = warnings.level_for(rec.response_due, on, rec.policy if rec.policy_id else None, done=not waiting)
    return {"addressees": addressees, "responded": responded, "waiting": waiting, "level": level,
            "css": warnings.CSS[level], "overdue": waiting and rec.response_due is not None and rec.response_due < on}


def with_status(recs, on: date) -> list[tuple[Recommendation, dict]]:
    return [(r, status(r, on)) for r in recs]


def totals(qs: QuerySet, on: date) -> dict:
    """Letters, issued (or closed), overdue, and systems established or improved, of `filtered`."""
    figures = qs.order_by().aggregate(
        letters=Count("pk", distinct=True),
        issued=Count("pk", filter=Q(state__in=[State.ISSUED, State.CLOSED]), distinct=True),
        overdue=Count("pk", filter=overdue_q(on), distinct=True))
    figures["outcomes"] = SystemOutcome.objects.filter(addressee__recommendation__in=qs.values("pk")).count()
    return figures


def term_choices(user) -> QuerySet:
    return scope(user, Term, VIEW).select_related("committee").order_by("committee__path", "-number")


# -- one letter ------------------------------------------------------------------------------

def details(qs: QuerySet) -> QuerySet:
    return qs.select_related("committee", "term", "round__term", "cluster", "policy", "approved_by",
                             "created_by").prefetch_related(
        Prefetch("items", queryset=RecommendationItem.objects.order_by("seq")),
        Prefetch("steps", queryset=RecommendationStep.objects.select_related("actor").order_by("at", "id")),
        Prefetch("addressees", queryset=RecommendationAddressee.objects.select_related("organization", "responded_by")
                 .prefetch_related(Prefetch("outcomes", queryset=SystemOutcome.objects.order_by("adopted_on", "id")))
                 .order_by("id")),
    )


def get_recommendation_for_user(user, pk, *, action: str = VIEW) -> Recommendation:
    """One letter the user may read, with its items, steps and addressees; 404 otherwise (a
    receiver included: it reads its letters through `get_addressee_for_user`)."""
    return _get(details(scope(user, Recommendation, action, roles=LEDGER)), pk)


def visible_problems(user, rec: Recommendation) -> QuerySet:
    """The letter's source problems the user may read through the Problem scope."""
    return (scope(user, Problem, VIEW).filter(recommendations=rec)
            .select_related("organization", "round__term", "group", "classification")
            .order_by("round__term__number", "round__number", "group__number", "seq", "pk"))


def problems_for_symptoms(pks) -> QuerySet:
    """The problems a service already checked, with what symptoms.describe reads."""
    return (Problem.objects.filter(pk__in=list(pks))
            .select_related("organization", "round__term", "classification", "group"))


def choosable_problems(user, committee, pks) -> QuerySet:
    """Problems of the committee the user may read, among `pks`: what a letter may draw on."""
    return (scope(user, Problem, VIEW).filter(pk__in=list(pks), round__committee=committee)
            .select_related("organization", "round__term", "classification", "group__round__term"))


def cluster_for_user(user, pk) -> Cluster:
    return _get(scope(user, Cluster, VIEW).select_related("committee", "term"), pk)


def cluster_problems(cluster: Cluster) -> QuerySet:
    """The cluster's members that may go into a letter: never a lead."""
    return (Problem.objects.filter(cluster_memberships__cluster=cluster).exclude(kind=Kind.LEAD)
            .order_by("round_id", "group_id", "seq"))


def addressee_options(user, committee) -> QuerySet:
    """Who a letter may be addressed to: the committee's active top-level organizations
    (departments, townships, enterprises …), departments first."""
    return (scope(user, Organization, VIEW).filter(committee=committee, active=True, parent__isnull=True)
            .select_related("kind").order_by("kind__sort_order", "pinyin", "id"))


def term_options(user, committee) -> QuerySet:
    return scope(user, Term, VIEW).filter(committee=committee).order_by("-number")


def round_options(user, committee) -> QuerySet:
    return scope(user, Round, VIEW).filter(committee=committee).select_related("term").order_by(
        "-term__number", "-number")


# -- the addressed department ----------------------------------------------------------------

def received(user) -> QuerySet:
    """The issued (and closed) letters addressed to the receiver's own organization."""
    return (scope(user, RecommendationAddressee, VIEW, roles=RECEIVER)
            .select_related("organization", "recommendation__committee", "recommendation__policy")
            .prefetch_related(Prefetch("outcomes", queryset=SystemOutcome.objects.order_by("adopted_on", "id")))
            .order_by("-recommendation__issued_on", "-recommendation__pk", "pk"))


def get_addressee_for_user(user, pk, *, roles=None) -> RecommendationAddressee:
    """One addressee row the user may read (a receiver: its own organization's, once issued)."""
    qs = (scope(user, RecommendationAddressee, VIEW, roles=roles)
          .select_related("organization", "recommendation__committee", "recommendation__policy")
          .prefetch_related(Prefetch("outcomes", queryset=SystemOutcome.objects.order_by("adopted_on", "id")),
                            Prefetch("recommendation__items", queryset=RecommendationItem.objects.order_by("seq"))))
    return _get(qs, pk)


def get_outcome_for_user(user, pk) -> SystemOutcome:
    return _get(scope(user, SystemOutcome, VIEW).select_related("addressee__recommendation"), pk)


def addressee_deadline(addressee: RecommendationAddressee, on: date) -> dict:
    rec = addressee.recommendation
    done = addressee.responded_on is not None or rec.state != State.ISSUED
    level = warnings.level_for(rec.response_due, on, rec.policy, done=done)
    return {"level": level, "css": warnings.CSS[level], "days_left": warnings.days_left(rec.response_due, on),
            "overdue": not done and rec.response_due is not None and rec.response_due < on}


# -- to-dos ----------------------------------------------------------------------------------

def awaiting_approval(user) -> QuerySet:
    return scope(user, Recommendation, CHANGE, roles=LEADER).filter(state=State.SUBMITTED)


def to_answer(user, on: date) -> tuple[int, bool]:
    """(letters to answer whose deadline is near or past, whether any is overdue) for a receiver."""
    qs = scope(user, RecommendationAddressee, VIEW, roles=RECEIVER).filter(
        recommendation__state=State.ISSUED, responded_on__isnull=True)
    figures = qs.aggregate(warned=Count("pk", filter=RESPONSE.any_q(warnings.WARNED, on)),
                           overdue=Count("pk", filter=RESPONSE.q(warnings.Level.RED, on)))
    return figures["warned"], bool(figures["overdue"])


def overdue_for_office(user, on: date) -> QuerySet:
    return scope(user, Recommendation, CHANGE, roles=OFFICE).filter(overdue_q(on))
