"""The shell around every page: base layout, top bar, language, role switch, error pages."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from xuncha.access import policy, services
from xuncha.access.roles import Role
from xuncha.workbench import todos


def _text(response, testid: str) -> str:
    match = re.search(rf'data-testid="{testid}"[^>]*>(.*?)</span>', response.content.decode(), re.S)
    assert match, f"no {testid} on the page"
    return re.sub(r"<[^>]+>", "", match.group(1)).strip()


@pytest.fixture
def client_en():
    english = Client()
    english.cookies["django_language"] = "en"  # what the language switch sets
    return english


def test_anonymous_users_are_sent_to_login(client, db):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/"


def test_home_shows_the_empty_state_when_nothing_waits(client_en, world, monkeypatch):
    monkeypatch.setattr(todos, "PROVIDERS", [])
    client_en.force_login(world.office_staff)
    response = client_en.get("/")
    assert response.status_code == 200
    assert b'data-testid="todos-empty"' in response.content
    assert b"Nothing is waiting for you." in response.content
    assert b'data-testid="todos"' not in response.content


def test_home_lists_todos_with_a_count(client_en, world, monkeypatch):
    monkeypatch.setattr(todos, "PROVIDERS", [
        lambda user: [todos.Todo("Papers to review", 3, "/papers/", "warning"),
                      todos.Todo("Nothing here", 0, "/none/")],
    ])
    client_en.force_login(world.office_staff)
    response = client_en.get("/")
    assert b'data-testid="todos-empty"' not in response.content
    assert _text(response, "todos").startswith("Papers to review")
    assert b"Nothing here" not in response.content


def test_every_registered_provider_runs_for_an_account_without_roles(client, world):
    client.force_login(world.outsider)
    response = client.get("/")
    assert response.status_code == 200
    assert b'data-testid="todos-empty"' in response.content


def test_default_language_is_chinese(client, world):
    client.force_login(world.office_staff)
    response = client.get("/")
    assert '<html lang="zh-hans">' in response.content.decode()
    assert b'name="language" value="en"' in response.content


def test_login_page_is_chinese_by_default(client, db):
    assert '<html lang="zh-hans">' in client.get("/accounts/login/").content.decode()


def test_language_switch_shows_english(client, world):
    client.force_login(world.office_staff)
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302 and response["Location"] == "/"
    page = client.get("/").content.decode()
    assert '<html lang="en">' in page
    assert "What to do now" in page and "Log out" in page
    assert 'name="language" value="zh-hans"' in page
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    assert '<html lang="zh-hans">' in client.get("/").content.decode()


def test_language_switch_works_before_login(client, db):
    client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    assert '<html lang="en">' in client.get("/accounts/login/").content.decode()


@pytest.mark.parametrize("logged_in", [True, False])
def test_404_is_the_friendly_page(client_en, world, settings, logged_in):
    settings.DEBUG = False
    if logged_in:
        client_en.force_login(world.office_staff)
    response = client_en.get("/no-such-page/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "This page does not exist, or you may not see it." in page
    assert 'class="xc-error' in page and "Back to the workbench" in page
    assert ('data-testid="user-name"' in page) is logged_in


def test_top_bar_shows_committee_user_and_role(client_en, world):
    client_en.force_login(world.office_staff)
    response = client_en.get("/")
    assert _text(response, "committee") == "示例县委"
    assert _text(response, "user-name") == "office_staff"
    assert _text(response, "current-role") == "Office staff · 示例县委"


def test_top_bar_of_a_unit_liaison_names_the_organization(client_en, world):
    client_en.force_login(world.unit_liaison)
    response = client_en.get("/")
    assert _text(response, "committee") == "示例县委"
    assert _text(response, "current-role") == "Unit liaison · 东门村"


def test_top_bar_of_a_system_role_shows_the_installation(client_en, world):
    client_en.force_login(world.auditor)
    response = client_en.get("/")
    assert _text(response, "committee") == "Installation"
    assert _text(response, "current-role") == "Security auditor"


def test_top_bar_without_roles(client_en, world):
    client_en.force_login(world.outsider)
    assert _text(client_en.get("/"), "current-role") == "No role yet"


@pytest.fixture
def two_roles(world):
    user = world.office_staff
    second = services.role_grant(actor=policy.CONSOLE, user=user, role=Role.GROUP_LEADER,
                                 committee=world.other)
    first = user.assignments.exclude(pk=second.pk).get()
    return user, first, second


def test_role_switch_changes_the_current_role(client_en, world, two_roles):
    user, first, second = two_roles
    client_en.force_login(user)
    page = client_en.get("/")
    assert page.context["shell_assignment"] == first
    assert f'<option value="{second.pk}" >' in page.content.decode()

    response = client_en.post("/accounts/role/", {"assignment": str(second.pk)})
    assert response.status_code == 302 and response["Location"] == "/"
    page = client_en.get("/")
    assert page.context["shell_assignment"] == second
    assert _text(page, "committee") == "邻县县委"
    assert f'<option value="{second.pk}" selected>' in page.content.decode()
    assert "You now act as Group leader of 邻县县委." in page.content.decode()


@pytest.mark.parametrize("wanted", ["foreign", "revoked", "garbage", ""])
def test_role_switch_ignores_an_assignment_that_is_not_theirs(client_en, world, two_roles, wanted):
    user, first, second = two_roles
    foreign = world.users["leader"].assignments.get()
    client_en.force_login(user)
    client_en.post("/accounts/role/", {"assignment": str(second.pk)})
    assert "You now act as" in client_en.get("/").content.decode()
    if wanted == "revoked":
        third = services.role_grant(actor=policy.CONSOLE, user=user, role=Role.LEADER, committee=world.city)
        services.role_revoke(actor=policy.CONSOLE, assignment=third)
        value = str(third.pk)
    else:
        value = {"foreign": str(foreign.pk), "garbage": "1 OR 1=1", "": ""}[wanted]
    response = client_en.post("/accounts/role/", {"assignment": value})
    assert response.status_code == 302
    page = client_en.get("/")
    assert page.context["shell_assignment"] == second
    assert "You now act as" not in page.content.decode()


def test_role_switch_is_post_only(client_en, world, two_roles):
    client_en.force_login(two_roles[0])
    assert client_en.get("/accounts/role/").status_code == 405


def test_role_switch_needs_login(client, db):
    response = client.post("/accounts/role/", {"assignment": "1"})
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_an_english_browser_still_gets_chinese_until_the_switch_is_used(client):
    response = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert '<html lang="zh-hans">' in response.content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    response = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="zh-CN")
    assert '<html lang="en">' in response.content.decode()
