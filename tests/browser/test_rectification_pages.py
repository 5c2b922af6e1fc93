"""The main rectification pages in a real browser, each as the people who use it: the office's
dashboard, overdue list, deadline policy, transfer ledger, evaluation batch and one evaluation,
progress-report ledger; the receiver's transfers; the liaison's workspace. Each page is checked
for what it is for (figures that add up, rows in order, warning colours), then photographed;
and the roles that must not reach a page are refused.

Nothing here writes: the figures are read from the demo county as the session's server holds it
(other browser tests add to it, so every check compares the page with itself, not with fixed
numbers).
"""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.conftest import shot
from tests.browser.test_rounds import login_as, logout, menu

DANGER = re.compile(r"\btext-bg-danger\b")


def _int(text: str) -> int:
    return int(re.sub(r"[^\d]", "", text) or 0)


def _status(page, url: str) -> int:
    return page.request.get(url, max_redirects=0).status


def _column(rows, col: str) -> list[int]:
    return [_int(rows.nth(i).locator(f"td[data-col={col}]").inner_text()) for i in range(rows.count())]


# -- the office --------------------------------------------------------------------------------

def test_the_dashboard_adds_up_by_round_and_leads_to_the_overdue_tasks(page, server):
    login_as(page, server, "office_admin")
    menu(page, "整改总览")
    expect(page.locator("main h1")).to_have_text("整改总览")
    rounds = page.locator("[data-testid=round-table] tbody tr")
    expect(rounds.first).to_be_visible()
    assert rounds.count() >= 5, rounds.count()
    total = page.locator("[data-testid=round-table] tfoot tr[data-testid=total]")
    # The total row is the sum of the rounds, figure by figure.
    for col in ("feedbacks", "plans_approved", "tasks", "tasks_closed", "tasks_red", "transfers"):
        assert sum(_column(rounds, col)) == _int(total.locator(f"td[data-col={col}]").inner_text()), col
    tasks = _int(total.locator("td[data-col=tasks]").inner_text())
    closed = _int(total.locator("td[data-col=tasks_closed]").inner_text())
    expect(total.locator("td[data-col=closure_rate]")).to_have_text(f"{round(closed * 100 / tasks)}%")
    summary = page.get_by_test_id("dashboard-summary")
    expect(summary).to_contain_text(f"{closed} / {tasks}")
    overdue = page.get_by_test_id("total-overdue")
    assert _int(overdue.inner_text()) > 0
    expect(overdue).to_have_class(re.compile(r"\btext-danger\b"))
    # Overdue figures in red, yellow warnings in amber, the rest plain.
    red = page.locator("[data-testid=round-table] td[data-col=tasks_red].text-danger a")
    assert red.count() >= 1
    expect(page.locator("[data-testid=round-table] td[data-col=tasks_yellow].text-warning-emphasis").first).to_be_visible()
    assert page.locator("[data-testid=round-table] td[data-col=tasks_closed].text-danger").count() == 0
    # By organization: those with overdue items first, their count in a red badge.
    organizations = page.locator("[data-testid=organization-table] tbody tr")
    assert organizations.count() >= 20
    first, last = organizations.first, organizations.last
    expect(first.locator("th .badge")).to_have_class(DANGER)
    assert _int(first.locator("th .badge").inner_text()) >= _int(organizations.nth(1).locator("th").inner_text())
    expect(last.locator("th .badge")).to_have_count(0)
    # Nothing is cut off at the right: the tables fit the page.
    for table in ("round-table", "organization-table"):
        box = page.get_by_test_id(table).evaluate("t => [t.scrollWidth, t.parentElement.clientWidth]")
        assert box[0] <= box[1], (table, box)
    shot(page, "rectification-dashboard")

    # The biggest round's red figure leads to its overdue tasks.
    biggest = max(range(rounds.count()), key=lambda i: _column(rounds, "tasks_red")[i])
    row = rounds.nth(biggest)
    label = row.locator("th").inner_text().split()[0]
    n_red = _int(row.locator("td[data-col=tasks_red]").inner_text())
    row.locator("td[data-col=tasks_red] a").click()
    page.wait_for_load_state("networkidle")
    assert "/rectification/overdue/" in page.url and "kind=task" in page.url, page.url
    listed = page.locator("[data-testid=overdue-table] tbody tr")
    expect(listed.first).to_be_visible()
    assert min(n_red, 50) == listed.count(), (n_red, listed.count())
    assert all(label == listed.nth(i).locator("td").nth(3).inner_text().strip() for i in range(listed.count()))


def test_the_overdue_list_puts_the_most_overdue_first_in_red(page, server):
    login_as(page, server, "office_staff")
    menu(page, "已逾期")
    rows = page.locator("[data-testid=overdue-table] tbody tr")
    expect(rows.first).to_be_visible()
    badges = page.locator("[data-testid=overdue-table] [data-testid=days]")
    assert badges.count() == rows.count() > 10
    days = [_int(badges.nth(i).inner_text()) for i in range(badges.count())]
    assert days == sorted(days, reverse=True), days
    assert all(d > 0 for d in days)
    expect(badges.first).to_have_class(DANGER)
    kinds = {rows.nth(i).locator("td").first.inner_text().strip() for i in range(rows.count())}
    assert "整改任务" in kinds, kinds
    for i in range(rows.count()):  # every row leads to the thing overdue
        expect(rows.nth(i).get_by_role("link", name="查看")).to_have_attribute("href", re.compile(r"/\d+/$"))
    box = page.get_by_test_id("overdue-table").evaluate("t => [t.scrollWidth, t.parentElement.clientWidth]")
    assert box[0] <= box[1], box
    shot(page, "rectification-overdue")

    # The yellow warnings: days left, in amber.
    filters = page.get_by_test_id("dashboard-filters")
    filters.locator("select[name=level]").select_option("yellow")
    filters.get_by_role("button", name="显示").click()
    page.wait_for_load_state("networkidle")
    expect(page.locator("main h1")).to_contain_text("黄色")
    yellow = page.locator("[data-testid=overdue-table] [data-testid=days]")
    expect(yellow.first).to_be_visible()
    for i in range(yellow.count()):
        expect(yellow.nth(i)).to_have_class(re.compile(r"\btext-bg-warning\b"))
        assert 0 <= _int(yellow.nth(i).inner_text()) <= 10
    shot(page, "rectification-overdue-yellow")


def test_the_deadline_policy_shows_the_version_in_force_and_what_each_computed(page, server):
    login_as(page, server, "office_admin")
    menu(page, "整改总览")
    fed_back = _int(page.locator("[data-testid=round-table] tfoot td[data-col=feedbacks]").inner_text())
    menu(page, "工作时限规则")
    versions = page.locator("[data-testid=policy-table] tbody tr")
    assert versions.count() >= 2
    in_force = page.get_by_test_id("in-force")
    expect(in_force).to_have_count(1)
    expect(in_force).to_have_text("现行版本")
    current = versions.filter(has=in_force)
    expect(current).to_have_class(re.compile(r"\btable-success\b"))
    # The newest version in force is listed first; older feedback kept the older deadlines.
    expect(versions.first).to_have_class(re.compile(r"\btable-success\b"))
    dates = [versions.nth(i).locator("td").first.inner_text() for i in range(versions.count())]
    assert all(re.search(r"\d{4}年\d{1,2}月\d{1,2}日", d) for d in dates), dates
    computed = _column(versions, "feedbacks")
    assert all(n > 0 for n in computed), computed
    assert sum(computed) == fed_back, (computed, fed_back)  # every feedback took its deadlines from one
    expect(versions.first.locator("td").nth(1)).not_to_have_text("—")  # its basis is said
    expect(page.get_by_test_id("policy-form")).to_be_visible()  # the office administrator may add one
    box = page.get_by_test_id("policy-table").evaluate("t => [t.scrollWidth, t.parentElement.clientWidth]")
    assert box[0] <= box[1], box
    shot(page, "rectification-policy")


def test_the_transfer_ledger_totals_and_its_overdue_filter(page, server):
    login_as(page, server, "office_admin")
    menu(page, "移交台账")
    rows = page.get_by_test_id("transfer-row")
    expect(rows.first).to_be_visible()
    totals = page.get_by_test_id("transfer-totals")
    everything = int(totals.get_attribute("data-transfers"))
    overdue = int(totals.get_attribute("data-overdue"))
    assert everything >= rows.count() > 10
    assert 0 < overdue < everything
    expect(totals).to_contain_text(f"合计：移交 {everything} 件")
    # Overdue ones come in red, with their deadline badge saying so.
    red = page.locator("[data-testid=transfer-row].table-danger")
    assert red.count() >= 1
    expect(red.first.get_by_test_id("transfer-deadline")).to_have_class(DANGER)
    expect(red.first.get_by_test_id("transfer-deadline")).to_contain_text("逾期")
    answered = rows.filter(has=page.locator("[data-state=answered]"))
    expect(answered.first.get_by_test_id("transfer-deadline")).to_contain_text(re.compile("按期反馈|逾期反馈"))
    expect(page.get_by_test_id("transfer-export")).to_be_visible()
    box = page.get_by_test_id("transfer-table").evaluate("t => [t.scrollWidth, t.parentElement.clientWidth]")
    assert box[0] <= box[1], box
    shot(page, "rectification-transfer-ledger")

    form = page.get_by_test_id("transfer-filter")
    form.locator("input[name=overdue]").check()
    form.get_by_role("button", name="筛选").click()
    page.wait_for_load_state("networkidle")
    totals = page.get_by_test_id("transfer-totals")
    expect(totals).to_have_attribute("data-transfers", str(overdue))
    expect(totals).to_have_attribute("data-overdue", str(overdue))
    rows = page.get_by_test_id("transfer-row")
    assert rows.count() == min(overdue, 50)
    for i in range(rows.count()):
        expect(rows.nth(i)).to_have_class(re.compile(r"\btable-danger\b"))
        expect(rows.nth(i).get_by_test_id("transfer-deadline")).to_have_attribute("data-overdue", "1")


def test_an_evaluation_batch_and_one_evaluation(page, server):
    login_as(page, server, "office_admin")
    menu(page, "整改评估")
    batch = page.get_by_test_id("batch-row").first
    expect(batch.locator("td").nth(2)).to_have_text("已结束")
    batch.get_by_role("link").click()
    page.wait_for_load_state("networkidle")
    expect(page.get_by_test_id("batch-state")).to_have_text("已结束")
    counts = {key: _int(page.get_by_test_id(f"count-{key}").inner_text())
              for key in ("all", "excellent", "pass", "basic", "fail", "ungraded")}
    assert counts["all"] == sum(v for k, v in counts.items() if k != "all") > 20, counts
    assert counts["fail"] >= 1 and counts["basic"] >= 1 and counts["excellent"] >= 1, counts
    rows = page.get_by_test_id("evaluation-row")
    expect(rows).to_have_count(counts["all"])
    grades = page.locator("[data-testid=evaluation-row] [data-testid=grade]")
    for css, key in (("success", "excellent"), ("primary", "pass"), ("warning", "basic"), ("danger", "fail")):
        expect(grades.and_(page.locator(f".text-bg-{css}"))).to_have_count(counts[key])
    # A failed organization has a follow-up measure; the conclusion is written.
    failed = rows.filter(has=page.locator("[data-testid=grade].text-bg-danger")).first
    expect(failed.locator("td").nth(-2)).not_to_have_text("—")
    expect(page.get_by_test_id("conclusion")).to_contain_text("不合格")
    shot(page, "rectification-evaluation-batch")

    organization = failed.get_attribute("data-organization")
    total = _int(failed.get_by_test_id("total").inner_text())
    failed.get_by_role("link", name="查看").click()
    page.wait_for_load_state("networkidle")
    expect(page.locator("main h1")).to_contain_text(organization)
    expect(page.get_by_test_id("evaluation-total")).to_have_text(f"{total} / 100")
    expect(page.locator("main [data-testid=grade]")).to_have_class(DANGER)
    assert total < 60
    expect(page.locator("main .alert-secondary")).to_contain_text("已结束")
    expect(page.get_by_test_id("score-form")).to_have_count(0)  # concluded: read only
    shot(page, "rectification-evaluation")


def test_the_progress_report_ledger_lists_the_overdue_first(page, server):
    login_as(page, server, "office_staff")
    menu(page, "进展报告与整改公开")
    rows = page.get_by_test_id("ledger-row")
    expect(rows.first).to_be_visible()
    overdue = [rows.nth(i).get_attribute("data-overdue") == "1" for i in range(rows.count())]
    assert overdue[0] and not overdue[-1], overdue
    assert overdue == sorted(overdue, reverse=True), overdue  # overdue first
    expect(rows.first).to_have_class(re.compile(r"\btable-danger\b"))
    # Reports never started show as not submitted, in red; reviewed ones in green.
    missing = page.locator("[data-testid=ledger-row][data-state=not_started]")
    expect(missing.first.get_by_test_id("report-state")).to_have_text("未报送")
    expect(missing.first.get_by_test_id("report-state")).to_have_class(DANGER)
    reviewed = page.locator("[data-testid=ledger-row][data-state=reviewed] [data-testid=report-state]")
    expect(reviewed.first).to_have_class(re.compile(r"\btext-bg-success\b"))
    expect(page.locator("[data-testid=disclosure-state]").first).to_be_visible()
    expect(page.locator("main")).to_contain_text(re.compile(r"共 \d+ 个组织"))
    shot(page, "rectification-report-ledger")

    form = page.get_by_test_id("ledger-filters")
    form.locator("input[name=overdue]").check()
    form.get_by_role("button", name="筛选").click()
    page.wait_for_load_state("networkidle")
    rows = page.get_by_test_id("ledger-row")
    expect(rows.first).to_be_visible()
    for i in range(rows.count()):
        expect(rows.nth(i)).to_have_attribute("data-overdue", "1")


# -- the receiver and the liaison --------------------------------------------------------------

def test_the_receiver_sees_what_was_handed_to_it_and_not_the_ledger(page, server):
    # Another receiver's transfer, from the office's ledger.
    login_as(page, server, "office_admin")
    menu(page, "移交台账")
    form = page.get_by_test_id("transfer-filter")
    form.locator("select[name=receiver]").select_option(label=server.accounts["receiver_organization"]["scope"])
    form.get_by_role("button", name="筛选").click()
    page.wait_for_load_state("networkidle")
    other = page.get_by_test_id("transfer-row").first.locator("a").first.get_attribute("href")
    ledger = page.url
    logout(page)

    login_as(page, server, "receiver_discipline")
    mine = server.accounts["receiver_discipline"]["scope"]
    menu(page, "移交本单位的事项")
    rows = page.get_by_test_id("transfer-row")
    expect(rows.first).to_be_visible()
    assert rows.count() > 10
    overdue = page.locator("[data-testid=transfer-row].list-group-item-danger")
    assert overdue.count() >= 1
    expect(overdue.first.get_by_test_id("transfer-deadline")).to_have_class(DANGER)
    expect(rows.first.get_by_test_id("transfer-state")).to_be_visible()
    expect(page.locator("nav.xc-sidebar")).not_to_contain_text("移交台账")
    shot(page, "rectification-received-transfers")
    rows.first.click()
    page.wait_for_load_state("networkidle")
    expect(page.locator("main h1")).to_contain_text(mine)
    expect(page.get_by_test_id("transfer-dates")).to_contain_text("年")
    shot(page, "rectification-received-transfer")

    # The ledger is not the receiver's: asked for it (filtered or not), it gets its own page.
    for url in (ledger, f"{server.url}/rectification/transfers/"):
        response = page.request.get(url, max_redirects=0)
        assert response.status == 302, (url, response.status)
        assert response.headers["location"].endswith("/rectification/transfers/received/"), response.headers
    page.goto(ledger)
    assert page.url.endswith("/rectification/transfers/received/"), page.url
    expect(page.get_by_test_id("transfer-table")).to_have_count(0)
    expect(page.get_by_test_id("transfer-totals")).to_have_count(0)
    assert _status(page, f"{server.url}/rectification/transfers/export/") in (403, 404)
    assert _status(page, f"{server.url}{other}") == 404  # another receiver's transfer


def test_the_liaison_workspace_shows_every_warning_colour_and_no_dashboard(page, server):
    login_as(page, server, "liaison_village")
    nav = page.locator("nav.xc-sidebar")
    expect(nav).not_to_contain_text("整改总览")
    menu(page, "整改工作台")
    rows = page.get_by_test_id("task-row")
    expect(rows.first).to_be_visible()
    levels = [rows.nth(i).get_attribute("data-level") for i in range(rows.count())]
    assert {"red", "yellow", "green"} <= set(levels), levels
    order = {"red": 0, "yellow": 1, "green": 2, "": 3}
    assert [order[lv] for lv in levels] == sorted(order[lv] for lv in levels), levels  # most urgent first
    for level, css in (("red", "danger"), ("yellow", "warning"), ("green", "success")):
        card = page.locator(f"[data-testid=task-row][data-level={level}]").first
        expect(card).to_have_class(re.compile(rf"\bborder-{css}\b"))
        expect(card.get_by_test_id("deadline")).to_have_class(re.compile(rf"\btext-bg-{css}\b"))
    counts = {key: _int(page.get_by_test_id(f"count-{key}").inner_text())
              for key in ("open", "due-soon", "overdue", "requested", "closed")}
    assert counts["open"] == rows.count(), counts
    assert counts["overdue"] == levels.count("red"), counts
    assert counts["due-soon"] == levels.count("yellow") + levels.count("green"), counts
    assert counts["closed"] > 0, counts
    returned = page.get_by_test_id("returned")
    expect(returned.first).to_have_text("销号申请被退回")
    expect(page.get_by_test_id("feedback-deadline").first).to_be_visible()
    shot(page, "rectification-workspace")

    for path in ("/rectification/", "/rectification/overdue/", "/rectification/transfers/",
                 "/rectification/tasks/closure/"):
        assert _status(page, f"{server.url}{path}") == 403, path
    response = page.goto(f"{server.url}/rectification/")
    assert response.status == 403
    expect(page.get_by_test_id("dashboard-summary")).to_have_count(0)
    shot(page, "rectification-dashboard-refused-liaison")
