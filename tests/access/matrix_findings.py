"""The permission matrix for the checklist and findings apps.

"in" objects belong to group 1 of the round in 示例县委 (the group leader and deputy serve
there; the group member serves in group 2 and is the reviewer of the "in" review); "out"
objects belong to 邻县县委.
"""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from xuncha.checklist.models import Item, Library, Version
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
from xuncha.rounds.models import Assignment, Group, Round, Term


def _t(**by_role: str) -> dict[str, set[str]]:
    return {role: set(actions.split()) for role, actions in by_role.items()}


CHECKLIST = _t(leader="view export", office_admin="view create change import export",
               office_staff="view create change import export", group_leader="view export",
               group_deputy="view export", group_member="view export", supervisor="view export")
HEADS = "view create change delete"
READ = dict(leader="view", office_admin="view", office_staff="view", group_leader="view", group_deputy="view",
            supervisor="view")
SUP = _t(supervisor="view")

EXPECTED = {
    "Library": {"in": CHECKLIST, "out": _t(supervisor="view export")},
    "Version": {"in": CHECKLIST, "out": _t(supervisor="view export")},
    "Item": {"in": CHECKLIST, "out": _t(supervisor="view export")},
    "WorkingPaper": {"in": _t(**{**READ, "office_admin": "view change export", "office_staff": "view change export",
                                 "group_leader": HEADS, "group_deputy": HEADS}), "out": SUP},
    "PaperStep": {"in": _t(**READ), "out": SUP},
    "PaperAmendment": {"in": _t(**READ), "out": SUP},
    "Evidence": {"in": _t(leader="view", office_admin="view", office_staff="view", group_leader="view create delete",
                          group_deputy="view create delete"), "out": _t()},
    "Problem": {"in": _t(**{**READ, "leader": "view export", "office_admin": HEADS + " export",
                            "office_staff": HEADS + " export", "group_leader": HEADS, "group_deputy": HEADS}),
                "out": SUP},
    "Rubric": {"in": _t(leader="view", office_admin="view create change", office_staff="view create change"),
               "out": _t()},
    "ReviewSession": {"in": _t(leader="view", office_admin="view create change", office_staff="view create change",
                               group_leader="view", group_deputy="view", group_member="view"), "out": _t()},
    "Review": {"in": _t(leader="view", office_admin="view create change delete",
                        office_staff="view create change delete", group_leader="view", group_deputy="view",
                        group_member="view change"), "out": _t()},
}


def _objects(committee, kind, group: Group, organization, reviewer, actor) -> dict:
    now = timezone.now()
    library = Library.objects.create(committee=committee, kind=kind, name="村级巡察指引")
    version = Version.objects.create(library=library, number=1)
    focus = Item.objects.create(version=version, level=1, key="F1", title="落实党的路线方针政策")
    point = Item.objects.create(version=version, level=2, parent=focus, key="F1.1", title="乡村振兴")
    manifestation = Item.objects.create(version=version, level=3, parent=point, key="F1.1.1",
                                        title="项目资金挤占挪用")
    assignment, _ = Assignment.objects.get_or_create(group=group, organization=organization)
    paper = WorkingPaper.objects.create(group=group, assignment=assignment, seq=1, title="挪用项目资金",
                                        classification=manifestation, created_by=actor)
    problem = Problem.objects.create(assignment=assignment, seq=1, title="挪用项目资金", description="……",
                                     classification=manifestation)
    rubric = Rubric.objects.create(committee=committee, name="四个准确",
                                   criteria=[{"name": "事实准确", "max": 25}])
    session = ReviewSession.objects.create(round=group.round, title="底稿评查", criteria=rubric.criteria)
    return {
        "Library": library,
        "Version": version,
        "Item": manifestation,
        "WorkingPaper": paper,
        "PaperStep": PaperStep.objects.create(paper=paper, action="submit", from_state="draft",
                                              to_state="submitted", actor=actor, at=now),
        "PaperAmendment": PaperAmendment.objects.create(paper=paper, changes={"title": ["a", "b"]}, reason="更正",
                                                        actor=actor, at=now),
        "Evidence": Evidence.objects.create(paper=paper, file="evidence/x.pdf", original_name="x.pdf",
                                            content_type="application/pdf", size=10, sha256="0" * 64),
        "Problem": problem,
        "Rubric": rubric,
        "ReviewSession": session,
        "Review": Review.objects.create(session=session, paper=paper, reviewer=reviewer),
    }


def findings_objects(world, other_admin) -> dict[str, tuple]:
    other_term = Term.objects.create(committee=world.other, number=2, name="第二届", start_date=date(2024, 1, 1))
    other_round = Round.objects.create(term=other_term, number=1, planned_entry=date(2024, 3, 1),
                                       planned_exit=date(2024, 4, 30), state=Round.State.STATIONED)
    other_group = Group.objects.create(round=other_round, number=1)
    inside = _objects(world.county, world.kinds["village"], world.group1, world.village,
                      world.users["group_member"], world.users["group_leader"])
    outside = _objects(world.other, world.kinds["village"], other_group, world.other_township, other_admin,
                       other_admin)
    return {name: (inside[name], outside[name]) for name in inside}
