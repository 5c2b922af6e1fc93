"""The permission matrix for the rounds app: expectations and objects.

"in" objects belong to group 1 of the round in 示例县委 (the group leader and deputy serve
there; the group member serves in group 2); "out" objects belong to 邻县县委.
"""

from __future__ import annotations

from datetime import date, datetime

from django.utils import timezone

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


def _t(**by_role: str) -> dict[str, set[str]]:
    return {role: set(actions.split()) for role, actions in by_role.items()}


OFFICE_PLAN = "view create change"
SUP = _t(supervisor="view")
PLAN_READERS = dict(leader="view", office_admin=OFFICE_PLAN, office_staff=OFFICE_PLAN, group_leader="view",
                    group_deputy="view", group_member="view", supervisor="view")
STAFFING = dict(leader="view", office_admin="view create change delete", office_staff="view create change delete",
                group_leader="view", group_deputy="view", supervisor="view")
POOL = dict(leader="view", office_admin=OFFICE_PLAN, office_staff=OFFICE_PLAN)
FIELD = dict(leader="view", office_admin="view", office_staff="view", supervisor="view",
             group_leader="view create change", group_deputy="view create change")
GUIDANCE = dict(leader=OFFICE_PLAN, office_admin=OFFICE_PLAN, office_staff=OFFICE_PLAN, supervisor="view",
                group_leader="view", group_deputy="view")

EXPECTED = {
    "RoundsPolicy": {"in": _t(leader="view", office_admin="view change", office_staff="view"), "out": _t()},
    "Term": {"in": _t(**PLAN_READERS), "out": SUP},
    "Round": {"in": _t(**{**PLAN_READERS, "leader": "view export", "office_admin": OFFICE_PLAN + " export",
                          "office_staff": OFFICE_PLAN + " export"}), "out": SUP},
    "RoundTransition": {"in": _t(**{r: "view" for r in PLAN_READERS}), "out": SUP},
    "Group": {"in": _t(leader="view", office_admin=OFFICE_PLAN, office_staff=OFFICE_PLAN, group_leader="view",
                       group_deputy="view", supervisor="view"), "out": SUP},
    "GroupMember": {"in": _t(**STAFFING), "out": SUP},
    "Assignment": {"in": _t(**{**STAFFING, "leader": "view export",
                               "office_admin": "view create change delete export",
                               "office_staff": "view create change delete export"}), "out": SUP},
    "InspectorProfile": {"in": _t(**POOL), "out": _t()},
    "InspectorEvaluation": {"in": _t(**POOL), "out": _t()},
    "DrawRecord": {"in": _t(leader="view", office_admin="view create", office_staff="view create"), "out": _t()},
    "ConflictDeclaration": {"in": _t(**POOL), "out": _t()},
    "RecusalOverride": {"in": _t(leader="view", office_admin="view create", office_staff="view",
                                 supervisor="view"), "out": SUP},
    "MemberDeclaration": {"in": _t(leader="view", office_admin="view create", office_staff="view create",
                                   group_leader="view create", group_deputy="view create", supervisor="view"),
                          "out": SUP},
    "Interview": {"in": _t(**FIELD), "out": SUP},
    "DocumentRequest": {"in": _t(**FIELD), "out": SUP},
    "OnTheSpotFix": {"in": _t(**FIELD), "out": SUP},
    "Announcement": {"in": _t(leader="view", office_admin=OFFICE_PLAN, office_staff=OFFICE_PLAN,
                              group_leader=OFFICE_PLAN, group_deputy="view", supervisor="view"), "out": SUP},
    "GuidanceVisit": {"in": _t(**GUIDANCE), "out": SUP},
    "Prescription": {"in": _t(**{**GUIDANCE, "group_leader": "view change", "group_deputy": "view change"}),
                     "out": SUP},
}


def _group_objects(committee, group: Group, person, organization, decider) -> dict:
    now = timezone.make_aware(datetime(2024, 3, 5, 9, 30))
    member = GroupMember.objects.create(group=group, person=person, role=GroupMember.Role.MEMBER)
    profile = InspectorProfile.objects.create(committee=committee, person=person, skills=["finance"],
                                              approved_on=date(2023, 1, 1))
    visit = GuidanceVisit.objects.create(group=group, visited_on=date(2024, 3, 20), leaders="领导小组",
                                         diagnoses="谈话覆盖面不够")
    return {
        "RoundsPolicy": RoundsPolicy.objects.create(committee=committee),
        "Term": group.round.term,
        "Round": group.round,
        "RoundTransition": RoundTransition.objects.create(round=group.round, action="approve", from_state="planned",
                                                          to_state="approved", at=now),
        "Group": group,
        "GroupMember": member,
        "Assignment": Assignment.objects.create(group=group, organization=organization),
        "InspectorProfile": profile,
        "InspectorEvaluation": InspectorEvaluation.objects.create(profile=profile, round=group.round,
                                                                  grade="competent"),
        "DrawRecord": DrawRecord.objects.create(group=group, requested={"finance": 1}, seed=7, result=[person.pk]),
        "ConflictDeclaration": ConflictDeclaration.objects.create(person=person, organization=organization,
                                                                  reason="曾有业务往来", declared_on=date(2024, 1, 5)),
        "RecusalOverride": RecusalOverride.objects.create(group=group, person=person, organization=organization,
                                                          conflicts=["…"], reason="熟悉情况，无利害关系",
                                                          decided_by=decider),
        "MemberDeclaration": MemberDeclaration.objects.create(member=member, kind="confidentiality",
                                                              signed_on=date(2024, 3, 1)),
        "Interview": Interview.objects.create(group=group, interviewee="张三", held_at=now, interviewers="甲、乙",
                                              summary="了解村务公开情况"),
        "DocumentRequest": DocumentRequest.objects.create(group=group, item="2023年会计凭证",
                                                          requested_on=date(2024, 3, 4)),
        "OnTheSpotFix": OnTheSpotFix.objects.create(group=group, item="公示栏未更新", fixed_on=date(2024, 3, 6),
                                                    measure="当日更新公示"),
        "Announcement": Announcement.objects.create(group=group, scope="反映党组织和党员干部问题", phone="0871-1234567",
                                                    period_start=date(2024, 3, 1), period_end=date(2024, 4, 30)),
        "GuidanceVisit": visit,
        "Prescription": Prescription.objects.create(visit=visit, content="扩大谈话范围", owner="组长",
                                                    due=date(2024, 3, 30)),
    }


def round_objects(world, other_admin) -> dict[str, tuple]:
    other_term = Term.objects.create(committee=world.other, number=1, name="第一届", start_date=date(2024, 1, 1))
    other_round = Round.objects.create(term=other_term, number=1, planned_entry=date(2024, 3, 1),
                                       planned_exit=date(2024, 4, 30), state=Round.State.STATIONED)
    other_group = Group.objects.create(round=other_round, number=1)
    inside = _group_objects(world.county, world.group1, world.villager, world.village, world.users["office_admin"])
    outside = _group_objects(world.other, other_group, world.outsider_person, world.other_township, other_admin)
    return {name: (inside[name], outside[name]) for name in inside}
