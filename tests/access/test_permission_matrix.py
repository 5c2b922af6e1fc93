"""Every role (and an account with none) × every protected model × every action.

The expectations are written out here, independently of the policy; a model the policy
knows but this table does not fails the test, so new models must join it.
"""

from __future__ import annotations

import uuid

import pytest

from tests.access.matrix_analytics import EXPECTED as ANALYTICS_EXPECTED
from tests.access.matrix_analytics import analytics_objects
from tests.access.matrix_findings import EXPECTED as FINDINGS_EXPECTED
from tests.access.matrix_findings import findings_objects
from tests.access.matrix_intake import EXPECTED as INTAKE_EXPECTED
from tests.access.matrix_intake import intake_objects
from tests.access.matrix_rectification import EXPECTED as RECTIFICATION_EXPECTED
from tests.access.matrix_rectification import rectification_objects
from tests.access.matrix_regulations import EXPECTED as REGULATIONS_EXPECTED
from tests.access.matrix_regulations import regulation_objects
from tests.access.matrix_reports import EXPECTED as REPORTS_EXPECTED
from tests.access.matrix_reports import report_objects
from tests.access.matrix_rounds import EXPECTED as ROUNDS_EXPECTED
from tests.access.matrix_rounds import round_objects
from xuncha.access import audit, policy, services
from xuncha.access.models import ApiToken, AuditEvent, RoleAssignment, User
from xuncha.access.policy import ACTIONS
from xuncha.registry.models import Committee, ImportJob, Organization, Person, Relative, WorkHistory

ROLES = [
    "leader", "office_admin", "office_staff", "group_leader", "group_deputy", "group_member",
    "unit_liaison", "receiver", "supervisor", "sysadmin", "secadmin", "auditor", "outsider",
]
GROUP = ("group_leader", "group_deputy", "group_member")
OFFICE = ("office_admin", "office_staff")
OFFICE_ALL = "view create change import export"


def _table(**by_role: str) -> dict[str, set[str]]:
    return {role: set(actions.split()) for role, actions in by_role.items()}


# What each role may do on an object in its own scope ("in") and on one in another county ("out").
# In-scope objects hang under 东门村 (the unit liaison's organization) in 示例县委.
EXPECTED: dict[str, dict[str, dict[str, set[str]]]] = {
    "Committee": {
        "in": _table(leader="view", office_admin="view", office_staff="view", group_leader="view",
                     group_deputy="view", group_member="view", supervisor="view",
                     sysadmin="view create change", secadmin="view"),
        "out": _table(supervisor="view", sysadmin="view create change", secadmin="view"),
    },
    "OrganizationKind": {
        "in": _table(**{r: "view" for r in ("leader", *OFFICE, *GROUP, "supervisor", "unit_liaison", "receiver")},
                     sysadmin="view create change"),
        "out": _table(**{r: "view" for r in ("leader", *OFFICE, *GROUP, "supervisor", "unit_liaison", "receiver")},
                      sysadmin="view create change"),
    },
    "Organization": {
        "in": _table(leader="view export", office_admin=OFFICE_ALL, office_staff=OFFICE_ALL,
                     group_leader="view", group_deputy="view", group_member="view",
                     supervisor="view", unit_liaison="view", secadmin="view"),
        "out": _table(supervisor="view", secadmin="view"),
    },
    "Person": {
        "in": _table(leader="view export", office_admin=OFFICE_ALL, office_staff=OFFICE_ALL,
                     group_leader="view", group_deputy="view", group_member="view",
                     supervisor="view", unit_liaison="view"),
        "out": _table(supervisor="view"),
    },
    "WorkHistory": {
        "in": _table(leader="view", office_admin=OFFICE_ALL, office_staff=OFFICE_ALL,
                     group_leader="view", group_deputy="view", group_member="view", supervisor="view"),
        "out": _table(supervisor="view"),
    },
    "Relative": {
        "in": _table(leader="view", office_admin=OFFICE_ALL, office_staff=OFFICE_ALL,
                     group_leader="view", group_deputy="view", group_member="view", supervisor="view"),
        "out": _table(supervisor="view"),
    },
    "User": {
        "in": _table(sysadmin="view create change", secadmin="view"),
        "out": _table(sysadmin="view create change", secadmin="view"),
    },
    "RoleAssignment": {
        "in": _table(secadmin="view create delete", sysadmin="view"),
        "out": _table(secadmin="view create delete", sysadmin="view"),
    },
    "AuditEvent": {
        "in": _table(auditor="view export"),
        "out": _table(auditor="view export"),
    },
    # "in" is a token of the acting account itself, "out" one of somebody else.
    "ApiToken": {
        "in": _table(**{r: "view create delete" for r in ROLES if r not in ("sysadmin", "secadmin", "auditor")}),
        "out": _table(),
    },
    # Owner-only: "in" is the office admin's own import job, "out" one of another account.
    "ImportJob": {
        "in": _table(office_admin="view"),
        "out": _table(),
    },
}


EXPECTED.update(ROUNDS_EXPECTED)
EXPECTED.update(FINDINGS_EXPECTED)
EXPECTED.update(REPORTS_EXPECTED)
EXPECTED.update(REGULATIONS_EXPECTED)
EXPECTED.update(RECTIFICATION_EXPECTED)
EXPECTED.update(ANALYTICS_EXPECTED)
EXPECTED.update(INTAKE_EXPECTED)


def test_every_protected_model_is_in_the_matrix():
    assert {m.__name__ for m in policy.RULES} == set(EXPECTED)


@pytest.fixture
def objects(world):
    other_user = world.users["outsider"]
    other_assignment = services.role_grant(
        actor=policy.CONSOLE, user=services.user_create(
            actor=policy.CONSOLE, username="neighbour", password="Harbour-lights-77",
        )[0], role="office_admin", committee=world.other,
    )
    in_person = world.villager
    out_person = world.outsider_person
    audit.record(actor=policy.CONSOLE, action="test.one", summary="one")
    audit.record(actor=policy.CONSOLE, action="test.two", summary="two")
    events = list(AuditEvent.objects.order_by("-seq")[:2])
    return {
        **round_objects(world, other_assignment.user),
        **findings_objects(world, other_assignment.user),
        **report_objects(world, other_assignment.user),
        **regulation_objects(world),
        **rectification_objects(world, other_assignment.user),
        **analytics_objects(world),
        **intake_objects(world, other_assignment.user),
        "Committee": (world.county, world.other),
        "OrganizationKind": (world.kinds["village"], world.kinds["township"]),
        "Organization": (world.village, world.other_township),
        "Person": (in_person, out_person),
        "WorkHistory": (
            WorkHistory.objects.create(person=in_person, organization=world.township, start_date="2015-01-01"),
            WorkHistory.objects.create(person=out_person, organization_name="邻县某局", start_date="2016-01-01"),
        ),
        "Relative": (
            Relative.objects.create(person=in_person, relation="spouse", name="张秀英"),
            Relative.objects.create(person=out_person, relation="child", name="李小明"),
        ),
        "User": (world.users["unit_liaison"], other_user),
        "RoleAssignment": (
            RoleAssignment.objects.get(user=world.users["unit_liaison"]), other_assignment,
        ),
        "AuditEvent": tuple(events),
        "ApiToken": None,  # made per acting account below
        "ImportJob": (
            ImportJob.objects.create(public_id=uuid.uuid4(), created_by=world.users["office_admin"],
                                     committee=world.county, kind="orgs"),
            ImportJob.objects.create(public_id=uuid.uuid4(), created_by=other_assignment.user,
                                     committee=world.other, kind="people"),
        ),
    }


def _token_pair(actor, world):
    from xuncha.access.services import hash_token

    mine = ApiToken(user=actor, name="mine", prefix="mine0000", key_hash=hash_token(f"mine-{actor.pk}"))
    theirs_owner = world.users["office_admin"] if actor.username != "office_admin" else world.users["leader"]
    theirs = ApiToken(user=theirs_owner, name="theirs", prefix="their000",
                      key_hash=hash_token(f"theirs-{actor.pk}"))
    if not actor.system_role:
        mine.save()
    theirs.save()
    return mine, theirs


@pytest.mark.parametrize("role", ROLES)
def test_matrix(world, objects, role):
    actor = world.users[role]
    models = {m.__name__: m for m in policy.RULES}
    failures = []
    for name, model in models.items():
        pair = objects[name] if objects[name] is not None else _token_pair(actor, world)
        for where, obj in zip(("in", "out"), pair, strict=True):
            allowed = EXPECTED[name][where].get(role, set())
            for action in ACTIONS:
                got = policy.can(actor, action, obj)
                if got != (action in allowed):
                    failures.append(f"{name}/{where}/{action}: can={got}, expected {action in allowed}")
                if obj.pk is not None:
                    in_scope = policy.scope(actor, model, action).filter(pk=obj.pk).exists()
                    if in_scope != got:
                        failures.append(f"{name}/{where}/{action}: scope={in_scope} but can={got}")
    assert not failures, "\n".join(failures)


def test_anonymous_is_denied_everything(world, objects):
    from django.contrib.auth.models import AnonymousUser

    anonymous = AnonymousUser()
    for model in policy.RULES:
        assert not policy.scope(anonymous, model).exists()
    assert not policy.can(anonymous, "view", world.county)


def test_deactivated_account_loses_everything(world):
    admin = world.users["office_admin"]
    services.user_set_active(actor=world.users["sysadmin"], user=admin, active=False)
    admin.refresh_from_db()
    assert not policy.scope(admin, Organization).exists()


def test_receiver_sees_only_its_own_organization(world):
    visible = set(policy.scope(world.users["receiver"], Organization).values_list("name", flat=True))
    assert visible == {"县财政局"}


def test_supervisor_reads_the_subtree_but_writes_nothing(world):
    sup = world.users["supervisor"]
    assert set(policy.scope(sup, Committee).values_list("name", flat=True)) == {"示例市委", "示例县委", "邻县县委"}
    assert policy.scope(sup, Person).count() == 2
    for action in ("create", "change", "delete", "import"):
        assert not policy.can(sup, action, Person(committee=world.county, name="新人"))


def test_scope_of_revoked_role_is_gone(world):
    staff = world.users["office_staff"]
    assignment = RoleAssignment.objects.get(user=staff)
    services.role_revoke(actor=world.users["secadmin"], assignment=assignment)
    fresh = User.objects.get(pk=staff.pk)
    assert not policy.scope(fresh, Organization).exists()
