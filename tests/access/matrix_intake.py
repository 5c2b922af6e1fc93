"""The permission matrix for complaints and the portal's counters.

"in" objects: a complaint to group 1 of the round in 示例县委 (the group leader and deputy serve
there; the group member serves in group 2 and must not see it), with its step, message,
attachment and an identity-access request by the group leader. "out" objects belong to 邻县县委:
no one here sees them, not even the superior office."""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from xuncha.intake.models import (
    Complaint,
    ComplaintAttachment,
    ComplaintMessage,
    ComplaintStep,
    IdentityAccess,
    Throttle,
)
from xuncha.rounds.models import Group, Round, Term


def _t(**by_role: str) -> dict[str, set[str]]:
    return {role: set(actions.split()) for role, actions in by_role.items()}


GROUP_1 = ("group_leader", "group_deputy")
READ = dict(leader="view", office_admin="view", office_staff="view", **{r: "view" for r in GROUP_1})

EXPECTED = {
    "Complaint": {"in": _t(**{**READ, "office_admin": "view create change export",
                              "office_staff": "view create change export",
                              **{r: "view create change" for r in GROUP_1}}), "out": _t()},
    "ComplaintStep": {"in": _t(**READ), "out": _t()},
    "ComplaintMessage": {"in": _t(**{**READ, "office_admin": "view create", "office_staff": "view create",
                                     **{r: "view create" for r in GROUP_1}}), "out": _t()},
    "ComplaintAttachment": {"in": _t(**{**READ, "office_admin": "view create delete",
                                        "office_staff": "view create delete",
                                        **{r: "view create" for r in GROUP_1}}), "out": _t()},
    # Requested by the group leader: they read their own request; the office head and the leading
    # group read and decide; staff handling the complaint may ask.
    "IdentityAccess": {"in": _t(leader="view change", office_admin="view create change", office_staff="create",
                                group_leader="view create", group_deputy="create"), "out": _t()},
    "Throttle": {"in": _t(), "out": _t()},
}


def _objects(committee, round_, group, organization, requester, key: str) -> dict:
    complaint = Complaint.objects.create(committee=committee, round=round_, group=group, seq=1, year=2024,
                                         channel=Complaint.Channel.LETTER, received_on=date(2024, 3, 5),
                                         organization=organization, subject="反映村干部优亲厚友",
                                         content="低保评定优亲厚友")
    return {
        "Complaint": complaint,
        "ComplaintStep": ComplaintStep.objects.create(complaint=complaint, action="pass", from_state="pending",
                                                      to_state="to_group", at=timezone.now()),
        "ComplaintMessage": ComplaintMessage.objects.create(complaint=complaint, text="已收到"),
        "ComplaintAttachment": ComplaintAttachment.objects.create(complaint=complaint, file="complaints/x.bin",
                                                                  original_name="x.pdf",
                                                                  content_type="application/pdf", size=10,
                                                                  sha256="0" * 64),
        "IdentityAccess": IdentityAccess.objects.create(complaint=complaint, requested_by=requester,
                                                        reason="需联系举报人核实"),
        "Throttle": Throttle.objects.create(key=key, window_start=timezone.now(), count=1),
    }


def intake_objects(world, other_admin) -> dict[str, tuple]:
    inside = _objects(world.county, world.round, world.group1, world.village, world.users["group_leader"], "in")
    term = Term.objects.create(committee=world.other, number=11, name="第十一届", start_date=date(2024, 1, 1))
    round_ = Round.objects.create(term=term, number=1, planned_entry=date(2024, 3, 1),
                                  planned_exit=date(2024, 4, 30), state=Round.State.STATIONED)
    outside = _objects(world.other, round_, Group.objects.create(round=round_, number=1), world.other_township,
                       other_admin, "out")
    return {name: (inside[name], outside[name]) for name in inside}
