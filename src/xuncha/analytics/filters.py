"""What a statistic, chart or cluster list is computed over: a committee (with its whole subtree
of lower committees), and optionally a term, a round, a kind of organization, a township.

One `Filters` value serves the pages (parsed from the query string), the API (from parameters)
and the CLI (from options). It never widens what a user may read: every figure is still computed
from `access.scope`; the filters only narrow it. Choices offered to a user are the committees,
terms and rounds they can see.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from urllib.parse import urlencode

from django.db.models import Q, QuerySet
from django.http import Http404

from xuncha.access.policy import VIEW, assignments, scope
from xuncha.registry.models import Committee, Organization, OrganizationKind
from xuncha.rounds.models import Round, Term

TOWNSHIP = "township"
FAR_FUTURE = date(9999, 12, 31)


@dataclass(frozen=True)
class Filters:
    committee: Committee
    term: Term | None = None
    round: Round | None = None
    kind: OrganizationKind | None = None
    township: Organization | None = None

    def round_q(self, prefix: str = "") -> Q:
        """A filter on the rounds counted, through the lookup `prefix` (e.g. "round__") from the
        model filtered. A term selects its own rounds, and in lower committees the rounds that
        entered within its dates (their terms are their own)."""
        q = Q(**{f"{prefix}committee__path__startswith": self.committee.path})
        if self.round is not None:
            return q & Q(**{f"{prefix}id": self.round.pk})
        if self.term is not None:
            end = self.term.end_date or FAR_FUTURE
            q &= (Q(**{f"{prefix}term_id": self.term.pk})
                  | (~Q(**{f"{prefix}committee_id": self.term.committee_id})
                     & Q(**{f"{prefix}planned_entry__range": (self.term.start_date, end)})))
        return q

    def organization_q(self, prefix: str = "") -> Q:
        """A filter on the organizations counted (inspected or concerned), through `prefix`."""
        q = Q()
        if self.kind is not None:
            q &= Q(**{f"{prefix}kind_id": self.kind.pk})
        if self.township is not None:
            q &= Q(**{f"{prefix}id": self.township.pk}) | Q(**{f"{prefix}parent_id": self.township.pk})
        return q

    def query(self, **extra) -> str:
        """The query string that gives these filters back (for links to drill-down lists)."""
        params = {"committee": self.committee.pk}
        for name in ("term", "round", "kind", "township"):
            value = getattr(self, name)
            if value is not None:
                params[name] = value.pk
        params.update({k: v for k, v in extra.items() if v not in (None, "")})
        return urlencode(params)

    def as_dict(self) -> dict:
        return {"committee": self.committee.pk, "term": self.term and self.term.pk,
                "round": self.round and self.round.pk, "kind": self.kind and self.kind.pk,
                "township": self.township and self.township.pk}


def committees(user) -> QuerySet[Committee]:
    return scope(user, Committee, VIEW).order_by("path")


def home_committee(user) -> Committee | None:
    """The committee a user works for: their first role's committee (a group's round's, an
    organization's own); else the first they may see."""
    for assignment in assignments(user):
        if assignment.committee_id:
            return assignment.committee
        if assignment.group_id:
            return assignment.group.round.committee
        if assignment.organization_id:
            return assignment.organization.committee
    return committees(user).first()


def _pick(queryset: QuerySet, raw, field: str):
    """The object `raw` names in `queryset`; Http404 when it is not there."""
    if raw in (None, ""):
        return None
    try:
        pk = int(raw)
    except (TypeError, ValueError):
        raise Http404(f"bad {field}") from None
    obj = queryset.filter(pk=pk).first()
    if obj is None:
        raise Http404(f"no such {field}")
    return obj


def _within(obj, committee: Committee):
    """`obj` (a term, round or township the user may see) when it belongs to the committee's
    subtree, else None: the bar keeps the old term when the committee changes, and it is dropped
    rather than refused."""
    if obj is None:
        return None
    return obj if obj.committee.path.startswith(committee.path) else None


def parse(user, params) -> Filters:
    """Filters from a query string (or any mapping). A value the user may not see, or not a
    number, answers 404; one the user may see but of another committee is dropped; a missing
    committee is the user's own. Raises Http404 when the user sees no committee."""
    committee = _pick(committees(user), params.get("committee"), "committee") or home_committee(user)
    if committee is None:
        raise Http404("no committee")
    term = _pick(scope(user, Term, VIEW).select_related("committee"), params.get("term"), "term")
    if term is not None and term.committee_id != committee.pk:
        term = None
    round_ = _within(_pick(scope(user, Round, VIEW).select_related("committee"), params.get("round"), "round"),
                     committee)
    kind = _pick(scope(user, OrganizationKind, VIEW), params.get("kind"), "kind")
    township = _within(_pick(scope(user, Organization, VIEW).filter(kind__code=TOWNSHIP).select_related("committee"),
                             params.get("township"), "township"), committee)
    return Filters(committee=committee, term=term, round=round_, kind=kind, township=township)


def choices(user, filters: Filters) -> dict[str, list]:
    """What the filter bar offers: committees, the committee's terms and rounds, kinds, townships."""
    return {
        "committees": list(committees(user)),
        "terms": list(scope(user, Term, VIEW).filter(committee=filters.committee).order_by("-number")),
        "rounds": list(scope(user, Round, VIEW).filter(committee=filters.committee)
                       .select_related("term").order_by("-term__number", "-number")),
        "kinds": list(scope(user, OrganizationKind, VIEW).order_by("sort_order", "id")),
        "townships": list(scope(user, Organization, VIEW)
                          .filter(kind__code=TOWNSHIP, committee=filters.committee).order_by("name")),
    }
