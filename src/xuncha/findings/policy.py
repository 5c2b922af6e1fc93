"""Access rules for findings. Papers and problems are their group's own (group_path); the office
and the leading group read them all in their committee; the superior office reads them except
leads (问题线索), which only the group, the office and the leading group ever see. Receivers see
none of this; an inspected organization's liaison sees only its own problems once fed back. Group roles stop writing when the round completes.

Reviewers of a peer-review session reach the papers they review through their Review (owner),
never through the paper's own rules: cross-reading is the one sanctioned look into another
group's papers, and it goes through selectors that start from the reviewer's reviews.
"""

from xuncha.access import policy
from xuncha.access.policy import CHANGE, CREATE, DELETE, EXPORT, VIEW
from xuncha.access.roles import Role
from xuncha.findings.models import (
    Evidence,
    PaperAmendment,
    PaperStep,
    Problem,
    Review,
    ReviewSession,
    Rubric,
    WorkingPaper,
)
from xuncha.rounds.models import Round

OFFICE = (Role.OFFICE_ADMIN, Role.OFFICE_STAFF)
GROUP = (Role.GROUP_LEADER, Role.GROUP_DEPUTY, Role.GROUP_MEMBER)
GROUP_HEADS = (Role.GROUP_LEADER, Role.GROUP_DEPUTY)
CLOSED = Round.State.COMPLETED.value
LEAD = "lead"


_grants = policy.grants


READ = ((Role.LEADER, *OFFICE, *GROUP, Role.SUPERVISOR), {VIEW})

policy.register(
    WorkingPaper,
    grants=_grants(READ, (GROUP, {CREATE, CHANGE, DELETE}), (OFFICE, {CHANGE, EXPORT})),
    committee_path="round__committee", group_path="group",
    frozen_when=("round__state", CLOSED), hidden_from={Role.SUPERVISOR: ("kind", LEAD)},
)
for model in (PaperStep, PaperAmendment):
    policy.register(
        model, grants=_grants(READ),
        committee_path="paper__round__committee", group_path="paper__group",
        hidden_from={Role.SUPERVISOR: ("paper__kind", LEAD)},
    )
policy.register(
    Evidence,
    grants=_grants(((Role.LEADER, *OFFICE, *GROUP), {VIEW}), (GROUP, {CREATE, DELETE})),
    committee_path="paper__round__committee", group_path="paper__group",
    frozen_when=("paper__round__state", CLOSED),
)
# The inspected organization's liaison sees its own problems once fed back, never a lead.
policy.register(
    Problem,
    grants=_grants(READ, (GROUP_HEADS, {CREATE, CHANGE, DELETE}), (OFFICE, {CREATE, CHANGE, DELETE, EXPORT}),
                   ((Role.LEADER,), {EXPORT}), ((Role.UNIT_LIAISON,), {VIEW})),
    committee_path="round__committee", group_path="group", organization_path="organization",
    frozen_when=("round__state", CLOSED),
    hidden_from={Role.SUPERVISOR: ("kind", LEAD), Role.UNIT_LIAISON: [("kind", LEAD), ("fed_back", False)]},
)

policy.register(Rubric, grants=_grants(((Role.LEADER, *OFFICE), {VIEW}), (OFFICE, {CREATE, CHANGE})),
                committee_path="committee")
policy.register(ReviewSession,
                grants=_grants(((Role.LEADER, *OFFICE, *GROUP), {VIEW}), (OFFICE, {CREATE, CHANGE})),
                committee_path="round__committee")
# A group sees the reviews of its own papers (scores, not the reviewer's name: pages hide it);
# the reviewer sees and fills in the reviews given to them.
policy.register(Review,
                grants=_grants(((Role.LEADER, *OFFICE, *GROUP), {VIEW}), (OFFICE, {CREATE, CHANGE, DELETE})),
                committee_path="session__round__committee", group_path="paper__group",
                owner_path="reviewer", owner_actions={VIEW, CHANGE})
