"""Browser tests: a real server (`xuncha serve`, gunicorn) on a fresh data directory with the
demo county, driven by Playwright in Debian's Chromium. Screenshots go to test-artifacts/."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from types import SimpleNamespace

import pytest

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "test-artifacts" / "screens"
CHROMIUM = os.environ.get("XUNCHA_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.browser)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _xuncha() -> str:
    return str(Path(sys.executable).parent / "xuncha")


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    data = tmp_path_factory.mktemp("xuncha-browser")
    env = {**os.environ, "XUNCHA_DATA_DIR": str(data)}
    env.pop("DATABASE_URL", None)
    subprocess.run([_xuncha(), "migrate", "-v0"], env=env, check=True)
    subprocess.run([_xuncha(), "demo", "--quiet"], env=env, check=True)
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    log = open(data / "server.log", "w")  # noqa: SIM115 - closed at teardown
    proc = subprocess.Popen([_xuncha(), "serve", "--bind", f"127.0.0.1:{port}"], env=env,
                            stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(f"{url}/accounts/login/", timeout=2) as response:
                if response.status == 200:
                    break
        except OSError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            log.close()
            raise RuntimeError("server did not start:\n" + (data / "server.log").read_text())
        time.sleep(0.3)
    accounts = {a["username"]: a for a in json.loads((data / "demo-accounts.json").read_text())}
    try:
        yield SimpleNamespace(url=url, accounts=accounts, data=data)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 860})
    tab = context.new_page()
    tab.set_default_timeout(15000)
    yield tab
    context.close()


def account_for_role(server, role: str) -> dict:
    for account in server.accounts.values():
        if account["role"] == role:
            return account
    raise LookupError(role)


def login(page, server, role: str) -> dict:
    account = account_for_role(server, role)
    page.goto(f"{server.url}/accounts/login/")
    page.fill("input[name=username]", account["username"])
    page.fill("input[name=password]", account["password"])
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
    return account


def shot(page, name: str) -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
