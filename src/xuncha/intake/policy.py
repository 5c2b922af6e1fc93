"""Access rules for complaints.

A complaint belongs to its committee and, once it reaches a group, to that group: the office
reads and handles all of its committee's; a group only its own (group_path), and only while its
round is open for writes. The leading group reads. Nobody else — not the inspected organization,
not a receiver, not the superior office — sees a complaint. The informant's identity is not
covered by these rules at all: it is shown only through a granted IdentityAccess (intake
services), each viewing audited. Requests are made by staff handling the complaint and decided
by the office head or the leading group; the requester reads their own requests.
"""

from xuncha.access import policy
from xuncha.access.policy import CHANGE, CREATE, DELETE, EXPORT, VIEW
from xuncha.access.roles import Role
from xuncha.intake.models import (
    Complaint,
    ComplaintAttachment,
    ComplaintMessage,
    ComplaintStep,
    IdentityAccess,
    Throttle,
)
from xuncha.rounds.models import Round

OFFICE = (Role.OFFICE_ADMIN, Role.OFFICE_STAFF)
GROUP = (Role.GROUP_LEADER, Role.GROUP_DEPUTY, Role.GROUP_MEMBER)
READ = ((Role.LEADER, *OFFICE, *GROUP), {VIEW})
CLOSED = Round.State.COMPLETED.value
_grants = policy.grants


def _complaint_owned(model, prefix: str, *extra) -> None:
    policy.register(model, grants=_grants(READ, *extra), committee_path=f"{prefix}committee",
                    group_path=f"{prefix}group", frozen_when=(f"{prefix}round__state", CLOSED))


_complaint_owned(Complaint, "", (OFFICE, {CREATE, CHANGE, EXPORT}), (GROUP, {CREATE, CHANGE}))
_complaint_owned(ComplaintStep, "complaint__")
_complaint_owned(ComplaintMessage, "complaint__", ((*OFFICE, *GROUP), {CREATE}))
_complaint_owned(ComplaintAttachment, "complaint__", ((*OFFICE, *GROUP), {CREATE}), (OFFICE, {DELETE}))
policy.register(IdentityAccess,
                grants=_grants(((Role.LEADER, Role.OFFICE_ADMIN), {VIEW, CHANGE}), ((*OFFICE, *GROUP), {CREATE})),
                committee_path="complaint__committee", group_path="complaint__group",
                frozen_when=("complaint__round__state", CLOSED),
                owner_path="requested_by", owner_actions={VIEW})
# Public rate-limit counters: no one reads them.
policy.register(Throttle, grants={})
