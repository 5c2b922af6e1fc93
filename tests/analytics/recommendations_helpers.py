"""Fixtures for the recommendation and campaign tests.

`letters_data`: in 示例县委's first term, rounds 1 and 2, seven problems about village collective
assets in three villages (东门村, 西门村, 南街村) under four manifestations, with amounts, plus one
lead; a cluster holding all eight. `letter(world, data, state)` builds a letter in any state
through the services, as the office and the leading group would.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.test import Client
from django.utils import timezone

from tests.conftest import PASSWORD
from xuncha.access import policy, services
from xuncha.access.roles import Role
from xuncha.analytics import services_recommendations as svc
from xuncha.analytics.models import Cluster, ClusterMember, Recommendation
from xuncha.checklist.models import Item, Library, Version
from xuncha.findings.models import Kind, Problem
from xuncha.registry.models import Organization
from xuncha.rounds.models import Assignment, Group, Round

M1, M2, M3, M4 = "资产未登记入账", "资源发包程序不规范", "资金管理不规范", "财务公开不及时"
SYMPTOMS = (
    "第一届第一、二轮巡察中，共发现此类问题7个，涉及3个党组织，涉及金额24万元。\n"
    "从问题表现看，主要是资产未登记入账3个，资源发包程序不规范2个，财务公开不及时1个。\n"
    "典型的如：东门村集体资产未登记入账，涉及金额12万元；西门村集体房屋未登记入账，涉及金额3.5万元；"
    "南街村白条入账，涉及金额5000元。"
)


@pytest.fixture(name="letters_data")
def letters_data_fixture(world):
    county = world.county
    library = Library.objects.create(committee=county, kind=world.kinds["village"], name="村级巡察指引")
    version = Version.objects.create(library=library, number=1)
    focus = Item.objects.create(version=version, level=1, key="A1", title="落实全面从严治党")
    point = Item.objects.create(version=version, level=2, parent=focus, key="A1.1", title="村集体“三资”管理")
    m = {title: Item.objects.create(version=version, level=3, parent=point, key=f"A1.1.{n}", title=title)
         for n, title in enumerate((M1, M2, M3, M4), start=1)}
    west = Organization.objects.create(committee=county, name="西门村", kind=world.kinds["village"],
                                       parent=world.township)
    south = Organization.objects.create(committee=county, name="南街村", kind=world.kinds["village"],
                                        parent=world.township)
    round2 = Round.objects.create(term=world.term, number=2, planned_entry=date(2024, 6, 1),
                                  planned_exit=date(2024, 7, 15), state=Round.State.STATIONED)
    group2 = Group.objects.create(round=round2, number=1)
    targets = {}

    def target(group, org):
        if (group.pk, org.pk) not in targets:
            targets[(group.pk, org.pk)] = Assignment.objects.create(group=group, organization=org)
        return targets[(group.pk, org.pk)]

    seqs = {}

    def problem(group, org, manifestation, title, amount=None, kind=Kind.GENERAL):
        seqs[group.pk] = seqs.get(group.pk, 0) + 1
        return Problem.objects.create(assignment=target(group, org), seq=seqs[group.pk], title=title,
                                      description=f"{org.name}{title}。", classification=m[manifestation],
                                      kind=kind, amount=None if amount is None else Decimal(amount))

    g1 = world.group1
    problems = [
        problem(g1, world.village, M1, "集体资产未登记入账", "120000"),
        problem(g1, west, M1, "集体房屋未登记入账", "35000"),
        problem(g1, world.village, M4, "财务公开不及时"),
        problem(group2, south, M1, "新建厂房未入账"),
        problem(group2, world.village, M2, "鱼塘发包未经村民代表大会表决", "80000"),
        problem(group2, west, M2, "林地发包未公开招标"),
        problem(group2, south, M3, "白条入账", "5000"),
    ]
    lead = problem(g1, world.village, M1, "村支书侵占集体资产", "50000", kind=Kind.LEAD)
    cluster = Cluster.objects.create(committee=county, term=world.term, key=problems[0].pk, label="集体资产未入账",
                                     point=point, problem_count=8, organization_count=3, round_count=2)
    for p in [*problems, lead]:
        ClusterMember.objects.create(cluster=cluster, problem=p)
    return SimpleNamespace(problems=problems, lead=lead, cluster=cluster, west=west, south=south, round2=round2,
                           point=point)


@pytest.fixture(name="other_receiver")
def other_receiver_fixture(world, make_user):
    """A receiver of another department of the same committee (县农业农村局)."""
    agri = Organization.objects.create(committee=world.county, name="县农业农村局", kind=world.kinds["department"])
    user = make_user("agri_receiver", role=Role.RECEIVER, organization=agri)
    return SimpleNamespace(user=user, organization=agri)


@pytest.fixture(name="other_office")
def other_office_fixture(world, make_user):
    """The office of 邻县县委 (another committee)."""
    return make_user("other_office", role=Role.OFFICE_ADMIN, committee=world.other)


def login(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    return client


STATES = ("draft", "submitted", "returned", "approved", "issued", "closed")


def letter(world, data, state: str = "draft", *, addressees=None, issued_on: date | None = None,
           title: str = "关于加强村集体“三资”管理的巡察建议书") -> Recommendation:
    """A letter from all seven problems to 县财政局 (or `addressees`), taken to `state`."""
    office, leader = world.users["office_admin"], world.users["leader"]
    rec = svc.draft(actor=office, committee=world.county, term=world.term, title=title, problems=data.problems,
                    addressees=addressees if addressees is not None else [world.department])
    if state == "draft":
        return rec
    svc.update(actor=office, rec=rec, causes="制度执行不严，监管责任落实不到位。")
    svc.set_items(actor=office, rec=rec, texts=["建立村集体资产台账", "规范资源发包程序"])
    rec = svc.submit(actor=office, rec=rec)
    if state == "submitted":
        return rec
    if state == "returned":
        return svc.return_(actor=leader, rec=rec, comment="病情病理再深入分析")
    rec = svc.approve(actor=leader, rec=rec)
    if state == "approved":
        return rec
    if issued_on is not None:
        # Approved in time to be issued on the day asked for.
        Recommendation.objects.filter(pk=rec.pk).update(
            approved_at=timezone.make_aware(datetime.combine(issued_on - timedelta(days=1), time(9))))
        rec.refresh_from_db()
    rec = svc.issue(actor=office, rec=rec, issued_on=issued_on or timezone.localdate())
    if state == "issued":
        return rec
    for addressee in rec.addressees.all():
        svc.respond(actor=office, addressee=addressee, responded_on=timezone.localdate(), response="已整改")
    return svc.close(actor=office, rec=rec)


def grant(user, role, **where) -> None:
    services.role_grant(actor=policy.CONSOLE, user=user, role=role, **where)
    policy.forget(user)


def api_for(user) -> Client:
    """A test client that authenticates every request as `user` with a bearer token."""
    _, key = services.token_create(actor=user, user=user, name="test")
    return Client(headers={"Authorization": f"Bearer {key}"}, enforce_csrf_checks=True)
