"""Reads of identity-access requests: the deciders' queue and history, a requester's own.

Deciders (the office head, the leading group) read the requests of their committee's
complaints; everyone else reads only the requests they made themselves (the policy's owner
rule). None of this reads the identity itself.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from xuncha.access.policy import CHANGE, VIEW, scope, scope_q
from xuncha.access.roles import Role
from xuncha.intake.models import Complaint, IdentityAccess

DECIDERS = (Role.OFFICE_ADMIN, Role.LEADER)
S = IdentityAccess.State


def today() -> date:
    return timezone.localdate()


def decides(user) -> bool:
    return scope_q(user, IdentityAccess, CHANGE, roles=DECIDERS) is not None


def _unexpired(on: date) -> Q:
    return Q(expires_on__isnull=True) | Q(expires_on__gte=on)


def open_access(user, complaint: Complaint) -> IdentityAccess | None:
    """The user's own request for the complaint that is still pending, or granted and not expired."""
    on = today()
    return (IdentityAccess.objects.filter(complaint=complaint, requested_by_id=user.pk)
            .filter(Q(state=S.REQUESTED) | (Q(state=S.GRANTED) & _unexpired(on)))
            .order_by("-requested_at", "-id").first())


def usable_access(user, complaint: Complaint, *, lock: bool = False) -> IdentityAccess | None:
    """The user's own granted, unexpired access to the complaint's informant, if any."""
    qs = IdentityAccess.objects.filter(complaint=complaint, requested_by_id=getattr(user, "pk", None),
                                       state=S.GRANTED).filter(_unexpired(today()))
    if lock:
        qs = qs.select_for_update(of=("self",))
    return qs.order_by("-decided_at", "-id").first()


def for_complaint(user, complaint: Complaint) -> QuerySet[IdentityAccess]:
    """The requests on the complaint the user may read: all of them for a decider, else their own."""
    return (scope(user, IdentityAccess, VIEW).filter(complaint=complaint)
            .select_related("requested_by", "decided_by").order_by("-requested_at", "-id"))


def _listed(qs: QuerySet[IdentityAccess]) -> QuerySet[IdentityAccess]:
    return qs.select_related("complaint__round__term", "complaint__group", "requested_by", "decided_by")


def pending(user) -> QuerySet[IdentityAccess]:
    """Requests waiting for the user's decision (not their own), oldest first."""
    return _listed(scope(user, IdentityAccess, CHANGE, roles=DECIDERS).filter(state=S.REQUESTED)
                   .exclude(requested_by_id=user.pk)).order_by("requested_at", "id")


def history(user) -> QuerySet[IdentityAccess]:
    """Decided requests of the deciders' committees, newest decision first, with view counts."""
    return _listed(scope(user, IdentityAccess, VIEW, roles=DECIDERS).exclude(state=S.REQUESTED)
                   ).order_by("-decided_at", "-id")


def get_access_for_decider(user, pk) -> IdentityAccess:
    try:
        return _listed(scope(user, IdentityAccess, VIEW, roles=DECIDERS)).get(pk=pk)
    except (IdentityAccess.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def get_access_for_user(user, pk) -> IdentityAccess:
    try:
        return _listed(scope(user, IdentityAccess, VIEW)).get(pk=pk)
    except (IdentityAccess.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
