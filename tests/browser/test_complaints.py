"""The complaint register in a real browser: the office registers a letter from a named
informant (name and telephone, encrypted) with a PDF, and passes it to a group; the group sees it
in its register and the other group does not; the group leader asks to know who sent it, the
office head grants it, and the group leader reads the name on the complaint's page (the viewing
recorded) — while no register ever shows it.

The accounts sign in once for the module (see test_analytics); the complaint is new, with a
subject of its own, so the checks do not depend on what other tests add.
"""

from __future__ import annotations

import re
import uuid
from datetime import date, timedelta
from urllib.parse import urlencode

import pytest
from playwright.sync_api import expect

from tests.browser import test_analytics as analytics
from tests.browser.conftest import shot

# Each account signs in once for the module, as in test_analytics.
_signed_in, as_user, _go = analytics._signed_in, analytics.as_user, analytics._go

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
INFORMANT = "欧阳明华"
PHONE = "13907715566"
OTHER_GROUP = "group_member2"


@pytest.fixture(scope="module")
def subject():
    return f"反映东门村村干部优亲厚友套取低保金（{uuid.uuid4().hex[:6]}）"


def _register_rows(page, server, subject: str):
    _go(page, server, "/intake/?" + urlencode({"q": subject}))
    return page.locator("[data-testid=complaint-row]")


def _no_name(page) -> None:
    content = page.content()
    assert INFORMANT not in content and PHONE not in content


def test_a_named_letter_goes_to_one_group_and_its_identity_only_by_decision(as_user, server, subject, tmp_path):
    group_scope = server.accounts["group_leader"]["scope"]  # 十四届第九轮第一巡察组
    office = as_user("office_admin")

    # The office registers the letter, with the informant's name and telephone and a PDF.
    _go(office, server, "/intake/")
    office.get_by_test_id("complaint-new").click()
    office.wait_for_load_state("networkidle")
    form = office.get_by_test_id("complaint-form")
    expect(form.locator("select[name=group]")).to_have_value("")  # the office's until passed on
    form.locator("select[name=channel]").select_option("letter")
    expect(form.locator("input[name=received_on]")).not_to_have_value("")
    form.locator("input[name=concerns]").fill("东门村村委会主任")
    form.locator("input[name=subject]").fill(subject)
    form.locator("textarea[name=content]").fill(
        "东门村村委会主任将不符合条件的亲属纳入低保，2024年起每月领取低保金，村民意见很大。")
    form.locator("input[name=name]").fill(INFORMANT)
    form.locator("input[name=contact]").fill(PHONE)
    evidence = tmp_path / "低保名单.pdf"
    evidence.write_bytes(PDF)
    form.locator("input[name=files]").set_input_files(str(evidence))
    shot(office, "complaints-register-form")
    form.locator("button[type=submit]").click()
    office.wait_for_load_state("networkidle")
    assert re.search(r"/intake/\d+/$", office.url), office.url
    detail = office.url.removeprefix(server.url)
    expect(office.get_by_test_id("complaint-subject")).to_have_text(subject)
    expect(office.get_by_test_id("handling")).to_have_attribute("data-handling", "pending")
    expect(office.get_by_test_id("identity-panel")).to_have_attribute("data-state", "on_file")
    expect(office.get_by_test_id("identity-name")).to_have_count(0)
    _no_name(office)  # stored encrypted: not even its registrar sees it again
    attachment = office.get_by_test_id("attachment")
    expect(attachment).to_have_count(1)
    expect(attachment.locator("a")).to_have_text("低保名单.pdf")
    download = office.request.get(server.url + attachment.locator("a").get_attribute("href"))
    assert download.status == 200 and download.body() == PDF
    shot(office, "complaints-registered")

    # Passed to the first group of the current round.
    handling = office.locator("[data-testid=handling-action][data-action=to_group]")
    handling.locator("summary").click()
    choice = handling.locator("select[name='to_group-group'] option").filter(
        has_text=re.compile(r"\s*".join(re.escape(c) for c in group_scope)))
    handling.locator("select[name='to_group-group']").select_option(choice.first.get_attribute("value"))
    handling.locator("textarea[name='to_group-comment']").fill("请巡察组核实。")
    handling.locator("button[type=submit]").click()
    office.wait_for_load_state("networkidle")
    expect(office.get_by_test_id("handling")).to_have_attribute("data-handling", "to_group")
    expect(office.get_by_test_id("complaint-group")).to_contain_text(group_scope[-5:])
    expect(office.locator("[data-testid=complaint-step][data-to=to_group]")).to_contain_text("请巡察组核实。")
    shot(office, "complaints-passed-to-group")
    rows = _register_rows(office, server, subject)
    expect(rows).to_have_count(1)
    _no_name(office)

    # The group's leader has it in the register; the other group does not.
    leader = as_user("group_leader")
    rows = _register_rows(leader, server, subject)
    expect(rows).to_have_count(1)
    expect(rows.first.get_by_test_id("handling")).to_have_attribute("data-handling", "to_group")
    _no_name(leader)
    shot(leader, "complaints-group-register")
    other = as_user(OTHER_GROUP)
    expect(_register_rows(other, server, subject)).to_have_count(0)
    _no_name(other)
    assert _go(other, server, detail).status == 404
    shot(other, "complaints-other-group-refused")

    # The group leader asks to know who wrote, saying why.
    rows.first.get_by_role("link").first.click()
    leader.wait_for_load_state("networkidle")
    panel = leader.get_by_test_id("identity-panel")
    expect(panel).to_have_attribute("data-state", "on_file")
    request = leader.get_by_test_id("identity-request-form")
    request.locator("textarea[name=reason]").fill("需当面核实低保名单来源，请求联系举报人。")
    request.locator("button[type=submit]").click()
    leader.wait_for_load_state("networkidle")
    expect(leader.get_by_test_id("identity-panel")).to_have_attribute("data-state", "requested")
    expect(leader.get_by_test_id("identity-request-form")).to_have_count(0)
    _no_name(leader)
    shot(leader, "complaints-identity-requested")

    # The office head decides (the request is not its own) and grants it.
    _go(office, server, "/intake/identity/")
    pending = office.get_by_test_id("pending-request").filter(has_text=subject)
    expect(pending).to_have_count(1)
    expect(pending).to_contain_text("需当面核实低保名单来源")
    pending.locator("select[name$='-grant']").select_option("grant")
    until = date.today() + timedelta(days=14)
    pending.locator("input[name$='-expires_on']").fill(until.isoformat())
    pending.locator("textarea[name$='-comment']").fill("同意，限本案核实使用。")
    shot(office, "complaints-identity-to-decide")
    pending.locator("button[type=submit]").click()
    office.wait_for_load_state("networkidle")
    expect(office.get_by_test_id("pending-request").filter(has_text=subject)).to_have_count(0)
    decided = office.get_by_test_id("history-row").filter(
        has=office.locator(f"a[href='{detail}']"))
    expect(decided.first).to_have_attribute("data-state", "granted")
    expect(decided.first).to_have_attribute("data-views", "0")
    _no_name(office)
    shot(office, "complaints-identity-granted")

    # The group leader views the name: once, on the complaint's page, and the viewing counts.
    _go(leader, server, detail)
    expect(leader.get_by_test_id("identity-panel")).to_have_attribute("data-state", "granted")
    _no_name(leader)  # not until asked for
    leader.get_by_test_id("identity-view-form").locator("button[type=submit]").click()
    leader.wait_for_load_state("networkidle")
    expect(leader.get_by_test_id("identity-name")).to_have_text(INFORMANT)
    expect(leader.get_by_test_id("identity-contact")).to_have_text(PHONE)
    shot(leader, "complaints-identity-viewed")
    _go(leader, server, detail)
    expect(leader.get_by_test_id("identity-name")).to_have_count(0)  # not shown again on its own
    for page in (leader, office):
        expect(_register_rows(page, server, subject)).to_have_count(1)
        _no_name(page)  # the register never shows it
    _go(office, server, "/intake/identity/")
    expect(office.get_by_test_id("history-row").filter(
        has=office.locator(f"a[href='{detail}']")).first).to_have_attribute("data-views", "1")
