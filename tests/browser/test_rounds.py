"""The rounds pages in a real browser: plan a round, staff a group (meeting a recusal refusal),
approve and enter it; refusals by state and by group; coverage, pool and the announcement.

Each test signs in afresh and creates what it changes (its own round), so the order of the
tests and the other browser tests sharing the server do not matter.
"""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.conftest import login, shot
from xuncha.text.numerals import to_chinese

ROUND_9 = "十四届第九轮"
# Submit a form the page does not offer, with the page's own CSRF token.
POST_FORM = """([action, fields]) => {
    const form = document.createElement("form");
    form.method = "post";
    form.action = action;
    fields.csrfmiddlewaretoken = document.querySelector("input[name=csrfmiddlewaretoken]").value;
    for (const [name, value] of Object.entries(fields)) {
        const input = document.createElement("input");
        input.type = "hidden";
        input.name = name;
        input.value = value;
        form.appendChild(input);
    }
    document.body.appendChild(form);
    form.submit();
}"""


# -- helpers ---------------------------------------------------------------------------------

def login_as(page, server, username: str) -> dict:
    """Sign in as one named demo account (two accounts share the group_member role)."""
    account = server.accounts[username]
    page.goto(f"{server.url}/accounts/login/")
    page.fill("input[name=username]", account["username"])
    page.fill("input[name=password]", account["password"])
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
    expect(page.get_by_test_id("user-name")).to_be_visible()
    return account


def logout(page) -> None:
    page.locator("header").get_by_role("button", name="退出登录").click()
    page.wait_for_load_state("networkidle")
    assert "/accounts/login/" in page.url or page.locator("input[name=username]").count(), page.url


def menu(page, label: str) -> None:
    page.locator("nav.xc-sidebar").get_by_role("link", name=label).click()
    page.wait_for_load_state("networkidle")


def alert_text(page, kind: str) -> str:
    return " ".join(page.locator(f"main .alert-{kind}").all_inner_texts())


def plan_round(page, *, kind: str, title: str, theme: str = "", entry: str, exit_: str) -> str:
    """From the menu, plan a round in the current term (十四届); returns its label."""
    menu(page, "巡察轮次")
    term_card = page.get_by_test_id("terms").locator(".card").filter(has_text="十四届").first
    planned = int(re.search(r"已安排\s*(\d+)\s*轮", term_card.inner_text()).group(1))
    page.get_by_test_id("new-round").click()
    form = page.get_by_test_id("round-form")
    expect(form.get_by_label("届次")).to_have_value(re.compile(r"\d+"))
    form.get_by_label("届次").select_option(label="十四届")
    form.get_by_label("类型").select_option(label=kind)
    form.get_by_label("标题").fill(title)
    if theme:
        form.get_by_label("主题").fill(theme)
    form.get_by_label("计划进驻日期").fill(entry)
    form.get_by_label("计划撤离日期").fill(exit_)
    form.get_by_role("button", name="保存").click()
    page.wait_for_load_state("networkidle")
    label = page.get_by_test_id("round-label").inner_text().strip()
    # Numbered after the rounds planned so far: after the demo's nine this is 第十轮, unless
    # another test planned one first on this shared server.
    assert label == f"十四届第{to_chinese(planned + 1)}轮", (planned, label)
    expect(page.get_by_test_id("round-state")).to_have_text("计划中")
    return label


def choose_radio(choices, text: str, extra: str = "") -> None:
    row = choices.locator("label").filter(has_text=text)
    if extra:
        row = row.filter(has_text=extra)
    row.first.locator("input[type=radio]").check()


def search(page, text: str, choices_testid: str):
    """Type into the search box; htmx swaps the choices in (falls back to the plain GET)."""
    page.locator("#id_q").fill(text)
    choices = page.get_by_test_id(choices_testid)
    try:
        expect(choices.locator("label").first).to_be_visible(timeout=5000)
    except AssertionError:
        page.locator("[data-testid=search-form] button").click()
        page.wait_for_load_state("networkidle")
        choices = page.get_by_test_id(choices_testid)
    return choices


def add_member(page, group_url: str, *, name: str, organization: str, role: str) -> str:
    """Try to add a person; returns 'added' or the refusal text."""
    page.goto(group_url)
    page.locator("#members").get_by_role("link", name="添加成员").click()
    page.wait_for_load_state("networkidle")
    choices = search(page, name, "person-choices")
    choose_radio(choices, name, organization)
    page.get_by_test_id("member-form").get_by_label("组内职务").select_option(label=role)
    page.get_by_test_id("member-form").get_by_test_id("submit").click()
    page.wait_for_load_state("networkidle")
    refusal = page.get_by_test_id("recusal-refusal")
    if refusal.count():
        return refusal.inner_text()
    if page.url.split("#")[0] != group_url:  # refused otherwise: the form names the field
        return alert_text(page, "danger") or " ".join(page.locator("main .invalid-feedback").all_inner_texts())
    return "added"


def pool_candidates(page) -> list[tuple[str, str]]:
    """Available inspectors from county departments, as (name, organization), from the pool page."""
    menu(page, "巡察人才库")
    rows = page.get_by_test_id("pool-row")
    found = []
    for i in range(rows.count()):
        cells = rows.nth(i).locator("td")
        name = cells.nth(0).inner_text().strip()
        org = cells.nth(1).inner_text().strip().splitlines()[0]
        available = "可抽调" in cells.nth(3).inner_text() and "暂不" not in cells.nth(3).inner_text()
        if available and org.startswith("县"):
            found.append((name, org))
    assert len(found) >= 2, found
    return found


# -- the scenario ----------------------------------------------------------------------------

def test_it_plans_a_round_staffs_a_group_with_a_recusal_refusal_approves_and_enters_it(page, server):
    # 1. The office plans a round and adds a group from the round page.
    login(page, server, "office_admin")
    label = plan_round(page, kind="常规巡察", title="浏览器测试：对村级党组织开展常规巡察",
                       entry="2027-03-01", exit_="2027-04-30")
    round_url = page.url
    page.get_by_test_id("add-group").click()
    page.wait_for_load_state("networkidle")
    expect(page.locator("main h1")).to_contain_text(f"{label}第一巡察组")
    group_url = page.url.split("#")[0]
    assert re.search(r"/rounds/groups/\d+/$", group_url), group_url

    # 2a. A village as target, found through the organization search.
    page.get_by_test_id("add-target").click()
    page.wait_for_load_state("networkidle")
    choices = search(page, "村", "organization-choices")
    village_row = choices.locator("label").filter(has_text="村/社区").first
    village = village_row.locator(".fw-semibold").inner_text().strip()
    village_row.locator("input[type=radio]").check()
    page.get_by_test_id("target-form").get_by_test_id("submit").click()
    page.wait_for_load_state("networkidle")
    targets = page.locator("table[data-testid=targets]")
    expect(targets).to_contain_text(village)

    # 2b. Who works there: the village's principal, from its registry page.
    targets.get_by_role("link", name=village, exact=True).click()
    page.wait_for_load_state("networkidle")
    principal = page.get_by_test_id("principal").locator("a").inner_text().strip()
    assert principal

    # 2c. Adding the principal is refused with the conflict named.
    refusal = add_member(page, group_url, name=principal, organization=village, role="组员")
    assert refusal != "added"
    sentence = page.get_by_test_id("conflict").first.inner_text()
    assert principal in sentence and village in sentence, sentence
    assert f"{principal}在被巡察组织{village}工作" in sentence, sentence
    expect(page.get_by_test_id("recusal-refusal")).to_contain_text("未能添加：存在回避情形")
    shot(page, "recusal-refusal")
    page.goto(group_url)
    expect(page.locator("#members")).not_to_contain_text(principal)

    # 2d. A leader and a member from county departments, taken from the inspector pool.
    roles = ["组长", "组员"]
    staffed: list[str] = []
    for name, org in pool_candidates(page):
        if not roles:
            break
        if name == principal:
            continue
        if add_member(page, group_url, name=name, organization=org, role=roles[0]) == "added":
            expect(page.locator("main .alert-success")).to_contain_text(name)
            staffed.append(name)
            roles.pop(0)
    assert not roles, f"could not staff the group without a conflict: {staffed}"
    page.goto(group_url)
    members = page.locator("#members")
    for name in staffed:
        expect(members).to_contain_text(name)
    expect(members).to_contain_text("组长")
    logout(page)

    # 3a. The leader approves the plan with a comment.
    login(page, server, "leader")
    leader_name = page.get_by_test_id("user-name").inner_text().strip()
    page.goto(round_url)
    expect(page.get_by_test_id("round-state")).to_have_text("计划中")
    approve = page.get_by_test_id("transitions").locator("form[data-action=approve]")
    approve.get_by_label("意见").fill("同意巡察计划，按期进驻。")
    approve.get_by_role("button").click()
    page.wait_for_load_state("networkidle")
    expect(page.get_by_test_id("round-state")).to_have_text("已批准")
    logout(page)

    # 3b. The office enters it.
    login(page, server, "office_admin")
    office_name = page.get_by_test_id("user-name").inner_text().strip()
    page.goto(round_url)
    enter = page.get_by_test_id("transitions").locator("form[data-action=enter]")
    enter.get_by_label("意见").fill("巡察组今日进驻。")
    enter.get_by_role("button", name="进驻").click()
    page.wait_for_load_state("networkidle")
    expect(page.get_by_test_id("round-state")).to_contain_text("进驻")
    timeline = page.get_by_test_id("timeline")
    entries = timeline.locator("li.list-group-item")
    expect(entries).to_have_count(2)
    text = timeline.inner_text()
    assert "计划中 → 已批准" in text and "已批准 → 进驻中" in text, text
    assert "批准计划" in text and "同意巡察计划，按期进驻。" in text, text
    assert "巡察组今日进驻。" in text, text
    # Both actors by name: the leader approved, the office admin entered.
    approve_entry = entries.filter(has_text="计划中 → 已批准").inner_text()
    enter_entry = entries.filter(has_text="已批准 → 进驻中").inner_text()
    assert leader_name in approve_entry and "同意巡察计划" in approve_entry, approve_entry
    assert office_name in enter_entry and "巡察组今日进驻" in enter_entry, enter_entry
    groups = page.get_by_test_id("groups")
    expect(groups).to_contain_text("第一巡察组")
    expect(groups).to_contain_text(village)
    shot(page, "round-page")

    # 4. The group page, now under way.
    groups.get_by_role("link", name="第一巡察组").click()
    page.wait_for_load_state("networkidle")
    main = page.locator("main")
    expect(main).to_contain_text(label)
    expect(main).to_contain_text("进驻")
    for name in staffed:
        expect(page.locator("#members")).to_contain_text(name)
    expect(page.locator("table[data-testid=targets]")).to_contain_text(village)
    crumbs = page.locator("ol.breadcrumb")
    expect(crumbs).to_contain_text("巡察轮次")
    expect(crumbs).to_contain_text(label)
    shot(page, "group-page")


# -- refusal by state ------------------------------------------------------------------------

def test_a_planned_round_cannot_enter_before_approval(page, server):
    login(page, server, "office_admin")
    plan_round(page, kind="专项巡察", title="浏览器测试：未经批准不得进驻",
               theme="农村集体“三资”管理", entry="2027-05-10", exit_="2027-06-30")
    round_url = page.url
    expect(page.get_by_test_id("round-state")).to_have_text("计划中")
    # No step is offered to the office on a planned round: approving is the leader's.
    expect(page.locator("form[data-action=enter]")).to_have_count(0)
    expect(page.get_by_role("button", name="进驻", exact=True)).to_have_count(0)

    # Posting the step anyway, with the page's CSRF token, is refused with the reason.
    with page.expect_navigation():
        page.evaluate(POST_FORM, [round_url + "transition/", {"action": "enter", "comment": ""}])
    assert page.url == round_url
    page.wait_for_load_state("networkidle")
    refused = alert_text(page, "danger")
    assert "只有轮次处于“已批准”状态时才能进驻" in refused, refused
    assert "计划中" in refused, refused
    expect(page.get_by_test_id("round-state")).to_have_text("计划中")
    expect(page.get_by_test_id("timeline")).not_to_contain_text("→")
    shot(page, "round-enter-refused")


# -- smaller pages ---------------------------------------------------------------------------

def _round_9_group_url(page, server, number: str = "第一巡察组") -> str:
    """As the office: the round list → 十四届第九轮 → the group's page address."""
    menu(page, "巡察轮次")
    page.locator("main").get_by_role("link", name=ROUND_9, exact=True).first.click()
    page.wait_for_load_state("networkidle")
    page.get_by_test_id("groups").get_by_role("link", name=number, exact=True).click()
    page.wait_for_load_state("networkidle")
    return page.url.split("#")[0]


def test_a_group_leader_opens_my_work_and_the_group_page(page, server):
    login(page, server, "group_leader")
    menu(page, "我的巡察工作")
    cards = page.get_by_test_id("my-group")
    expect(cards.first).to_be_visible()
    mine = cards.filter(has_text=f"{ROUND_9}第一巡察组")
    expect(mine).to_have_count(1)
    expect(mine.get_by_test_id("my-role")).to_have_text("组长")
    expect(mine.get_by_test_id("my-targets")).to_be_visible()
    shot(page, "my-work-group-leader")
    mine.get_by_role("link", name=f"{ROUND_9}第一巡察组").click()
    page.wait_for_load_state("networkidle")
    summary = page.get_by_test_id("fieldwork-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("个别谈话")
    shot(page, "group-page-group-leader")


def test_a_member_of_another_group_gets_the_404_page(page, server):
    login(page, server, "office_admin")
    group_1 = _round_9_group_url(page, server)
    logout(page)
    login_as(page, server, "group_member2")
    response = page.goto(group_1)
    assert response.status == 404
    expect(page.locator("main .xc-error")).to_contain_text("404")
    expect(page.locator("main")).not_to_contain_text("第一巡察组")
    shot(page, "group-404-other-member")


def test_the_coverage_page_shows_the_chart_and_the_table(page, server):
    login(page, server, "office_admin")
    menu(page, "巡察全覆盖")
    expect(page.locator("main h1")).to_contain_text("十四届")
    expect(page.get_by_test_id("figure-rate")).to_contain_text("%")
    expect(page.get_by_test_id("coverage-table-kind")).to_be_visible()
    expect(page.get_by_test_id("coverage-table-township")).to_contain_text("镇")
    chart = page.locator("#chart-kinds")
    expect(chart).to_be_visible()
    expect(chart.locator("svg").first).to_be_attached()
    shot(page, "coverage")


def test_the_office_admin_sees_the_inspector_pool(page, server):
    login(page, server, "office_admin")
    menu(page, "巡察人才库")
    rows = page.get_by_test_id("pool-row")
    expect(rows.first).to_be_visible()
    assert rows.count() >= 10
    expect(page.get_by_test_id("pool-table")).to_contain_text("名巡察干部")
    shot(page, "pool-list")


def test_the_announcement_of_a_round_9_group_prints_on_its_own_page(page, server):
    login(page, server, "group_leader")
    menu(page, "我的巡察工作")
    page.get_by_test_id("my-group").filter(has_text=ROUND_9).get_by_role("link").first.click()
    page.wait_for_load_state("networkidle")
    page.get_by_test_id("fieldwork-summary").get_by_role("link", name=re.compile("巡察公告")).click()
    page.wait_for_load_state("networkidle")
    href = page.get_by_role("link", name="打印版").get_attribute("href")
    page.goto(server.url + href)
    page.wait_for_load_state("networkidle")
    announcement = page.get_by_test_id("announcement")
    expect(announcement).to_be_visible()
    expect(announcement).to_contain_text("巡察")
    expect(page.get_by_test_id("announcement-targets")).to_be_visible()
    expect(page.locator("nav.xc-sidebar")).to_have_count(0)
    shot(page, "announcement-print")
