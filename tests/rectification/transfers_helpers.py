"""Helpers of the transfers tests.

`receivers` (import `receivers_fixture` to use it): on top of `world` (whose receiver account belongs to 县财政局), 县纪委监委 and
县委组织部 of the same county, the commission with its own receiver account (`receiver_jw`), a
department of the neighbouring county, and the office of that county (`other_office`).
`hand` hands problems over through the service, as the county's office administrator.
"""

from __future__ import annotations

from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from django.test import Client
from django.utils import translation

from tests.conftest import PASSWORD
from xuncha.access import services as access_services
from xuncha.access.roles import Role
from xuncha.rectification import services_transfers as services
from xuncha.rectification.models import Transfer
from xuncha.registry.models import Organization

ON = date(2024, 6, 3)


@pytest.fixture(name="receivers")
def receivers_fixture(world, make_user):
    commission = Organization.objects.create(committee=world.county, name="县纪委监委", kind=world.kinds["department"])
    department = Organization.objects.create(committee=world.county, name="县委组织部", kind=world.kinds["department"])
    elsewhere = Organization.objects.create(committee=world.other, name="邻县财政局", kind=world.kinds["department"])
    return SimpleNamespace(
        finance=world.department, commission=commission, organization_department=department, elsewhere=elsewhere,
        finance_user=world.receiver,
        commission_user=make_user("receiver_jw", role=Role.RECEIVER, organization=commission),
        other_office=make_user("other_office", role=Role.OFFICE_ADMIN, committee=world.other),
    )


def hand(world, problems, receiver, on: date = ON, **kwargs) -> list[Transfer]:
    return services.transfer_create(actor=world.office_admin, problems=problems, receiver=receiver,
                                    transferred_on=on, **kwargs)


def client_for(user) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def api_for(user) -> Client:
    """A client that authenticates every request with an API token of `user`."""
    _, key = access_services.token_create(actor=user, user=user, name="test")
    return Client(headers={"Authorization": f"Bearer {key}"}, enforce_csrf_checks=True)


def set_due(transfer: Transfer, due: date) -> Transfer:
    """Move the feedback deadline (boundary tests judge against the real today)."""
    Transfer.objects.filter(pk=transfer.pk).update(feedback_due=due)
    transfer.refresh_from_db()
    return transfer


def days(n: int) -> timedelta:
    return timedelta(days=n)


def zh(msgid: str) -> str:
    with translation.override("zh-hans"):
        return translation.gettext(msgid)
