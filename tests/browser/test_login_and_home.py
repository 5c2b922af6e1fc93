"""Log in as several roles and look at the workbench, in Chinese and in English."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import account_for_role, login, shot

ROLES = ["office_admin", "group_leader", "unit_liaison", "receiver", "supervisor", "leader",
         "sysadmin", "secadmin", "auditor"]


def test_the_login_page_is_in_chinese(page, server):
    page.goto(server.url + "/")
    assert "/accounts/login/" in page.url
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert page.locator("h1").inner_text().strip().endswith("巡察工作平台")
    shot(page, "login")


@pytest.mark.parametrize("role", ROLES)
def test_each_role_reaches_its_workbench(page, server, role):
    account = login(page, server, role)
    assert re.search(r"/$", page.url), page.url
    assert account["username"] in page.content() or page.get_by_test_id("user-name").is_visible()
    topbar = page.locator("header").inner_text()
    if account["scope"]:
        assert account["scope"] in topbar or account["scope"] in page.locator("select, [data-testid=current-role]").first.inner_text()
    assert page.get_by_test_id("todos").or_(page.get_by_test_id("todos-empty")).is_visible()
    shot(page, f"home-{role}")


def test_a_wrong_password_is_refused_with_a_message(page, server):
    account = account_for_role(server, "office_staff")
    page.goto(server.url + "/accounts/login/")
    page.fill("input[name=username]", account["username"])
    page.fill("input[name=password]", "not-the-password-1")
    page.click("button[type=submit]")
    assert page.locator(".alert-danger").inner_text().strip() == "用户名或密码不正确。"
    shot(page, "login-refused")


def test_the_language_switch_shows_english(page, server):
    login(page, server, "office_admin")
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("html").get_attribute("lang") == "en"
    assert "Workbench" in page.locator("nav.xc-sidebar").inner_text()
    shot(page, "home-english")
    page.get_by_role("button", name="中文").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("html").get_attribute("lang") == "zh-hans"


def test_the_office_admin_opens_the_registry(page, server):
    login(page, server, "office_admin")
    page.locator("nav.xc-sidebar").get_by_role("link", name="组织机构").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("main").get_by_text("青崖县委").first.is_visible() or "组织" in page.title()
    shot(page, "registry-organizations")
    page.locator("nav.xc-sidebar").get_by_role("link", name="人员信息").click()
    page.wait_for_load_state("networkidle")
    shot(page, "registry-people")


def test_a_unit_liaison_cannot_open_the_audit_log(page, server):
    login(page, server, "unit_liaison")
    response = page.goto(server.url + "/system/audit/")
    assert response.status in (403, 404)
    shot(page, "refused-liaison-audit")
