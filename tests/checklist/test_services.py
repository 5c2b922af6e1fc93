"""Checklist services: installing the shipped default, drafts keep keys, new keys are new,
publishing freezes a version (papers and problems keep their items), compare, refusals."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from xuncha.access import policy
from xuncha.access.models import AuditEvent
from xuncha.access.policy import CONSOLE
from xuncha.checklist import services
from xuncha.checklist.models import Item, Library, Version
from xuncha.findings.models import Problem, WorkingPaper
from xuncha.rounds.models import Assignment


def keys(version) -> dict[str, tuple]:
    return {i.key: (i.level, i.parent.key if i.parent else None, i.title, i.note, i.position)
            for i in Item.objects.filter(version=version).select_related("parent")}


def test_it_installs_the_shipped_file_as_published_version_1(checklist, world):
    v1 = checklist.v1
    assert (v1.number, v1.state) == (1, Version.State.PUBLISHED)
    assert v1.published_at is not None
    assert checklist.library.name == "村（社区）测试指引清单"
    assert checklist.library.committee == world.county
    assert Item.objects.filter(version=v1).count() == 10
    v111 = checklist.items["V1.1.1"]
    assert (v111.level, v111.parent.key, v111.note) == (3, "V1.1", "含耕地地力保护补贴")
    assert [i.key for i in Item.objects.filter(version=v1, parent=checklist.items["V2.1.1"]).order_by("position")] \
        == ["V2.1.1.1", "V2.1.1.2"]
    assert AuditEvent.objects.filter(action="checklist.install_default").exists()


def test_it_refuses_a_second_install_and_kinds_without_a_shipped_file(checklist, world):
    with pytest.raises(ValidationError, match="already has a checklist"):
        services.install_default(actor=CONSOLE, committee=world.county, kind_code="village")
    with pytest.raises(ValidationError, match="No default checklist is shipped"):
        services.install_default(actor=CONSOLE, committee=world.county, kind_code="township")
    with pytest.raises(ValidationError, match="Unknown kind"):
        services.install_default(actor=CONSOLE, committee=world.county, kind_code="../village")


def test_it_lets_only_the_office_install(world, shipped):
    with pytest.raises(policy.PermissionDenied):
        services.install_default(actor=world.group_leader, committee=world.county, kind_code="village")
    with pytest.raises(policy.PermissionDenied):  # another committee's office
        services.install_default(actor=world.office_admin, committee=world.other, kind_code="village")
    services.install_default(actor=world.office_staff, committee=world.county, kind_code="village")
    assert Library.objects.filter(committee=world.county).count() == 1


def test_a_draft_copies_the_latest_version_keeping_every_key(checklist, world):
    draft = services.draft_create(actor=world.office_admin, library=checklist.library, note="2025年修订")
    assert (draft.number, draft.state, draft.note) == (2, Version.State.DRAFT, "2025年修订")
    assert keys(draft) == keys(checklist.v1)
    assert not Item.objects.filter(version=draft, pk__in=[i.pk for i in checklist.items.values()]).exists()
    with pytest.raises(ValidationError, match="already has a draft"):
        services.draft_create(actor=world.office_admin, library=checklist.library)


def test_new_items_get_keys_no_version_has_used(checklist, world):
    admin = world.office_admin
    draft = services.draft_create(actor=admin, library=checklist.library)
    item = lambda key: Item.objects.get(version=draft, key=key)  # noqa: E731
    focus = services.item_add(actor=admin, version=draft, title="基层党组织建设")
    assert (focus.key, focus.level, focus.parent) == ("V3", 1, None)
    point = services.item_add(actor=admin, version=draft, parent=focus, title="组织生活")
    assert (point.key, point.level) == ("V3.1", 2)
    # V2.1.2 is gone from the draft but was used in version 1: it is not handed out again.
    services.item_delete(actor=admin, item=item("V2.1.2"))
    again = services.item_add(actor=admin, version=draft, parent=item("V2.1"), title="新的表现形式")
    assert (again.key, again.level) == ("V2.1.3", 3)
    method = services.item_add(actor=admin, version=draft, parent=again, title="实地查看")
    assert method.level == 4
    with pytest.raises(ValidationError):
        services.item_add(actor=admin, version=draft, parent=method, title="第五层")
    with pytest.raises(ValidationError):
        services.item_add(actor=admin, version=draft, title="  ")


def test_items_of_a_published_version_never_change(checklist, world):
    admin = world.office_admin
    v111 = checklist.items["V1.1.1"]
    for call in (lambda: services.item_update(actor=admin, item=v111, title="改"),
                 lambda: services.item_delete(actor=admin, item=v111),
                 lambda: services.item_move(actor=admin, item=v111, direction="up"),
                 lambda: services.item_add(actor=admin, version=checklist.v1, title="新"),
                 lambda: services.publish(actor=admin, version=checklist.v1),
                 lambda: services.draft_discard(actor=admin, version=checklist.v1)):
        with pytest.raises(ValidationError, match="published"):
            call()
    assert Item.objects.get(pk=v111.pk).title == "惠农补贴发放不及时"


def test_publishing_v2_leaves_v1_and_what_was_classified_under_it(checklist, world):
    admin = world.office_admin
    v211 = checklist.items["V2.1.1"]
    target = Assignment.objects.create(group=world.group1, organization=world.village)
    paper = WorkingPaper.objects.create(group=world.group1, assignment=target, seq=1, title="坐收坐支",
                                        classification=v211)
    problem = Problem.objects.create(assignment=target, seq=1, title="坐收坐支", description="……",
                                     classification=v211)
    before = keys(checklist.v1)
    draft = services.draft_create(actor=admin, library=checklist.library)
    services.item_update(actor=admin, item=Item.objects.get(version=draft, key="V2.1.1"), title="村集体资金坐收坐支、公款私存")
    services.item_delete(actor=admin, item=Item.objects.get(version=draft, key="V2.1.2"))
    published = services.publish(actor=admin, version=draft, note="第二版")
    assert (published.state, published.published_by, published.note) == (Version.State.PUBLISHED, admin, "第二版")
    assert published.published_at is not None
    assert keys(checklist.v1) == before
    paper.refresh_from_db()
    problem.refresh_from_db()
    assert paper.classification_id == problem.classification_id == v211.pk
    assert paper.classification.title == "村集体资金坐收坐支"
    assert paper.classification.version_id == checklist.v1.pk


def test_it_refuses_to_publish_an_empty_draft_or_a_focus_without_points(world, checklist):
    admin = world.office_admin
    library = services.library_create(actor=admin, committee=world.county, kind=world.kinds["township"], name="乡镇")
    draft = services.draft_create(actor=admin, library=library)
    assert draft.items.count() == 0
    with pytest.raises(ValidationError, match="no items"):
        services.publish(actor=admin, version=draft)
    focus = services.item_add(actor=admin, version=draft, title="重点")
    with pytest.raises(ValidationError) as refused:
        services.publish(actor=admin, version=draft)
    assert any(focus.key in m for m in refused.value.messages)
    point = services.item_add(actor=admin, version=draft, parent=focus, title="要点")
    with pytest.raises(ValidationError) as refused:
        services.publish(actor=admin, version=draft)
    assert any(point.key in m for m in refused.value.messages)
    services.item_add(actor=admin, version=draft, parent=point, title="表现形式")
    assert services.publish(actor=admin, version=draft).state == Version.State.PUBLISHED


def test_readers_may_not_write(checklist, world):
    draft = services.draft_create(actor=world.office_admin, library=checklist.library)
    for name in ("leader", "group_leader", "group_member", "supervisor", "unit_liaison", "outsider"):
        user = world.users[name]
        with pytest.raises(policy.PermissionDenied):
            services.item_add(actor=user, version=draft, title="x")
        with pytest.raises(policy.PermissionDenied):
            services.publish(actor=user, version=draft)
    with pytest.raises(policy.PermissionDenied):
        services.draft_discard(actor=world.group_leader, version=draft)


def test_items_move_among_siblings_and_to_another_parent(checklist, world):
    admin = world.office_admin
    draft = services.draft_create(actor=admin, library=checklist.library)
    item = lambda key: Item.objects.get(version=draft, key=key)  # noqa: E731
    services.item_move(actor=admin, item=item("V2"), direction="up")
    assert [i.key for i in draft.items.filter(level=1).order_by("position")] == ["V2", "V1"]
    services.item_move(actor=admin, item=item("V2"), direction="up")  # already first: stays
    assert [i.key for i in draft.items.filter(level=1).order_by("position")] == ["V2", "V1"]
    services.item_move(actor=admin, item=item("V2.1.2"), parent=item("V1.1"))
    moved = item("V2.1.2")
    assert (moved.parent.key, moved.level) == ("V1.1", 3)
    assert [i.key for i in draft.items.filter(parent=item("V1.1")).order_by("position")] == ["V1.1.1", "V2.1.2"]
    with pytest.raises(ValidationError, match="parent"):
        services.item_move(actor=admin, item=item("V2.1.1"), parent=item("V1"))


def test_compare_names_added_removed_changed_and_unchanged(checklist, world):
    admin = world.office_admin
    draft = services.draft_create(actor=admin, library=checklist.library)
    item = lambda key: Item.objects.get(version=draft, key=key)  # noqa: E731
    services.item_update(actor=admin, item=item("V1.1.1"), title="惠农补贴发放不及时、不到位")
    services.item_update(actor=admin, item=item("V1.1"), note="含衔接资金")
    services.item_move(actor=admin, item=item("V2.1.2"), parent=item("V1.1"))
    services.item_delete(actor=admin, item=item("V2.1.1.2"))
    added = services.item_add(actor=admin, version=draft, parent=item("V2.1"), title="资源发包暗箱操作")
    rows = services.compare(checklist.v1, draft)
    status = {r.key: r.status for r in rows}
    assert status["V1.1.1"] == status["V1.1"] == status["V2.1.2"] == services.CHANGED
    assert status["V2.1.1.2"] == services.REMOVED
    assert status[added.key] == services.ADDED
    assert status["V1"] == status["V2.1.1.1"] == services.UNCHANGED
    fields = {r.key: r.fields for r in rows}
    assert fields["V1.1.1"] == ["title"] and fields["V1.1"] == ["note"] and fields["V2.1.2"] == ["parent"]
    assert len(rows) == 11
    order = [r.key for r in rows]
    assert order.index("V2.1.1.2") == order.index("V2.1.1.1") + 1  # where it stood
    assert all(r.status == services.UNCHANGED for r in services.compare(checklist.v1, checklist.v1))


def test_a_discarded_draft_is_gone_and_a_new_one_may_start(checklist, world):
    admin = world.office_admin
    draft = services.draft_create(actor=admin, library=checklist.library)
    services.draft_discard(actor=admin, version=draft)
    assert not Version.objects.filter(pk=draft.pk).exists()
    assert Item.objects.filter(version=checklist.v1).count() == 10
    assert services.draft_create(actor=admin, library=checklist.library).number == 2


@pytest.mark.parametrize("code", ["village", "township", "department"])
def test_the_shipped_checklists_install(world, code):
    if services.shipped_file(code) is None:
        pytest.skip(f"no shipped checklist for {code} yet")
    library = services.install_default(actor=CONSOLE, committee=world.county, kind_code=code)
    version = library.versions.get()
    assert version.state == Version.State.PUBLISHED
    assert set(version.items.values_list("level", flat=True)) == {1, 2, 3, 4}
