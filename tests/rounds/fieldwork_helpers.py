"""Fieldwork records of the conftest world, written through the services."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.utils import timezone

from xuncha.access import policy
from xuncha.rounds import services_fieldwork as services
from xuncha.rounds.models import Assignment, Round

CONSOLE = policy.CONSOLE


def target(world, group=None, organization=None) -> Assignment:
    return Assignment.objects.create(group=group or world.group1, organization=organization or world.village)


def interview(world, group=None, *, name: str = "王建国", summary: str = "反映村集体资金使用不透明。"):
    return services.interview_create(
        actor=CONSOLE, group=group or world.group1, interviewee=name, post="村党支部书记",
        held_at=timezone.make_aware(datetime(2024, 3, 5, 9, 30)), place="村委会会议室",
        interviewers="张三、李四", recorder="王五", summary=summary)


def document_request(world, group=None, *, item: str = "2023年村集体财务账册", due: date | None = None,
                     provided: bool = True, returned: bool = False):
    today = timezone.localdate()
    requested = today - timedelta(days=20)
    return services.document_request_create(
        actor=CONSOLE, group=group or world.group1, item=item, requested_on=requested,
        due=due, provided_on=requested if provided else None,
        returned_on=today if returned else None)


def close_round(world) -> None:
    Round.objects.filter(pk=world.round.pk).update(state=Round.State.COMPLETED)
    world.round.refresh_from_db()
