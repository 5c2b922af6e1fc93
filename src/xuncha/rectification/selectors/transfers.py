"""Reads of transfers (移交), always within the policy's scope.

Two views of the same table: the ledger (移交台账) of those who hand over and oversee (the office,
the leading group, the superior office — the policy hides leads from the last), and the
receiver's list of what was handed to its own organization. A receiver reaches a transfer
through the Transfer's own scope and never the Problem behind it: the receiver's reads here do
not join the problem (beyond its kind: problem or lead), and the one place that shows a problem
(`visible_problem`) reads it through the Problem scope, where a receiver holds nothing.

A transfer is overdue when it is not answered and the day is past its feedback deadline; one
answered after the deadline was answered late.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import (
    Case,
    Count,
    DateField,
    DecimalField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from xuncha.access.policy import VIEW, scope, scope_q
from xuncha.access.roles import Role
from xuncha.findings.models import Kind, Problem
from xuncha.rectification import warnings
from xuncha.rectification.models import Transfer, TransferAction
from xuncha.registry.models import Organization
from xuncha.rounds.models import Round

TRANSFERRED = Transfer.State.TRANSFERRED
RECEIVED = Transfer.State.RECEIVED
ANSWERED = Transfer.State.ANSWERED

OFFICE = (Role.OFFICE_ADMIN, Role.OFFICE_STAFF)
RECEIVER = (Role.RECEIVER,)
# Those who read the ledger: the office that hands over, and oversight.
LEDGER = (Role.LEADER, *OFFICE, Role.SUPERVISOR)
# The filter's two kinds: problems (general and cadre-selection) and leads (问题线索).
KIND_PROBLEM = "problem"
KIND_LEAD = "lead"
CENT = Decimal("0.01")


def today() -> date:
    """The day deadlines are judged on (one place, so that tests can move it)."""
    return timezone.localdate()


def reads_ledger(user) -> bool:
    return scope_q(user, Transfer, VIEW, roles=LEDGER) is not None


def is_receiver(user) -> bool:
    return scope_q(user, Transfer, VIEW, roles=RECEIVER) is not None


def _get(qs: QuerySet, pk):
    try:
        return qs.get(pk=pk)
    except (qs.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


# -- deadlines -------------------------------------------------------------------------------

def overdue_q(on: date) -> Q:
    return ~Q(state=ANSWERED) & Q(feedback_due__lt=on)


@dataclass(frozen=True)
class Deadline:
    """How a transfer stands against its feedback deadline on a day."""

    level: warnings.Level
    days_left: int | None
    overdue: bool
    answered_late: bool

    @property
    def css(self) -> str:
        return warnings.CSS[self.level]

    @property
    def days_overdue(self) -> int:
        return -self.days_left if self.overdue and self.days_left is not None else 0


def deadline(transfer: Transfer, on: date) -> Deadline:
    answered = transfer.state == ANSWERED
    return Deadline(
        level=warnings.level_for(transfer.feedback_due, on, transfer.policy, done=answered),
        days_left=warnings.days_left(transfer.feedback_due, on),
        overdue=not answered and transfer.feedback_due < on,
        answered_late=answered and transfer.answered_on is not None and transfer.answered_on > transfer.feedback_due,
    )


def with_deadlines(transfers, on: date) -> list[tuple[Transfer, Deadline]]:
    return [(t, deadline(t, on)) for t in transfers]


# -- the ledger ------------------------------------------------------------------------------

@dataclass(frozen=True)
class LedgerFilters:
    round: int | None = None
    receiver: int | None = None
    state: str = ""
    kind: str = ""
    overdue: bool = False

    def as_detail(self) -> dict:
        return {"round": self.round, "receiver": self.receiver, "state": self.state, "kind": self.kind,
                "overdue": self.overdue}


def filtered(qs: QuerySet[Transfer], filters: LedgerFilters, on: date) -> QuerySet[Transfer]:
    if filters.round:
        qs = qs.filter(round_id=filters.round)
    if filters.receiver:
        qs = qs.filter(receiver_id=filters.receiver)
    if filters.state in Transfer.State.values:
        qs = qs.filter(state=filters.state)
    if filters.kind == KIND_LEAD:
        qs = qs.filter(problem__kind=Kind.LEAD)
    elif filters.kind == KIND_PROBLEM:
        qs = qs.exclude(problem__kind=Kind.LEAD)
    if filters.overdue:
        qs = qs.filter(overdue_q(on))
    return qs


def _overdue_first(qs: QuerySet[Transfer], on: date) -> QuerySet[Transfer]:
    """Overdue first (the longest overdue on top), then the newest transfers."""
    return (qs.annotate(overdue_rank=Case(When(overdue_q(on), then=Value(0)), default=Value(1),
                                          output_field=IntegerField()))
            .order_by("overdue_rank",
                      Case(When(overdue_q(on), then=F("feedback_due")), output_field=DateField()).asc(nulls_last=True),
                      "-transferred_on", "-id"))


def ledger(user, filters: LedgerFilters, *, action: str = VIEW, on: date | None = None) -> QuerySet[Transfer]:
    """The transfers the user reads in the ledger (or exports, with action=EXPORT), filtered,
    with what a row shows joined in."""
    on = on or today()
    qs = filtered(scope(user, Transfer, action, roles=LEDGER), filters, on)
    return _overdue_first(qs, on).select_related("problem__group__round__term", "receiver", "round__term",
                                                 "policy", "handler")


def transfers_for(user, filters: LedgerFilters, *, on: date | None = None) -> QuerySet[Transfer]:
    """Every transfer the user sees (the ledger's, or a receiver's own), filtered, overdue first;
    the problem is not joined beyond its kind (see `visible_problems`)."""
    on = on or today()
    qs = filtered(scope(user, Transfer, VIEW), filters, on)
    return (_overdue_first(qs, on).select_related("receiver", "round__term", "policy", "handler")
            .annotate(kind=F("problem__kind")))


def totals(qs: QuerySet[Transfer], on: date | None = None) -> dict:
    """Counts and sums over the (filtered) transfers, in one aggregate query."""
    on = on or today()
    zero_money = Value(0, output_field=DecimalField(max_digits=16, decimal_places=2))
    sums = qs.order_by().aggregate(
        transfers=Count("id"),
        answered=Count("id", filter=Q(state=ANSWERED)),
        overdue=Count("id", filter=overdue_q(on)),
        answered_late=Count("id", filter=Q(state=ANSWERED, answered_on__gt=F("feedback_due"))),
        people_disciplined=Coalesce(Sum("people_disciplined"), 0),
        people_handled=Coalesce(Sum("people_handled"), 0),
        money_recovered=Coalesce(Sum("money_recovered"), zero_money),
        systems_established=Coalesce(Sum("systems_established"), 0),
    )
    # SQLite sums decimals as floats: give the yuan to the fen on every database.
    sums["money_recovered"] = Decimal(str(sums["money_recovered"])).quantize(CENT)
    return sums


def round_choices(user) -> QuerySet[Round]:
    return scope(user, Round, VIEW).select_related("term").order_by("-term__start_date", "-number", "-id")


def receiver_choices(user) -> QuerySet[Organization]:
    """The organizations that received a transfer the user reads in the ledger."""
    handed = scope(user, Transfer, VIEW, roles=LEDGER).filter(receiver=OuterRef("pk"))
    return (scope(user, Organization, VIEW).filter(Exists(handed))
            .order_by("committee_id", "kind__sort_order", "pinyin", "id"))


# -- the receiver's list ---------------------------------------------------------------------

def received(user) -> QuerySet[Transfer]:
    """What was handed to the user's organization: awaiting receipt first, then in handling,
    then answered; the nearest deadline first within each."""
    state_rank = Case(When(state=TRANSFERRED, then=Value(0)), When(state=RECEIVED, then=Value(1)),
                      default=Value(2), output_field=IntegerField())
    return (scope(user, Transfer, VIEW, roles=RECEIVER)
            .select_related("receiver", "round__term", "policy")
            .annotate(kind=F("problem__kind"), state_rank=state_rank)
            .order_by("state_rank", "feedback_due", "id"))


def awaiting_receipt(user) -> QuerySet[Transfer]:
    return scope(user, Transfer, VIEW, roles=RECEIVER).filter(state=TRANSFERRED)


def feedback_due_count(user, on: date | None = None) -> tuple[int, int]:
    """(warned, overdue): the receiver's unanswered transfers whose deadline is near (within the
    green threshold of their policy) or past, and of those the overdue ones."""
    on = on or today()
    open_ = (scope(user, Transfer, VIEW, roles=RECEIVER).exclude(state=ANSWERED)
             .values_list("feedback_due", "policy__warn_green_days", "policy__warn_yellow_days"))
    warned = overdue = 0
    # One organization's open transfers: few rows, each judged by its own policy's thresholds.
    for due, green, yellow in open_:
        level = warnings.level(due, on, green_days=green, yellow_days=yellow)
        warned += level != warnings.Level.NONE
        overdue += level == warnings.Level.RED
    return warned, overdue


def overdue_for_office(user, on: date | None = None) -> QuerySet[Transfer]:
    return scope(user, Transfer, VIEW, roles=OFFICE).filter(overdue_q(on or today()))


# -- one transfer ----------------------------------------------------------------------------

def transfer_details(user) -> QuerySet[Transfer]:
    """The transfers the user sees, with the handling steps the user sees."""
    actions = scope(user, TransferAction, VIEW).select_related("recorded_by").order_by("on", "id")
    return (scope(user, Transfer, VIEW)
            .select_related("receiver", "round__term", "round__committee", "policy", "handler")
            .annotate(kind=F("problem__kind"))
            .prefetch_related(Prefetch("actions", queryset=actions, to_attr="shown_actions")))


def get_transfer_for_user(user, pk) -> Transfer:
    return _get(transfer_details(user), pk)


def visible_problem(user, transfer: Transfer) -> Problem | None:
    """The problem behind the transfer, when the user may read it (never for a receiver)."""
    return (scope(user, Problem, VIEW).select_related("group__round__term", "organization", "classification")
            .filter(pk=transfer.problem_id).first())


def visible_problems(user, transfers) -> dict[int, Problem]:
    """The problems behind several transfers that the user may read, by id (one query)."""
    ids = {t.problem_id for t in transfers}
    if not ids:
        return {}
    return {p.pk: p for p in scope(user, Problem, VIEW).select_related("group__round__term").filter(pk__in=ids)}


# -- handing over ----------------------------------------------------------------------------

def rounds_to_transfer_from(user) -> QuerySet[Round]:
    """The rounds whose problems the user (the office) may hand over."""
    return scope(user, Round, VIEW, roles=OFFICE).select_related("term").order_by("-term__start_date", "-number",
                                                                                  "-id")


# Discipline inspection and supervision commissions (纪委监委), then organization departments
# (组织部): the usual receivers, first in the list.
_RECEIVER_RANK = Case(
    When(Q(name__contains="纪委") | Q(name__contains="监委") | Q(name__contains="纪检"), then=Value(0)),
    When(name__contains="组织部", then=Value(1)),
    default=Value(2), output_field=IntegerField())


def receiver_options(user, rnd: Round | None = None) -> QuerySet[Organization]:
    """Active organizations a problem may be handed to: of the round's committee, or (no round
    chosen yet) of the office's own committee."""
    qs = scope(user, Organization, VIEW, roles=OFFICE).filter(active=True)
    if rnd is not None:
        qs = qs.filter(committee_id=rnd.committee_id)
    return (qs.select_related("kind").annotate(receiver_rank=_RECEIVER_RANK)
            .order_by("receiver_rank", "kind__sort_order", "pinyin", "id"))


def candidate_problems(user, rnd: Round, receiver: Organization) -> QuerySet[Problem]:
    """Problems and leads of the round the user sees that were not handed to this receiver yet
    (and are not the receiver's own), in number order."""
    handed = Transfer.objects.filter(problem=OuterRef("pk"), receiver=receiver)
    return (scope(user, Problem, VIEW, roles=OFFICE).filter(round=rnd).exclude(organization=receiver)
            .exclude(Exists(handed)).select_related("group__round__term", "organization")
            .order_by("group__number", "seq", "id"))
