"""Helpers of the plan tests: task fields that pass every check, a plan written through the
services, signed-in clients, and documents kept out of the data directory."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client

from tests.conftest import PASSWORD
from tests.rectification.conftest import MEASURES
from xuncha.rectification import services_plans as services
from xuncha.rectification.models import Plan, Task

CONCENTRATED_DUE = date(2024, 8, 20)
VAGUE = "进一步加强学习，切实提高思想认识，举一反三，常抓不懈。"


@pytest.fixture(autouse=True)
def _documents_in_tmp(settings, tmp_path):
    """Issuing the feedback generates its documents: keep their files out of the data directory."""
    settings.DATA_DIR = tmp_path
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                                                          "OPTIONS": {"location": tmp_path / "uploads"}}}


def task_fields(n: int = 1, **overrides) -> dict:
    """Fields of a concrete task (the n-th of MEASURES), due within the concentrated period."""
    values = dict(measures=MEASURES[(n - 1) % len(MEASURES)], responsible_leader="王建国", lead_department="村两委",
                  person_in_charge="李会计", due=date(2024, 7, 31), type=Task.Type.CONCENTRATED)
    values.update(overrides)
    return values


def written_plan(fed_back, actor) -> Plan:
    """A draft plan with one concrete task per problem, written by `actor`."""
    plan = services.plan_start(actor=actor, feedback=fed_back.feedback)
    for n, problem in enumerate(fed_back.problems, start=1):
        services.task_add(actor=actor, plan=plan, problem=problem, **task_fields(n))
    return plan


def submitted_plan(fed_back, actor) -> Plan:
    return services.plan_submit(actor=actor, plan=written_plan(fed_back, actor))


def login(user) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client
