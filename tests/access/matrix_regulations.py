"""The permission matrix for regulations and study. "in" objects belong to 示例县委 (the study
activity to 东门村, the unit liaison's organization); "out" objects to 邻县县委."""

from __future__ import annotations

from datetime import date

from xuncha.regulations.models import (
    Provision,
    Regulation,
    RegulationVersion,
    StudyActivity,
    StudyCampaign,
)


def _t(**by_role: str) -> dict[str, set[str]]:
    return {role: set(actions.split()) for role, actions in by_role.items()}


READ = "view export"
LIBRARY_READERS = dict(leader=READ, group_leader=READ, group_deputy=READ, group_member=READ, supervisor=READ,
                       unit_liaison=READ, receiver=READ)
OFFICE_LIBRARY = "view create change delete export"

EXPECTED = {
    "Regulation": {"in": _t(**LIBRARY_READERS, office_admin=OFFICE_LIBRARY, office_staff=OFFICE_LIBRARY),
                   "out": _t(supervisor=READ)},
    "RegulationVersion": {"in": _t(**LIBRARY_READERS, office_admin=OFFICE_LIBRARY, office_staff=OFFICE_LIBRARY),
                          "out": _t(supervisor=READ)},
    "Provision": {"in": _t(**LIBRARY_READERS, office_admin=READ, office_staff=READ), "out": _t(supervisor=READ)},
    "StudyCampaign": {"in": _t(leader="view", office_admin="view create change export",
                               office_staff="view create change export", supervisor="view", unit_liaison="view"),
                      "out": _t(supervisor="view")},
    "StudyActivity": {"in": _t(leader="view", office_admin="view create change delete export",
                               office_staff="view create change delete export", supervisor="view",
                               unit_liaison="view create change delete"),
                      "out": _t(supervisor="view")},
}


def _objects(committee, organization) -> dict:
    regulation = Regulation.objects.create(committee=committee, title="巡察工作规则", short_title="规则")
    version = RegulationVersion.objects.create(regulation=regulation, label="2024", text="第一条 为了……")
    campaign = StudyCampaign.objects.create(committee=committee, title="学习新规则", version=version,
                                            starts_on=date(2024, 3, 1), due_on=date(2024, 4, 30))
    return {
        "Regulation": regulation,
        "RegulationVersion": version,
        "Provision": Provision.objects.create(version=version, level=4, number=1, label="第一条", text="为了……",
                                              position=1, address="第一条"),
        "StudyCampaign": campaign,
        "StudyActivity": StudyActivity.objects.create(organization=organization, campaign=campaign,
                                                      kind="branch_meeting", held_on=date(2024, 3, 10),
                                                      topic="学习新规则", attendees=12),
    }


def regulation_objects(world) -> dict[str, tuple]:
    inside = _objects(world.county, world.village)
    outside = _objects(world.other, world.other_township)
    return {name: (inside[name], outside[name]) for name in inside}
