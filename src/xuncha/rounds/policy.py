"""Access rules for rounds. Group material is reachable by its own group only (group_path),
and group roles stop writing once the round is completed (frozen_when)."""

from xuncha.access import policy
from xuncha.access.policy import CHANGE, CREATE, DELETE, EXPORT, VIEW
from xuncha.access.roles import Role
from xuncha.rounds.models import (
    Announcement,
    Assignment,
    ConflictDeclaration,
    DocumentRequest,
    DrawRecord,
    Group,
    GroupMember,
    GuidanceVisit,
    InspectorEvaluation,
    InspectorProfile,
    Interview,
    MemberDeclaration,
    OnTheSpotFix,
    Prescription,
    RecusalOverride,
    Round,
    RoundsPolicy,
    RoundTransition,
    Term,
)

OFFICE = (Role.OFFICE_ADMIN, Role.OFFICE_STAFF)
CLOSED = Round.State.COMPLETED.value
GROUP = (Role.GROUP_LEADER, Role.GROUP_DEPUTY, Role.GROUP_MEMBER)
OVERSIGHT = (Role.LEADER, Role.SUPERVISOR)


_grants = policy.grants


PLAN_READ = ((Role.LEADER, *OFFICE, *GROUP, Role.SUPERVISOR), {VIEW})
PLAN_WRITE = (OFFICE, {CREATE, CHANGE})

policy.register(RoundsPolicy, grants=_grants(((Role.LEADER, *OFFICE), {VIEW}), ((Role.OFFICE_ADMIN,), {CHANGE})),
                committee_path="committee")
policy.register(Term, grants=_grants(PLAN_READ, PLAN_WRITE), committee_path="committee")
policy.register(Round, grants=_grants(PLAN_READ, PLAN_WRITE, ((Role.LEADER, *OFFICE), {EXPORT})),
                committee_path="committee")
policy.register(RoundTransition, grants=_grants(PLAN_READ), committee_path="round__committee")

# The staffing of a group: its own members see it; the office and oversight see all groups.
STAFFING_READ = ((Role.LEADER, *OFFICE, *GROUP, Role.SUPERVISOR), {VIEW})
policy.register(Group, grants=_grants(STAFFING_READ, PLAN_WRITE),
                committee_path="round__committee", group_path="")
policy.register(GroupMember, grants=_grants(STAFFING_READ, (OFFICE, {CREATE, CHANGE, DELETE})),
                committee_path="group__round__committee", group_path="group")
policy.register(Assignment,
                grants=_grants(STAFFING_READ, (OFFICE, {CREATE, CHANGE, DELETE}),
                               ((Role.LEADER, *OFFICE), {EXPORT})),
                committee_path="round__committee", group_path="group")

# The inspector pool and recusal records are the office's.
POOL = (((Role.LEADER, *OFFICE), {VIEW}), (OFFICE, {CREATE, CHANGE}))
policy.register(InspectorProfile, grants=_grants(*POOL), committee_path="committee")
policy.register(InspectorEvaluation, grants=_grants(*POOL), committee_path="profile__committee")
policy.register(DrawRecord, grants=_grants(((Role.LEADER, *OFFICE), {VIEW}), (OFFICE, {CREATE})),
                committee_path="group__round__committee")
policy.register(ConflictDeclaration, grants=_grants(*POOL), committee_path="person__committee")
policy.register(RecusalOverride,
                grants=_grants(((Role.LEADER, *OFFICE, Role.SUPERVISOR), {VIEW}), ((Role.OFFICE_ADMIN,), {CREATE})),
                committee_path="group__round__committee")
policy.register(MemberDeclaration,
                grants=_grants(STAFFING_READ, ((*OFFICE, *GROUP), {CREATE})),
                committee_path="member__group__round__committee", group_path="member__group",
                frozen_when=("member__group__round__state", CLOSED))

# Fieldwork is the group's own; the office and oversight may read it.
FIELD_READ = ((Role.LEADER, *OFFICE, Role.SUPERVISOR, *GROUP), {VIEW})
for model in (Interview, DocumentRequest, OnTheSpotFix):
    policy.register(model, grants=_grants(FIELD_READ, (GROUP, {CREATE, CHANGE})),
                    committee_path="group__round__committee", group_path="group", frozen_when=("group__round__state", CLOSED))
policy.register(Announcement,
                grants=_grants(FIELD_READ, ((*OFFICE, Role.GROUP_LEADER), {CREATE, CHANGE})),
                committee_path="group__round__committee", group_path="group", frozen_when=("group__round__state", CLOSED))
policy.register(GuidanceVisit, grants=_grants(FIELD_READ, ((Role.LEADER, *OFFICE), {CREATE, CHANGE})),
                committee_path="group__round__committee", group_path="group", frozen_when=("group__round__state", CLOSED))
policy.register(Prescription,
                grants=_grants(FIELD_READ, ((Role.LEADER, *OFFICE), {CREATE, CHANGE}), (GROUP, {CHANGE})),
                committee_path="visit__group__round__committee", group_path="visit__group",
                frozen_when=("visit__group__round__state", CLOSED))
