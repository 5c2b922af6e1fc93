"""Findings in a real browser: a group member writes a working paper, the deputy reviews it,
the group leader signs it, the office registers it, the leader makes a problem of it; the
ledger, the problem list, the checklist and peer review are looked at as their users see them.
"""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.conftest import shot
from tests.browser.test_rounds import login_as, logout

TITLE = "东岭村集体鱼塘承包费未入账"


def _step(page, action: str) -> None:
    page.locator(f"[data-testid=paper-steps] button[name=action][value={action}]").click()
    page.wait_for_load_state("networkidle")


def test_a_paper_goes_through_the_chain_and_becomes_a_problem(page, server):
    login_as(page, server, "group_member1")
    page.goto(f"{server.url}/findings/papers/")
    page.locator("main a[href$='/findings/papers/new/']").first.click()
    page.locator("[data-testid=paper-targets] a").first.click()
    form = page.get_by_test_id("paper-form")
    form.locator("input[name=title]").fill(TITLE)
    form.locator("textarea[name=facts]").fill(
        "2023年1月至12月，该村将集体鱼塘发包给村民，收取承包费2.4万元，未纳入村集体账户核算，由报账员个人保管。"
        "经调阅会计凭证和银行流水、与报账员谈话核实。")
    form.locator("select[name=classification]").select_option(index=1)
    form.locator("input[name=amount]").fill("24000")
    form.locator("select[name=source]").select_option("documents")
    form.get_by_role("button", name="保存").click()
    page.wait_for_load_state("networkidle")
    expect(page.locator("main h1")).to_contain_text(TITLE)
    number = re.search(r"十四届第九轮第一组-\d{3}", page.content()).group(0)
    _step(page, "submit")
    expect(page.get_by_test_id("paper-history")).to_contain_text("提交")
    paper_url = page.url
    logout(page)

    login_as(page, server, "group_deputy")
    page.goto(paper_url)
    page.locator("[data-testid=paper-steps] textarea[name=comment]").fill("事实清楚，同意。")
    _step(page, "approve")
    logout(page)

    login_as(page, server, "group_leader")
    page.goto(paper_url)
    _step(page, "sign")
    # Signed: the text is frozen (changes only by amendment) and the edit button is gone.
    expect(page.locator("main .alert .bi-lock-fill")).to_be_visible()
    expect(page.locator("main a[href$='/edit/']")).to_have_count(0)
    logout(page)

    login_as(page, server, "office_staff")
    page.goto(paper_url)
    _step(page, "register")
    expect(page.get_by_test_id("paper-history")).to_contain_text("登记")
    logout(page)

    login_as(page, server, "group_leader")
    page.goto(paper_url)
    page.get_by_test_id("paper-make-problem").click()
    form = page.get_by_test_id("problem-form")
    expect(form.locator("input[name=title]")).to_have_value(TITLE)
    form.get_by_role("button", name="保存").click()
    page.wait_for_load_state("networkidle")
    expect(page.get_by_test_id("problem-papers")).to_contain_text(number)
    shot(page, "findings-problem")

    page.goto(f"{server.url}/findings/papers/?q=鱼塘承包费")
    expect(page.locator("main table")).to_contain_text(number)
    page.goto(f"{server.url}/findings/papers/")
    shot(page, "findings-ledger")


def test_the_office_sees_problems_the_checklist_and_peer_review(page, server):
    login_as(page, server, "office_admin")
    page.goto(f"{server.url}/findings/problems/")
    expect(page.locator("main table tbody tr").first).to_be_visible()
    shot(page, "findings-problems")
    page.goto(f"{server.url}/findings/search/?q=村集體資金")
    expect(page.locator("main mark").first).to_be_visible()
    shot(page, "findings-search")
    page.goto(f"{server.url}/checklist/")
    page.locator("main a[href*='/checklist/versions/']").first.click()
    page.wait_for_load_state("networkidle")
    expect(page.locator("main details").first).to_be_visible()
    shot(page, "checklist-version")
    page.goto(f"{server.url}/findings/review/")
    page.locator("main table a").first.click()
    page.wait_for_load_state("networkidle")
    shot(page, "review-session")


def test_a_unit_liaison_never_reaches_papers_or_problems(page, server):
    login_as(page, server, "liaison_village")
    for path in ("/findings/papers/", "/findings/problems/"):
        response = page.goto(f"{server.url}{path}")
        assert response.status in (403, 404), path
