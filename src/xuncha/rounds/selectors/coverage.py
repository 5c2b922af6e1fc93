"""Reads for coverage (全覆盖): which organizations a term must cover and which it has.

Everything is counted in the database (values().annotate(Count)); Python only turns the
few aggregate rows into table rows (rounds.coverage). Who may see a term's coverage: whoever
may see the term (policy.scope on Term); the organizations are read through the user's scope
too. The covered set counts every target of the term, whichever group inspects it, since
coverage is a figure of the term's plan, not of one group's work.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.http import Http404
from django.utils.translation import gettext as _

from xuncha.access.policy import VIEW, scope
from xuncha.registry.models import Organization, OrganizationKind
from xuncha.rounds import coverage
from xuncha.rounds.models import Assignment, Round, Term

TOWNSHIP = "township"  # kind code of 乡镇/街道: villages and communities are counted under theirs
DEFAULT_EXCLUDED_KIND = "other"
OTHERS = "other"  # key of the table row for organizations outside any township
NOT_STARTED = (Round.State.PLANNED, Round.State.APPROVED)


def terms_for(user) -> QuerySet[Term]:
    return scope(user, Term, VIEW).select_related("committee").order_by("committee__path", "-number")


def get_term_for_user(user, pk) -> Term:
    term = terms_for(user).filter(pk=pk).first()
    if term is None:
        raise Http404
    return term


def default_term(user, committee_id: int | None = None) -> Term | None:
    """The latest term of the user's current committee, else the latest term they may see."""
    terms = terms_for(user)
    if committee_id is not None:
        term = terms.filter(committee_id=committee_id).order_by("-number").first()
        if term is not None:
            return term
    return terms.order_by("-start_date", "-number").first()


def covered_kinds(committee_id: int) -> QuerySet[OrganizationKind]:
    """The kinds the committee must cover: its RoundsPolicy's, or every kind but "other"."""
    chosen = OrganizationKind.objects.filter(roundspolicy__committee_id=committee_id)
    if chosen.exists():
        return chosen
    return OrganizationKind.objects.exclude(code=DEFAULT_EXCLUDED_KIND)


def _inspected_in(term: Term):
    return Exists(Assignment.objects.filter(round__term_id=term.pk, organization_id=OuterRef("pk")))


def required(user, term: Term, *, kinds: QuerySet[OrganizationKind] | None = None) -> QuerySet[Organization]:
    """The organizations the term must cover (active, of a covered kind), as the user sees them,
    each annotated with `is_covered`."""
    if kinds is None:
        kinds = covered_kinds(term.committee_id)
    return (scope(user, Organization, VIEW)
            .filter(committee_id=term.committee_id, active=True, kind__in=kinds.values("pk"))
            .annotate(is_covered=_inspected_in(term)))


def _township_of():
    """The township an organization counts under: itself, or its parent; None for the rest."""
    return (Case(When(kind__code=TOWNSHIP, then=F("pk")),
                 When(parent__kind__code=TOWNSHIP, then=F("parent_id")),
                 default=Value(None), output_field=IntegerField()),
            Case(When(kind__code=TOWNSHIP, then=F("name")),
                 When(parent__kind__code=TOWNSHIP, then=F("parent__name")),
                 default=Value(""), output_field=CharField()),
            Case(When(kind__code=TOWNSHIP, then=F("pinyin")),
                 When(parent__kind__code=TOWNSHIP, then=F("parent__pinyin")),
                 default=Value(""), output_field=CharField()))


def _counts():
    return {"total": Count("pk"), "covered": Count("pk", filter=Q(is_covered=True))}


def by_kind(user, term: Term, *, kinds=None) -> list[coverage.Row]:
    counts = (required(user, term, kinds=kinds).order_by()
              .values("kind__code", "kind__name", "kind__sort_order")
              .annotate(**_counts()).order_by("kind__sort_order", "kind__code"))
    return coverage.rows((c["kind__code"], c["kind__name"], c["total"], c["covered"]) for c in counts)


def by_township(user, term: Term, *, kinds=None) -> list[coverage.Row]:
    key, name, pinyin = _township_of()
    counts = (required(user, term, kinds=kinds).order_by()
              .annotate(township=key, township_name=name, township_pinyin=pinyin)
              .values("township", "township_name", "township_pinyin")
              .annotate(**_counts()).order_by("township_pinyin", "township"))
    table = coverage.rows((c["township"], c["township_name"], c["total"], c["covered"])
                          for c in counts if c["township"] is not None)
    others = [c for c in counts if c["township"] is None]
    table += coverage.rows((OTHERS, _("County level and other"), c["total"], c["covered"]) for c in others)
    return table


@dataclass(frozen=True)
class RoundCounts:
    created: int
    with_targets: int
    targets: int
    idle: int  # still planned or approved, and no target yet


def round_counts(term: Term) -> RoundCounts:
    """One query: the term's rounds and how many targets they have (all groups, all kinds)."""
    per_round = Round.objects.filter(term_id=term.pk).order_by().annotate(n=Count("assignments"))
    agg = per_round.aggregate(
        created=Count("pk"), with_targets=Count("pk", filter=Q(n__gt=0)), targets=Sum("n"),
        idle=Count("pk", filter=Q(n=0, state__in=NOT_STARTED)),
    )
    return RoundCounts(created=agg["created"], with_targets=agg["with_targets"],
                       targets=agg["targets"] or 0, idle=agg["idle"])


@dataclass(frozen=True)
class Coverage:
    term: Term
    total: coverage.Row
    kinds: list[coverage.Row]
    townships: list[coverage.Row]
    rounds: RoundCounts
    forecast: coverage.Forecast

    @property
    def rate(self) -> float | None:
        return self.total.rate


def coverage_for(user, term: Term) -> Coverage:
    """The figures of a term's coverage: four or five queries whatever the number of organizations."""
    must = covered_kinds(term.committee_id)
    kinds = by_kind(user, term, kinds=must)
    townships = by_township(user, term, kinds=must)
    total = coverage.totals(kinds)
    counts = round_counts(term)
    remaining = coverage.remaining_rounds(planned=term.planned_rounds, created=counts.created, idle=counts.idle)
    outlook = coverage.forecast(targets=counts.targets, rounds_with_targets=counts.with_targets,
                                remaining=remaining, uncovered=total.uncovered)
    return Coverage(term=term, total=total, kinds=kinds, townships=townships, rounds=counts, forecast=outlook)


def uncovered(user, term: Term, *, kind: str = "", township: str = "") -> QuerySet[Organization]:
    """The organizations not yet covered, optionally of one kind or one township (or OTHERS)."""
    qs = (required(user, term).filter(is_covered=False)
          .select_related("kind", "parent"))
    if kind:
        qs = qs.filter(kind__code=kind)
    if township == OTHERS:
        qs = qs.exclude(kind__code=TOWNSHIP).exclude(parent__kind__code=TOWNSHIP)
    elif township:
        try:
            pk = int(township)
        except ValueError:
            return qs.none()
        qs = qs.filter(Q(pk=pk, kind__code=TOWNSHIP) | Q(parent_id=pk, parent__kind__code=TOWNSHIP))
    return qs.order_by("kind__sort_order", "parent__pinyin", "pinyin", "pk")


def warning(outlook: coverage.Forecast) -> str:
    """The sentence shown when the rest of the term cannot reach 100%; empty otherwise."""
    if not outlook.short:
        return ""
    if outlook.remaining == 0:
        return _("No round remains in the term, and %(uncovered)s organizations are not yet covered.") % {
            "uncovered": outlook.uncovered}
    return _("At the average of %(average)s targets per round so far, the remaining %(remaining)s rounds "
             "can cover at most %(capacity)s more; %(uncovered)s organizations are not yet covered.") % {
        "average": outlook.average_display, "remaining": outlook.remaining,
        "capacity": outlook.capacity, "uncovered": outlook.uncovered}
