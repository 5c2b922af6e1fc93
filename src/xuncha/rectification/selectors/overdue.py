"""Everything of rectification that is past its deadline (or inside a warning period): tasks of
approved plans not closed, progress reports not submitted by feedback.progress_report_due,
disclosures not made by disclosure_due, transfers not answered by feedback_due.

Each kind is read from a base that is either the user's scope (`scoped(user)`: pages, API, the
office's to-do; the superior office never sees a transferred lead because the policy hides it)
or every row (`everything`: the reminders, run at the console). The kinds are merged into one
list by the database (a UNION ordered by the deadline), so that a page of it is one query.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from django.db import models
from django.db.models import BigIntegerField, CharField, Exists, F, OuterRef, QuerySet, Value
from django.db.models.functions import Cast
from django.utils.translation import gettext_lazy as _

from xuncha.access.policy import VIEW, scope
from xuncha.rectification import warnings
from xuncha.rectification.models import Disclosure, Plan, ProgressReport, Task, Transfer
from xuncha.reports.models import Feedback

Base = Callable[[type[models.Model]], QuerySet]


class Kind(models.TextChoices):
    TASK = "task", _("Rectification task")
    REPORT = "report", _("Progress report")
    DISCLOSURE = "disclosure", _("Public disclosure")
    TRANSFER = "transfer", _("Transfer feedback")


# A progress report counts as submitted once the office has it (a returned one is back with the
# organization, so it is outstanding again).
SUBMITTED = (ProgressReport.State.SUBMITTED, ProgressReport.State.REVIEWED)

DEADLINE = {Kind.TASK: warnings.TASK, Kind.REPORT: warnings.PROGRESS_REPORT,
            Kind.DISCLOSURE: warnings.DISCLOSURE, Kind.TRANSFER: warnings.TRANSFER}
ROUND = {Kind.TASK: "plan__round", Kind.REPORT: "assignment__round", Kind.DISCLOSURE: "round",
         Kind.TRANSFER: "round"}
# The inspected organization; for a transfer, the organization whose problem was handed over.
ORGANIZATION = {Kind.TASK: "plan__organization", Kind.REPORT: "assignment__organization",
                Kind.DISCLOSURE: "organization", Kind.TRANSFER: "problem__organization"}


def scoped(user) -> Base:
    return lambda model: scope(user, model, VIEW)


def everything(model: type[models.Model]) -> QuerySet:
    return model._default_manager.all()


def outstanding(base: Base, kind: str) -> QuerySet:
    """The things of `kind` not done yet, whatever their deadline."""
    if kind == Kind.TASK:
        return base(Task).filter(plan__state=Plan.State.APPROVED).exclude(state=Task.State.CLOSED)
    if kind == Kind.REPORT:
        submitted = base(ProgressReport).filter(feedback=OuterRef("pk"), state__in=SUBMITTED)
        return (base(Feedback).filter(state=Feedback.State.ISSUED, progress_report_due__isnull=False)
                .exclude(Exists(submitted)))
    if kind == Kind.DISCLOSURE:
        published = base(Disclosure).filter(report=OuterRef("pk"))
        return base(ProgressReport).filter(disclosure_due__isnull=False).exclude(Exists(published))
    if kind == Kind.TRANSFER:
        return base(Transfer).exclude(state=Transfer.State.ANSWERED)
    raise ValueError(f"unknown kind {kind!r}")


def warned(base: Base, kind: str, *, today: date, levels: Iterable[str] = (warnings.Level.RED,),
           pairs=None, round_id: int | None = None, term_id: int | None = None,
           organization_id: int | None = None) -> QuerySet:
    """The outstanding things of `kind` at one of the warning `levels` today, optionally of one
    round or term, or of one (inspected) organization."""
    qs = outstanding(base, kind).filter(DEADLINE[kind].any_q(levels, today, pairs))
    if round_id is not None:
        qs = qs.filter(**{ROUND[kind]: round_id})
    if term_id is not None:
        qs = qs.filter(**{f"{ROUND[kind]}__term": term_id})
    if organization_id is not None:
        qs = qs.filter(**{ORGANIZATION[kind]: organization_id})
    return qs


def _null_id():
    return Cast(Value(None), BigIntegerField())


def _text(value: str):
    return Cast(Value(value), CharField())


def _rows(qs: QuerySet, kind: str) -> QuerySet:
    """The columns of the merged list, the same for every kind."""
    title = {Kind.TASK: F("problem__title"), Kind.REPORT: _text(""), Kind.DISCLOSURE: F("title"),
             Kind.TRANSFER: F("problem__title")}[kind]
    return qs.order_by().values(
        row_kind=_text(kind.value),
        row_item=F("pk"),
        row_due=F(DEADLINE[kind].due),
        row_round=F(f"{ROUND[kind]}_id"),
        row_organization=F(f"{ORGANIZATION[kind]}__name"),
        row_receiver=F("receiver__name") if kind == Kind.TRANSFER else _text(""),
        row_title=title,
        row_report=F("progress_report__id") if kind == Kind.REPORT else _null_id(),
    )


def merged(base: Base, *, today: date, kinds: Iterable[str] = tuple(Kind), levels=(warnings.Level.RED,),
           round_id: int | None = None, term_id: int | None = None,
           organization_id: int | None = None) -> QuerySet | None:
    """One list of every kind asked for, most overdue (earliest deadline) first; rows are dicts
    of row_kind, row_item (the id), row_due, row_round, row_organization (the name),
    row_receiver (the name), row_title, row_report (a progress report's id)."""
    levels = list(levels)
    pairs = warnings.thresholds() if any(lv != warnings.Level.RED for lv in levels) else ()
    parts = [_rows(warned(base, kind, today=today, levels=levels, pairs=pairs, round_id=round_id,
                          term_id=term_id, organization_id=organization_id), Kind(kind))
             for kind in kinds]
    if not parts:
        return None
    first, *rest = parts
    if not rest:
        return first.order_by("row_due", "row_item")
    return first.union(*rest, all=True).order_by("row_due", "row_kind", "row_item")


@dataclass(frozen=True)
class Item:
    kind: str
    pk: int
    due: date
    days: int  # days past the deadline (negative: days left)
    round_id: int
    organization: str
    receiver: str
    title: str
    report_id: int | None

    @property
    def kind_label(self) -> str:
        return Kind(self.kind).label

    @property
    def days_left(self) -> int:
        return -self.days


def items(rows: Iterable[dict], today: date) -> list[Item]:
    return [Item(kind=row["row_kind"], pk=row["row_item"], due=row["row_due"], days=(today - row["row_due"]).days,
                 round_id=row["row_round"], organization=row["row_organization"] or "",
                 receiver=row["row_receiver"] or "", title=row["row_title"] or "", report_id=row["row_report"])
            for row in rows]


def overdue_count(user, today: date) -> int:
    """Everything past its deadline that the user sees (the office's to-do): one query."""
    qs = merged(scoped(user), today=today)
    return qs.count() if qs is not None else 0
