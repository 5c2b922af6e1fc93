"""The permission matrix for analytics: detection settings, the point-to-department mapping,
fingerprints, near-duplicate pairs and clusters; recommendations, their addressees and outcomes;
special campaigns.

"in" objects: problems of 东门村 in 示例县委, a recommendation issued to 县财政局 (the receiver's
organization), a campaign led by it with an item it is responsible for. "out" objects belong to
邻县县委 (the supervisor reads them: its subtree)."""

from __future__ import annotations

from datetime import date

from django.utils import timezone

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
from xuncha.checklist.models import Item, Library, Version
from xuncha.findings.models import Problem
from xuncha.rounds.models import Assignment, Group, Round, Term


def _t(**by_role: str) -> dict[str, set[str]]:
    return {role: set(actions.split()) for role, actions in by_role.items()}


SUP = _t(supervisor="view")
READ = dict(leader="view", office_admin="view", office_staff="view", supervisor="view")

EXPECTED = {
    "DetectionSettings": {"in": _t(**{**READ, "office_admin": "view create change"}), "out": SUP},
    "DepartmentMapping": {"in": _t(**{**READ, "office_admin": "view create delete",
                                      "office_staff": "view create delete"}), "out": SUP},
    "ProblemFingerprint": {"in": _t(), "out": _t()},
    "ProblemMatch": {"in": _t(**READ), "out": SUP},
    "Cluster": {"in": _t(**READ), "out": SUP},
    "ClusterMember": {"in": _t(**READ), "out": SUP},
    "Recommendation": {"in": _t(**{**READ, "leader": "view change export",
                                   "office_admin": "view create change delete export",
                                   "office_staff": "view create change delete export"}), "out": SUP},
    "RecommendationItem": {"in": _t(**{**READ, "office_admin": "view create change delete",
                                       "office_staff": "view create change delete"}), "out": SUP},
    "RecommendationStep": {"in": _t(**READ), "out": SUP},
    "RecommendationAddressee": {"in": _t(**{**READ, "office_admin": "view create change delete",
                                            "office_staff": "view create change delete",
                                            "receiver": "view change export"}),
                                "out": SUP},
    "SystemOutcome": {"in": _t(**{**READ, "office_admin": "view create delete", "office_staff": "view create delete",
                                  "receiver": "view create delete"}), "out": SUP},
    "Campaign": {"in": _t(**{**READ, "office_admin": "view create change", "office_staff": "view create change",
                             "receiver": "view"}), "out": SUP},
    "CampaignItem": {"in": _t(**{**READ, "office_admin": "view create change delete",
                                 "office_staff": "view create change delete", "receiver": "view change"}),
                     "out": SUP},
}


def _objects(committee, organization, department, library_kind) -> dict:
    term = Term.objects.create(committee=committee, number=8, name="第八届", start_date=date(2021, 1, 1))
    first = Round.objects.create(term=term, number=1, planned_entry=date(2021, 3, 1),
                                 planned_exit=date(2021, 4, 30), state=Round.State.COMPLETED)
    second = Round.objects.create(term=term, number=2, planned_entry=date(2022, 3, 1),
                                  planned_exit=date(2022, 4, 30), state=Round.State.COMPLETED)
    library = Library.objects.create(committee=committee, kind=library_kind, name="分析矩阵指引")
    version = Version.objects.create(library=library, number=1)
    focus = Item.objects.create(version=version, level=1, key="A1", title="全面从严治党")
    point = Item.objects.create(version=version, level=2, parent=focus, key="A1.1", title="村集体三资管理")
    item = Item.objects.create(version=version, level=3, parent=point, key="A1.1.1", title="资产未入账")
    problems = []
    for round_ in (first, second):
        group = Group.objects.create(round=round_, number=1)
        assignment = Assignment.objects.create(group=group, organization=organization)
        problems.append(Problem.objects.create(assignment=assignment, seq=1, title="集体资产未入账",
                                               description="村集体资产未登记入账", classification=item))
    earlier, later = problems
    cluster = Cluster.objects.create(committee=committee, term=term, key=earlier.pk, label="集体资产未入账",
                                     point=point, problem_count=2, organization_count=1, round_count=2)
    recommendation = Recommendation.objects.create(committee=committee, term=term, year=2022, seq=1,
                                                   title="关于加强村集体资产管理的巡察建议书",
                                                   state=Recommendation.State.ISSUED, issued_on=date(2022, 6, 1),
                                                   response_due=date(2022, 9, 1), cluster=cluster)
    addressee = RecommendationAddressee.objects.create(recommendation=recommendation, organization=department)
    campaign = Campaign.objects.create(committee=committee, recommendation=recommendation, title="村集体资产专项治理",
                                       lead_department=department, started_on=date(2022, 7, 1))
    return {
        "DetectionSettings": DetectionSettings.objects.create(committee=committee),
        "DepartmentMapping": DepartmentMapping.objects.create(committee=committee, point=point, department=department),
        "ProblemFingerprint": ProblemFingerprint.objects.create(problem=later, text_hash="0" * 64, signature=b"\0"),
        "ProblemMatch": ProblemMatch.objects.create(problem=later, earlier=earlier, similarity=0.9,
                                                    relation=ProblemMatch.Relation.RECURRING),
        "Cluster": cluster,
        "ClusterMember": ClusterMember.objects.create(cluster=cluster, problem=earlier),
        "Recommendation": recommendation,
        "RecommendationItem": RecommendationItem.objects.create(recommendation=recommendation, seq=1,
                                                                text="建立村集体资产台账"),
        "RecommendationStep": RecommendationStep.objects.create(recommendation=recommendation, action="issue",
                                                                from_state="approved", to_state="issued",
                                                                at=timezone.now()),
        "RecommendationAddressee": addressee,
        "SystemOutcome": SystemOutcome.objects.create(addressee=addressee, title="村集体资产管理办法",
                                                      adopted_on=date(2022, 8, 1)),
        "Campaign": campaign,
        "CampaignItem": CampaignItem.objects.create(campaign=campaign, seq=1, title="清理未入账资产",
                                                    organization=department),
    }


def analytics_objects(world) -> dict[str, tuple]:
    kind = world.kinds["school"]
    inside = _objects(world.county, world.village, world.department, kind)
    outside = _objects(world.other, world.other_township, world.other_township, kind)
    return {name: (inside[name], outside[name]) for name in inside}
