"""Reports and feedback in a real browser: a group generates and edits an inspection report and
takes it up the approval chain (with one return); the feedback is drafted, issued and
downloaded as Word; the inspected organization's liaison reads its feedback, acknowledges it
and downloads it, never meeting a lead; refusals for the liaison and the superior office; the
office's document centre makes an Excel problem list.

Each test signs in afresh. The approved report of the chain is shared with the feedback test
through `_approved()` (run again when that test runs alone); everything else is created by the
test that uses it.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from playwright.sync_api import expect

from tests.browser.conftest import shot
from tests.browser.test_rounds import login_as, logout

ROUND_8 = "十四届第八轮"
ROUND_9 = "十四届第九轮"
# The default chain's steps (data, not translated) and who takes each in the demo.
DECIDERS = {"组务会": "group_deputy", "组长": "group_leader", "巡察办": "office_staff",
            "领导小组": "leader", "书记专题会": "leader"}
ADDED = "本段为浏览器测试在编辑器中补充的内容。"
LEAD_WORD = "问题线索"
_CHAIN: dict = {}


# -- helpers ---------------------------------------------------------------------------------

def _round_id(page, server, label: str) -> str:
    """The id of a round, from the reports page's round chooser."""
    page.goto(f"{server.url}/reports/")
    option = page.locator("#id_round option").filter(has_text=re.compile(rf"^\s*{label}"))
    return option.first.get_attribute("value")


def _decide(page, action: str, comment: str) -> None:
    box = page.get_by_test_id("report-decide")
    box.locator("textarea[name=comment]").fill(comment)
    box.locator(f"button[name=action][value={action}]").click()
    page.wait_for_load_state("networkidle")


def _current_step(page) -> str | None:
    current = page.locator("[data-testid=report-chain] li.current")
    if not current.count():
        return None
    return current.first.inner_text().split("(")[0].strip()


def _download(page, link) -> tuple[str, bytes]:
    with page.expect_download() as info:
        link.click()
    download = info.value
    return download.suggested_filename, Path(download.path()).read_bytes()


def _status(page, url: str) -> int:
    return page.request.get(url, max_redirects=0).status


def _run_chain(page, server) -> dict:
    """As group_leader (signed in): generate, edit, submit a round-9 report of group 1; it is
    returned once, resubmitted and approved up the chain."""
    round_9 = _round_id(page, server, ROUND_9)
    page.goto(f"{server.url}/reports/?round={round_9}")
    row = page.locator("[data-testid=round-reports] tbody tr").filter(
        has=page.locator("[data-testid=generate-report]")).first
    organization = row.locator("td").nth(1).inner_text().strip()
    action = row.locator("form:has([data-testid=generate-report])").get_attribute("action")
    assignment = re.search(r"/targets/(\d+)/generate/", action).group(1)
    row.get_by_test_id("generate-report").click()
    page.wait_for_load_state("networkidle")
    assert re.search(r"/reports/\d+/$", page.url), page.url
    report_url = page.url
    text = page.get_by_test_id("report-text")
    expect(text).to_contain_text("主要问题")
    expect(page.get_by_test_id("report-state")).to_have_class(re.compile("text-bg-secondary"))

    # Edit one section: saving makes version 2, version 1 is kept.
    page.get_by_test_id("report-edit").click()
    editor = page.get_by_test_id("report-editor")
    section = editor.locator("div[id^='edit-'] textarea").last
    section.fill(section.input_value().rstrip() + "\n" + ADDED)
    editor.locator("[name=note]").fill("浏览器测试修改")
    editor.locator("button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    assert page.url == report_url
    expect(page.get_by_test_id("report-text")).to_contain_text(ADDED)
    page.goto(f"{report_url}versions/")
    expect(page.locator("[data-testid=report-versions] tbody tr")).to_have_count(2)
    page.goto(report_url)
    page.locator("[data-testid=report-submit] button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    expect(page.get_by_test_id("report-state")).to_have_class(re.compile("text-bg-info"))
    assert _current_step(page) == "组务会"
    logout(page)

    # 组务会: a return without a comment is refused, with a comment it goes back to the writers.
    login_as(page, server, "group_deputy")
    page.goto(report_url)
    _decide(page, "return", "")
    expect(page.locator("main .alert-danger")).to_be_visible()
    expect(page.get_by_test_id("report-state")).to_have_class(re.compile("text-bg-info"))
    expect(page.get_by_test_id("report-decide")).to_be_visible()
    _decide(page, "return", "问题定性依据不足，请补充后再报。")
    expect(page.get_by_test_id("report-state")).to_have_class(re.compile("text-bg-danger"))
    expect(page.get_by_test_id("report-history")).to_contain_text("问题定性依据不足")
    expect(page.get_by_test_id("report-decide")).to_have_count(0)
    logout(page)

    login_as(page, server, "group_leader")
    page.goto(report_url)
    page.locator("[data-testid=report-submit] input[name=comment]").fill("已按组务会意见补充。")
    page.locator("[data-testid=report-submit] button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    expect(page.get_by_test_id("report-state")).to_have_class(re.compile("text-bg-info"))

    decided = []
    while (step := _current_step(page)) is not None:
        logout(page)
        login_as(page, server, DECIDERS[step])
        page.goto(report_url)
        _decide(page, "approve", f"{step}：同意。")
        expect(page.locator("main .alert-success").first).to_be_visible()
        decided.append(step)
    assert decided == ["组务会", "组长", "巡察办", "领导小组", "书记专题会"], decided
    _CHAIN.update(report_url=report_url, organization=organization, assignment=assignment, round=round_9)
    return _CHAIN


def _approved(page, server) -> dict:
    return _CHAIN if _CHAIN else _run_chain(page, server)


def _leads_document(page, server) -> tuple[str, str]:
    """As office_admin: generate a round-8 leads report in Word; its download URL and the
    leads report's page URL."""
    round_8 = _round_id(page, server, ROUND_8)
    page.goto(f"{server.url}/reports/documents/round/{round_8}/")
    page.get_by_test_id("generate").locator("summary").click()
    form = page.locator("[data-testid=generate] form:has(input[name=doc_type][value=leads])").first
    report_id = form.locator("input[name=object_id]").get_attribute("value")
    form.locator("button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    page.goto(f"{server.url}/reports/documents/round/{round_8}/?type=leads")
    link = page.locator("[data-testid=document-table] a[href*='/download/']").first
    href = link.get_attribute("href")
    assert _status(page, f"{server.url}{href}") == 200
    return f"{server.url}{href}", f"{server.url}/reports/{report_id}/"


# -- tests -----------------------------------------------------------------------------------

def test_a_report_goes_up_the_approval_chain(page, server):
    login_as(page, server, "group_leader")
    chain = _run_chain(page, server)
    page.goto(chain["report_url"])
    expect(page.get_by_test_id("report-state")).to_have_class(re.compile("text-bg-success"))
    expect(page.get_by_test_id("report-edit")).to_have_count(0)
    expect(page.get_by_test_id("report-submit")).to_have_count(0)
    expect(page.locator("main .alert-success .bi-lock-fill")).to_be_visible()
    history = page.get_by_test_id("report-history")
    for step in DECIDERS:
        expect(history).to_contain_text(f"{step}：同意。")
    expect(page.get_by_test_id("report-text")).to_contain_text(ADDED)
    assert shot(page, "report-approved").stat().st_size > 10_000


def test_feedback_is_issued_with_deadlines_and_a_word_file(page, server):
    login_as(page, server, "group_leader")
    chain = _approved(page, server)
    page.goto(f"{server.url}/reports/feedback/?round={chain['round']}")
    page.locator(f"form[action$='/reports/feedback/new/{chain['assignment']}/'] button").click()
    page.wait_for_load_state("networkidle")
    assert re.search(r"/reports/feedback/\d+/$", page.url), page.url
    feedback_url = page.url
    form = page.get_by_test_id("feedback-form")
    boxes = form.locator("input[name=problems]")
    expect(boxes.first).to_be_checked()
    chosen = form.locator("input[name=problems]:checked").count()
    assert chosen >= 1
    form.locator("[name=requirements]").fill("请于规定期限内完成集中整改，并报送整改进展情况。")
    form.locator("button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    issue = page.get_by_test_id("issue-form")
    # The form offers today; it is typed back in as the feedback date.
    day = issue.locator("input[name=fed_back_on]").input_value()
    year, month, date = (int(x) for x in day.split("-"))
    shown = f"{year}年{month}月{date}日"
    issue.locator("input[name=fed_back_on]").fill(day)
    issue.locator("button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    assert page.url == feedback_url
    expect(page.get_by_test_id("feedback-state")).to_have_class(re.compile("text-bg-primary"))
    deadlines = page.get_by_test_id("feedback-deadlines")
    expect(deadlines).to_contain_text(shown)
    dates = re.findall(r"\d{4}年\d{1,2}月\d{1,2}日", deadlines.inner_text())
    assert len(dates) >= 3, dates  # feedback date, rectification due, progress report due
    expect(page.get_by_test_id("feedback-problems").locator("li")).to_have_count(chosen)
    expect(page.get_by_test_id("feedback-requirements")).to_contain_text("集中整改")
    word = page.locator("[data-testid=feedback-documents] li:has(.bi-file-earmark-word) a").first
    name, data = _download(page, word)
    assert name.endswith(".docx") and data[:2] == b"PK", name
    shot(page, "feedback-issued")
    # The feedback list shows it fed back with its dates.
    page.goto(f"{server.url}/reports/feedback/?round={chain['round']}")
    expect(page.get_by_test_id("feedback-table").locator("tr", has_text=chain["organization"])).to_contain_text(
        shown)


def test_the_liaison_reads_acknowledges_and_downloads_its_feedback(page, server, tmp_path):
    # The office prepares: a leads report in Word (its URL) and the Word file of the liaison's
    # organization's issued feedback.
    login_as(page, server, "liaison_village")
    page.goto(f"{server.url}/reports/feedback/unit/")
    entry = page.get_by_test_id("unit-feedback").locator("a").first
    label = re.search(r"十[三四]届第.轮", entry.inner_text()).group(0)
    organization = entry.locator(".text-muted").first.inner_text().strip()
    logout(page)
    login_as(page, server, "office_admin")
    leads_url, leads_report_url = _leads_document(page, server)
    page.goto(f"{server.url}/reports/documents/round/{_round_id(page, server, label)}/")
    page.get_by_test_id("generate").locator("summary").click()
    page.locator("[data-testid=generate] tr", has_text=organization).locator(
        "form:has(input[name=doc_type][value=feedback]) button").click()
    page.wait_for_load_state("networkidle")
    expect(page.locator("main .alert-success")).to_be_visible()
    logout(page)

    login_as(page, server, "liaison_village")
    page.locator("nav.xc-sidebar a[href$='/reports/feedback/unit/']").click()
    page.wait_for_load_state("networkidle")
    page.get_by_test_id("unit-feedback").locator("a").first.click()
    page.wait_for_load_state("networkidle")
    expect(page.get_by_test_id("feedback-problems").locator("li").first).to_be_visible()
    assert page.get_by_test_id("feedback-problems").locator("li .fw-semibold").count() >= 1
    expect(page.get_by_test_id("feedback-deadlines")).to_contain_text("年")
    acknowledge = page.get_by_test_id("acknowledge-form")
    if acknowledge.count():
        acknowledge.locator("button[type=submit]").click()
        page.wait_for_load_state("networkidle")
    expect(page.get_by_test_id("feedback-acknowledged")).to_be_visible()
    expect(page.get_by_test_id("acknowledge-form")).to_have_count(0)
    word = page.locator("[data-testid=feedback-documents] li:has(.bi-file-earmark-word) a").first
    name, data = _download(page, word)
    assert name.endswith(".docx") and data[:2] == b"PK", name
    path = tmp_path / name
    path.write_bytes(data)
    with zipfile.ZipFile(path) as docx:
        body = docx.read("word/document.xml").decode()
    assert LEAD_WORD not in body
    assert LEAD_WORD not in page.content()
    shot(page, "liaison-feedback")
    page.goto(f"{server.url}/reports/feedback/unit/")
    assert LEAD_WORD not in page.content()
    # The leads report and its Word file are out of reach.
    assert _status(page, leads_url) in (403, 404)
    assert _status(page, leads_report_url) in (403, 404)


def test_the_liaison_and_the_superior_office_are_refused(page, server):
    login_as(page, server, "office_admin")
    leads_url, leads_report_url = _leads_document(page, server)
    page.goto(f"{server.url}/reports/?round={_round_id(page, server, ROUND_8)}")
    report_url = page.locator("[data-testid=round-reports] a[href*='/reports/']").first.get_attribute("href")
    report_url = f"{server.url}{report_url}"
    logout(page)

    login_as(page, server, "liaison_village")
    for url in (f"{server.url}/reports/", report_url, f"{server.url}/reports/inbox/",
                f"{server.url}/reports/feedback/", leads_url, leads_report_url):
        assert _status(page, url) in (403, 404), url
    logout(page)

    login_as(page, server, "supervisor")
    assert _status(page, leads_url) == 404
    assert _status(page, leads_report_url) == 404
    page.goto(f"{server.url}/reports/?round={_round_id(page, server, ROUND_8)}")
    expect(page.locator("[data-testid=round-reports] .bi-shield-lock")).to_have_count(0)


def test_the_office_makes_an_excel_problem_list_in_the_document_centre(page, server):
    login_as(page, server, "office_admin")
    round_8 = _round_id(page, server, ROUND_8)
    page.goto(f"{server.url}/reports/documents/round/{round_8}/")
    page.get_by_test_id("generate").locator("summary").click()
    form = page.locator("[data-testid=generate] form:has(input[name=doc_type][value=problem_list])"
                        ":has(input[name=format][value=xlsx])").first
    form.locator("button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    expect(page.locator("main .alert-success")).to_be_visible()
    page.goto(f"{server.url}/reports/documents/round/{round_8}/?type=problem_list")
    row = page.locator("[data-testid=document-table] tbody tr").first
    name, data = _download(page, row.locator("a[href*='/download/']"))
    assert name.endswith(".xlsx") and data[:2] == b"PK", name
    shot(page, "documents-round8")
