"""E-mail reminders through a real SMTP server (aiosmtpd on 127.0.0.1): who gets what, the
Chinese subject and body, once per level (a second run sends nothing, a new level sends again),
no mail without an SMTP host, the dry run, and the SMTP settings read from the environment."""

from __future__ import annotations

import email
import email.policy
import os
import socket
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import NoReverseMatch, reverse

from tests.rectification.test_dashboard_helpers import (  # noqa: F401 - fixtures
    TODAY,
    build_fixture,
    documents_in_tmp,
    scenario_fixture,
    today_fixture,
)
from xuncha.access.models import AuditEvent
from xuncha.access.roles import Role
from xuncha.config import ConfigError, env_int, env_url
from xuncha.rectification import reminders
from xuncha.rectification.models import Reminder

BASE_URL = "http://xuncha.county.test:8000"


class Collector:
    """An aiosmtpd handler keeping every message it receives."""

    def __init__(self):
        self.received: list[tuple[list[str], email.message.EmailMessage]] = []

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.received.append((list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"

    def take(self) -> list[tuple[str, str, str]]:
        """(recipient, subject, body) of the messages received since the last take, sorted."""
        # (Django folds a long encoded subject onto a continuation line: the parser keeps the fold's space.)
        taken = sorted((rcpt[0], str(msg["Subject"]).strip(), msg.get_content()) for rcpt, msg in self.received)
        self.received.clear()
        return taken


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp(settings):
    from aiosmtpd.controller import Controller

    handler = Collector()
    controller = Controller(handler, hostname="127.0.0.1", port=_free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.DEFAULT_FROM_EMAIL = "xuncha@county.test"
    settings.XUNCHA_BASE_URL = BASE_URL
    yield handler
    controller.stop()


@pytest.fixture
def people(world, scenario, make_user):
    """南街村's two liaisons (one without an address), the owner of its yellow task, the receiver."""
    organization = scenario.a.organization
    liaison = make_user("nanjie_liaison", role=Role.UNIT_LIAISON, committee=world.county, organization=organization,
                        full_name="张联络")
    liaison.email = "liaison@nanjie.test"
    liaison.save(update_fields=["email"])
    make_user("nanjie_nomail", role=Role.UNIT_LIAISON, committee=world.county, organization=organization)
    owner = make_user("nanjie_owner", role=Role.UNIT_LIAISON, committee=world.county, organization=organization,
                      full_name="李会计")
    owner.email = "owner@nanjie.test"
    owner.save(update_fields=["email"])
    task = scenario.a_tasks["yellow"]
    task.owner = owner
    task.save(update_fields=["owner"])
    world.receiver.email = "receiver@caizheng.test"
    world.receiver.save(update_fields=["email"])
    return liaison, owner


def _remind(*args: str) -> str:
    out = StringIO()
    call_command("remind", *args, stdout=out)
    return out.getvalue()


def _url(name: str, pk: int) -> str:
    try:
        return BASE_URL + reverse(name, args=[pk])
    except NoReverseMatch:
        return BASE_URL + reverse("workbench:home")


def test_each_owner_gets_one_mail_per_item_and_level(world, scenario, people, smtp):
    output = _remind("--today", "2024-09-01")
    received = smtp.take()
    tasks = scenario.a_tasks
    liaison_mail = ["【巡察整改提醒】整改任务已于2024年8月1日到期，请抓紧办理",
                    "【巡察整改提醒】整改任务已于2024年8月10日到期，请抓紧办理",
                    "【巡察整改提醒】整改任务将于2024年9月15日到期",
                    "【巡察整改提醒】整改进展情况报告已于2024年8月20日到期，请抓紧办理"]
    # The yellow task has an owner: only the owner hears of it; the other tasks and the report go
    # to every liaison with an address (the owner is one of them).
    assert [(to, subject) for to, subject, _ in received] == sorted([
        *(("liaison@nanjie.test", subject) for subject in liaison_mail),
        *(("owner@nanjie.test", subject) for subject in liaison_mail),
        ("owner@nanjie.test", "【巡察整改提醒】整改任务将于2024年9月5日到期"),
        ("receiver@caizheng.test", "【巡察整改提醒】移交事项办理情况反馈已于2024年8月1日到期，请抓紧办理"),
    ])
    bodies = {subject: body for _, subject, body in received}
    yellow = bodies["【巡察整改提醒】整改任务将于2024年9月5日到期"]
    assert yellow.startswith("李会计：")
    assert "南街村的整改任务即将到期" in yellow and "集体资产发包不公开" in yellow
    assert "期限：2024年9月5日" in yellow and "距期限还有4天" in yellow
    assert _url("rectification:task_detail", tasks["yellow"].pk) in yellow
    transfer = bodies["【巡察整改提醒】移交事项办理情况反馈已于2024年8月1日到期，请抓紧办理"]
    assert "已逾期31天" in transfer and "村主任涉嫌侵占补偿款" in transfer  # the summary handed over
    assert _url("rectification:transfer_detail", scenario.lead_transfer.pk) in transfer
    report = bodies["【巡察整改提醒】整改进展情况报告已于2024年8月20日到期，请抓紧办理"]
    assert "南街村关于2024年5月20日巡察反馈意见的集中整改进展情况报告" in report and "已逾期12天" in report
    # Nothing for the closed task, the answered transfer, the submitted report, nor anyone
    # without an address; the items without a reachable owner are counted.
    assert Reminder.objects.count() == 10
    assert set(Reminder.objects.values_list("subject", "level")) == {
        (f"task:{tasks['red'].pk}", "red"), (f"task:{tasks['requested'].pk}", "red"),
        (f"task:{tasks['green'].pk}", "green"), (f"task:{tasks['yellow'].pk}", "yellow"),
        (f"report:{scenario.a_feedback.pk}", "red"), (f"transfer:{scenario.lead_transfer.pk}", "red")}
    # Nobody with an address for 河口镇 (the other county: its task, its disclosure due today),
    # 北坡村's report or 东岭村's disclosure.
    assert "task: 5 at a warning level, 7 e-mails sent, 0 already sent, 1 without" in output
    assert "report: 2 at a warning level, 2 e-mails sent, 0 already sent, 1 without" in output
    assert "disclosure: 2 at a warning level, 0 e-mails sent, 0 already sent, 2 without" in output
    assert "transfer: 1 at a warning level, 1 e-mails sent" in output
    assert output.rstrip().endswith("10 e-mails sent")
    assert AuditEvent.objects.filter(action="reminder.send").count() == 1


def test_a_second_run_sends_nothing_and_a_new_level_sends_again(world, scenario, people, smtp):
    _remind("--today", "2024-09-01")
    smtp.take()
    output = _remind("--today", "2024-09-01")
    assert smtp.take() == []
    assert output.rstrip().endswith("0 e-mails sent") and "7 already sent" in output
    # Five days later the yellow task is overdue (its owner hears again) and the green one
    # yellow (its liaisons hear again); the rest keeps its level and stays quiet.
    _remind("--today", "2024-09-06")
    assert [(to, subject) for to, subject, _ in smtp.take()] == [
        ("liaison@nanjie.test", "【巡察整改提醒】整改任务将于2024年9月15日到期"),
        ("owner@nanjie.test", "【巡察整改提醒】整改任务将于2024年9月15日到期"),
        ("owner@nanjie.test", "【巡察整改提醒】整改任务已于2024年9月5日到期，请抓紧办理"),
    ]
    assert Reminder.objects.count() == 13


def test_the_owner_without_an_address_leaves_it_to_the_liaisons(world, scenario, people, smtp):
    _, owner = people
    owner.email = ""
    owner.save(update_fields=["email"])
    reminders.run(today=TODAY, progress=lambda line: None)
    assert [to for to, subject, _ in smtp.take() if subject == "【巡察整改提醒】整改任务将于2024年9月5日到期"] == [
        "liaison@nanjie.test"]


def test_a_revoked_liaison_gets_nothing(world, scenario, people, smtp):
    from django.utils import timezone

    from xuncha.access.models import RoleAssignment

    liaison, _ = people
    RoleAssignment.objects.filter(user=liaison).update(revoked_at=timezone.now())
    reminders.run(today=TODAY, progress=lambda line: None)
    assert {to for to, _, _ in smtp.take()} == {"owner@nanjie.test", "receiver@caizheng.test"}
    assert Reminder.objects.filter(recipient=liaison).count() == 0


def test_without_an_smtp_host_no_mail_is_sent(world, scenario, people, smtp, settings):
    settings.EMAIL_HOST = ""
    output = _remind("--today", "2024-09-01")
    assert "e-mail is off (XUNCHA_SMTP_HOST is not set)" in output
    assert smtp.take() == [] and not Reminder.objects.exists()


def test_the_dry_run_lists_and_sends_nothing(world, scenario, people, smtp):
    output = _remind("--today", "2024-09-01", "--dry-run")
    assert smtp.take() == [] and not Reminder.objects.exists()
    assert "would send to owner@nanjie.test: 【巡察整改提醒】整改任务将于2024年9月5日到期" in output
    assert output.rstrip().endswith("10 e-mails to send (dry run)")
    assert not AuditEvent.objects.filter(action="reminder.send").exists()


def test_a_bad_date_is_refused(world):
    with pytest.raises(CommandError, match="2024-13-01"):
        _remind("--today", "2024-13-01")


def test_a_mail_server_that_refuses_leaves_nothing_recorded(world, scenario, people, smtp, settings):
    settings.EMAIL_PORT = _free_port()  # nobody listens there
    with pytest.raises(OSError):
        reminders.run(today=TODAY, progress=lambda line: None)
    assert not Reminder.objects.exists()


# -- configuration ---------------------------------------------------------------------------

def test_the_base_url_and_the_port_are_checked(monkeypatch):
    monkeypatch.setenv("XC_URL", "https://xuncha.county.test/")
    assert env_url("XC_URL", "http://127.0.0.1:8000") == "https://xuncha.county.test"
    for bad in ("xuncha.county.test", "ftp://x", "http://", "http://a b"):
        monkeypatch.setenv("XC_URL", bad)
        with pytest.raises(ConfigError, match="XC_URL"):
            env_url("XC_URL", "http://127.0.0.1:8000")
    monkeypatch.setenv("XC_PORT", "70000")
    with pytest.raises(ConfigError, match="XC_PORT"):
        env_int("XC_PORT", 25, minimum=1, maximum=65535)


def _settings(tmp_path: Path, **env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("XUNCHA_", "DATABASE_URL"))}
    environment.update({"XUNCHA_DATA_DIR": str(tmp_path / "data")}, **env)
    code = ("from xuncha import settings as s; print(repr((s.EMAIL_HOST, s.EMAIL_PORT, s.EMAIL_HOST_USER, "
            "s.EMAIL_HOST_PASSWORD, s.EMAIL_USE_TLS, s.DEFAULT_FROM_EMAIL, s.XUNCHA_BASE_URL)))")
    return subprocess.run([sys.executable, "-c", code], env=environment, capture_output=True, text=True, timeout=60)


def test_the_smtp_settings_come_from_the_environment(tmp_path):
    default = _settings(tmp_path)
    assert default.returncode == 0, default.stderr
    assert default.stdout.strip() == repr(("", 25, "", "", False, "xuncha@localhost", "http://127.0.0.1:8000"))
    given = _settings(tmp_path, XUNCHA_SMTP_HOST="mail.county.test", XUNCHA_SMTP_PORT="587",
                      XUNCHA_SMTP_USER="xuncha", XUNCHA_SMTP_PASSWORD="s3cret", XUNCHA_SMTP_TLS="yes",
                      XUNCHA_SMTP_FROM="xuncha@county.test", XUNCHA_BASE_URL="https://xuncha.county.test/")
    assert given.stdout.strip() == repr(("mail.county.test", 587, "xuncha", "s3cret", True, "xuncha@county.test",
                                         "https://xuncha.county.test"))
    bad = _settings(tmp_path, XUNCHA_SMTP_PORT="smtp")
    assert bad.returncode == 2 and "XUNCHA_SMTP_PORT" in bad.stderr
