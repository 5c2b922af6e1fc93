"""The rows every statistic counts, as querysets: one function per source (rounds, inspection
targets, problems, tasks, transfers, recommendations and their addressees and outcomes,
campaigns, complaints). `statistics.compute` aggregates them and `drilldown` lists them, so a
figure and the list behind it can never disagree.

Every source starts from a `Reader`: `UserReader(user)` reads through `access.policy.scope`
(what the user may see), narrowed by the shared `Filters`. `CONSOLE_READER` reads the tables
whole — only the `xuncha stats` console command uses it: the console has the installation's
authority (policy.CONSOLE) but no scope of its own, and its figures are still narrowed to the
committee's subtree by the filters.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Protocol

from django.db.models import Exists, OuterRef, Q, QuerySet

from xuncha.access import policy
from xuncha.analytics.filters import FAR_FUTURE, Filters
from xuncha.analytics.models import Campaign, Recommendation, RecommendationAddressee, SystemOutcome
from xuncha.findings.models import Problem
from xuncha.intake.models import Complaint
from xuncha.rectification import warnings
from xuncha.rectification.models import Plan, Task, Transfer
from xuncha.registry.models import Organization
from xuncha.rounds.models import Assignment, Round
from xuncha.rounds.selectors import coverage as coverage_selectors

NOT_STARTED = (Round.State.PLANNED, Round.State.APPROVED)
ISSUED = (Recommendation.State.ISSUED, Recommendation.State.CLOSED)
LEAD = "lead"


class Reader(Protocol):
    def scope(self, model) -> QuerySet: ...

    def reads(self, model) -> bool: ...


@dataclass(frozen=True)
class UserReader:
    """What a user may read (policy.scope with VIEW)."""

    user: object

    def scope(self, model) -> QuerySet:
        return policy.scope(self.user, model, policy.VIEW)

    def reads(self, model) -> bool:
        return policy.can_any(self.user, policy.VIEW, model)


class ConsoleReader:
    """Every row: for the `xuncha stats` console command only (see the module docstring)."""

    def scope(self, model) -> QuerySet:
        return model._default_manager.all()

    def reads(self, model) -> bool:
        return True


CONSOLE_READER = ConsoleReader()


def reader_for(who) -> Reader:
    """A reader for a user, or the reader itself when one is given."""
    if isinstance(who, (UserReader, ConsoleReader)):
        return who
    return UserReader(who)


def period_q(f: Filters, *, committee: str, on: str, term: str | None = None, round: str | None = None) -> Q:
    """The filters for records that belong to a committee and a date rather than to a round:
    within the committee's subtree; a round selects the records of that round (through `round`;
    none when the record cannot belong to a round); a term selects its own records (through
    `term`) and, in lower committees or without a term of their own, those dated (`on`) within
    the term's dates."""
    q = Q(**{f"{committee}__path__startswith": f.committee.path})
    if f.round is not None:
        return q & Q(**{round: f.round.pk}) if round else Q(pk__in=[])
    if f.term is not None:
        dated = Q(**{f"{on}__range": (f.term.start_date, f.term.end_date or FAR_FUTURE)})
        if term:
            q &= Q(**{term: f.term.pk}) | (~Q(**{f"{committee}_id": f.term.committee_id}) & dated)
        else:
            q &= dated
    return q


# -- rounds and targets ----------------------------------------------------------------------

def rounds(reader: Reader, f: Filters) -> QuerySet[Round]:
    """Rounds held: started (not planned or approved) with an inspection target the reader sees —
    so a group counts the rounds it served in, not every round of its committee. With a kind or
    township, the rounds that inspected such an organization."""
    qs = reader.scope(Round).filter(f.round_q()).exclude(state__in=NOT_STARTED)
    org_q = f.organization_q("organization__")
    return qs.filter(Exists(reader.scope(Assignment).filter(org_q, round=OuterRef("pk"))))


def targets(reader: Reader, f: Filters) -> QuerySet[Assignment]:
    """Inspection targets (巡察对象) of the rounds held."""
    return (reader.scope(Assignment).filter(f.round_q("round__"), f.organization_q("organization__"))
            .exclude(round__state__in=NOT_STARTED))


def inspected(reader: Reader, f: Filters, *, mode: str = "", level: str = "") -> QuerySet[Organization]:
    """The organizations inspected (each once, whatever the number of targets), optionally in one
    mode, or under committees of one level."""
    chosen = targets(reader, f)
    if mode:
        chosen = chosen.filter(mode=mode)
    if level:
        chosen = chosen.filter(organization__committee__level=level)
    return Organization.objects.filter(pk__in=chosen.values("organization_id"))


def required(reader: Reader, term) -> QuerySet[Organization]:
    """The organizations a term must cover, each with `is_covered` (rounds.selectors.coverage);
    for the console, the same query over every organization of the term's committee."""
    if isinstance(reader, UserReader):
        return coverage_selectors.required(reader.user, term)
    must = coverage_selectors.covered_kinds(term.committee_id)
    covered = Assignment.objects.filter(round__term_id=term.pk, organization_id=OuterRef("pk"))
    return (Organization.objects.filter(committee_id=term.committee_id, active=True, kind__in=must.values("pk"))
            .annotate(is_covered=Exists(covered)))


# -- problems and rectification --------------------------------------------------------------

def problems(reader: Reader, f: Filters) -> QuerySet[Problem]:
    """Problems found, of every kind (general, lead, cadre selection)."""
    return reader.scope(Problem).filter(f.round_q("round__"), f.organization_q("organization__"))


def rectified_q(reader: Reader) -> Q:
    """A problem is rectified when it was fed back, has tasks, and every task is closed."""
    tasks = reader.scope(Task).filter(problem=OuterRef("pk"))
    return Q(fed_back=True) & Q(Exists(tasks)) & ~Q(Exists(tasks.exclude(state=Task.State.CLOSED)))


def tasks(reader: Reader, f: Filters) -> QuerySet[Task]:
    """Tasks of approved plans (the dashboard's and the overdue list's definition)."""
    return reader.scope(Task).filter(f.round_q("plan__round__"), f.organization_q("plan__organization__"),
                                     plan__state=Plan.State.APPROVED)


def overdue_tasks(reader: Reader, f: Filters, today: date) -> QuerySet[Task]:
    """Tasks past their deadline and not closed (warnings.TASK at the red level)."""
    return tasks(reader, f).filter(warnings.TASK.q(warnings.Level.RED, today))


def transfers(reader: Reader, f: Filters) -> QuerySet[Transfer]:
    return reader.scope(Transfer).filter(f.round_q("round__"), f.organization_q("problem__organization__"))


# -- recommendations, campaigns, complaints --------------------------------------------------

def recommendations(reader: Reader, f: Filters) -> QuerySet[Recommendation]:
    """Recommendations issued (issued or closed); with a kind or township, those addressed to such
    an organization."""
    qs = reader.scope(Recommendation).filter(
        period_q(f, committee="committee", on="issued_on", term="term", round="round"), state__in=ISSUED)
    org_q = f.organization_q("organization__")
    if org_q:
        qs = qs.filter(Exists(reader.scope(RecommendationAddressee).filter(org_q, recommendation=OuterRef("pk"))))
    return qs


def addressees(reader: Reader, f: Filters) -> QuerySet[RecommendationAddressee]:
    return reader.scope(RecommendationAddressee).filter(
        f.organization_q("organization__"), recommendation__in=recommendations(reader, f).values("pk"))


def outcomes(reader: Reader, f: Filters) -> QuerySet[SystemOutcome]:
    """Systems established or improved in response to the recommendations issued."""
    return reader.scope(SystemOutcome).filter(addressee__in=addressees(reader, f).values("pk"))


def campaigns(reader: Reader, f: Filters) -> QuerySet[Campaign]:
    """Special campaigns started: by the date they started, or (for a round) from its recommendations."""
    return reader.scope(Campaign).filter(
        period_q(f, committee="committee", on="started_on", round="recommendation__round"),
        f.organization_q("lead_department__"))


def complaints(reader: Reader, f: Filters) -> QuerySet[Complaint]:
    """Complaints received: by the round they were received in, or by the date received."""
    return reader.scope(Complaint).filter(
        period_q(f, committee="committee", on="received_on", round="round"),
        f.organization_q("organization__"))
