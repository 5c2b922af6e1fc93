"""Access rules for analytics.

Detection results (pairs, clusters) compare problems across groups and organizations, so only
the office, the leading group and the superior office read them — never an inspection group,
which sees only its own fieldwork; the superior office never sees a lead. Statistics are not a
model: they aggregate what `scope(user, Problem)` and the other scopes already allow, so a
supervisor counts its subtree and a group member its own group.

Recommendations are the office's; the leading group approves them (CHANGE held through the
leader role). An addressed department (receiver) sees its own addressee row once the letter is
issued — the letter's content through it — answers it and records the systems it produced.
Campaign items are reported on by the organization responsible for them.
"""

from xuncha.access import policy
from xuncha.access.policy import CHANGE, CREATE, DELETE, EXPORT, VIEW
from xuncha.access.roles import Role
from xuncha.analytics.models import (
    Campaign,
    CampaignItem,
    Cluster,
    ClusterMember,
    DepartmentMapping,
    DetectionSettings,
    ProblemFingerprint,
    ProblemMatch,
    Recommendation,
    RecommendationAddressee,
    RecommendationItem,
    RecommendationStep,
    SystemOutcome,
)

OFFICE = (Role.OFFICE_ADMIN, Role.OFFICE_STAFF)
READ = ((Role.LEADER, *OFFICE, Role.SUPERVISOR), {VIEW})
RECEIVER = (Role.RECEIVER,)
_grants = policy.grants
NOT_ISSUED = [Recommendation.State.DRAFT, Recommendation.State.SUBMITTED, Recommendation.State.RETURNED,
              Recommendation.State.APPROVED]

policy.register(DetectionSettings, grants=_grants(READ, ((Role.OFFICE_ADMIN,), {CREATE, CHANGE})),
                committee_path="committee")
policy.register(DepartmentMapping, grants=_grants(READ, (OFFICE, {CREATE, DELETE})), committee_path="committee")
# The detector's own index: written by the detection job, read by no page.
policy.register(ProblemFingerprint, grants={}, committee_path="problem__round__committee")
policy.register(ProblemMatch, grants=_grants(READ), committee_path="problem__round__committee",
                hidden_from={Role.SUPERVISOR: [("problem__kind", "lead"), ("earlier__kind", "lead")]})
policy.register(Cluster, grants=_grants(READ), committee_path="committee")
policy.register(ClusterMember, grants=_grants(READ), committee_path="cluster__committee",
                hidden_from={Role.SUPERVISOR: ("problem__kind", "lead")})

policy.register(Recommendation,
                grants=_grants(READ, (OFFICE, {CREATE, CHANGE, DELETE, EXPORT}), ((Role.LEADER,), {CHANGE, EXPORT})),
                committee_path="committee")
policy.register(RecommendationItem, grants=_grants(READ, (OFFICE, {CREATE, CHANGE, DELETE})),
                committee_path="recommendation__committee")
policy.register(RecommendationStep, grants=_grants(READ), committee_path="recommendation__committee")
policy.register(RecommendationAddressee,
                grants=_grants(READ, (OFFICE, {CREATE, CHANGE, DELETE}), (RECEIVER, {VIEW, CHANGE, EXPORT})),
                committee_path="recommendation__committee", organization_path="organization",
                hidden_from={Role.RECEIVER: [("recommendation__state", s.value) for s in NOT_ISSUED]})
policy.register(SystemOutcome,
                grants=_grants(READ, (OFFICE, {CREATE, DELETE}), (RECEIVER, {VIEW, CREATE, DELETE})),
                committee_path="addressee__recommendation__committee", organization_path="addressee__organization",
                hidden_from={Role.RECEIVER: [("addressee__recommendation__state", s.value) for s in NOT_ISSUED]})
policy.register(Campaign, grants=_grants(READ, (OFFICE, {CREATE, CHANGE}), (RECEIVER, {VIEW})),
                committee_path="committee", organization_path="lead_department")
policy.register(CampaignItem,
                grants=_grants(READ, (OFFICE, {CREATE, CHANGE, DELETE}),
                               ((Role.RECEIVER, Role.UNIT_LIAISON), {VIEW, CHANGE})),
                committee_path="campaign__committee", organization_path="organization")
