"""Invented rules and a small county for the study tests: rows made directly with the models."""

from __future__ import annotations

from datetime import date

from xuncha.registry.models import Organization
from xuncha.regulations.models import (
    Provision,
    Regulation,
    RegulationVersion,
    StudyActivity,
    StudyCampaign,
)


def rule(committee, *, short_title="规则", label="2024", articles=3) -> RegulationVersion:
    regulation, _ = Regulation.objects.get_or_create(
        committee=committee, short_title=short_title, defaults={"title": f"青崖县巡察工作{short_title}"})
    version = RegulationVersion.objects.create(regulation=regulation, label=label, text="第一条 为了……")
    numerals = "一二三四五六七八九十"
    for n in range(1, articles + 1):
        Provision.objects.create(version=version, level=Provision.Level.ARTICLE, number=n,
                                 label=f"第{numerals[n - 1]}条", text=f"第{numerals[n - 1]}条的内容。",
                                 position=n, address=f"第{numerals[n - 1]}条")
    return version


def campaign(committee, version, organizations, *, starts_on=date(2024, 3, 1), due_on=date(2024, 4, 30),
             title="学习新规则") -> StudyCampaign:
    c = StudyCampaign.objects.create(committee=committee, title=title, version=version, starts_on=starts_on,
                                     due_on=due_on)
    c.organizations.set(organizations)
    return c


def activity(organization, *, held_on=date(2024, 3, 10), campaign=None, versions=(), topic="学习新规则",
             attendees=10, expected=None, kind="branch_meeting", published=False) -> StudyActivity:
    a = StudyActivity.objects.create(organization=organization, campaign=campaign, kind=kind, held_on=held_on,
                                     topic=topic, attendees=attendees, expected=expected, published=published)
    a.versions.set(versions)
    return a


def villages(world, township, names) -> list[Organization]:
    return [Organization.objects.create(committee=township.committee, name=name, kind=world.kinds["village"],
                                        parent=township) for name in names]
