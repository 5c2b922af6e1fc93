"""/api/v1/rectification: the dashboard, the overdue list and the deadline policy; refusals
(401, 403, 404, 422) and the same figures as the pages."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client

from tests.rectification.test_dashboard_helpers import (  # noqa: F401 - fixtures
    build_fixture,
    documents_in_tmp,
    scenario_fixture,
    today_fixture,
)
from xuncha.access import services as access_services
from xuncha.rectification import deadlines
from xuncha.rectification.models import DeadlinePolicy

API = "/api/v1/rectification"
# The refusal messages are matched as written (English); the catalogue is checked elsewhere.
pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def api_as(db):
    def make(user) -> Client:
        _, key = access_services.token_create(actor=user, user=user, name="test")
        return Client(headers={"Authorization": f"Bearer {key}"}, enforce_csrf_checks=True)
    return make


def _fields(response) -> set[str]:
    return {e["field"] for e in response.json()["detail"]}


def _policy(**changes) -> dict:
    return {"effective_from": "2024-02-08", "basis": "《实施办法》（2024年修订）", "rectification_months": 2,
            "progress_report_months": 2, "transfer_feedback_months": 2, "disclosure_months": 2,
            "warn_green_days": 30, "warn_yellow_days": 15, **changes}


def test_it_needs_a_token(client, world):
    for path in ("/dashboard", "/overdue", "/policies"):
        assert client.get(f"{API}{path}").status_code == 401


# -- dashboard and overdue -------------------------------------------------------------------

def test_the_dashboard(api_as, world, scenario):
    response = api_as(world.office_admin).get(f"{API}/dashboard")
    assert response.status_code == 200
    body = response.json()
    assert body["total"]["overdue"] == 5 and body["total"]["tasks"] == 7
    assert body["total"]["closure_rate"] == pytest.approx(3 / 7)
    assert [r["id"] for r in body["rounds"]] == [scenario.round2.pk, scenario.round1.pk]
    assert body["organizations"]["count"] == 5
    first = body["organizations"]["items"][0]
    assert (first["name"], first["figures"]["tasks_red"], first["figures"]["reports_overdue"]) == ("南街村", 2, 1)
    page = api_as(world.office_admin).get(f"{API}/dashboard", {"limit": 2, "offset": 2, "round": scenario.round1.pk})
    assert [o["name"] for o in page.json()["organizations"]["items"]] == ["北坡村", "西山村"]
    assert page.json()["organizations"]["count"] == 4


def test_the_overdue_list(api_as, world, scenario):
    client = api_as(world.office_admin)
    body = client.get(f"{API}/overdue").json()
    assert body["count"] == 5
    assert [(i["kind"], i["days_overdue"]) for i in body["items"]] == [
        ("disclosure", 31), ("task", 31), ("transfer", 31), ("task", 22), ("report", 12)]
    transfer = body["items"][2]
    assert (transfer["receiver"], transfer["organization"], transfer["round_label"]) == (
        "县财政局", "河湾村", scenario.round2.label)
    yellow = client.get(f"{API}/overdue", {"level": "yellow", "kind": "report"}).json()
    assert [(i["id"], i["days_overdue"]) for i in yellow["items"]] == [(scenario.b.feedback.pk, -9)]
    paged = client.get(f"{API}/overdue", {"limit": 2, "offset": 3}).json()
    assert paged["count"] == 5 and [i["kind"] for i in paged["items"]] == ["task", "report"]
    supervisor = api_as(world.supervisor).get(f"{API}/overdue", {"kind": "transfer"}).json()
    assert supervisor == {"count": 0, "items": []}


def test_bad_filters_are_422(api_as, world, scenario):
    client = api_as(world.office_admin)
    assert client.get(f"{API}/overdue", {"kind": "holiday"}).status_code == 422
    assert _fields(client.get(f"{API}/overdue", {"level": "blue"})) == {"level"}
    assert client.get(f"{API}/dashboard", {"round": "x"}).status_code == 422


@pytest.mark.parametrize("role", ["unit_liaison", "receiver", "group_leader", "outsider"])
def test_other_roles_get_403(api_as, world, scenario, role):
    client = api_as(world.users[role])
    assert client.get(f"{API}/dashboard").status_code == 403
    assert client.get(f"{API}/overdue").status_code == 403


# -- the deadline policy ---------------------------------------------------------------------

def test_policies_list_with_the_version_in_force_and_use(api_as, world, scenario):
    client = api_as(world.office_admin)
    body = client.get(f"{API}/policies").json()
    assert body["count"] == 1
    (default,) = body["items"]
    assert (default["effective_from"], default["in_force"], default["used"], default["feedbacks"],
            default["transfers"], default["progress_reports"]) == ("2000-01-01", True, True, 5, 2, 1)
    # The supervisor reads both counties' policies; the county office its own.
    assert api_as(world.supervisor).get(f"{API}/policies").json()["count"] == 2
    assert api_as(world.supervisor).get(f"{API}/policies", {"committee": world.county.pk}).json()["count"] == 1
    assert api_as(world.unit_liaison).get(f"{API}/policies").status_code == 403


def test_the_office_admin_adds_a_version_and_its_deadlines_apply_from_its_date(api_as, world):
    deadlines.in_force(world.county, date(2024, 1, 1))
    response = api_as(world.office_admin).post(f"{API}/policies", _policy(), content_type="application/json")
    assert response.status_code == 201
    body = response.json()
    assert (body["committee"], body["in_force"], body["used"], body["warn_green_days"]) == (
        world.county.pk, True, False, 30)
    assert deadlines.for_feedback(world.county, date(2024, 2, 7)).rectification_due == date(2024, 5, 7)
    assert deadlines.for_feedback(world.county, date(2024, 2, 8)).rectification_due == date(2024, 4, 8)


@pytest.mark.parametrize(("changes", "fields"), [
    ({"warn_yellow_days": 31}, {"warn_yellow_days"}),
    ({"rectification_months": 0}, {"rectification_months"}),
    ({"effective_from": "2024-02-30"}, {"effective_from"}),
    ({"colour": "red"}, {"colour"}),
])
def test_bad_versions_are_422(api_as, world, changes, fields):
    response = api_as(world.office_admin).post(f"{API}/policies", _policy(**changes), content_type="application/json")
    assert response.status_code == 422 and _fields(response) == fields
    assert not DeadlinePolicy.objects.exists()


def test_a_date_taken_is_422(api_as, world):
    client = api_as(world.office_admin)
    client.post(f"{API}/policies", _policy(), content_type="application/json")
    response = client.post(f"{API}/policies", _policy(basis="again"), content_type="application/json")
    assert response.status_code == 422 and _fields(response) == {"effective_from"}


@pytest.mark.parametrize("role", ["office_staff", "leader", "supervisor", "receiver"])
def test_other_roles_may_not_add(api_as, world, role):
    response = api_as(world.users[role]).post(f"{API}/policies", _policy(committee=world.county.pk),
                                              content_type="application/json")
    assert response.status_code in (403, 422)
    if role == "receiver":  # it does not even see the committee
        assert _fields(response) == {"committee"}
    else:
        assert response.status_code == 403
    assert not DeadlinePolicy.objects.exists()


def test_another_committee_is_not_visible(api_as, world):
    response = api_as(world.office_admin).post(f"{API}/policies", _policy(committee=world.other.pk),
                                               content_type="application/json")
    assert response.status_code == 422 and _fields(response) == {"committee"}


def test_correcting_a_version(api_as, world, build, make_user):
    client = api_as(world.office_admin)
    pk = client.post(f"{API}/policies", _policy(), content_type="application/json").json()["id"]
    response = client.patch(f"{API}/policies/{pk}", {"basis": "更正", "warn_yellow_days": 5},
                            content_type="application/json")
    assert response.status_code == 200
    assert (response.json()["basis"], response.json()["warn_yellow_days"], response.json()["warn_green_days"]) == (
        "更正", 5, 30)
    assert _fields(client.patch(f"{API}/policies/{pk}", {"warn_green_days": 4},
                                content_type="application/json")) == {"warn_yellow_days"}
    # 404 for a version out of scope or missing, 403 for a reader.
    other_admin = make_user("other_admin", role="office_admin", committee=world.other)
    assert api_as(other_admin).patch(f"{API}/policies/{pk}", {"basis": "x"},
                                     content_type="application/json").status_code == 404
    assert client.patch(f"{API}/policies/99999", {"basis": "x"}, content_type="application/json").status_code == 404
    assert api_as(world.office_staff).patch(f"{API}/policies/{pk}", {"basis": "x"},
                                            content_type="application/json").status_code == 403
    # Used: refused with a message for the whole version.
    build.feedback(build.target("南街村"), on=date(2024, 3, 1))
    used = client.patch(f"{API}/policies/{pk}", {"basis": "再改"}, content_type="application/json")
    assert used.status_code == 422 and _fields(used) == {"__all__"}
    assert "cannot be changed" in used.json()["detail"][0]["message"]
    assert DeadlinePolicy.objects.get(pk=pk).basis == "更正"
