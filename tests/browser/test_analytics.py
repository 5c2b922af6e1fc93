"""Analytics in a real browser, as the people who use it: the office reads the dashboard (charts
drawn, a bar and a table row each open a list as long as their figure), the statistics with
their summary in Word, the recurring / common / systemic problems with a cluster and one
explained pair, the department mapping, the recommendation ledger with a letter in Word, and a
special campaign; the superior office reads its subtree; a group member reads its own group's
figures and is refused the clusters; the agriculture bureau answers the letter waiting for it.
Then the recommendation editor's path: the office drafts from a common problem, the leading
group approves, the office issues, and the response deadline follows.

The figures are read from the demo county as the session's server holds it (other browser tests
add to it), so every check compares a page with the pages it leads to, not with fixed numbers.
"""

from __future__ import annotations

import calendar
import re
import uuid
import zipfile
from datetime import date

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import shot
from tests.browser.test_rounds import login_as

CONTEXT = {"locale": "zh-CN", "viewport": {"width": 1366, "height": 860}}
CHINESE_DATE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")
PER_PAGE = 50  # the drill-down's page size (analytics.views.stats.PER_PAGE)


# -- signing in once per account ----------------------------------------------------------------

@pytest.fixture(scope="module")
def _signed_in(browser, server):
    """Each account signs in once for the module; its pages reuse the session cookie."""
    states: dict[str, dict] = {}

    def state(username: str) -> dict:
        if username not in states:
            context = browser.new_context(**CONTEXT)
            login_as(context.new_page(), server, username)
            states[username] = context.storage_state()
            context.close()
        return states[username]

    return state


@pytest.fixture
def as_user(browser, _signed_in):
    """as_user("office_admin") → a new tab signed in as that demo account."""
    contexts = []

    def open_as(username: str):
        context = browser.new_context(storage_state=_signed_in(username), **CONTEXT)
        contexts.append(context)
        tab = context.new_page()
        tab.set_default_timeout(15000)
        return tab

    yield open_as
    for context in contexts:
        context.close()


# -- small helpers ------------------------------------------------------------------------------

def _int(text: str) -> int:
    return int(re.sub(r"[^\d]", "", text) or 0)


def _go(page, server, path: str):
    response = page.goto(f"{server.url}{path}")
    page.wait_for_load_state("networkidle")
    return response


def _status(page, url: str) -> int:
    return page.request.get(url, max_redirects=0).status


def _docx_text(path) -> str:
    with zipfile.ZipFile(path) as docx:
        xml = docx.read("word/document.xml").decode("utf-8")
    return re.sub(r"<[^>]+>", "", xml)


def _chinese_date(text: str) -> date:
    found = CHINESE_DATE.search(text)
    assert found, text
    return date(*(int(g) for g in found.groups()))


def _add_months(day: date, months: int) -> date:
    year, month = divmod(day.month - 1 + months, 12)
    year, month = day.year + year, month + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _fits(page, testid: str) -> None:
    """Nothing of the table is cut off at the right of its box."""
    box = page.get_by_test_id(testid).first.evaluate("t => [t.scrollWidth, t.parentElement.clientWidth]")
    assert box[0] <= box[1] + 1, (testid, box)


def _drilldown_matches(page, figure: int) -> None:
    """The drill-down page lists as many rows as the figure it came from, page by page."""
    expect(page.get_by_test_id("drilldown-count")).to_have_text(str(figure))
    rows = page.locator("[data-testid=drilldown-table] tbody tr")
    expect(rows).to_have_count(min(figure, PER_PAGE))
    pages = -(-figure // PER_PAGE)
    if pages > 1:
        page.locator(".pagination a.page-link", has_text=re.compile(rf"^{pages}$")).click()
        page.wait_for_load_state("networkidle")
        expect(page.locator("[data-testid=drilldown-table] tbody tr")).to_have_count(figure - PER_PAGE * (pages - 1))


def _click_bar(page, card, index: int) -> None:
    """Click the middle of bar `index` of a vertical bar chart, where ECharts drew it."""
    chart = card.locator("[data-pane=chart]")
    chart.scroll_into_view_if_needed()
    x, y = chart.evaluate(
        """(el, i) => { const c = window.echarts.getInstanceByDom(el);
                        const v = c.getOption().series[0].data[i];
                        return c.convertToPixel({seriesIndex: 0}, [i, v / 2]); }""", index)
    box = chart.bounding_box()
    with page.expect_navigation():
        page.mouse.click(box["x"] + x, box["y"] + y)
    page.wait_for_load_state("networkidle")


# -- the office ---------------------------------------------------------------------------------

def test_the_dashboard_draws_its_charts_and_opens_the_lists_behind_them(as_user, server):
    page = as_user("office_admin")
    _go(page, server, "/analytics/")
    expect(page.locator("nav.xc-sidebar a[href='/analytics/']")).to_be_visible()
    cards = page.locator("[data-testid=dashboard-cards] section[data-chart]")
    assert cards.count() == 6, cards.count()  # the office reads every chart, rectification's too
    for i in range(cards.count()):
        card = cards.nth(i)
        key = card.get_attribute("data-testid")
        expect(card.locator("[data-pane=chart] svg, [data-pane=chart] canvas").first).to_be_visible()
        expect(card.locator("[data-pane=table]")).to_be_hidden()
        expect(card.locator("[data-view-switch]")).to_be_visible()
        assert card.locator("[data-pane=chart]").evaluate("e => e.getBoundingClientRect().height") >= 200, key
        box = card.evaluate("c => [c.scrollWidth, c.clientWidth]")
        assert box[0] <= box[1], (key, box)
    shot(page, "analytics-dashboard")

    # A bar of the rounds chart opens that round's problems: as many as the bar says.
    rounds = page.get_by_test_id("chart-rounds")
    values = [int(v) for v in rounds.locator("[data-testid=table-rounds] tbody td[data-value]").evaluate_all(
        "cells => cells.map(c => c.dataset.value)")]
    assert len(values) >= 5 and all(v > 0 for v in values), values
    smallest = values.index(min(values))
    _click_bar(page, rounds, smallest)
    assert "/analytics/statistics/drilldown/" in page.url and "figure=problems" in page.url, page.url
    _drilldown_matches(page, values[smallest])
    shot(page, "analytics-drilldown-round")

    # The table switch shows the same figures as a table; its links open the same lists.
    _go(page, server, "/analytics/")
    focus = page.get_by_test_id("chart-focus")
    focus.locator("[data-view=table]").click()
    expect(focus.locator("[data-pane=table]")).to_be_visible()
    expect(focus.locator("[data-pane=chart]")).to_be_hidden()
    expect(focus.locator("[data-view=table]")).to_have_attribute("aria-pressed", "true")
    cell = focus.locator("[data-testid=table-focus] tbody td[data-value]").first
    figure = int(cell.get_attribute("data-value"))
    total = sum(int(v) for v in focus.locator("[data-testid=table-focus] tbody td[data-value]").evaluate_all(
        "cells => cells.map(c => c.dataset.value)"))
    assert total == sum(values), (total, sum(values))  # every problem has one focus and one round
    shot(page, "analytics-dashboard-table")
    cell.locator("a").click()
    page.wait_for_load_state("networkidle")
    _drilldown_matches(page, figure)
    expect(page.get_by_test_id("drilldown-filters")).to_contain_text("青崖县委")
    _fits(page, "drilldown-table")


def test_the_statistics_summary_and_its_word_document(as_user, server):
    page = as_user("office_admin")
    _go(page, server, "/analytics/statistics/")
    summary = page.get_by_test_id("summary-text").input_value()
    assert summary.startswith("青崖县委") and "发现问题" in summary, summary
    found = page.get_by_test_id("figure-problems-value")
    assert int(found.get_attribute("data-value")) > 1000
    assert f"发现问题{found.get_attribute('data-value')}个" in summary, summary  # the summary says the figure
    _fits(page, "figures-table")
    shot(page, "analytics-statistics")

    with page.expect_download() as download:
        page.get_by_test_id("statistics-word").click()
    assert download.value.suggested_filename.endswith(".docx"), download.value.suggested_filename
    text = _docx_text(download.value.path())
    assert summary[:40] in text, text[:300]

    # A figure is a link to its list, as long as the figure.
    figure = int(found.get_attribute("data-value"))
    found.click()
    page.wait_for_load_state("networkidle")
    expect(page.get_by_test_id("drilldown-count")).to_have_text(str(figure))


def test_recurring_common_and_systemic_problems(as_user, server):
    page = as_user("office_admin")
    _go(page, server, "/analytics/clusters/?tab=recurring")
    expect(page.get_by_test_id("tab-recurring")).to_have_attribute("aria-current", "page")
    pairs = page.locator("[data-testid=recurring-table] tbody tr[data-relation]")
    expect(pairs.first).to_be_visible()
    persistent = page.locator("[data-testid=recurring-table] [data-testid=badge-persistent]")
    assert persistent.count() >= 1
    # Those that recurred after rectification (屡禁不止) come first, in red.
    relations = pairs.evaluate_all("rows => rows.map(r => r.dataset.relation)")
    assert relations[0] == "persistent", relations
    expect(persistent.first).to_have_class(re.compile(r"\btext-bg-danger\b"))
    _fits(page, "recurring-table")
    shot(page, "analytics-clusters-recurring")

    # One explained pair: the shared phrases marked on both texts.
    pairs.first.get_by_role("link").click()
    page.wait_for_load_state("networkidle")
    expect(page.get_by_test_id("badge-persistent")).to_be_visible()
    assert _int(page.get_by_test_id("similarity").inner_text()) >= 60
    expect(page.locator("[data-testid=phrases] mark").first).to_be_visible()
    for side in ("earlier", "later"):
        expect(page.locator(f"[data-testid=text-{side}] mark").first).to_be_visible()
    shot(page, "analytics-match-detail")

    _go(page, server, "/analytics/clusters/?tab=common")
    clusters = page.locator("[data-testid=cluster-table] tbody tr")
    expect(clusters.first).to_be_visible()
    counts = [_int(t) for t in clusters.locator("td[data-col=organizations]").all_inner_texts()]
    assert all(n >= 3 for n in counts), counts  # a common problem: three organizations or more
    _fits(page, "cluster-table")
    shot(page, "analytics-clusters-common")
    first = clusters.first
    organizations = _int(first.locator("td[data-col=organizations]").inner_text())
    first.get_by_role("link").click()
    page.wait_for_load_state("networkidle")
    expect(page.get_by_test_id("organization-count")).to_contain_text(str(organizations))
    members = page.locator("[data-testid=member-table] tbody tr")
    expect(members.first).to_be_visible()
    distinct = set(members.locator("td:first-child").all_inner_texts())
    assert len(distinct) >= min(organizations, 2), distinct
    expect(page.locator("[data-testid=member-table] mark").first).to_be_visible()
    expect(page.get_by_test_id("draft-recommendation")).to_be_visible()  # the office may write one
    shot(page, "analytics-cluster-detail")

    _go(page, server, "/analytics/clusters/?tab=systemic")
    systemic = page.locator("[data-testid=cluster-table] tbody tr")
    expect(systemic.first).to_be_visible()
    departments = systemic.locator("[data-testid=departments]").all_inner_texts()
    assert departments and all(d.strip() for d in departments), departments
    _fits(page, "cluster-table")
    shot(page, "analytics-clusters-systemic")

    # The department mapping that makes them systemic.
    _go(page, server, "/analytics/clusters/departments/")
    points = page.locator("[data-testid=mapping-table] tbody tr")
    expect(points.first).to_be_visible()
    mapped = page.locator("[data-testid=mapping-table] [data-testid^=mapping-]")
    assert mapped.count() >= 1
    assert {d.strip() for d in departments[0].split("、")} <= set(mapped.all_inner_texts()), departments[0]
    shot(page, "analytics-department-mapping")


def test_the_recommendation_ledger_a_letter_in_word_and_a_campaign(as_user, server):
    page = as_user("office_admin")
    _go(page, server, "/analytics/recommendations/")
    rows = page.get_by_test_id("recommendation-row")
    expect(rows.first).to_be_visible()
    totals = page.get_by_test_id("recommendation-totals")
    assert int(totals.get_attribute("data-letters")) == rows.count() >= 6
    states = rows.locator("[data-testid=recommendation-state]").evaluate_all("b => b.map(x => x.dataset.state)")
    assert {"draft", "submitted", "issued", "closed"} <= set(states), states
    assert int(totals.get_attribute("data-issued")) == sum(s in ("issued", "closed") for s in states)
    overdue = page.locator("[data-testid=recommendation-row].table-danger")
    assert overdue.count() == int(totals.get_attribute("data-overdue"))
    _fits(page, "recommendation-table")
    shot(page, "analytics-recommendation-ledger")

    issued = rows.filter(has=page.locator("[data-state=issued]")).first
    title = issued.locator("td").nth(1).inner_text().strip()
    issued.get_by_role("link").first.click()
    page.wait_for_load_state("networkidle")
    expect(page.get_by_test_id("recommendation-title")).to_have_text(title)
    expect(page.get_by_test_id("recommendation-state")).to_have_attribute("data-state", "issued")
    expect(page.locator("[data-testid=letter-item]").first).to_be_visible()
    expect(page.get_by_test_id("response-deadline")).to_contain_text("年")
    expect(page.get_by_test_id("addressee").first).to_be_visible()
    shot(page, "analytics-recommendation-issued")
    with page.expect_download() as download:
        page.get_by_test_id("recommendation-word").click()
    assert download.value.suggested_filename.endswith(".docx"), download.value.suggested_filename
    text = _docx_text(download.value.path())
    assert title in text, text[:300]
    items = page.locator("[data-testid=letter-item]").all_inner_texts()
    assert items[0].strip()[:20] in text

    _go(page, server, "/analytics/recommendations/campaigns/")
    campaign = page.locator("main table tbody tr a").first
    name = campaign.inner_text().strip()
    campaign.click()
    page.wait_for_load_state("networkidle")
    expect(page.locator("main h1")).to_have_text(name)
    items = page.get_by_test_id("campaign-item")
    totals = page.get_by_test_id("campaign-totals")
    assert int(totals.get_attribute("data-items")) == items.count() >= 1
    done = page.locator("[data-testid=campaign-item][data-state=done]").count()
    assert int(totals.get_attribute("data-done")) == done
    fixed = [_int(t) for t in items.locator("td:nth-child(7)").all_inner_texts()]
    assert sum(fixed) == int(totals.get_attribute("data-fixed")), fixed
    money = [float(t.replace(",", "")) for t in items.locator("td:nth-child(8)").all_inner_texts()]
    total = totals.locator("td").last.inner_text().strip()
    assert re.fullmatch(r"[\d,]+\.\d\d", total) and abs(float(total.replace(",", "")) - sum(money)) < 0.005, \
        (total, money)  # in yuan and fen, like its rows
    _fits(page, "campaign-items")
    shot(page, "analytics-campaign")


# -- the superior office, a group member, a department ------------------------------------------

def test_the_supervisor_reads_the_statistics_of_its_subtree(as_user, server):
    page = as_user("supervisor")
    _go(page, server, "/analytics/statistics/")
    committee = page.locator("[data-testid=analytics-filters] select[name=committee]")
    options = committee.locator("option").all_inner_texts()
    assert options[0] == server.accounts["supervisor"]["scope"] and len(options) >= 3, options
    assert "青崖县委" in options, options
    city = int(page.get_by_test_id("figure-problems-value").get_attribute("data-value"))
    expect(page.get_by_test_id("figure-leads-value")).to_have_attribute("data-value", "0")  # never a lead
    shot(page, "analytics-statistics-supervisor")

    committee.select_option(label="青崖县委")
    page.get_by_test_id("filters-apply").click()
    page.wait_for_load_state("networkidle")
    expect(page.locator("main h1")).to_contain_text("青崖县委")
    county = int(page.get_by_test_id("figure-problems-value").get_attribute("data-value"))
    assert 0 < county <= city, (county, city)
    assert page.get_by_test_id("summary-text").input_value().startswith("青崖县委")
    # The office's pages of the county are not the supervisor's to change.
    assert _status(page, f"{server.url}/intake/") == 403


def test_a_group_member_reads_only_its_group_and_not_the_clusters(as_user, server):
    account = server.accounts["group_member1"]
    group = account["scope"]  # 十四届第九轮第一巡察组
    page = as_user("group_member1")
    _go(page, server, "/analytics/")
    rounds = page.locator("[data-testid=table-rounds] tbody tr")
    expect(rounds).to_have_count(1)  # its own round only
    label = rounds.first.locator("th").inner_text().strip()
    assert group.startswith(label), (label, group)
    figure = int(rounds.first.locator("td[data-value]").get_attribute("data-value"))
    assert figure > 0
    # The groups read no rectification: no overdue chart, the funnel stops at the feedback.
    expect(page.get_by_test_id("chart-overdue")).to_have_count(0)
    expect(page.locator("[data-testid=table-funnel] tbody tr")).to_have_count(2)
    nav = page.locator("nav.xc-sidebar")
    expect(nav.locator("a[href='/analytics/clusters/']")).to_have_count(0)
    expect(page.locator("[data-testid=chart-rounds] [data-pane=chart] svg")).to_be_visible()
    shot(page, "analytics-dashboard-group-member")

    _click_bar(page, page.get_by_test_id("chart-rounds"), 0)
    _drilldown_matches(page, figure)
    numbers = page.locator("[data-testid=drilldown-table] tbody tr td:first-child").all_inner_texts()
    assert numbers and all(n.startswith(group) for n in numbers), numbers[:3]

    response = _go(page, server, "/analytics/clusters/")
    assert response.status == 403
    expect(page.locator("[data-testid=cluster-tabs]")).to_have_count(0)
    assert _status(page, f"{server.url}/analytics/clusters/?tab=common") == 403
    assert _status(page, f"{server.url}/analytics/recommendations/") == 403
    shot(page, "analytics-clusters-refused-group-member")


def test_the_department_answers_the_letter_waiting_for_it(as_user, server):
    page = as_user("receiver_agriculture")
    bureau = server.accounts["receiver_agriculture"]["scope"]
    _go(page, server, "/analytics/recommendations/received/")
    rows = page.get_by_test_id("received-row")
    expect(rows.first).to_be_visible()
    assert rows.count() >= 2
    states = rows.locator("[data-testid=recommendation-state]").evaluate_all("b => b.map(x => x.dataset.state)")
    assert set(states) <= {"issued", "closed"}, states  # never a draft
    expect(page.locator("nav.xc-sidebar a[href='/analytics/recommendations/']")).to_have_count(0)
    shot(page, "analytics-received-recommendations")
    # The ledger is the office's: the department asking for it gets its own letters.
    response = page.request.get(f"{server.url}/analytics/recommendations/", max_redirects=0)
    assert response.status == 302 and response.headers["location"].endswith("/recommendations/received/"), \
        (response.status, response.headers)

    waiting = None
    for href in rows.evaluate_all("rows => rows.map(r => r.getAttribute('href'))"):
        _go(page, server, href)
        if page.locator("[data-testid=addressee]:not([data-responded])").count():
            waiting = href
            break
    if waiting is None:
        pytest.skip("no letter waits for the bureau's response in this demo")
    addressee = page.get_by_test_id("addressee")
    expect(addressee.locator("h3")).to_have_text(bureau)
    expect(page.get_by_test_id("response-deadline")).to_be_visible()
    words = f"已制定农村饮水工程管护办法并印发执行。{uuid.uuid4().hex[:6]}"
    form = page.get_by_test_id("response-form")
    form.locator("textarea[name=response]").fill(words)
    form.locator("button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    assert page.url.endswith(waiting), page.url
    answered = page.get_by_test_id("addressee")
    expect(answered).to_have_attribute("data-responded", "1")
    expect(answered.get_by_test_id("response")).to_contain_text(words)
    shot(page, "analytics-received-answered")


# -- the recommendation editor -------------------------------------------------------------------

def test_a_recommendation_from_draft_to_issue(as_user, server):
    office = as_user("office_admin")
    _go(office, server, "/analytics/clusters/?tab=common")
    office.locator("[data-testid=cluster-table] tbody tr a").first.click()
    office.wait_for_load_state("networkidle")
    responsible = office.get_by_test_id("departments")  # when the cluster is systemic too
    wanted = re.split(r"[、\s]", responsible.inner_text().strip())[0] if responsible.count() else None
    office.get_by_test_id("draft-recommendation").click()
    office.wait_for_load_state("networkidle")
    expect(office.get_by_test_id("source-cluster")).to_be_visible()
    form = office.get_by_test_id("draft-form")
    ticked = form.locator("[data-testid=draft-problems] input:checked").count()
    assert ticked >= 3, ticked  # the cluster's problems, ready to go
    title = f"关于加强村级财务审计整改的巡察建议书（{uuid.uuid4().hex[:4]}）"
    form.locator("input[name=title]").fill(title)
    choices = form.locator("[data-testid=draft-addressees] .form-check")
    # A department: the one responsible for the problems' supervision point, else a county one.
    department = choices.filter(has_text=re.compile(rf"^{wanted}$" if wanted else r"^县")).first
    addressed = department.locator("label").inner_text().strip()
    department.locator("input").check()
    shot(office, "analytics-recommendation-draft-form")
    form.locator("button[type=submit]").click()
    office.wait_for_load_state("networkidle")
    assert re.search(r"/analytics/recommendations/\d+/$", office.url), office.url
    letter = office.url
    expect(office.get_by_test_id("recommendation-state")).to_have_attribute("data-state", "draft")
    expect(office.get_by_test_id("recommendation-title")).to_have_text(title)
    assert office.locator("[data-testid=edit-form] textarea[name=symptoms]").input_value().strip()

    # 病情病理: the symptoms are written from the problems; the office adds the root causes.
    edit = office.get_by_test_id("edit-form")
    edit.locator("textarea[name=causes]").fill("村级财务监督机制不健全，审计发现问题的整改责任未压实到人。")
    edit.locator("button[type=submit]").click()
    office.wait_for_load_state("networkidle")
    expect(office.locator("[data-testid=edit-form] textarea[name=causes]")).to_have_value(re.compile("整改责任"))
    items = office.get_by_test_id("items-form")
    items.locator("textarea[name=item_1]").fill("建立审计整改台账，逐项明确责任人和完成时限。")
    items.locator("textarea[name=item_2]").fill("将审计整改情况纳入村干部年度考核。")
    items.locator("button[type=submit]").click()
    office.wait_for_load_state("networkidle")
    expect(office.locator("[data-testid=items-form] textarea[name=item_2]")).to_have_value("将审计整改情况纳入村干部年度考核。")
    expect(office.locator("[data-testid=addressee] h3")).to_have_text([addressed])
    shot(office, "analytics-recommendation-drafted")
    office.get_by_test_id("action-submit").click()
    office.wait_for_load_state("networkidle")
    expect(office.get_by_test_id("recommendation-state")).to_have_attribute("data-state", "submitted")
    expect(office.get_by_test_id("action-approve")).to_have_count(0)  # the office does not approve
    expect(office.get_by_test_id("edit-form")).to_have_count(0)  # submitted: read only
    expect(office.locator("[data-testid=letter-item]")).to_have_count(2)

    leader = as_user("leader")
    _go(leader, server, letter.removeprefix(server.url))
    expect(leader.get_by_test_id("recommendation-state")).to_have_attribute("data-state", "submitted")
    expect(leader.get_by_test_id("action-issue")).to_have_count(0)
    leader.locator("[data-testid=recommendation-actions] textarea[name=comment]").fill("同意印发。")
    leader.get_by_test_id("action-approve").click()
    leader.wait_for_load_state("networkidle")
    expect(leader.get_by_test_id("recommendation-state")).to_have_attribute("data-state", "approved")
    expect(leader.locator("[data-testid=recommendation-step][data-action=approve]")).to_contain_text("同意印发。")
    shot(leader, "analytics-recommendation-approved")

    office.reload()
    office.wait_for_load_state("networkidle")
    expect(office.get_by_test_id("recommendation-state")).to_have_attribute("data-state", "approved")
    issue = office.get_by_test_id("issue-form")
    issued_on = date.fromisoformat(issue.locator("input[name=issued_on]").input_value())
    office.get_by_test_id("action-issue").click()
    office.wait_for_load_state("networkidle")
    expect(office.get_by_test_id("recommendation-state")).to_have_attribute("data-state", "issued")
    dates = office.get_by_test_id("recommendation-dates")
    assert _chinese_date(dates.locator("dd").first.inner_text()) == issued_on
    due = _chinese_date(office.get_by_test_id("response-deadline").inner_text())
    policy = CHINESE_DATE.sub("", office.get_by_test_id("recommendation-policy").inner_text())
    months = int(re.search(r"\d+", policy).group())
    assert due == _add_months(issued_on, months), (due, issued_on, months)
    expect(office.get_by_test_id("response-deadline")).not_to_have_attribute("data-overdue", "1")
    shot(office, "analytics-recommendation-issued-new")

    # In the ledger with its deadline; and the department it is addressed to has it.
    _go(office, server, "/analytics/recommendations/")
    row = office.get_by_test_id("recommendation-row").filter(has_text=title)
    expect(row.get_by_test_id("recommendation-state")).to_have_attribute("data-state", "issued")
    expect(row.get_by_test_id("response-deadline")).to_contain_text(f"{due.year}年{due.month}月{due.day}日")
    expect(row.get_by_test_id("responses")).to_have_attribute("data-responded", "0")
