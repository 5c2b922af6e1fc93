"""Study pages per role: reading, recording, refusals (404 out of scope, 403 without the right,
POST-only writes), messages naming the field, publishing, and query counts."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from tests.conftest import PASSWORD
from tests.regulations.study_helpers import activity, campaign, rule, villages
from xuncha.registry.models import Organization
from xuncha.regulations.models import StudyActivity


@pytest.fixture(autouse=True)
def _english(settings):
    """The messages are checked as written (English, a switch away for users); the Chinese
    catalogue is checked whole by tests/test_translations.py."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield

LIST = reverse("regulations:study_activities")
CAMPAIGNS = reverse("regulations:study_campaigns")
NEW = reverse("regulations:study_activity_create")


def _client(username) -> Client:
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    return client


@pytest.fixture
def study(world):
    world.version = rule(world.county)
    world.campaign = campaign(world.county, world.version, [world.township, world.village, world.department])
    world.own = activity(world.village, campaign=world.campaign, topic="东门村学习")
    world.theirs = activity(world.department, topic="财政局学习")
    world.foreign = activity(world.other_township, topic="河口镇学习")
    return world


@pytest.mark.parametrize("role, seen", [
    ("office_admin", {"东门村学习", "财政局学习"}), ("leader", {"东门村学习", "财政局学习"}),
    ("supervisor", {"东门村学习", "财政局学习", "河口镇学习"}), ("unit_liaison", {"东门村学习"}),
])
def test_the_list_shows_what_the_role_sees(study, role, seen):
    html = _client(role).get(LIST).content.decode()
    assert {t for t in ("东门村学习", "财政局学习", "河口镇学习") if t in html} == seen


@pytest.mark.parametrize("role", ["receiver", "group_leader", "outsider", "sysadmin", "auditor"])
def test_roles_without_study_get_403(study, role):
    client = _client(role)
    assert client.get(LIST).status_code == 403
    assert client.get(reverse("regulations:study_activity_detail", args=[study.own.pk])).status_code == 403


def test_out_of_scope_activities_and_campaigns_are_404(study):
    client = _client("unit_liaison")
    assert client.get(reverse("regulations:study_activity_detail", args=[study.own.pk])).status_code == 200
    assert client.get(reverse("regulations:study_activity_detail", args=[study.theirs.pk])).status_code == 404
    other = campaign(study.other, rule(study.other), [study.other_township])
    office = _client("office_admin")
    assert office.get(reverse("regulations:study_activity_detail", args=[study.foreign.pk])).status_code == 404
    assert office.get(reverse("regulations:study_campaign_detail", args=[other.pk])).status_code == 404


def test_the_list_filters_by_organization_kind_campaign_and_dates(study):
    client = _client("office_admin")
    html = client.get(LIST, {"campaign": study.campaign.pk}).content.decode()
    assert "东门村学习" in html and "财政局学习" not in html
    html = client.get(LIST, {"organization": study.department.pk, "held_from": "2024-03-01",
                             "held_to": "2024年3月31日"}).content.decode()
    assert "财政局学习" in html and "东门村学习" not in html
    assert "东门村学习" not in client.get(LIST, {"held_from": "2024-04-01"}).content.decode()


def test_the_liaison_records_for_its_own_organization(study):
    client = _client("unit_liaison")
    page = client.get(NEW).content.decode()
    assert "东门村" in page and "县财政局" not in page
    articles = list(study.version.provisions.values_list("pk", flat=True)[:2])
    response = client.post(NEW, {"organization": study.village.pk, "kind": "party_day", "held_on": "2024-03-12",
                                 "topic": "主题党日学规则", "versions": [study.version.pk], "articles": articles,
                                 "attendees": 8, "expected": 9})
    assert response.status_code == 302
    a = StudyActivity.objects.get(topic="主题党日学规则")
    assert a.organization == study.village and set(a.articles.values_list("pk", flat=True)) == set(articles)
    refused = client.post(NEW, {"organization": study.department.pk, "kind": "party_day", "held_on": "2024-03-12",
                                "topic": "越权", "attendees": 8})
    assert refused.status_code == 400 and not StudyActivity.objects.filter(topic="越权").exists()


def test_the_form_shows_the_articles_of_the_chosen_versions_grouped(study):
    other = rule(study.county, short_title="办法")
    html = _client("office_admin").get(NEW, {"versions": [study.version.pk, other.pk]}).content.decode()
    assert html.count("<optgroup") == 2 and "青崖县巡察工作办法（2024）" in html
    html = _client("office_admin").post(NEW, {"versions": [other.pk], "show_articles": "1"}).content.decode()
    assert html.count("<optgroup") == 1 and "StudyActivity" not in html


def test_a_bad_form_names_the_field(study):
    response = _client("office_admin").post(NEW, {
        "organization": study.village.pk, "kind": "lecture", "held_on": "2024-03-12", "topic": "辅导",
        "attendees": 20, "expected": 10})
    assert response.status_code == 400
    assert "More attended (20) than were expected (10)." in response.content.decode()


def test_readers_cannot_write(study):
    leader = _client("leader")
    assert leader.get(NEW).status_code == 403
    assert leader.get(reverse("regulations:study_activity_edit", args=[study.own.pk])).status_code == 403
    assert leader.post(reverse("regulations:study_activity_delete", args=[study.own.pk])).status_code == 403
    assert leader.get(reverse("regulations:study_campaign_create")).status_code == 403
    liaison = _client("unit_liaison")
    assert liaison.post(reverse("regulations:study_activity_publish", args=[study.own.pk])).status_code == 403
    assert liaison.get(reverse("regulations:study_campaign_edit", args=[study.campaign.pk])).status_code == 403


def test_writes_are_post_only(study):
    client = _client("office_admin")
    for name in ("study_activity_delete", "study_activity_publish", "study_activity_unpublish"):
        assert client.get(reverse(f"regulations:{name}", args=[study.own.pk])).status_code == 405
    assert client.get(reverse("regulations:study_campaign_add", args=[study.campaign.pk])).status_code == 405


def test_the_office_publishes_and_unpublishes(study):
    client = _client("office_staff")
    detail = reverse("regulations:study_activity_detail", args=[study.own.pk])
    assert 'data-testid="publish"' in client.get(detail).content.decode()
    assert 'data-testid="publish"' not in _client("unit_liaison").get(detail).content.decode()
    client.post(reverse("regulations:study_activity_publish", args=[study.own.pk]))
    study.own.refresh_from_db()
    assert study.own.published
    client.post(reverse("regulations:study_activity_unpublish", args=[study.own.pk]))
    study.own.refresh_from_db()
    assert not study.own.published


def test_the_liaison_edits_and_deletes_its_own(study):
    client = _client("unit_liaison")
    url = reverse("regulations:study_activity_edit", args=[study.own.pk])
    response = client.post(url, {"organization": study.village.pk, "campaign": study.campaign.pk, "kind": "seminar",
                                 "held_on": "2024-03-11", "topic": "座谈", "attendees": 5})
    assert response.status_code == 302
    study.own.refresh_from_db()
    assert (study.own.topic, study.own.kind) == ("座谈", "seminar")
    assert client.post(reverse("regulations:study_activity_delete", args=[study.theirs.pk])).status_code == 404
    assert client.post(reverse("regulations:study_activity_delete", args=[study.own.pk])).status_code == 302


def test_the_office_creates_a_campaign_and_adds_a_township(study):
    client = _client("office_admin")
    response = client.post(reverse("regulations:study_campaign_create"), {
        "title": "学习新规则", "version": study.version.pk, "starts_on": "2024-03-01", "due_on": "2024-02-01"})
    assert response.status_code == 400 and "The due date cannot be before the start." in response.content.decode()
    response = client.post(reverse("regulations:study_campaign_create"), {
        "title": "再学习", "version": study.version.pk, "starts_on": "2024-03-01", "due_on": "2024-04-01",
        "organizations": [study.department.pk]})
    assert response.status_code == 302
    c = study.county.study_campaigns.get(title="再学习")
    client.post(reverse("regulations:study_campaign_add", args=[c.pk]), {"township": study.township.pk})
    assert set(c.organizations.all()) == {study.department, study.township, study.village}


def test_the_campaign_page_shows_progress_per_township_and_organization(study):
    html = _client("office_admin").get(reverse("regulations:study_campaign_detail", args=[study.campaign.pk]))
    html = html.content.decode()
    assert 'data-testid="township-progress"' in html and 'data-testid="add-organizations"' in html
    assert "东门村" in html and "县财政局" in html
    liaison = _client("unit_liaison").get(reverse("regulations:study_campaign_detail", args=[study.campaign.pk]))
    html = liaison.content.decode()
    assert "东门村" in html and "县财政局" not in html and 'data-testid="add-organizations"' not in html


def test_the_campaign_page_over_120_organizations_keeps_its_queries(study, django_assert_max_num_queries):
    towns = [Organization.objects.create(committee=study.county, name=f"镇{n}", kind=study.kinds["township"])
             for n in range(8)]
    for n, town in enumerate(towns):
        for org in villages(study, town, [f"镇{n}村{m}" for m in range(15)]):
            study.campaign.organizations.add(org)
            activity(org, campaign=study.campaign, held_on=date(2024, 3, 5))
    client = _client("office_admin")
    url = reverse("regulations:study_campaign_detail", args=[study.campaign.pk])
    with django_assert_max_num_queries(12):
        response = client.get(url)
    assert response.status_code == 200 and response.content.decode().count("<tr") > 120


def test_the_activity_list_keeps_its_queries(study, django_assert_max_num_queries):
    for n in range(60):
        activity(study.village if n % 2 else study.department, campaign=study.campaign, topic=f"学习{n}")
    client = _client("office_admin")
    with django_assert_max_num_queries(11):
        response = client.get(LIST)
    assert response.status_code == 200
