"""The demo county's rules library and study records: the invented texts imported and parsed,
one campaign over every township and village, most of them studied, a few behind; checked on one
build shared by the module (rolled back at its end)."""

from __future__ import annotations

import time

import pytest
from django.db import transaction

from xuncha.access.models import User
from xuncha.demo import DEFAULT_SEED, regulations_build
from xuncha.demo.plan import TODAY
from xuncha.demo.regulations_text import CAMPAIGN_TITLE
from xuncha.registry.models import Committee, Organization
from xuncha.regulations.models import (
    Provision,
    Regulation,
    RegulationVersion,
    StudyActivity,
    StudyCampaign,
)

ARTICLE = Provision.Level.ARTICLE




@pytest.fixture
def qingya(built):
    return Committee.objects.get(name="青崖县委")


def _versions(committee):
    return {(v.regulation.short_title, v.label): v
            for v in RegulationVersion.objects.filter(regulation__committee=committee).select_related("regulation")}


def test_it_imports_both_versions_and_the_working_paper_rules(qingya):
    assert Regulation.objects.filter(committee=qingya).count() == 2
    versions = _versions(qingya)
    assert set(versions) == {("实施办法", "2019"), ("实施办法", "2024"), ("底稿办法", "2024")}
    counts = {key: Provision.objects.filter(version=v, level=ARTICLE).count() for key, v in versions.items()}
    assert counts == {("实施办法", "2019"): 60, ("实施办法", "2024"): 65, ("底稿办法", "2024"): 20}
    chapters = Provision.objects.filter(version=versions[("实施办法", "2024")], level=Provision.Level.CHAPTER)
    assert [c.heading for c in chapters.order_by("position")][:2] == ["总则", "机构和人员"]
    # 款 and 项 parsed under their articles.
    item = Provision.objects.get(version=versions[("实施办法", "2024")], address="第八条第（三）项")
    assert "巡察组组长人选" in item.text and item.parent.level in (ARTICLE, Provision.Level.PARAGRAPH)
    assert Provision.objects.filter(version=versions[("实施办法", "2019")], level=Provision.Level.PARAGRAPH).exists()


def test_the_campaign_covers_every_township_and_village_from_a_month_after_the_revision(qingya):
    campaign = StudyCampaign.objects.get(committee=qingya, title=CAMPAIGN_TITLE)
    revised = _versions(qingya)[("实施办法", "2024")]
    assert campaign.version == revised
    assert (campaign.starts_on.isoformat(), campaign.due_on.isoformat()) == ("2024-05-01", "2024-07-01")
    required = set(campaign.organizations.values_list("pk", flat=True))
    expected = set(Organization.objects.filter(committee=qingya, active=True, kind__code__in=("township", "village"))
                   .values_list("pk", flat=True))
    assert required == expected and len(required) == 120


def test_most_organizations_studied_and_a_few_are_behind(qingya):
    campaign = StudyCampaign.objects.get(committee=qingya, title=CAMPAIGN_TITLE)
    from xuncha.regulations.selectors import study as study_selectors

    office = User.objects.get(username="office_admin")
    progress = study_selectors.campaign_progress(office, campaign, today=campaign.due_on.replace(day=2))
    assert progress.required == 120
    assert 0.85 * 120 <= progress.studied < 120
    assert progress.overdue and progress.behind == 120 - progress.studied >= 5
    behind_townships = [t for t in progress.townships if t.studied < t.required]
    assert len(behind_townships) >= 3


def test_activities_are_realistic(qingya):
    campaign = StudyCampaign.objects.get(committee=qingya, title=CAMPAIGN_TITLE)
    activities = list(StudyActivity.objects.filter(committee=qingya).select_related("organization__kind"))
    assert 100 <= len(activities) <= 140
    kinds = {a.kind for a in activities}
    assert {"central_group", "branch_meeting", "party_day"} <= kinds
    for a in activities:
        assert a.held_on <= TODAY and a.attendees <= a.expected and a.topic
        if a.kind == "central_group":
            assert a.organization.kind.code == "township" and a.attendees <= 15
        if a.campaign_id:
            assert campaign.starts_on <= a.held_on <= campaign.due_on
    published = [a for a in activities if a.published]
    assert published and all(a.published_at and a.published_at.date() >= a.held_on for a in published)
    assert len(published) < len(activities) / 3
    linked = Provision.objects.filter(study_activities__campaign=campaign).distinct()
    assert linked.count() >= 5 and all(p.level == ARTICLE and p.version_id == campaign.version_id for p in linked)
    assert StudyActivity.versions.through.objects.filter(studyactivity__campaign=campaign).count() >= 100
    # A couple studied before the campaign began: that does not count.
    assert StudyActivity.objects.filter(committee=qingya, campaign=None, held_on__lt=campaign.starts_on).exists()


def test_the_build_is_deterministic_and_fast(qingya):
    def fingerprint():
        return sorted((a.organization.name, a.kind, a.held_on, a.topic, a.attendees, a.expected, a.published,
                       tuple(sorted(a.articles.values_list("number", flat=True))))
                      for a in StudyActivity.objects.filter(committee=qingya).select_related("organization"))

    before = fingerprint()
    users = {u.username: u for u in User.objects.filter(username__in=["office_admin", "office_staff"])}
    # Without the liaison accounts only the authors differ, which the fingerprint leaves out.
    with transaction.atomic():
        StudyActivity.objects.filter(committee=qingya).delete()
        StudyCampaign.objects.filter(committee=qingya).delete()
        RegulationVersion.objects.filter(regulation__committee=qingya).delete()
        Regulation.objects.filter(committee=qingya).delete()
        started = time.monotonic()
        regulations_build.build(seed=DEFAULT_SEED, county=qingya, users={**users}, progress=lambda _m: None)
        seconds = time.monotonic() - started
        liaisonless = fingerprint()
        transaction.set_rollback(True)
    assert seconds < 3
    assert liaisonless == before
