"""Deadline-policy versions: adding one (office administrator only), refusing a date already taken,
yellow after green and months below 1, correcting an unused version but never a used one, the
deadlines of feedback on either side of a new version's effective date, and the pages."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from tests.conftest import PASSWORD
from tests.rectification.test_dashboard_helpers import build_fixture, documents_in_tmp  # noqa: F401 - fixtures
from tests.reports.feedback_helpers import issued_feedback
from xuncha.access.models import AuditEvent
from xuncha.access.policy import PermissionDenied
from xuncha.rectification import deadlines
from xuncha.rectification import services_policies as services
from xuncha.rectification.models import DeadlinePolicy
from xuncha.rectification.services_policies import Values

LIST = reverse("rectification:policy_list")
NEW = reverse("rectification:policy_create")
CHANGE_DAY = date(2024, 2, 8)


def _client(user) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def _values(**changes) -> Values:
    return Values(**{**Values(effective_from=CHANGE_DAY, basis="《实施办法》（2024年修订）", rectification_months=2,
                              progress_report_months=2, transfer_feedback_months=2, disclosure_months=2,
                              warn_green_days=30, warn_yellow_days=15).as_dict(), **changes})


def _form(**changes) -> dict:
    data = {k: ("" if v is None else str(v)) for k, v in _values().as_dict().items()}
    data.update({k: str(v) for k, v in changes.items()})
    return data


def _errors(exc: ValidationError) -> set[str]:
    return set(exc.message_dict)


# -- services ---------------------------------------------------------------------------------

def test_the_office_admin_adds_a_version_and_it_is_audited(world):
    policy = services.policy_create(actor=world.office_admin, committee=world.county, values=_values())
    assert (policy.effective_from, policy.rectification_months, policy.warn_green_days, policy.warn_yellow_days,
            policy.created_by) == (CHANGE_DAY, 2, 30, 15, world.office_admin)
    event = AuditEvent.objects.get(action="deadline_policy.create")
    assert event.object_id == str(policy.pk) and event.detail["warn_yellow_days"] == 15
    assert deadlines.in_force(world.county, CHANGE_DAY) == policy


@pytest.mark.parametrize("role", ["office_staff", "leader", "supervisor", "unit_liaison", "receiver", "outsider"])
def test_other_roles_may_not_add_a_version(world, role):
    with pytest.raises(PermissionDenied):
        services.policy_create(actor=world.users[role], committee=world.county, values=_values())
    assert not DeadlinePolicy.objects.exists()


def test_the_office_admin_of_one_county_may_not_write_another_counties_policy(world):
    with pytest.raises(PermissionDenied):
        services.policy_create(actor=world.office_admin, committee=world.other, values=_values())


@pytest.mark.parametrize(("changes", "field"), [
    ({"warn_yellow_days": 21, "warn_green_days": 20}, "warn_yellow_days"),
    ({"rectification_months": 0}, "rectification_months"),
    ({"disclosure_months": 0}, "disclosure_months"),
    ({"progress_report_months": 61}, "progress_report_months"),
    ({"transfer_feedback_months": None}, "transfer_feedback_months"),
    ({"warn_green_days": -1}, "warn_green_days"),
    ({"effective_from": None}, "effective_from"),
    ({"basis": "依" * 201}, "basis"),
])
def test_bad_values_are_refused_naming_the_field(world, changes, field):
    with pytest.raises(ValidationError) as caught:
        services.policy_create(actor=world.office_admin, committee=world.county, values=_values(**changes))
    assert field in _errors(caught.value)
    assert not DeadlinePolicy.objects.exists()


def test_yellow_equal_to_green_is_allowed(world):
    policy = services.policy_create(actor=world.office_admin, committee=world.county,
                                    values=_values(warn_green_days=10, warn_yellow_days=10))
    assert policy.warn_yellow_days == policy.warn_green_days == 10


def test_an_effective_date_already_taken_is_refused(world, make_user):
    services.policy_create(actor=world.office_admin, committee=world.county, values=_values())
    with pytest.raises(ValidationError) as caught:
        services.policy_create(actor=world.office_admin, committee=world.county, values=_values(basis="另一版本"))
    assert _errors(caught.value) == {"effective_from"}
    assert DeadlinePolicy.objects.filter(committee=world.county).count() == 1
    # Another committee may take the same day.
    other_admin = make_user("other_admin", role="office_admin", committee=world.other)
    services.policy_create(actor=other_admin, committee=world.other, values=_values())
    assert DeadlinePolicy.objects.filter(effective_from=CHANGE_DAY).count() == 2


def test_deadlines_across_a_change_keep_the_version_in_force_on_the_feedback_date(world, build):
    """Feedback on 2024-02-07 keeps the old deadlines; on 2024-02-08 it gets the new version's."""
    services.policy_create(actor=world.office_admin, committee=world.county, values=_values())
    before, on = build.target("南街村"), build.target("北坡村")
    for target in (before, on):
        build.problem(target)
    early = issued_feedback(before, on=date(2024, 2, 7))
    late = issued_feedback(on, on=CHANGE_DAY)
    assert (early.policy.effective_from, early.rectification_due, early.progress_report_due) == (
        deadlines.EARLIEST, date(2024, 5, 7), date(2024, 5, 7))
    assert (late.policy.effective_from, late.rectification_due, late.progress_report_due) == (
        CHANGE_DAY, date(2024, 4, 8), date(2024, 4, 8))
    # The transfer deadline follows its own date the same way.
    assert deadlines.for_feedback(world.county, date(2024, 2, 7)).transfer_feedback_due == date(2024, 5, 7)
    assert deadlines.for_feedback(world.county, CHANGE_DAY).transfer_feedback_due == date(2024, 4, 8)


def test_an_unused_version_is_corrected_and_a_used_one_refused(world, build):
    policy = services.policy_create(actor=world.office_admin, committee=world.county, values=_values())
    corrected = services.policy_update(actor=world.office_admin, policy=policy,
                                       values=_values(rectification_months=3, basis="更正"))
    assert (corrected.rectification_months, corrected.basis) == (3, "更正")
    event = AuditEvent.objects.get(action="deadline_policy.update")
    assert event.detail["before"]["rectification_months"] == 2 and event.detail["after"]["rectification_months"] == 3
    target = build.target("南街村")
    build.problem(target)
    assert issued_feedback(target, on=date(2024, 3, 1)).policy == policy
    with pytest.raises(ValidationError) as caught:
        services.policy_update(actor=world.office_admin, policy=policy, values=_values(rectification_months=4))
    assert _errors(caught.value) == {"__all__"}
    policy.refresh_from_db()
    assert policy.rectification_months == 3
    assert AuditEvent.objects.filter(action="deadline_policy.update").count() == 1


def test_a_version_used_by_a_transfer_only_is_used(world, build):
    policy = services.policy_create(actor=world.office_admin, committee=world.county, values=_values())
    target = build.target("南街村")
    build.transfer(build.problem(target, kind="lead"), world.department, on=date(2024, 3, 1))
    assert services.is_used(policy)
    with pytest.raises(ValidationError):
        services.policy_update(actor=world.office_admin, policy=policy, values=_values(basis="改"))


def test_correcting_to_a_date_taken_by_another_version_is_refused(world):
    services.policy_create(actor=world.office_admin, committee=world.county, values=_values())
    other = services.policy_create(actor=world.office_admin, committee=world.county,
                                   values=_values(effective_from=date(2025, 1, 1)))
    with pytest.raises(ValidationError) as caught:
        services.policy_update(actor=world.office_admin, policy=other, values=_values())
    assert _errors(caught.value) == {"effective_from"}
    # Saving the same values again changes nothing and records nothing.
    services.policy_update(actor=world.office_admin, policy=other, values=_values(effective_from=date(2025, 1, 1)))
    assert not AuditEvent.objects.filter(action="deadline_policy.update").exists()


@pytest.mark.parametrize("role", ["office_staff", "leader", "supervisor"])
def test_other_readers_may_not_correct_a_version(world, role):
    policy = services.policy_create(actor=world.office_admin, committee=world.county, values=_values())
    with pytest.raises(PermissionDenied):
        services.policy_update(actor=world.users[role], policy=policy, values=_values(basis="改"))


# -- pages ------------------------------------------------------------------------------------

def test_the_page_lists_versions_with_the_one_in_force_and_what_each_produced(world, build):
    old = deadlines.in_force(world.county, date(2024, 1, 1))
    new = services.policy_create(actor=world.office_admin, committee=world.county, values=_values())
    future = services.policy_create(actor=world.office_admin, committee=world.county,
                                    values=_values(effective_from=date(2099, 1, 1)))
    target = build.target("南街村")
    feedback = build.feedback(target, on=date(2024, 3, 1))
    build.report(feedback, "reviewed", reviewed_on=date(2024, 6, 1))
    build.transfer(build.problem(target), world.department, on=date(2024, 1, 15))
    response = _client(world.office_admin).get(LIST)
    assert response.status_code == 200
    versions = {v.pk: v for v in response.context["versions"]}
    assert [v.pk for v in response.context["versions"]] == [future.pk, new.pk, old.pk]
    assert response.context["current"] == new
    assert (versions[new.pk].n_feedbacks, versions[new.pk].n_reports, versions[new.pk].n_transfers) == (1, 1, 0)
    assert (versions[old.pk].n_feedbacks, versions[old.pk].n_transfers) == (0, 1)
    html = response.content.decode()
    assert f'data-testid="policy-{new.pk}" class="table-success"' in html
    assert 'data-testid="policy-explanation"' in html and 'data-testid="policy-form"' in html
    # Only the unused version can be corrected.
    assert reverse("rectification:policy_edit", args=[future.pk]) in html
    assert reverse("rectification:policy_edit", args=[new.pk]) not in html


@pytest.mark.parametrize("role", ["office_staff", "leader", "supervisor"])
def test_readers_see_the_versions_without_the_form(world, role):
    services.policy_create(actor=world.office_admin, committee=world.county, values=_values())
    response = _client(world.users[role]).get(LIST, {"committee": world.county.pk})
    assert response.status_code == 200
    assert response.context["committee"] == world.county and len(response.context["versions"]) == 1
    assert 'data-testid="policy-form"' not in response.content.decode()


@pytest.mark.parametrize("role", ["unit_liaison", "receiver", "group_leader", "outsider", "sysadmin"])
def test_the_page_is_refused_to_other_roles(world, role):
    assert _client(world.users[role]).get(LIST).status_code == 403


def test_adding_through_the_page(world):
    client = _client(world.office_admin)
    response = client.post(NEW, {**_form(), "committee": world.county.pk})
    assert response.status_code == 302
    assert DeadlinePolicy.objects.get(committee=world.county).warn_green_days == 30
    response = client.post(NEW, {**_form(warn_yellow_days=40), "committee": world.county.pk})
    assert response.status_code == 400
    assert "warn_yellow_days" in response.context["form"].errors
    response = client.post(NEW, {**_form(), "committee": world.county.pk})
    assert response.status_code == 400 and "effective_from" in response.context["form"].errors
    assert DeadlinePolicy.objects.count() == 1


@pytest.mark.parametrize("role", ["office_staff", "leader"])
def test_adding_through_the_page_is_refused_to_readers(world, role):
    response = _client(world.users[role]).post(NEW, {**_form(), "committee": world.county.pk})
    assert response.status_code == 403
    assert not DeadlinePolicy.objects.exists()


def test_correcting_through_the_page(world, build):
    policy = services.policy_create(actor=world.office_admin, committee=world.county, values=_values())
    edit = reverse("rectification:policy_edit", args=[policy.pk])
    client = _client(world.office_admin)
    assert client.get(edit).status_code == 200
    assert client.post(edit, _form(rectification_months=4)).status_code == 302
    policy.refresh_from_db()
    assert policy.rectification_months == 4
    assert client.post(edit, _form(warn_green_days=5)).status_code == 400
    target = build.target("南街村")
    build.feedback(target, on=date(2024, 3, 1))
    # Used now: the page sends the user back to the list with the reason.
    response = client.post(edit, _form(rectification_months=5), follow=True)
    assert response.redirect_chain and response.redirect_chain[-1][0].startswith(LIST)
    policy.refresh_from_db()
    assert policy.rectification_months == 4


def test_correcting_is_refused_to_readers_and_out_of_scope(world, make_user):
    policy = services.policy_create(actor=world.office_admin, committee=world.county, values=_values())
    edit = reverse("rectification:policy_edit", args=[policy.pk])
    assert _client(world.office_staff).get(edit).status_code == 403
    other_admin = make_user("other_admin", role="office_admin", committee=world.other)
    assert _client(other_admin).get(edit).status_code == 404
    assert _client(world.office_admin).get(reverse("rectification:policy_edit", args=[99999])).status_code == 404
