"""Access to an informant's identity (举报人身份信息): requested, decided, viewed, revoked.

Staff handling a complaint (the office, the group it reached) may ask to see who sent it,
giving a reason. The office head (office_admin) or the leading group grants or refuses — never
their own request — with an expiry date. While granted and unexpired, the requester may view
the name and contact: `view_identity` is the only caller of records.identity(), and every
viewing is counted on the access and written to the audit log. Whoever typed a letter's
identity into the register does not get to read it back without a grant.

    state      action   next state   who
    requested  grant    granted      office_admin or leader (not the requester)
    requested  refuse   refused      office_admin or leader (not the requester)
    granted    revoke   revoked      office_admin or leader
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from xuncha.access import audit
from xuncha.access.policy import CHANGE, CREATE, VIEW, PermissionDenied, can, require, scope
from xuncha.access.roles import Role
from xuncha.intake import records
from xuncha.intake.models import Complaint, IdentityAccess
from xuncha.intake.selectors import identity as selectors

S = IdentityAccess.State
DECIDERS = (Role.OFFICE_ADMIN, Role.LEADER)
GRANT, REFUSE, REVOKE = "grant", "refuse", "revoke"
TRANSITIONS = {(S.REQUESTED, GRANT): S.GRANTED, (S.REQUESTED, REFUSE): S.REFUSED, (S.GRANTED, REVOKE): S.REVOKED}


def _text(value, field: str, errors: dict, *, required: bool) -> str:
    value = (value or "").strip()
    if required and not value:
        errors[field] = [_("This field is required.")]
    elif len(value) > 1000:
        errors[field] = [_("At most %(n)d characters.") % {"n": 1000}]
    return value


def may_decide(user, access: IdentityAccess) -> bool:
    return (access.requested_by_id != user.pk and access.state == S.REQUESTED
            and can(user, CHANGE, access, roles=DECIDERS))


def may_revoke(user, access: IdentityAccess) -> bool:
    return access.state == S.GRANTED and can(user, CHANGE, access, roles=DECIDERS)


@transaction.atomic
def request_access(*, actor, complaint: Complaint, reason: str) -> IdentityAccess:
    """Ask to see the informant of a named complaint the actor handles, giving the reason; one
    open request (or unexpired grant) per person and complaint."""
    access = IdentityAccess(complaint=complaint, requested_by=actor)
    require(actor, CREATE, access)
    errors: dict[str, list[str]] = {}
    reason = _text(reason, "reason", errors, required=True)
    if complaint.anonymous:
        errors.setdefault("reason", []).append(_("The complaint is anonymous: there is no identity to see."))
    elif selectors.open_access(actor, complaint) is not None:
        errors.setdefault("reason", []).append(_("You already have a request or access for this complaint."))
    if errors:
        raise ValidationError(errors)
    access.reason = reason
    access.save()
    audit.record(actor=actor, action="intake.identity_request", obj=access, summary=complaint.number,
                 detail={"complaint": complaint.pk})
    return access


def _locked(actor, access: IdentityAccess, action: str) -> IdentityAccess:
    require(actor, CHANGE, access, roles=DECIDERS)
    access = (IdentityAccess.objects.select_for_update(of=("self",))
              .select_related("complaint__round", "complaint__group").get(pk=access.pk))
    require(actor, CHANGE, access, roles=DECIDERS)
    if action != REVOKE and access.requested_by_id == getattr(actor, "pk", None):
        raise PermissionDenied("decide on one's own identity request")
    if (access.state, action) not in TRANSITIONS:
        message = (_("Only granted access can be revoked.") if action == REVOKE
                   else _("This request has already been decided."))
        raise ValidationError({"state": [message]})
    return access


@transaction.atomic
def decide(*, actor, access: IdentityAccess, grant: bool, comment: str = "",
           expires_on: date | None = None) -> IdentityAccess:
    """Grant (until `expires_on`, required, not in the past) or refuse (with a comment) a
    request; never one's own."""
    action = GRANT if grant else REFUSE
    access = _locked(actor, access, action)
    errors: dict[str, list[str]] = {}
    comment = _text(comment, "comment", errors, required=not grant)
    if grant:
        if expires_on is None:
            errors["expires_on"] = [_("Say until when the access is granted.")]
        elif expires_on < selectors.today():
            errors["expires_on"] = [_("The date has passed.")]
    if errors:
        raise ValidationError(errors)
    before = access.state
    access.state = TRANSITIONS[(before, action)]
    access.decided_by, access.decided_at, access.decision_comment = actor, timezone.now(), comment
    access.expires_on = expires_on if grant else None
    access.save(update_fields=["state", "decided_by", "decided_at", "decision_comment", "expires_on"])
    audit.record(actor=actor, action=f"intake.identity_{action}", obj=access, summary=access.complaint.number,
                 detail={"complaint": access.complaint_id, "requested_by": access.requested_by_id, "from": before,
                         "to": access.state, "expires_on": expires_on.isoformat() if grant and expires_on else None,
                         "comment": comment})
    return access


@transaction.atomic
def revoke(*, actor, access: IdentityAccess, comment: str = "") -> IdentityAccess:
    """Withdraw a granted access before it expires."""
    access = _locked(actor, access, REVOKE)
    errors: dict[str, list[str]] = {}
    comment = _text(comment, "comment", errors, required=False)
    if errors:
        raise ValidationError(errors)
    access.state = S.REVOKED
    if comment:
        access.decision_comment = f"{access.decision_comment}\n{comment}".strip()
    access.save(update_fields=["state", "decision_comment"])
    audit.record(actor=actor, action="intake.identity_revoke", obj=access, summary=access.complaint.number,
                 detail={"complaint": access.complaint_id, "requested_by": access.requested_by_id,
                         "from": S.GRANTED, "to": S.REVOKED, "comment": comment})
    return access


@transaction.atomic
def view_identity(*, actor, complaint: Complaint) -> tuple[str, str]:
    """The informant's (name, contact), for a reader of the complaint holding a granted,
    unexpired access of their own; counted and audited. Anyone else: PermissionDenied."""
    # Read again through the scope: the complaint may have left the actor's group meanwhile.
    complaint = scope(actor, Complaint, VIEW).filter(pk=complaint.pk).first()
    if complaint is None:
        raise PermissionDenied("view Complaint")
    access = selectors.usable_access(actor, complaint, lock=True)
    if access is None:
        raise PermissionDenied("view the informant's identity")
    IdentityAccess.objects.filter(pk=access.pk).update(views=F("views") + 1, last_viewed_at=timezone.now())
    audit.record(actor=actor, action="intake.identity_view", obj=complaint, summary=complaint.number,
                 detail={"access": access.pk, "views": access.views + 1})
    return records.identity(complaint)
