"""The rectification dashboard, the overdue list and the deadline policy, through the same
selectors and services as the pages.

The dashboard and the overdue list are the committee's view (office, leading group, superior
office): other roles get 403. A policy version outside the user's scope is 404 like a missing
one; a write the role may not make 403 (only the office administrator keeps the policy); bad
input 422 naming the fields (yellow after green, a date already taken, a used version).
"""

from __future__ import annotations

from dataclasses import asdict

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from xuncha.access import policy
from xuncha.access.policy import CREATE, PermissionDenied, can
from xuncha.api.common import References, invalid
from xuncha.api.rectification_schemas import (
    DashboardFilters,
    DashboardOut,
    DeadlinePolicyFilters,
    DeadlinePolicyIn,
    DeadlinePolicyOut,
    DeadlinePolicyPage,
    DeadlinePolicyPatch,
    OverdueFilters,
    OverduePage,
)
from xuncha.api.schemas import ErrorOut, ValidationErrorOut
from xuncha.rectification import services_policies as services
from xuncha.rectification.models import DeadlinePolicy
from xuncha.rectification.selectors import dashboard as selectors
from xuncha.rectification.selectors import overdue as overdue_selectors
from xuncha.rectification.selectors.dashboard import Figures, Filters

router = Router()

WRITE_ERRORS = {403: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut}


def _require_reader(user) -> None:
    if not selectors.may_read(user):
        raise PermissionDenied("view the rectification dashboard")


def _figures(figures: Figures) -> dict:
    return {**asdict(figures), "closure_rate": figures.closure_rate, "overdue": figures.overdue}


@router.get("/dashboard", response={200: DashboardOut, 403: ErrorOut},
            summary="Rectification figures by round and by organization (overdue first)")
def dashboard(request, filters: Query[DashboardFilters]):
    user = request.auth
    _require_reader(user)
    rounds = [r for r in selectors.round_choices(user)
              if filters.round in (None, r.pk) and filters.term in (None, r.term_id)]
    data = selectors.dashboard(user, Filters(round_id=filters.round, term_id=filters.term), timezone.localdate(),
                               rounds)
    shown = data.organizations[filters.offset:filters.offset + filters.limit]
    return {
        "total": _figures(data.total),
        "rounds": [{"id": r.round.pk, "label": r.round.label, "figures": _figures(r.figures)} for r in data.rounds],
        "organizations": {"count": len(data.organizations),
                          "items": [{"id": o.id, "name": o.name, "figures": _figures(o.figures)} for o in shown]},
    }


@router.get("/overdue", response={200: OverduePage, 403: ErrorOut},
            summary="Everything past its deadline (or inside a warning period), most overdue first")
def overdue(request, filters: Query[OverdueFilters]):
    user = request.auth
    _require_reader(user)
    today = timezone.localdate()
    kinds = [filters.kind] if filters.kind else list(overdue_selectors.Kind)
    qs = overdue_selectors.merged(overdue_selectors.scoped(user), today=today, kinds=kinds, levels=[filters.level],
                                  round_id=filters.round, term_id=filters.term, organization_id=filters.organization)
    rows = overdue_selectors.items(qs[filters.offset:filters.offset + filters.limit], today)
    labels = {r.pk: r.label for r in selectors.round_choices(user)} if rows else {}
    return {"count": qs.count(), "items": [
        {"kind": i.kind, "id": i.pk, "due": i.due, "days_overdue": i.days, "round": i.round_id,
         "round_label": labels.get(i.round_id, ""), "organization": i.organization, "receiver": i.receiver,
         "title": i.title, "report": i.report_id} for i in rows]}


def _versions(user):
    return selectors.policy_versions(user, timezone.localdate())


def _version(user, pk: int) -> DeadlinePolicy:
    selectors.get_policy_for_user(user, pk)  # 404 when missing or out of scope
    return _versions(user).get(pk=pk)


@router.get("/policies", response={200: DeadlinePolicyPage, 403: ErrorOut},
            summary="Deadline-policy versions: values, effective dates, the one in force, how much each produced")
def policy_list(request, filters: Query[DeadlinePolicyFilters]):
    user = request.auth
    if not policy.can_any(user, policy.VIEW, DeadlinePolicy):
        raise PermissionDenied("view DeadlinePolicy")
    qs = _versions(user)
    if filters.committee is not None:
        qs = qs.filter(committee_id=filters.committee)
    return {"count": qs.count(), "items": list(qs[filters.offset:filters.offset + filters.limit])}


def _own_committee(user):
    """The one committee whose policy the user keeps (office administrator)."""
    committees = {a.committee_id: a.committee for a in policy.assignments(user)
                  if can(user, CREATE, DeadlinePolicy(committee=a.committee))}
    if len(committees) != 1:
        if not committees:
            raise PermissionDenied("create DeadlinePolicy")
        raise invalid("committee", _("Choose the committee whose deadline policy this is."))
    return next(iter(committees.values()))


@router.post("/policies", response={201: DeadlinePolicyOut, **WRITE_ERRORS},
             summary="Add a version of the deadline policy, in force from its effective date")
def policy_create(request, payload: DeadlinePolicyIn):
    user = request.auth
    data = payload.dict()
    committee_id = data.pop("committee")
    committee = (References(user).committee(committee_id) if committee_id is not None else _own_committee(user))
    created = services.policy_create(actor=user, committee=committee, values=services.Values(**data))
    return Status(201, _version(user, created.pk))


@router.patch("/policies/{int:policy_id}", response={200: DeadlinePolicyOut, **WRITE_ERRORS},
              summary="Correct a version no deadline was computed from yet")
def policy_update(request, policy_id: int, payload: DeadlinePolicyPatch):
    user = request.auth
    version = selectors.get_policy_for_user(user, policy_id)
    current = services.Values(**{name: getattr(version, name) for name in services.Values.__dataclass_fields__})
    changes = payload.dict(exclude_unset=True)
    services.policy_update(actor=user, policy=version, values=services.Values(**{**asdict(current), **changes}))
    return _version(user, policy_id)
