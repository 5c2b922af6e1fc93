"""The public portal in Chromium with JavaScript disabled, as the issue's acceptance scenario:
a member of the public opens the committee's portal, files a complaint with an attachment to a
stationed group, writes down the receipt code and confirms it, then checks the handling with
the code and sends a message to the office.

The demo keeps one announcement in force on its build day; should the server's data have none
in force today, the test publishes one the way an operator would, with `xuncha shell`."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import shot

XUNCHA = str(Path(sys.executable).parent / "xuncha")
EVIDENCE = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
CONTENT = "东门村村干部在低保评定中优亲厚友，2024年把不符合条件的亲属纳入低保。"
# Finds (or publishes) an announcement in force today; prints its committee and group.
SETUP = """
import json
from datetime import timedelta
from django.utils import timezone
from xuncha.rounds.models import Announcement, Round
today = timezone.localdate()
live = (Announcement.objects.filter(published=True, period_start__lte=today, period_end__gte=today)
        .exclude(group__round__state=Round.State.COMPLETED).select_related("group__round").order_by("id"))
a = live.first()
made = a is None
if made:
    a = (Announcement.objects.exclude(group__round__state=Round.State.COMPLETED).select_related("group__round")
         .order_by("-group__round__planned_entry", "group__number").first())
    a.published, a.period_start, a.period_end = True, today - timedelta(days=1), today + timedelta(days=20)
    a.save(update_fields=["published", "period_start", "period_end"])
print(json.dumps({"committee": a.group.round.committee_id, "group": a.group_id, "made": made}))
"""


@pytest.fixture
def announced(server):
    env = {**os.environ, "XUNCHA_DATA_DIR": str(server.data)}
    env.pop("DATABASE_URL", None)
    out = subprocess.run([XUNCHA, "shell", "-c", SETUP], env=env, check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


@pytest.fixture
def no_js_page(browser):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 860}, java_script_enabled=False)
    tab = context.new_page()
    tab.set_default_timeout(15000)
    yield tab
    context.close()


def _no_script(page) -> None:
    assert "<script" not in page.content().lower()


def test_file_a_complaint_and_follow_it_up_without_javascript(server, announced, no_js_page):
    page, committee, group = no_js_page, announced["committee"], announced["group"]
    page.goto(f"{server.url}/public/{committee}/")
    expect(page.locator(f'[data-testid=announcement][data-group="{group}"]')).to_be_visible()
    _no_script(page)
    shot(page, "public-portal-home")

    page.locator(f'[data-testid=announcement][data-group="{group}"] [data-testid=complain-link]').click()
    expect(page.locator("[data-testid=complaint-form]")).to_be_visible()
    assert page.locator("select[name=target]").input_value() == f"g{group}"
    page.fill("textarea[name=content]", CONTENT)
    page.fill("input[name=concerns]", "东门村村委会")
    page.check("[data-testid=identity-anonymous]")
    page.set_input_files("[data-testid=attachments]",
                         files=[{"name": "低保名单.pdf", "mimeType": "application/pdf", "buffer": EVIDENCE}])
    expect(page.locator(".xc-hp input[name=website]")).not_to_be_in_viewport()
    _no_script(page)
    shot(page, "public-complaint-form")
    page.click("[data-testid=submit]")

    code_block = page.locator("[data-testid=receipt-code]")
    expect(code_block).to_be_visible()
    code = "-".join(code_block.locator("span").all_inner_texts())
    assert re.fullmatch(r"([2-9A-HJ-NP-Z]{4}-){4}[2-9A-HJ-NP-Z]{4}", code), code
    _no_script(page)
    shot(page, "public-receipt-code")
    # The box must be ticked (the browser's own form validation, no script): unticked, we stay.
    page.click("[data-testid=confirm]")
    expect(code_block).to_be_visible()
    page.check("[data-testid=saved]")
    page.click("[data-testid=confirm]")

    expect(page.locator("[data-testid=saved-notice]")).to_be_visible()
    assert code not in page.content() and "?code" not in page.url
    page.fill("[data-testid=code]", code.lower().replace("-", " "))
    page.click("[data-testid=lookup]")
    expect(page.locator("[data-testid=status]")).to_be_visible()
    expect(page.locator("[data-testid=handling]")).to_have_text(re.compile(r"\S"))
    page.fill("textarea[name=text]", "补充：名单在村务公开栏张贴过，已拍照。")
    page.click("[data-testid=send-message]")
    expect(page.locator("[data-testid=sent]")).to_be_visible()
    expect(page.locator('[data-testid=message][data-from-public="1"]').last).to_contain_text("已拍照")
    assert "code" not in page.url
    _no_script(page)
    shot(page, "public-receipt-status")


def test_wrong_code_is_refused_without_javascript(server, announced, no_js_page):
    page = no_js_page
    page.goto(f"{server.url}/public/{announced['committee']}/receipt/")
    page.fill("[data-testid=code]", "ABCD-EFGH-JKMN-PQRS-TUVW")
    page.click("[data-testid=lookup]")
    expect(page.locator("[data-testid=wrong-code]")).to_be_visible()
    shot(page, "public-receipt-wrong-code")
