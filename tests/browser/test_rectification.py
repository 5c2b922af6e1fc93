"""Rectification in a real browser, as the issue's acceptance scenario: the liaison of an
organization whose plan is still being written completes it (one task per problem fed back,
one of them with a vague measure) and submits it; the office sees the vague badge and returns
the plan with a comment on that task; the liaison rewrites the measure and resubmits; the office
approves; the liaison reports progress with an evidence file and requests closure; the office
closes the task (销号).

The demo's liaison accounts have approved plans, so the test makes the liaison of a draft
plan's organization the way an administrator would: `xuncha createuser` against the server's
data directory; the account changes its initial password at the first sign-in.
"""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import shot
from tests.browser.test_rounds import login_as, logout

XUNCHA = str(Path(sys.executable).parent / "xuncha")
VAGUE = "进一步加强管理，切实提高认识"
RETURN_COMMENT = "措施空泛，请写明由谁、在何时之前、对哪些事项做什么、做到多少。"
EVIDENCE = b"""%PDF-1.4
1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj
2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj
3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >> endobj
trailer << /Root 1 0 R >>
%%EOF
"""
# Concrete measures for the problems still without a task: who, by when, to what, how much. An
# opening and a closing in turn (coprime counts), so that no two read as copies of each other
# (copying between problems counts as vague).
OPENINGS = (
    "由{org}党组织书记牵头，{due}前对“{title}”逐项清查，建立整改台账1本",
    "{due}前，纪检委员会同会计对“{title}”涉及的2025年以来全部账目和合同逐笔核对，追回应收款项",
    "修订《{org}内部管理制度》第三章，由主要负责人针对“{title}”新增审批、公开、留痕3项规定",
    "组织全体干部12人参加“{title}”专题警示教育2次，由副书记在{due}前逐一谈话提醒",
    "对照“{title}”列出问题清单、任务清单、责任清单，分管领导每周调度1次，{due}前全部销号",
    "聘请第三方机构对“{title}”开展专项审计1次，审计发现的问题由财务负责人在{due}前逐条整改",
    "召开专题民主生活会1次剖析“{title}”的根源，班子成员各提出2条整改措施，{due}前落实到位",
)
CLOSINGS = (
    "，清查结果在公开栏公示。",
    "，形成核查报告报上级纪检组织备案。",
    "，经职工代表会议表决通过后印发执行。",
    "，谈话记录和整改承诺书归档备查。",
    "，每月5日前向党组织书记书面报告进展。",
    "，整改前后对比材料汇编成册存档。",
)


def measure_for(n: int, org: str, title: str, due: str) -> str:
    return (OPENINGS[n % len(OPENINGS)] + CLOSINGS[n % len(CLOSINGS)]).format(org=org, title=title, due=due)


def _shown_date(day: str) -> str:
    year, month, date = (int(x) for x in day.split("-"))
    return f"{year}年{month}月{date}日"


# -- the liaison of a draft plan ---------------------------------------------------------------

def _sign_in(page, server, username: str, password: str) -> None:
    page.goto(f"{server.url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")


@pytest.fixture(scope="module")
def draft(server, browser):
    """The draft plan with the fewest tasks, found by the office on its plan list, and a new
    liaison account of its organization (created with the CLI; password changed at first sign-in)."""
    context = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 860})
    page = context.new_page()
    page.set_default_timeout(15000)
    try:
        login_as(page, server, "office_admin")
        page.goto(f"{server.url}/rectification/plans/?state=draft")
        rows = page.locator("[data-testid=plan-table] tbody tr")
        expect(rows.first).to_be_visible()
        found = []
        for i in range(rows.count()):
            row = rows.nth(i)
            found.append((int(row.get_by_test_id("n-tasks").inner_text()),
                          row.locator("td").first.inner_text().strip(),
                          row.locator("a[href*='/rectification/plans/']").get_attribute("href")))
        _, organization, href = min(found)
        plan_url = f"{server.url}{href}"
        logout(page)

        username, password = f"liaison_{secrets.token_hex(3)}", f"Xc-{secrets.token_hex(5)}-Init"
        env = {**os.environ, "XUNCHA_DATA_DIR": str(server.data)}
        env.pop("DATABASE_URL", None)
        made = subprocess.run([XUNCHA, "createuser", username, "--name", "浏览器联络员", "--password", password,
                               "--role", "unit_liaison", "--organization", organization],
                              env=env, capture_output=True, text=True)
        assert made.returncode == 0 and f"created {username}" in made.stdout, made.stdout + made.stderr

        # The first sign-in goes to the password page before anything else.
        _sign_in(page, server, username, password)
        assert page.url.endswith("/accounts/password/"), page.url
        chosen = f"Qv-{secrets.token_hex(5)}-Own"
        form = page.locator("main form")
        form.locator("input[name=old_password]").fill(password)
        form.locator("input[name=new_password]").fill(chosen)
        form.locator("input[name=new_password_again]").fill(chosen)
        form.locator("button[type=submit]").click()
        page.wait_for_load_state("networkidle")
        expect(page.get_by_test_id("user-name")).to_contain_text("浏览器联络员")
        yield SimpleNamespace(username=username, password=chosen, organization=organization, plan_url=plan_url)
    finally:
        context.close()


def login_liaison(page, server, draft) -> None:
    _sign_in(page, server, draft.username, draft.password)
    expect(page.get_by_test_id("user-name")).to_contain_text("浏览器联络员")


# -- steps -----------------------------------------------------------------------------------

def _problems(page) -> list[tuple[int, str, bool]]:
    """The plan page's problems: (pk, title, has a task)."""
    found = []
    sections = page.locator("main section[id^=problem-]")
    for i in range(sections.count()):
        section = sections.nth(i)
        pk = int(section.get_attribute("id").removeprefix("problem-"))
        title = section.locator("h2").inner_text().split("·", 1)[1].strip()
        found.append((pk, title, section.get_by_test_id("no-task").count() == 0))
    return found


def _vague_tasks(section) -> set[int]:
    return {int(t.get_attribute("id").removeprefix("task-")) for t in section.locator("[id^=task-]").all()}


def _add_task(page, problem: int, measures: str) -> int:
    """Add a task to a problem through its form (deadline and type as offered); its id."""
    section = page.locator(f"#problem-{problem}")
    before = _vague_tasks(section)
    box = page.get_by_test_id(f"add-task-{problem}")
    box.locator("summary").click()
    prefix = f"p{problem}"
    box.locator(f"textarea[name={prefix}-measures]").fill(measures)
    box.locator(f"input[name={prefix}-responsible_leader]").fill("张建国（党组织书记）")
    box.locator(f"input[name={prefix}-lead_department]").fill("党政综合办公室")
    box.locator(f"input[name={prefix}-person_in_charge]").fill("李秀英（委员）")
    assert box.locator(f"input[name={prefix}-due]").input_value(), "the deadline is offered"
    box.get_by_role("button", name="添加任务").click()
    page.wait_for_load_state("networkidle")
    expect(page.locator("main .alert-success")).to_be_visible()
    added = _vague_tasks(page.locator(f"#problem-{problem}")) - before
    assert len(added) == 1, added
    return added.pop()


def test_a_plan_is_written_returned_for_a_vague_measure_rewritten_approved_and_a_task_closed(page, server, draft,
                                                                                            tmp_path):
    # 1. The liaison finds its plan being written and completes it: a task for every problem
    # still without one, the first with a vague measure.
    login_liaison(page, server, draft)
    page.locator("nav.xc-sidebar").get_by_role("link", name="本单位整改方案").click()
    page.wait_for_load_state("networkidle")
    entry = page.get_by_test_id("unit-plans").locator(".list-group-item").filter(has_text=draft.organization)
    expect(entry.get_by_test_id("plan-state")).to_have_text("起草中")
    entry.get_by_role("link", name="查看整改方案").click()
    page.wait_for_load_state("networkidle")
    assert page.url == draft.plan_url, (page.url, draft.plan_url)
    expect(page.locator("main h1")).to_contain_text(draft.organization)
    expect(page.get_by_test_id("missing-problems")).to_be_visible()
    expect(page.get_by_test_id("submit-form").locator("button[type=submit]")).to_be_disabled()
    due = _shown_date(page.locator("input[name$=-due]").first.input_value())
    expect(page.get_by_test_id("concentrated-due")).to_have_text(due)

    problems = _problems(page)
    missing = [(pk, title) for pk, title, has_task in problems if not has_task]
    assert missing, "a draft plan of the demo has problems without a task"
    written = {}
    for n, (pk, title) in enumerate(missing):
        measures = VAGUE if n == 0 else measure_for(n, draft.organization, title, due)
        written[_add_task(page, pk, measures)] = measures
    vague_task = next(t for t, m in written.items() if m == VAGUE)
    task = page.get_by_test_id(f"task-{vague_task}")
    expect(task.get_by_test_id("vague-badge")).to_be_visible()
    expect(task.get_by_test_id("vague-hint")).to_be_visible()
    for pk in written.keys() - {vague_task}:
        expect(page.get_by_test_id(f"task-{pk}").get_by_test_id("concrete-badge")).to_be_visible()
    expect(page.get_by_test_id("missing-problems")).to_have_count(0)
    assert all(has_task for _, _, has_task in _problems(page))
    shot(page, "rectification-plan-written")

    submit = page.get_by_test_id("submit-form")
    submit.locator("textarea[name=comment]").fill("已对反馈的全部问题逐项制定整改措施，请审核。")
    submit.get_by_role("button", name="提交整改方案").click()
    page.wait_for_load_state("networkidle")
    expect(page.get_by_test_id("plan-state")).to_have_text("待审核")
    expect(page.get_by_test_id("submit-box")).to_have_count(0)
    expect(page.get_by_test_id("task-edit")).to_have_count(0)
    logout(page)

    # 2. The office opens the plan from its list, sees the vague badge, returns the plan with a
    # comment on that task.
    login_as(page, server, "office_staff")
    page.locator("nav.xc-sidebar").get_by_role("link", name="整改方案").click()
    page.wait_for_load_state("networkidle")
    page.get_by_test_id("plan-filter").locator("select[name=state]").select_option(label="待审核")
    page.get_by_test_id("plan-filter").get_by_role("button", name="显示").click()
    page.wait_for_load_state("networkidle")
    row = page.locator("[data-testid=plan-table] tbody tr").filter(has_text=draft.organization)
    expect(row.get_by_test_id("plan-state")).to_have_text("待审核")
    expect(row.get_by_test_id("n-vague")).not_to_have_text("0")
    row.get_by_role("link", name="审核").click()
    page.wait_for_load_state("networkidle")
    assert page.url == draft.plan_url
    expect(page.get_by_test_id("vague-warning")).to_be_visible()
    task = page.get_by_test_id(f"task-{vague_task}")
    expect(task.get_by_test_id("vague-badge")).to_contain_text("措施空泛")
    expect(task.get_by_test_id("task-measures")).to_have_text(VAGUE)
    task.locator(f"textarea[name=task_{vague_task}]").fill(RETURN_COMMENT)
    shot(page, "rectification-plan-review")
    page.get_by_test_id("return").click()
    page.wait_for_load_state("networkidle")
    expect(page.get_by_test_id("plan-state")).to_have_text("已退回")
    expect(page.get_by_test_id(f"task-{vague_task}").get_by_test_id("review-comment")).to_contain_text(RETURN_COMMENT)
    logout(page)

    # 3. The liaison reads the comment, rewrites the measure concretely and resubmits.
    login_liaison(page, server, draft)
    page.goto(draft.plan_url)
    expect(page.get_by_test_id("plan-state")).to_have_text("已退回")
    expect(page.get_by_test_id("return-notice")).to_be_visible()
    task = page.get_by_test_id(f"task-{vague_task}")
    expect(task.get_by_test_id("review-comment")).to_contain_text(RETURN_COMMENT)
    expect(page.get_by_test_id("return-notice").get_by_test_id("commented-task")).to_have_attribute(
        "href", f"#task-{vague_task}")
    shot(page, "rectification-plan-returned")
    task.get_by_test_id("task-edit").click()
    page.wait_for_load_state("networkidle")
    expect(page.get_by_test_id("review-comment")).to_contain_text(RETURN_COMMENT)
    expect(page.get_by_test_id("vague-hint")).to_be_visible()
    concrete = (f"由{draft.organization}党组织书记牵头，{due}前对“{missing[0][1]}”涉及的事项逐件登记，"
                "建立问题台账1本，整改3项制度，整改结果在公开栏公示并报上级党组织备案。")
    form = page.get_by_test_id("task-form")
    form.locator("textarea[name=measures]").fill(concrete)
    form.get_by_role("button", name="保存").click()
    page.wait_for_load_state("networkidle")
    assert page.url.startswith(draft.plan_url), page.url
    task = page.get_by_test_id(f"task-{vague_task}")
    expect(task.get_by_test_id("task-measures")).to_have_text(concrete)
    expect(task.get_by_test_id("concrete-badge")).to_be_visible()
    expect(task.get_by_test_id("vague-badge")).to_have_count(0)
    submit = page.get_by_test_id("submit-form")
    submit.locator("textarea[name=comment]").fill("已按巡察办意见细化整改措施。")
    submit.get_by_role("button", name="提交整改方案").click()
    page.wait_for_load_state("networkidle")
    expect(page.get_by_test_id("plan-state")).to_have_text("待审核")
    logout(page)

    # 4. The office approves; the history shows every step.
    login_as(page, server, "office_admin")
    page.goto(draft.plan_url)
    expect(page.get_by_test_id(f"task-{vague_task}").get_by_test_id("concrete-badge")).to_be_visible()
    page.get_by_test_id("review-form").locator("textarea[name=comment]").fill("整改措施具体可行，同意。")
    page.get_by_test_id("approve").click()
    page.wait_for_load_state("networkidle")
    expect(page.get_by_test_id("plan-state")).to_have_text("已批准")
    steps = page.get_by_test_id("plan-steps").locator("li")
    expect(steps).to_have_count(4)
    actions = [steps.nth(i).locator(".fw-semibold").inner_text().strip() for i in range(4)]
    assert actions == ["已提交", "已退回", "已提交", "已批准"], actions
    expect(steps.nth(2)).to_contain_text("已按巡察办意见细化整改措施。")
    expect(steps.nth(3)).to_contain_text("整改措施具体可行，同意。")
    # Approval clears the comments on single tasks.
    expect(page.get_by_test_id("review-comment")).to_have_count(0)
    shot(page, "rectification-plan-approved")
    task_url = page.get_by_test_id(f"task-{vague_task}").get_by_test_id("task-link").get_attribute("href")
    task_url = f"{server.url}{task_url}"
    logout(page)

    # 5. The liaison reports progress with a PDF from its workspace and requests closure.
    login_liaison(page, server, draft)
    page.locator("nav.xc-sidebar").get_by_role("link", name="整改工作台").click()
    page.wait_for_load_state("networkidle")
    card = page.locator(f"[data-testid=task-row][data-task='{vague_task}']")
    expect(card).to_contain_text(concrete)
    expect(card.get_by_test_id("deadline")).to_be_visible()
    request = card.get_by_test_id("request-form").locator("button")
    expect(request).to_be_disabled()  # no evidence yet
    evidence = tmp_path / "整改台账.pdf"
    evidence.write_bytes(EVIDENCE)
    card.get_by_test_id("progress-details").locator("summary").click()
    progress = card.get_by_test_id("progress-form")
    progress.locator("textarea[name=text]").fill("已建立问题台账1本，逐件登记并完成整改，整改结果已在公开栏公示。")
    progress.locator("input[name=files]").set_input_files(str(evidence))
    shot(page, "rectification-workspace-progress")
    progress.get_by_role("button", name="提交进展").click()
    page.wait_for_load_state("networkidle")
    expect(page.locator("main .alert-success")).to_be_visible()
    card = page.locator(f"[data-testid=task-row][data-task='{vague_task}']")
    expect(card).to_contain_text("1 份佐证材料")
    card.get_by_test_id("request-form").locator("button").click()
    page.wait_for_load_state("networkidle")
    expect(page.locator("main .alert-success")).to_be_visible()
    page.goto(task_url)
    expect(page.get_by_test_id("task-state")).to_have_attribute("data-state", "requested")
    expect(page.get_by_test_id("evidence")).to_contain_text("整改台账.pdf")
    expect(page.locator("[data-testid=step][data-action=request]")).to_have_count(1)
    shot(page, "rectification-task-requested")
    logout(page)

    # 6. The office verifies the request in its closure queue and closes the task (销号).
    login_as(page, server, "office_staff")
    page.locator("nav.xc-sidebar").get_by_role("link", name="销号审核").click()
    page.wait_for_load_state("networkidle")
    queued = page.locator(f"[data-testid=queue-row][data-task='{vague_task}']")
    while not queued.count():  # oldest requests first: turn the pages to the new one
        expect(page.get_by_test_id("closure-queue")).to_be_visible()
        page.locator("nav[aria-label=分页]").get_by_role("link", name="下一页").click()
        page.wait_for_load_state("networkidle")
    expect(queued).to_contain_text(draft.organization)
    expect(queued.get_by_test_id("evidence-count")).to_have_text("1")
    shot(page, "rectification-closure-queue")
    queued.locator("input[name=comment]").fill("佐证材料齐全，同意销号。")
    queued.locator("button[name=action][value=close]").click()
    page.wait_for_load_state("networkidle")
    expect(page.locator("main .alert-success")).to_be_visible()
    expect(page.locator(f"[data-testid=queue-row][data-task='{vague_task}']")).to_have_count(0)
    page.goto(task_url)
    state = page.get_by_test_id("task-state")
    expect(state).to_have_attribute("data-state", "closed")
    expect(state).to_have_text("已销号")
    expect(state).to_have_class(re.compile("text-bg-success"))
    close_step = page.locator("[data-testid=step][data-action=close]")
    expect(close_step).to_contain_text("佐证材料齐全，同意销号。")
    # The evidence the office verified is the file the liaison uploaded.
    href = page.get_by_test_id("evidence").get_by_role("link").get_attribute("href")
    assert page.request.get(f"{server.url}{href}").body() == EVIDENCE
    shot(page, "rectification-task-closed")
    logout(page)

    # The liaison finds it among its closed tasks.
    login_liaison(page, server, draft)
    page.goto(f"{server.url}/rectification/tasks/?show=closed")
    expect(page.locator(f"[data-testid=task-row][data-task='{vague_task}']")).to_be_visible()
