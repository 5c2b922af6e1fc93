"""The public portal's study section: no login, published material only."""

from datetime import date

from django.test import Client

from xuncha.regulations.models import Regulation, RegulationVersion, StudyActivity


def _activity(world, topic, published):
    regulation = Regulation.objects.get_or_create(committee=world.county, short_title="办法",
                                                  defaults={"title": "巡察工作实施办法"})[0]
    version = RegulationVersion.objects.get_or_create(regulation=regulation, label="2024",
                                                      defaults={"text": "第一条 为了……"})[0]
    activity = StudyActivity.objects.create(organization=world.village, kind="branch_meeting",
                                            held_on=date(2024, 5, 10), topic=topic, attendees=15,
                                            materials="逐条学习新旧对照表。", published=published)
    activity.versions.add(version)
    return activity


def test_anyone_reads_what_was_published_and_nothing_else(world):
    _activity(world, "东门村支部学习新办法", published=True)
    _activity(world, "未公开的学习记录", published=False)
    response = Client().get(f"/public/{world.county.pk}/study/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "东门村支部学习新办法" in page and "《巡察工作实施办法》（2024）" in page and "2024年5月10日" in page
    assert "未公开的学习记录" not in page


def test_another_committee_shows_only_its_own_and_unknown_ones_are_404(world):
    _activity(world, "东门村支部学习新办法", published=True)
    assert "东门村支部学习新办法" not in Client().get(f"/public/{world.other.pk}/study/").content.decode()
    assert Client().get("/public/999999/study/").status_code == 404
    world.county.active = False
    world.county.save(update_fields=["active"])
    assert Client().get(f"/public/{world.county.pk}/study/").status_code == 404


def test_query_count_is_flat(world, django_assert_max_num_queries):
    for i in range(15):
        _activity(world, f"学习{i}", published=True)
    with django_assert_max_num_queries(6):
        assert Client().get(f"/public/{world.county.pk}/study/").status_code == 200
