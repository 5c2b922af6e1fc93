"""Regulations in a real browser: the office imports two versions of the invented 实施办法 by
pasting their texts, compares them article by article and downloads the Word table."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import expect

from tests.browser.conftest import SHOTS, shot
from tests.browser.test_rounds import login_as

DATA = Path(__file__).resolve().parents[2] / "src" / "xuncha" / "regulations" / "data"
SHORT = "实施办法对照"


def _import(page, import_url: str, label: str, effective_on: str, filename: str) -> None:
    page.goto(import_url)
    page.fill("input[name=label]", label)
    page.fill("input[name=effective_on]", effective_on)
    page.fill("textarea[name=text]", (DATA / filename).read_text(encoding="utf-8"))
    page.locator("main form button[type=submit]:not([name=preview])").click()
    page.wait_for_load_state("networkidle")
    expect(page.locator("main")).to_contain_text(label)


def test_the_office_compares_two_versions_and_downloads_the_word_table(page, server):
    login_as(page, server, "office_admin")
    page.goto(f"{server.url}/regulations/new/")
    page.fill("input[name=title]", "中共青崖县委巡察工作实施办法")
    page.fill("input[name=short_title]", SHORT)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    assert re.search(r"/regulations/documents/\d+/import/$", page.url), page.url
    import_url = page.url
    _import(page, import_url, "2019", "2019-06-01", "xuncha-shishi-banfa-2019.txt")
    _import(page, import_url, "2024", "2024-07-01", "xuncha-shishi-banfa-2024.txt")

    page.goto(f"{server.url}/regulations/compare/")
    picker = page.get_by_test_id("compare-pick")
    old = picker.locator("#id_old option", has_text=f"{SHORT}(2019)").get_attribute("value")
    new = picker.locator("#id_new option", has_text=f"{SHORT}(2024)").get_attribute("value")
    picker.locator("#id_old").select_option(old)
    picker.locator("#id_new").select_option(new)
    picker.locator("button[type=submit]").click()
    page.wait_for_load_state("networkidle")

    table = page.get_by_test_id("compare-table")
    for kind, count in (("modified", 27), ("inserted", 8), ("deleted", 3), ("moved", 1), ("split", 1),
                        ("merged", 1), ("unchanged", 26)):
        expect(table.locator(f"tr[data-kind={kind}]")).to_have_count(count)
        expect(page.get_by_test_id("compare-counts").locator(f"a[data-kind={kind}] .badge")).to_have_text(str(count))
    expect(table.locator("del.xc-del").first).to_be_visible()
    expect(table.locator("ins.xc-ins").first).to_be_visible()
    expect(table.locator("tr[data-kind=split]")).to_contain_text("原第三十条拆分为第三十二条、第三十三条")
    shot(page, "regulations-compare")
    page.screenshot(path=str(SHOTS / "regulations-compare-top.png"))  # the first screen, as read
    table.locator("tr[data-kind=split]").screenshot(path=str(SHOTS / "regulations-compare-split.png"))

    page.get_by_test_id("compare-counts").locator("a[data-kind=modified]").click()
    page.wait_for_load_state("networkidle")
    expect(table.locator("tbody tr")).to_have_count(27)
    shot(page, "regulations-compare-modified")

    with page.expect_download() as info:
        page.get_by_test_id("compare-docx").click()
    download = info.value
    assert download.suggested_filename.endswith(".docx")
    assert Path(download.path()).read_bytes()[:2] == b"PK"


def test_the_library_the_search_and_a_study_campaign_as_their_users_see_them(page, server):
    login_as(page, server, "office_admin")
    page.goto(f"{server.url}/regulations/")
    page.locator("main a[href*='/regulations/documents/']").first.click()
    page.wait_for_load_state("networkidle")
    page.locator("main a[href$='/'][href^='/regulations/']").filter(has_text="2024").first.click()
    page.wait_for_load_state("networkidle")
    expect(page.locator("main")).to_contain_text("第一条")
    shot(page, "regulations-version")
    page.goto(f"{server.url}/regulations/search/?q=巡察底稿")
    expect(page.locator("main mark").first).to_be_visible()
    shot(page, "regulations-search")
    page.goto(f"{server.url}/regulations/study/campaigns/")
    page.locator("main table a[href*='/regulations/study/campaigns/']").first.click()
    page.wait_for_load_state("networkidle")
    expect(page.locator("main table").first).to_be_visible()
    shot(page, "study-campaign")


def test_a_liaison_records_its_own_study(page, server):
    login_as(page, server, "liaison_village")
    page.goto(f"{server.url}/regulations/study/")
    expect(page.locator("main")).to_be_visible()
    shot(page, "study-liaison")
