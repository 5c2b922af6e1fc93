from xuncha.analytics.models.detection import (
    Cluster,
    ClusterMember,
    DepartmentMapping,
    DetectionSettings,
    ProblemFingerprint,
    ProblemMatch,
)
from xuncha.analytics.models.recommendations import (
    Campaign,
    CampaignItem,
    Recommendation,
    RecommendationAddressee,
    RecommendationItem,
    RecommendationStep,
    SystemOutcome,
)

__all__ = [
    "Campaign", "CampaignItem", "Cluster", "ClusterMember", "DepartmentMapping", "DetectionSettings",
    "ProblemFingerprint", "ProblemMatch", "Recommendation", "RecommendationAddressee", "RecommendationItem",
    "RecommendationStep", "SystemOutcome",
]
