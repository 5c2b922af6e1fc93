"""Recusal (回避) checks: why a person must not inspect an organization, one sentence each."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Q
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from xuncha.registry.models import Organization, Person, Relative, WorkHistory
from xuncha.rounds.models import ConflictDeclaration, RoundsPolicy

# Relations the rule names: spouse, parents, children, siblings and in-laws.
CLOSE_RELATIONS = (Relative.Relation.SPOUSE, Relative.Relation.PARENT, Relative.Relation.CHILD,
                   Relative.Relation.SIBLING, Relative.Relation.IN_LAW)


@dataclass(frozen=True)
class Conflict:
    kind: str  # own, parent, child, worked, relative, declared
    sentence: str


class RecusalConflict(Exception):
    """Raised when adding a member or target meets conflicts and nobody overrode them."""

    def __init__(self, conflicts: list[Conflict]):
        super().__init__("; ".join(c.sentence for c in conflicts))
        self.conflicts = conflicts


def lookback_years(committee_id: int) -> int:
    policy = RoundsPolicy.objects.filter(committee_id=committee_id).first()
    return policy.recusal_years if policy else 5


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def conflicts_between(person: Person, target: Organization, *, on: date, years: int) -> list[Conflict]:
    """Every reason `person` must not inspect `target` on day `on`."""
    found: list[Conflict] = []
    own = person.organization
    names = {"person": person.name, "target": target.name}
    if own is not None:
        if own.pk == target.pk:
            found.append(Conflict("own", _("%(person)s works in %(target)s, the organization to be inspected.") % names))
        elif target.parent_id == own.pk:
            found.append(Conflict("parent", _("%(person)s works in %(own)s, which %(target)s reports to.")
                                  % {**names, "own": own.name}))
        elif own.parent_id == target.pk:
            found.append(Conflict("child", _("%(person)s works in %(own)s, which reports to %(target)s.")
                                  % {**names, "own": own.name}))
    since = _years_before(on, years)
    for entry in (WorkHistory.objects.filter(person=person, organization=target)
                  .filter(Q(end_date__isnull=True) | Q(end_date__gte=since)).order_by("start_date")):
        if entry.end_date is None:
            sentence = _("%(person)s has worked in %(target)s since %(start)s.") % {
                **names, "start": date_format(entry.start_date)}
        else:
            sentence = _("%(person)s worked in %(target)s until %(end)s, within the last %(years)d years.") % {
                **names, "end": date_format(entry.end_date), "years": years}
        found.append(Conflict("worked", sentence))
    for relative in Relative.objects.filter(person=person, organization=target, relation__in=CLOSE_RELATIONS):
        found.append(Conflict("relative", _("%(person)s's %(relation)s %(name)s works in %(target)s.") % {
            **names, "relation": relative.get_relation_display(), "name": relative.name}))
    for declared in ConflictDeclaration.objects.filter(person=person, organization=target):
        found.append(Conflict("declared", _("%(person)s declared a conflict with %(target)s: %(reason)s") % {
            **names, "reason": declared.reason}))
    return found
