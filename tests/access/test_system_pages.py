"""The sysadmin's account pages, the secadmin's role assignments, navigation and to-dos."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.conftest import PASSWORD
from xuncha.access import navigation, policy, services
from xuncha.access.models import AuditEvent, RoleAssignment, User
from xuncha.access.roles import Role
from xuncha.workbench.nav import menu_for
from xuncha.workbench.todos import todos_for

ROLES = [
    "leader", "office_admin", "office_staff", "group_leader", "group_deputy", "group_member",
    "unit_liaison", "receiver", "supervisor", "sysadmin", "secadmin", "auditor", "outsider",
]
PAGES = {
    "system:accounts": "sysadmin",
    "system:account_create": "sysadmin",
    "system:roles": "secadmin",
    "system:audit": "auditor",
}


def _login(client, user):
    client.force_login(user)
    return client


# -- who may open what ------------------------------------------------------------------------

@pytest.mark.parametrize("url_name, owner", PAGES.items())
@pytest.mark.parametrize("role", ROLES)
def test_it_opens_each_page_for_its_role_only(client, world, url_name, owner, role):
    response = _login(client, world.users[role]).get(reverse(url_name))
    if role == owner:
        assert response.status_code == 200
    else:
        assert response.status_code == 403
        assert "403.html" in [t.name for t in response.templates]


@pytest.mark.parametrize("url_name", [*PAGES, "system:tokens"])
def test_it_sends_anonymous_visitors_to_the_login(client, db, url_name):
    response = client.get(reverse(url_name))
    assert response.status_code == 302
    assert reverse("access:login") in response["Location"]


@pytest.mark.parametrize("role", ["secadmin", "auditor", "office_admin"])
def test_it_refuses_account_writes_to_other_roles(client, world, role):
    target = world.outsider
    _login(client, world.users[role])
    for name in ("account_unlock", "account_reset_password", "account_set_active"):
        assert client.post(reverse(f"system:{name}", args=[target.pk]), {"active": "0"}).status_code == 403
    target.refresh_from_db()
    assert target.is_active and target.check_password(PASSWORD)


# -- accounts (sysadmin) ------------------------------------------------------------------------

def test_it_lists_accounts_with_their_roles(client, world):
    response = _login(client, world.sysadmin).get(reverse("system:accounts"))
    body = response.content.decode()
    assert "office_admin" in body and "示例县委" in body and "东门村" in body
    assert response.context["page"].paginator.count == User.objects.count()


def test_it_searches_accounts_by_username_and_name(client, world, make_user):
    make_user("zhangsan", full_name="张三")
    _login(client, world.sysadmin)
    found = client.get(reverse("system:accounts"), {"q": "张"}).context["page"].object_list
    assert [a.username for a in found] == ["zhangsan"]
    found = client.get(reverse("system:accounts"), {"q": "ZHANG"}).context["page"].object_list
    assert [a.username for a in found] == ["zhangsan"]


def test_it_filters_accounts_by_status(client, world):
    User.objects.filter(pk=world.leader.pk).update(locked_until=timezone.now() + timedelta(minutes=5))
    User.objects.filter(pk=world.receiver.pk).update(locked_until=timezone.now() - timedelta(minutes=5))
    User.objects.filter(pk=world.outsider.pk).update(is_active=False)
    _login(client, world.sysadmin)

    def names(status):
        page = client.get(reverse("system:accounts"), {"status": status}).context["page"]
        return {a.username for a in page.object_list}

    assert names("locked") == {"leader"}
    assert names("inactive") == {"outsider"}
    assert "outsider" not in names("active") and "leader" in names("active")


def test_it_paginates_the_account_list(client, world, make_user):
    for i in range(30):
        make_user(f"extra{i:02d}")
    _login(client, world.sysadmin)
    first = client.get(reverse("system:accounts")).context["page"]
    second = client.get(reverse("system:accounts"), {"page": 2}).context["page"]
    assert len(first.object_list) == 25
    assert not {a.pk for a in first.object_list} & {a.pk for a in second.object_list}


def test_it_lists_accounts_in_constant_queries(client, world, make_user, django_assert_max_num_queries):
    for i in range(20):
        make_user(f"member{i:02d}", role=Role.GROUP_MEMBER, committee=world.county)
    _login(client, world.sysadmin)
    client.get(reverse("system:accounts"))  # warm the session
    with django_assert_max_num_queries(9):
        response = client.get(reverse("system:accounts"))
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == 25


def test_it_creates_an_account_and_shows_its_password_once(client, world):
    _login(client, world.sysadmin)
    response = client.post(reverse("system:account_create"), {"username": "newcomer", "full_name": "新同志"})
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    password = response.context["password"]
    assert password in response.content.decode()
    account = User.objects.get(username="newcomer")
    assert account.full_name == "新同志" and account.system_role == ""
    assert account.must_change_password and account.check_password(password)
    assert AuditEvent.objects.filter(action="account.create", object_id=str(account.pk)).exists()
    # Never again: the list does not show it.
    assert password not in client.get(reverse("system:accounts")).content.decode()


def test_it_makes_the_new_account_change_its_password_first(client, world):
    _login(client, world.sysadmin)
    password = client.post(reverse("system:account_create"),
                           {"username": "newcomer", "full_name": "新同志"}).context["password"]
    client.logout()
    assert client.login(username="newcomer", password=password)
    response = client.get(reverse("workbench:home"))
    assert response.status_code == 302 and response["Location"] == reverse("access:password_change")


def test_it_refuses_a_duplicate_username_with_a_message(client, world):
    _login(client, world.sysadmin)
    response = client.post(reverse("system:account_create"), {"username": "LEADER", "full_name": "重名"})
    assert response.status_code == 200
    assert response.context["form"].errors["username"]
    assert User.objects.filter(username__iexact="leader").count() == 1


def test_it_refuses_an_empty_form(client, world):
    _login(client, world.sysadmin)
    response = client.post(reverse("system:account_create"), {"username": " ", "full_name": ""})
    assert set(response.context["form"].errors) == {"username", "full_name"}


def test_the_form_cannot_create_a_system_role_account(client, world):
    _login(client, world.sysadmin)
    client.post(reverse("system:account_create"),
                {"username": "sneaky", "full_name": "x", "system_role": "auditor"})
    assert User.objects.get(username="sneaky").system_role == ""


def test_it_deactivates_and_activates_an_account(client, world):
    _login(client, world.sysadmin)
    url = reverse("system:account_set_active", args=[world.outsider.pk])
    assert client.post(url, {"active": "0"}).status_code == 302
    world.outsider.refresh_from_db()
    assert not world.outsider.is_active
    client.post(url, {"active": "1"})
    world.outsider.refresh_from_db()
    assert world.outsider.is_active
    assert AuditEvent.objects.filter(action__in=["account.deactivate", "account.activate"]).count() == 2


def test_account_writes_are_post_only(client, world):
    _login(client, world.sysadmin)
    for name in ("account_unlock", "account_reset_password", "account_set_active"):
        assert client.get(reverse(f"system:{name}", args=[world.outsider.pk])).status_code == 405


def test_it_unlocks_a_locked_account(client, world):
    User.objects.filter(pk=world.leader.pk).update(
        locked_until=timezone.now() + timedelta(minutes=10), failed_logins=3)
    _login(client, world.sysadmin)
    assert client.post(reverse("system:account_unlock", args=[world.leader.pk])).status_code == 302
    world.leader.refresh_from_db()
    assert world.leader.locked_until is None and world.leader.failed_logins == 0
    assert not world.leader.is_locked()


def test_it_resets_a_password_and_shows_it_once(client, world):
    _login(client, world.sysadmin)
    response = client.post(reverse("system:account_reset_password", args=[world.leader.pk]))
    password = response.context["password"]
    assert password in response.content.decode() and response["Cache-Control"] == "no-store"
    world.leader.refresh_from_db()
    assert world.leader.check_password(password) and world.leader.must_change_password


@pytest.mark.parametrize("other", ["secadmin", "auditor", "sysadmin"])
def test_the_sysadmin_cannot_change_a_system_role_account(client, world, other):
    _login(client, world.sysadmin)
    target = world.users[other]
    for name in ("account_unlock", "account_reset_password", "account_set_active"):
        assert client.post(reverse(f"system:{name}", args=[target.pk]), {"active": "0"}).status_code == 404
    target.refresh_from_db()
    assert target.is_active and target.check_password(PASSWORD)


def test_a_missing_account_is_404(client, world):
    _login(client, world.sysadmin)
    assert client.post(reverse("system:account_unlock", args=[999999])).status_code == 404


# -- role assignments (secadmin) ------------------------------------------------------------------

def _grant(client, **data):
    return client.post(reverse("system:role_grant"), data)


def test_it_lists_current_assignments(client, world):
    services.role_revoke(actor=policy.CONSOLE,
                         assignment=RoleAssignment.objects.get(user=world.office_staff))
    response = _login(client, world.secadmin).get(reverse("system:roles"))
    listed = {a.user.username for a in response.context["page"].object_list}
    assert "office_admin" in listed and "unit_liaison" in listed
    assert "office_staff" not in listed  # revoked


def test_it_filters_assignments(client, world):
    _login(client, world.secadmin)

    def users(**params):
        return {a.user.username for a in client.get(reverse("system:roles"), params).context["page"].object_list}

    assert users(role="receiver") == {"receiver"}
    assert users(committee=world.city.pk) == {"supervisor"}
    assert users(user="group_") == {"group_leader", "group_deputy", "group_member"}


def test_it_lists_assignments_in_constant_queries(client, world, make_user, django_assert_max_num_queries):
    for i in range(20):
        make_user(f"liaison{i:02d}", role=Role.UNIT_LIAISON, organization=world.township)
    _login(client, world.secadmin)
    client.get(reverse("system:roles"))
    with django_assert_max_num_queries(12):
        response = client.get(reverse("system:roles"))
    assert len(response.context["page"].object_list) == 25


def test_it_grants_a_committee_role(client, world):
    _login(client, world.secadmin)
    response = _grant(client, user="outsider", role=Role.OFFICE_STAFF, committee=world.county.pk)
    assert response.status_code == 302
    assignment = RoleAssignment.objects.current().get(user=world.outsider)
    assert (assignment.role, assignment.committee, assignment.organization) == (
        Role.OFFICE_STAFF, world.county, None)
    assert assignment.granted_by == world.secadmin
    assert AuditEvent.objects.filter(action="role.grant", object_id=str(assignment.pk)).exists()


def test_it_grants_an_organization_role(client, world):
    _login(client, world.secadmin)
    response = _grant(client, user="outsider", role=Role.RECEIVER, committee=world.county.pk,
                      organization=world.department.pk)
    assert response.status_code == 302
    assignment = RoleAssignment.objects.current().get(user=world.outsider)
    assert assignment.organization == world.department and assignment.committee == world.county


def test_it_refuses_a_business_role_for_a_system_account(client, world):
    _login(client, world.secadmin)
    response = _grant(client, user="auditor", role=Role.LEADER, committee=world.county.pk)
    assert response.status_code == 400
    assert response.context["grant_form"].non_field_errors()
    assert not RoleAssignment.objects.filter(user=world.auditor).exists()


def test_it_refuses_an_organization_role_without_organization(client, world):
    _login(client, world.secadmin)
    response = _grant(client, user="outsider", role=Role.UNIT_LIAISON, committee=world.county.pk)
    assert response.status_code == 400
    assert response.context["grant_form"].non_field_errors()
    assert not RoleAssignment.objects.filter(user=world.outsider).exists()


def test_it_refuses_an_organization_of_another_committee(client, world):
    _login(client, world.secadmin)
    response = _grant(client, user="outsider", role=Role.RECEIVER, committee=world.county.pk,
                      organization=world.other_township.pk)
    assert response.status_code == 400
    assert "organization" in response.context["grant_form"].errors


def test_it_refuses_a_duplicate_assignment(client, world):
    _login(client, world.secadmin)
    response = _grant(client, user="leader", role=Role.LEADER, committee=world.county.pk)
    assert response.status_code == 400
    assert response.context["grant_form"].non_field_errors()
    assert RoleAssignment.objects.current().filter(user=world.leader).count() == 1


def test_it_refuses_an_unknown_account_and_a_system_role(client, world):
    _login(client, world.secadmin)
    response = _grant(client, user="nobody", role=Role.SYSADMIN, committee=world.county.pk)
    assert response.status_code == 400
    assert {"user", "role"} <= set(response.context["grant_form"].errors)


def test_it_offers_the_organizations_of_the_chosen_committee(client, world):
    _login(client, world.secadmin)
    response = client.get(reverse("system:role_organizations"), {"committee": world.county.pk})
    body = response.content.decode()
    assert "城关镇" in body and "县财政局" in body and "河口镇" not in body


def test_it_revokes_after_confirmation(client, world):
    assignment = RoleAssignment.objects.current().get(user=world.group_member)
    _login(client, world.secadmin)
    url = reverse("system:role_revoke", args=[assignment.pk])
    confirm = client.get(url)
    assert confirm.status_code == 200 and "group_member" in confirm.content.decode()
    assert RoleAssignment.objects.current().filter(pk=assignment.pk).exists()
    assert client.post(url).status_code == 302
    assignment.refresh_from_db()
    assert assignment.revoked_at is not None
    assert AuditEvent.objects.filter(action="role.revoke", object_id=str(assignment.pk)).exists()
    assert client.get(url).status_code == 404  # no longer current


@pytest.mark.parametrize("role", ["sysadmin", "auditor", "office_admin"])
def test_it_refuses_grants_and_revokes_to_other_roles(client, world, role):
    assignment = RoleAssignment.objects.current().get(user=world.group_member)
    _login(client, world.users[role])
    assert _grant(client, user="outsider", role=Role.LEADER, committee=world.county.pk).status_code == 403
    assert client.post(reverse("system:role_revoke", args=[assignment.pk])).status_code == 403
    assert not RoleAssignment.objects.filter(user=world.outsider).exists()
    assert RoleAssignment.objects.current().filter(pk=assignment.pk).exists()


# -- navigation and to-dos ------------------------------------------------------------------------

def _menu_urls(user) -> set[str]:
    return {item["url"] for stage in menu_for(user) if stage["stage"] == "system" for item in stage["items"]}


@pytest.mark.parametrize("role", ROLES)
def test_the_system_menu_shows_each_role_its_pages(world, role):
    expected = {
        "sysadmin": {reverse("system:accounts")},
        "secadmin": {reverse("system:roles")},
        "auditor": {reverse("system:audit")},
    }.get(role, {reverse("system:tokens")})
    assert _menu_urls(world.users[role]) == expected


def test_the_sysadmin_is_told_of_locked_accounts(world):
    assert navigation.locked_accounts(world.sysadmin)[0].count == 0
    User.objects.filter(pk__in=[world.leader.pk, world.secadmin.pk]).update(
        locked_until=timezone.now() + timedelta(minutes=10))
    todo = navigation.locked_accounts(world.sysadmin)[0]
    assert todo.count == 1  # the secadmin is unlocked at the console
    assert todo.url == reverse("system:accounts") + "?status=locked"
    assert todo in todos_for(world.sysadmin)


def test_the_secadmin_is_told_of_accounts_waiting_for_a_role(world, make_user):
    assert navigation.accounts_waiting_for_role(world.secadmin)[0].count == 1  # outsider
    make_user("newcomer")
    make_user("gone").__class__.objects.filter(username="gone").update(is_active=False)
    assert navigation.accounts_waiting_for_role(world.secadmin)[0].count == 2


def test_the_auditor_is_told_of_failed_logins(client, world):
    assert navigation.recent_failed_logins(world.auditor)[0].count == 0
    client.post(reverse("access:login"), {"username": "leader", "password": "wrong-password"})
    client.post(reverse("access:login"), {"username": "nobody", "password": "wrong-password"})
    todo = navigation.recent_failed_logins(world.auditor)[0]
    assert todo.count == 2
    _login(client, world.auditor)
    listed = client.get(todo.url).context["page"].object_list
    assert {e.actor_name for e in listed} == {"leader", "nobody"}


@pytest.mark.parametrize("role", ["leader", "unit_liaison", "outsider"])
def test_business_users_get_no_system_todos(world, role, django_assert_num_queries):
    user = world.users[role]
    policy.assignments(user)
    with django_assert_num_queries(0):
        found = (navigation.locked_accounts(user) + navigation.accounts_waiting_for_role(user)
                 + navigation.recent_failed_logins(user))
    assert found == []


def test_a_waiting_account_links_to_a_prefilled_grant_form(client, world):
    _login(client, world.secadmin)
    response = client.get(reverse("system:roles"))
    assert [a.username for a in response.context["waiting"]] == ["outsider"]
    assert "?account=outsider" in response.content.decode()
    response = client.get(reverse("system:roles"), {"account": "outsider"})
    assert response.context["grant_form"]["user"].value() == "outsider"
    assert response.context["page"].paginator.count > 0  # the list stays unfiltered
