"""The draw page of a group: who may open it and draw, the result, adding the roster, history."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.rounds.pool_helpers import inspector, planned_group
from xuncha.rounds.models import DrawRecord, GroupMember


@pytest.fixture
def group(world):
    for surname in "丁王石刘李":
        inspector(world, f"{surname}财", ("finance",))
        inspector(world, f"{surname}纪", ("discipline",))
    inspector(world, "张工", ("engineering",))
    return planned_group(world)


def _url(group) -> str:
    return reverse("rounds:group_draw", args=[group.pk])


def _post(client, group, **counts):
    data = {"finance": "", "discipline": "", "engineering": "", "seed": ""}
    data.update({k: str(v) for k, v in counts.items()})
    return client.post(_url(group), data)


def test_the_office_draws_and_sees_the_result(client, world, group):
    client.force_login(world.office_staff)
    assert client.get(_url(group)).status_code == 200
    response = _post(client, group, finance=1, discipline=1, engineering=1, seed=2024)
    record = DrawRecord.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"?record={record.pk}")
    page = client.get(response["Location"])
    body = page.content.decode()
    assert len(page.context["rows"]) == 3
    assert "2024" in body and 'data-testid="skipped"' in body and 'data-testid="accept"' in body
    assert "张工" in body
    assert page.context["history"][0]["record"] == record


def test_the_page_reports_the_shortfall(client, world, group):
    client.force_login(world.office_staff)
    response = _post(client, group, engineering=3, seed=1)
    page = client.get(response["Location"])
    assert DrawRecord.objects.get().shortfall == {"engineering": 2}
    assert 'data-testid="shortfall"' in page.content.decode()


def test_a_bad_request_names_the_field(client, world, group):
    client.force_login(world.office_staff)
    response = _post(client, group, finance=99)
    assert "finance" in response.context["form"].errors
    response = _post(client, group)
    assert response.context["form"].non_field_errors()
    assert not DrawRecord.objects.exists()


def test_adding_all_puts_the_roster_in_the_group(client, world, group):
    client.force_login(world.office_admin)
    _post(client, group, finance=1, discipline=2, seed=5)
    record = DrawRecord.objects.get()
    response = client.post(reverse("rounds:group_draw_accept", args=[group.pk, record.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("rounds:group_detail", args=[group.pk])
    assert sorted(group.members.values_list("person_id", flat=True)) == sorted(record.result)
    page = client.get(_url(group) + f"?record={record.pk}")
    assert not page.context["to_add"]


def test_adding_is_refused_with_the_conflict_named(client, world, group):
    client.force_login(world.office_admin)
    _post(client, group, finance=1, seed=5)
    record = DrawRecord.objects.get()
    person = GroupMember.person.field.related_model.objects.get(pk=record.result[0])
    person.organization = world.village
    person.save()
    group.assignments.create(organization=world.village)
    response = client.post(reverse("rounds:group_draw_accept", args=[group.pk, record.pk]), follow=True)
    assert not group.members.exists()
    assert person.name in response.content.decode()


def test_accept_is_post_only(client, world, group):
    client.force_login(world.office_admin)
    _post(client, group, finance=1, seed=5)
    record = DrawRecord.objects.get()
    assert client.get(reverse("rounds:group_draw_accept", args=[group.pk, record.pk])).status_code == 405


@pytest.mark.parametrize("role, status", [("leader", 200), ("group_leader", 403), ("group_deputy", 403),
                                          ("group_member", 404), ("unit_liaison", 404), ("receiver", 404),
                                          ("outsider", 404), ("sysadmin", 403)])
def test_who_may_open_the_draw_page_of_group_one(client, world, role, status):
    client.force_login(world.users[role])
    assert client.get(_url(world.group1)).status_code == status


@pytest.mark.parametrize("role", ["leader", "group_leader", "group_deputy", "group_member", "unit_liaison"])
def test_only_the_office_may_draw_or_add(client, world, role):
    inspector(world, "丁财", ("finance",))
    DrawRecord.objects.create(group=world.group1, requested={"finance": 1}, seed=1, result=[])
    record = DrawRecord.objects.get()
    client.force_login(world.users[role])
    assert _post(client, world.group1, finance=1).status_code in (403, 404)
    assert client.post(reverse("rounds:group_draw_accept", args=[world.group1.pk, record.pk])).status_code in (403, 404)
    assert DrawRecord.objects.count() == 1
    assert not world.group1.members.exists()


def test_the_leading_group_sees_the_history_without_a_draw_form(client, world, group):
    DrawRecord.objects.create(group=group, requested={"finance": 1}, seed=77, result=[], shortfall={"finance": 1},
                              drawn_by=world.office_admin)
    client.force_login(world.leader)
    page = client.get(_url(group))
    assert not page.context["may_draw"]
    assert b'data-testid="draw-form"' not in page.content and b"77" in page.content


def test_a_record_of_another_group_is_not_found(client, world, group):
    record = DrawRecord.objects.create(group=world.group1, requested={"finance": 1}, seed=1, result=[])
    client.force_login(world.office_admin)
    assert client.get(_url(group) + f"?record={record.pk}").status_code == 404
    assert client.post(reverse("rounds:group_draw_accept", args=[group.pk, record.pk])).status_code == 404


def test_no_draw_after_the_fieldwork(client, world):
    world.round.state = "reporting"
    world.round.save()
    client.force_login(world.office_admin)
    page = client.get(_url(world.group1))
    assert not page.context["may_draw"]
    response = _post(client, world.group1, finance=1)
    assert response.status_code == 302 and not DrawRecord.objects.exists()


def test_the_result_marks_previous_round_people_and_counts_the_skipped(client, world):
    from tests.rounds.pool_helpers import serve

    veteran = inspector(world, "丁老将", ("audit",))
    serve(world.group1, veteran)  # world.round is the previous round of the planned one
    inspector(world, "王休假", ("audit",), available=False)
    group = planned_group(world)
    client.force_login(world.office_staff)
    page = client.get(_post(client, group, audit=1, seed=4)["Location"])
    (row,) = page.context["rows"]
    assert row["person_id"] == veteran.person_id and row["previous"]
    assert page.context["last"]["skipped"] == {"unavailable": 1, "serving": 0, "conflicts": 0, "previous": 1}
    assert page.context["form"]["audit"].value() == 1  # the form offers the same request again
