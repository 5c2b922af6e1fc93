"""Access rules for reports and feedback.

Reports are written by their group and approved up the chain (office, leading group); the
superior office reads them except the leads report (专题报告). The inspected organization never
sees a report: its liaison sees the feedback once issued, with its meeting and copies, and the
documents generated for it. Leads documents are never for the organization (a database check
and the services enforce it).
"""

from xuncha.access import policy
from xuncha.access.policy import CHANGE, CREATE, DELETE, EXPORT, VIEW
from xuncha.access.roles import Role
from xuncha.reports.models import (
    ApprovalChain,
    DocumentTemplate,
    Feedback,
    FeedbackCopy,
    FeedbackMeeting,
    GeneratedDocument,
    Report,
    ReportStep,
    ReportVersion,
)
from xuncha.rounds.models import Round

OFFICE = (Role.OFFICE_ADMIN, Role.OFFICE_STAFF)
GROUP = (Role.GROUP_LEADER, Role.GROUP_DEPUTY, Role.GROUP_MEMBER)
GROUP_HEADS = (Role.GROUP_LEADER, Role.GROUP_DEPUTY)
CLOSED = Round.State.COMPLETED.value
DRAFT = "draft"


_grants = policy.grants


READ = ((Role.LEADER, *OFFICE, *GROUP, Role.SUPERVISOR), {VIEW})
NOT_LEADS = {Role.SUPERVISOR: ("kind", "leads")}

policy.register(ApprovalChain, grants=_grants(((Role.LEADER, *OFFICE), {VIEW}), ((Role.OFFICE_ADMIN,), {CREATE, CHANGE})),
                committee_path="committee")
# CHANGE on a report is what every approval step needs; the chain's steps say whose turn it is.
policy.register(Report,
                grants=_grants(READ, (GROUP_HEADS, {CREATE, CHANGE}), (OFFICE, {CREATE, CHANGE, EXPORT}),
                               ((Role.LEADER,), {CHANGE, EXPORT})),
                committee_path="assignment__round__committee", group_path="assignment__group",
                frozen_when=("assignment__round__state", CLOSED), hidden_from=NOT_LEADS)
for model in (ReportVersion, ReportStep):
    policy.register(model, grants=_grants(READ), committee_path="report__assignment__round__committee",
                    group_path="report__assignment__group", hidden_from={Role.SUPERVISOR: ("report__kind", "leads")})

FEEDBACK_READ = ((Role.LEADER, *OFFICE, *GROUP, Role.SUPERVISOR, Role.UNIT_LIAISON), {VIEW})
policy.register(Feedback,
                grants=_grants(FEEDBACK_READ, ((Role.GROUP_LEADER, *OFFICE), {CREATE, CHANGE}),
                               ((Role.UNIT_LIAISON,), {CHANGE})),
                committee_path="assignment__round__committee", group_path="assignment__group",
                organization_path="assignment__organization", frozen_when=("assignment__round__state", CLOSED),
                hidden_from={Role.UNIT_LIAISON: ("state", DRAFT)})
for model in (FeedbackMeeting, FeedbackCopy):
    policy.register(model,
                    grants=_grants(FEEDBACK_READ, ((Role.GROUP_LEADER, *OFFICE), {CREATE, CHANGE, DELETE})),
                    committee_path="feedback__assignment__round__committee", group_path="feedback__assignment__group",
                    organization_path="feedback__assignment__organization",
                    frozen_when=("feedback__assignment__round__state", CLOSED),
                    hidden_from={Role.UNIT_LIAISON: ("feedback__state", DRAFT)})

policy.register(DocumentTemplate, grants=_grants((OFFICE, {VIEW, CREATE, CHANGE, DELETE})),
                committee_path="committee")
policy.register(GeneratedDocument,
                grants=_grants(((Role.LEADER, *OFFICE, *GROUP, Role.SUPERVISOR, Role.UNIT_LIAISON), {VIEW}),
                               ((*OFFICE, *GROUP_HEADS), {CREATE})),
                committee_path="round__committee", group_path="group", organization_path="organization",
                hidden_from={Role.SUPERVISOR: ("confidential", True),
                             Role.UNIT_LIAISON: [("confidential", True), ("for_organization", False)]})
