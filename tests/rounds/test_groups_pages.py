"""The group page, staffing forms, declarations and "my work", for every role."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from xuncha.access.models import AuditEvent
from xuncha.registry.models import Organization, Person
from xuncha.rounds import services
from xuncha.rounds.models import (
    Assignment,
    ConflictDeclaration,
    Group,
    GroupMember,
    MemberDeclaration,
    RecusalOverride,
    Round,
)
from xuncha.workbench.nav import menu_for
from xuncha.workbench.todos import todos_for


def person(world, name, organization=None):
    return Person.objects.create(committee=world.county, name=name, organization=organization)


def page(world):
    return reverse("rounds:group_detail", args=[world.group1.pk])


def login(client, user):
    client.force_login(user)
    return client


@pytest.mark.parametrize(("name", "status"), [
    ("office_admin", 200), ("office_staff", 200), ("leader", 200), ("supervisor", 200),
    ("group_leader", 200), ("group_deputy", 200),
    ("group_member", 404),  # serves in group 2
    ("unit_liaison", 404), ("receiver", 404), ("outsider", 404),
    ("sysadmin", 403), ("secadmin", 403), ("auditor", 403),
])
def test_who_opens_the_group_page(client, world, name, status):
    assert login(client, getattr(world, name)).get(page(world)).status_code == status


def test_a_missing_group_is_a_404(client, world):
    assert login(client, world.office_admin).get(reverse("rounds:group_detail", args=[9999])).status_code == 404


def test_anonymous_users_are_sent_to_log_in(client, world):
    response = client.get(page(world))
    assert response.status_code == 302 and "login" in response["Location"]


def test_it_shows_members_in_stroke_order_with_declarations_and_targets(client, world):
    group = world.group1
    members = {}
    for name, role in (("王五", "member"), ("丁一", "leader"), ("李四", "deputy")):
        members[name] = services.member_add(actor=world.office_admin, group=group, person=person(world, name), role=role)
    services.member_declaration_record(actor=world.office_admin, member=members["王五"],
                                       kind=MemberDeclaration.Kind.CONFIDENTIALITY, signed_on=date(2024, 2, 28))
    services.assignment_add(actor=world.office_admin, group=group, organization=world.village, mode="extended")
    response = login(client, world.office_admin).get(page(world))
    html = response.content.decode()
    assert world.round.label in html and "第一巡察组" in html
    assert html.index("丁一") < html.index("王五") < html.index("李四")  # 丁 2 strokes, 王 4, 李 7
    assert "2024年2月28日" in html
    assert "东门村" in html
    assert 'data-testid="add-member"' in html and 'data-testid="add-target"' in html
    assert 'data-testid="fieldwork-placeholder"' in html


@pytest.mark.parametrize("name", ["supervisor", "leader", "group_leader"])
def test_readers_see_no_staffing_buttons(client, world, name):
    html = login(client, getattr(world, name)).get(page(world)).content.decode()
    assert 'data-testid="add-member"' not in html
    assert 'data-testid="add-target"' not in html
    assert login(client, getattr(world, name)).get(
        reverse("rounds:group_member_add", args=[world.group1.pk])).status_code == 403


def test_the_supervisor_cannot_post_a_member(client, world):
    inspector = person(world, "孙立平")
    response = login(client, world.supervisor).post(
        reverse("rounds:group_member_add", args=[world.group1.pk]), {"person": inspector.pk, "role": "member"})
    assert response.status_code == 403
    assert not GroupMember.objects.exists()


def test_another_groups_member_cannot_reach_the_staffing_pages(client, world):
    login(client, world.group_member)
    for url in (reverse("rounds:group_member_add", args=[world.group1.pk]),
                reverse("rounds:group_target_add", args=[world.group1.pk]),
                reverse("rounds:group_person_suggestions", args=[world.group1.pk]) + "?q=wang"):
        assert client.get(url).status_code == 404


def test_the_group_page_has_a_fixed_number_of_queries(client, world, django_assert_max_num_queries):
    group = world.group1
    for i in range(12):
        org = Organization.objects.create(committee=world.county, name=f"第{i}村", kind=world.kinds["village"],
                                          parent=world.township)
        member = services.member_add(actor=world.office_admin, group=group, person=person(world, f"张{i}"),
                                     role="member")
        services.member_declaration_record(actor=world.office_admin, member=member, kind="recusal",
                                           signed_on=date(2024, 2, 1))
        services.assignment_add(actor=world.office_admin, group=group, organization=org)
    conflicted = person(world, "赵冲突", world.village)
    services.assignment_add(actor=world.office_admin, group=group, organization=world.village)
    services.member_add(actor=world.office_admin, group=group, person=conflicted, role="member",
                        override_reason="无可替代")
    ConflictDeclaration.objects.create(person=conflicted, organization=world.department, reason="曾任职",
                                       declared_on=date(2024, 1, 1))
    login(client, world.office_admin)
    with django_assert_max_num_queries(13):
        response = client.get(page(world))
    assert response.content.decode().count('data-testid="member-row"') == 13
    assert response.content.decode().count('data-testid="target-row"') == 13


# -- adding members and targets --------------------------------------------------------------

def test_people_are_suggested_by_name_and_pinyin(client, world):
    person(world, "孙立平")
    person(world, "周建")
    url = reverse("rounds:group_person_suggestions", args=[world.group1.pk])
    login(client, world.office_staff)
    assert "孙立平" in client.get(url, {"q": "slp"}).content.decode()
    html = client.get(url, {"q": "孙"}, HTTP_HX_REQUEST="true").content.decode()
    assert "孙立平" in html and "周建" not in html
    assert "李明" not in client.get(url, {"q": "lm"}).content.decode()  # another committee's person


def test_the_search_works_without_javascript(client, world):
    person(world, "孙立平")
    html = login(client, world.office_staff).get(
        reverse("rounds:group_member_add", args=[world.group1.pk]), {"q": "slp"}).content.decode()
    assert 'name="person"' in html and "孙立平" in html
    assert "is-invalid" not in html


def test_accounts_are_suggested_by_user_name(client, world, make_user):
    make_user("sunlp", full_name="孙立平")
    url = reverse("rounds:group_account_suggestions", args=[world.group1.pk])
    login(client, world.office_staff)
    assert "sunlp" in client.get(url, {"username": "sun"}).content.decode()
    assert "sysadmin" not in client.get(url, {"username": "sys"}).content.decode()
    login(client, world.group_leader)
    assert client.get(url, {"username": "sun"}).status_code == 403


def test_an_office_member_adds_a_member_with_an_account(client, world, make_user):
    account = make_user("sunlp")
    inspector = person(world, "孙立平")
    response = login(client, world.office_staff).post(
        reverse("rounds:group_member_add", args=[world.group1.pk]),
        {"person": inspector.pk, "role": "deputy", "username": "sunlp"})
    assert response.status_code == 302
    member = GroupMember.objects.get(person=inspector)
    assert member.user == account and member.access.group_id == world.group1.pk


@pytest.mark.parametrize(("data", "field_error"), [
    ({"person": "", "role": "member"}, "person"),
    ({"person": "abc", "role": "member"}, "person"),
    ({"role": "chief"}, "role"),
    ({"role": "member", "username": "nobody"}, "username"),
])
def test_bad_member_input_is_shown_on_the_field(client, world, data, field_error):
    inspector = person(world, "孙立平")
    data = {"person": inspector.pk, **data}
    response = login(client, world.office_staff).post(reverse("rounds:group_member_add", args=[world.group1.pk]), data)
    assert response.status_code == 200
    assert field_error in response.context["form"].errors
    assert not GroupMember.objects.exists()


def test_a_person_of_another_committee_cannot_be_chosen(client, world):
    response = login(client, world.office_staff).post(
        reverse("rounds:group_member_add", args=[world.group1.pk]),
        {"person": world.outsider_person.pk, "role": "member"})
    assert "person" in response.context["form"].errors


def test_a_service_refusal_lands_on_its_field(client, world):
    inspector = person(world, "孙立平")
    services.member_add(actor=world.office_admin, group=world.group2, person=inspector, role="member")
    response = login(client, world.office_staff).post(
        reverse("rounds:group_member_add", args=[world.group1.pk]), {"person": inspector.pk, "role": "member"})
    assert "孙立平" in response.context["form"].errors["person"][0]


@pytest.fixture
def conflicted(world):
    services.assignment_add(actor=world.office_admin, group=world.group1, organization=world.village)
    return person(world, "孙立平", world.village)


def test_a_conflict_is_refused_and_the_office_admin_may_override(client, world, conflicted):
    url = reverse("rounds:group_member_add", args=[world.group1.pk])
    login(client, world.office_admin)
    response = client.post(url, {"person": conflicted.pk, "role": "member"})
    html = response.content.decode()
    assert 'data-testid="recusal-refusal"' in html
    assert "孙立平" in html and "东门村" in html
    assert 'name="override_reason"' in html
    assert not GroupMember.objects.exists()

    response = client.post(url, {"person": conflicted.pk, "role": "member", "override_reason": "熟悉情况，仅作记录员"})
    assert response.status_code == 302
    assert GroupMember.objects.filter(person=conflicted).exists()
    assert RecusalOverride.objects.get().reason == "熟悉情况，仅作记录员"
    assert AuditEvent.objects.filter(action="recusal.override").exists()
    html = client.get(page(world)).content.decode()
    assert 'data-testid="overrides"' in html and "熟悉情况，仅作记录员" in html


def test_office_staff_only_see_the_refusal(client, world, conflicted):
    url = reverse("rounds:group_member_add", args=[world.group1.pk])
    login(client, world.office_staff)
    response = client.post(url, {"person": conflicted.pk, "role": "member", "override_reason": "想要覆盖"})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="recusal-refusal"' in html and "孙立平" in html
    assert 'name="override_reason"' not in html
    assert not GroupMember.objects.exists() and not RecusalOverride.objects.exists()


def test_a_target_is_added_and_a_conflicting_one_refused(client, world):
    services.member_add(actor=world.office_admin, group=world.group1, person=person(world, "孙立平", world.township),
                        role="leader")
    url = reverse("rounds:group_target_add", args=[world.group1.pk])
    login(client, world.office_staff)
    assert "县财政局" in client.get(reverse("rounds:group_organization_suggestions", args=[world.group1.pk]),
                                   {"q": "财政"}).content.decode()
    assert client.post(url, {"organization": world.department.pk, "mode": "direct"}).status_code == 302
    response = client.post(url, {"organization": world.village.pk, "mode": "sinking"})
    html = response.content.decode()
    assert 'data-testid="recusal-refusal"' in html and "东门村" in html
    assert 'name="override_reason"' not in html
    assert list(Assignment.objects.values_list("organization__name", flat=True)) == ["县财政局"]
    response = login(client, world.office_admin).post(url, {"organization": world.village.pk, "mode": "sinking",
                                                            "override_reason": "已调整分工"})
    assert response.status_code == 302
    assert Assignment.objects.get(organization=world.village).mode == "sinking"


def test_an_organization_of_another_committee_cannot_be_a_target(client, world):
    response = login(client, world.office_staff).post(
        reverse("rounds:group_target_add", args=[world.group1.pk]),
        {"organization": world.other_township.pk, "mode": "direct"})
    assert "organization" in response.context["form"].errors


def test_members_and_targets_are_removed_after_a_confirmation(client, world, make_user):
    account = make_user("sunlp")
    member = services.member_add(actor=world.office_admin, group=world.group1, person=person(world, "孙立平"),
                                 role="member", user=account)
    target = services.assignment_add(actor=world.office_admin, group=world.group1, organization=world.department)
    login(client, world.office_staff)
    url = reverse("rounds:group_member_remove", args=[world.group1.pk, member.pk])
    assert 'data-testid="confirm-remove"' in client.get(url).content.decode()
    assert GroupMember.objects.exists()
    assert client.post(url).status_code == 302
    assert not GroupMember.objects.exists()
    member.access.refresh_from_db()
    assert member.access.revoked_at is not None
    url = reverse("rounds:group_target_remove", args=[world.group1.pk, target.pk])
    assert client.post(url).status_code == 302
    assert not Assignment.objects.exists()


def test_a_member_of_another_group_is_not_found_under_this_group(client, world):
    member = services.member_add(actor=world.office_admin, group=world.group2, person=person(world, "孙立平"),
                                 role="member")
    url = reverse("rounds:group_member_remove", args=[world.group1.pk, member.pk])
    assert login(client, world.office_staff).post(url).status_code == 404


def test_removal_is_refused_once_the_fieldwork_ended(client, world):
    member = services.member_add(actor=world.office_admin, group=world.group1, person=person(world, "孙立平"),
                                 role="member")
    Round.objects.filter(pk=world.round.pk).update(state=Round.State.REPORTING)
    login(client, world.office_staff)
    html = client.get(page(world)).content.decode()
    assert 'data-testid="add-member"' not in html
    response = client.post(reverse("rounds:group_member_remove", args=[world.group1.pk, member.pk]), follow=True)
    assert GroupMember.objects.exists()
    assert response.status_code == 200


# -- groups, declarations, conflicts ---------------------------------------------------------

def test_the_office_adds_a_group_to_a_round(client, world):
    url = reverse("rounds:group_create", args=[world.round.pk])
    login(client, world.office_staff)
    assert client.get(url).status_code == 405
    response = client.post(url)
    group = Group.objects.get(round=world.round, number=3)
    assert response.status_code == 302 and response["Location"] == reverse("rounds:group_detail", args=[group.pk])


@pytest.mark.parametrize(("name", "status"), [("group_leader", 403), ("supervisor", 403), ("unit_liaison", 404),
                                              ("sysadmin", 403)])
def test_others_cannot_add_a_group(client, world, name, status):
    assert login(client, getattr(world, name)).post(
        reverse("rounds:group_create", args=[world.round.pk])).status_code == status
    assert Group.objects.count() == 2


def test_a_group_leader_records_a_declaration_of_the_group(client, world):
    member = services.member_add(actor=world.office_admin, group=world.group1, person=person(world, "孙立平"),
                                 role="member")
    url = reverse("rounds:group_declaration_add", args=[world.group1.pk])
    login(client, world.group_leader)
    response = client.post(url, {"member": member.pk, "kind": "confidentiality", "signed_on": "2024年3月1日",
                                 "content": "严守秘密"})
    assert response.status_code == 302
    assert MemberDeclaration.objects.get().signed_on == date(2024, 3, 1)
    response = client.post(url, {"member": member.pk, "kind": "confidentiality", "signed_on": "2024-03-02"})
    assert response.status_code == 200 and "kind" in response.context["declaration_form"].errors
    response = client.post(url, {"member": member.pk, "kind": "recusal", "signed_on": "三月"})
    assert "signed_on" in response.context["declaration_form"].errors
    assert MemberDeclaration.objects.count() == 1


def test_another_group_cannot_record_a_declaration(client, world):
    member = services.member_add(actor=world.office_admin, group=world.group1, person=person(world, "孙立平"),
                                 role="member")
    response = login(client, world.group_member).post(
        reverse("rounds:group_declaration_add", args=[world.group1.pk]),
        {"member": member.pk, "kind": "recusal", "signed_on": "2024-03-01"})
    assert response.status_code == 404
    response = login(client, world.supervisor).post(
        reverse("rounds:group_declaration_add", args=[world.group1.pk]),
        {"member": member.pk, "kind": "recusal", "signed_on": "2024-03-01"})
    assert response.status_code == 403
    assert not MemberDeclaration.objects.exists()


def test_the_office_declares_a_members_conflict(client, world):
    member = services.member_add(actor=world.office_admin, group=world.group1, person=person(world, "孙立平"),
                                 role="member")
    url = reverse("rounds:group_conflict_declare", args=[world.group1.pk])
    login(client, world.office_staff)
    response = client.post(url, {"member": member.pk, "organization": world.village.pk, "reason": "",
                                 "declared_on": "2024-03-01"})
    assert response.status_code == 200 and "reason" in response.context["conflict_form"].errors
    response = client.post(url, {"member": member.pk, "organization": world.village.pk, "reason": "表兄在该村任职",
                                 "declared_on": "2024-03-01"})
    assert response.status_code == 302
    assert ConflictDeclaration.objects.get().person == member.person
    assert "表兄在该村任职" in client.get(page(world)).content.decode()
    assert login(client, world.group_leader).post(url, {"member": member.pk, "organization": world.village.pk,
                                                       "reason": "x", "declared_on": "2024-03-01"}).status_code == 403


# -- my work ---------------------------------------------------------------------------------

def test_my_work_lists_the_users_groups(client, world, make_user):
    account = make_user("sunlp")
    services.member_add(actor=world.office_admin, group=world.group1, person=person(world, "孙立平"),
                        role="liaison", user=account)
    services.assignment_add(actor=world.office_admin, group=world.group1, organization=world.department)
    html = login(client, account).get(reverse("rounds:my_work")).content.decode()
    assert world.group1.full_name in html and world.group2.full_name not in html
    assert "县财政局" in html
    assert reverse("rounds:group_detail", args=[world.group1.pk]) in html
    assert 'data-testid="missing-declarations"' in html
    html = login(client, world.group_leader).get(reverse("rounds:my_work")).content.decode()
    assert 'data-testid="my-group"' in html and 'data-testid="my-role"' in html


def test_my_work_leaves_out_completed_rounds(client, world):
    Round.objects.filter(pk=world.round.pk).update(state=Round.State.COMPLETED)
    html = login(client, world.group_leader).get(reverse("rounds:my_work")).content.decode()
    assert 'data-testid="no-groups"' in html


@pytest.mark.parametrize(("name", "status"), [("office_admin", 200), ("unit_liaison", 200), ("auditor", 403)])
def test_my_work_is_empty_for_those_outside_groups(client, world, name, status):
    response = login(client, getattr(world, name)).get(reverse("rounds:my_work"))
    assert response.status_code == status
    if status == 200:
        assert 'data-testid="no-groups"' in response.content.decode()


def test_the_menu_and_the_todo_are_for_group_members(world, make_user):
    url = reverse("rounds:my_work")

    def has_entry(user):
        return any(item["url"] == url for stage in menu_for(user) for item in stage["items"])

    assert has_entry(world.group_leader) and has_entry(world.group_member)
    assert not has_entry(world.office_admin) and not has_entry(world.auditor) and not has_entry(world.unit_liaison)

    account = make_user("sunlp")
    member = services.member_add(actor=world.office_admin, group=world.group1, person=person(world, "孙立平"),
                                 role="member", user=account)

    def pending(user):
        return sum(t.count for t in todos_for(user) if t.url == url)

    assert pending(account) == 2
    services.member_declaration_record(actor=world.office_admin, member=member, kind="recusal",
                                       signed_on=date(2024, 3, 1))
    assert pending(account) == 1
    assert pending(world.office_admin) == 0


def test_the_office_finds_the_draw_from_the_group_page(client, world):
    from django.urls import reverse

    from tests.conftest import PASSWORD

    client.login(username="office_admin", password=PASSWORD)
    page = client.get(reverse("rounds:group_detail", args=[world.group1.pk])).content.decode()
    assert reverse("rounds:group_draw", args=[world.group1.pk]) in page
    client.login(username="group_leader", password=PASSWORD)
    page = client.get(reverse("rounds:group_detail", args=[world.group1.pk])).content.decode()
    assert reverse("rounds:group_draw", args=[world.group1.pk]) not in page
