"""Terms, rounds, groups and targets; the inspector pool; recusal; fieldwork and guidance."""

from xuncha.rounds.models.fieldwork import (
    Announcement,
    DocumentRequest,
    GuidanceVisit,
    Interview,
    OnTheSpotFix,
    Prescription,
)
from xuncha.rounds.models.plan import (
    Assignment,
    Group,
    GroupMember,
    Round,
    RoundsPolicy,
    RoundTransition,
    Term,
)
from xuncha.rounds.models.pool import DrawRecord, InspectorEvaluation, InspectorProfile, Skill
from xuncha.rounds.models.recusal import ConflictDeclaration, MemberDeclaration, RecusalOverride

__all__ = [
    "Announcement", "Assignment", "ConflictDeclaration", "DocumentRequest", "DrawRecord",
    "Group", "GroupMember", "GuidanceVisit", "InspectorEvaluation", "InspectorProfile",
    "Interview", "MemberDeclaration", "OnTheSpotFix", "Prescription", "RecusalOverride",
    "Round", "RoundTransition", "RoundsPolicy", "Skill", "Term",
]
