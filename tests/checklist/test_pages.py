"""Checklist pages: the office reads and writes; group roles read; unit liaisons and the 三员
get nothing. The guide for a target answers its own group and 404 elsewhere."""

from __future__ import annotations

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.checklist.conftest import SMALL_YAML
from xuncha.checklist import io, services
from xuncha.checklist.models import Item, Library, Version
from xuncha.rounds.models import Assignment


@pytest.fixture
def draft(checklist, world):
    return services.draft_create(actor=world.office_admin, library=checklist.library)


def _client(client, user):
    client.force_login(user)
    return client


def test_the_office_sees_the_libraries_and_can_install_what_is_shipped(client, world, shipped):
    c = _client(client, world.office_admin)
    page = c.get(reverse("checklist:library_list"))
    assert page.status_code == 200
    assert b'data-testid="install-village"' in page.content
    assert b'data-testid="install-township"' not in page.content  # none shipped in this test
    response = c.post(reverse("checklist:library_install"), {"committee": world.county.pk, "kind": "village"})
    library = Library.objects.get(committee=world.county)
    assert response.status_code == 302 and response["Location"] == reverse("checklist:library_detail", args=[library.pk])
    assert library.versions.get().state == Version.State.PUBLISHED
    # Another committee's office cannot install for ours.
    assert c.post(reverse("checklist:library_install"), {"committee": world.other.pk, "kind": "village"}).status_code == 404


@pytest.mark.parametrize("name", ["leader", "group_leader", "group_member", "supervisor"])
def test_readers_see_the_list_and_versions_without_write_controls(client, world, checklist, draft, name):
    c = _client(client, world.users[name])
    page = c.get(reverse("checklist:library_list"))
    assert page.status_code == 200 and "村（社区）测试指引清单" in page.content.decode()
    assert b"install-" not in page.content
    detail = c.get(reverse("checklist:library_detail", args=[checklist.library.pk]))
    assert detail.status_code == 200 and b'data-testid="draft-create"' not in detail.content
    tree = c.get(reverse("checklist:version_detail", args=[draft.pk]))
    assert tree.status_code == 200
    assert b'data-testid="publish"' not in tree.content and b"item_add" not in tree.content
    assert c.post(reverse("checklist:item_add", args=[draft.pk]), {"title": "x"}).status_code == 403
    assert c.post(reverse("checklist:draft_publish", args=[draft.pk])).status_code == 403
    assert c.post(reverse("checklist:draft_create", args=[checklist.library.pk])).status_code == 403
    item = Item.objects.get(version=draft, key="V1")
    assert c.post(reverse("checklist:item_delete", args=[item.pk])).status_code == 403
    assert Item.objects.filter(version=draft).count() == 10


@pytest.mark.parametrize("name", ["unit_liaison", "receiver", "sysadmin", "outsider"])
def test_others_get_nothing(client, world, checklist, name):
    c = _client(client, world.users[name])
    assert c.get(reverse("checklist:library_list")).status_code == 403
    assert c.get(reverse("checklist:library_detail", args=[checklist.library.pk])).status_code == 404
    assert c.get(reverse("checklist:version_detail", args=[checklist.v1.pk])).status_code == 404
    assert c.get(reverse("checklist:version_export", args=[checklist.v1.pk]) + "?format=yaml").status_code == 404


def test_another_committees_office_gets_404(client, world, checklist, make_user):
    from xuncha.access.roles import Role

    other = make_user("other_office", role=Role.OFFICE_ADMIN, committee=world.other)
    c = _client(client, other)
    assert c.get(reverse("checklist:version_detail", args=[checklist.v1.pk])).status_code == 404
    assert c.post(reverse("checklist:draft_create", args=[checklist.library.pk])).status_code == 404


def test_anonymous_users_are_sent_to_log_in(client, checklist):
    response = client.get(reverse("checklist:version_detail", args=[checklist.v1.pk]))
    assert response.status_code == 302 and "login" in response["Location"]


def test_the_tree_page_shows_four_levels_with_counts_in_few_queries(client, world, checklist,
                                                                    django_assert_max_num_queries):
    c = _client(client, world.group_member)
    url = reverse("checklist:version_detail", args=[checklist.v1.pk])
    c.get(url)
    with django_assert_max_num_queries(12):
        page = c.get(url + "?open=all")
    html = page.content.decode()
    assert page.status_code == 200
    assert html.count('data-testid="item"') == 10
    assert "调阅会计凭证和银行流水" in html and "含耕地地力保护补贴" in html
    assert [n for _level, _label, n in page.context["levels"]] == [2, 2, 3, 3]


def test_the_office_edits_publishes_and_discards_a_draft(client, world, checklist):
    c = _client(client, world.office_staff)
    response = c.post(reverse("checklist:draft_create", args=[checklist.library.pk]), {"note": "修订"})
    draft = Version.objects.get(library=checklist.library, state=Version.State.DRAFT)
    assert response["Location"] == reverse("checklist:version_detail", args=[draft.pk])
    page = c.get(response["Location"])
    assert b'data-testid="publish"' in page.content and b'data-testid="import-form"' in page.content
    v1 = Item.objects.get(version=draft, key="V1.1")
    # add: a form page, then a POST under a parent
    assert c.get(reverse("checklist:item_add", args=[draft.pk]) + f"?parent={v1.pk}").status_code == 200
    c.post(reverse("checklist:item_add", args=[draft.pk]), {"parent": v1.pk, "title": "惠农资金被截留", "note": ""})
    added = Item.objects.get(version=draft, title="惠农资金被截留")
    assert (added.key, added.level) == ("V1.1.2", 3)
    bad = c.post(reverse("checklist:item_add", args=[draft.pk]), {"title": ""})
    assert bad.status_code == 200 and bad.context["form"].errors["title"]
    # edit, move, delete
    c.post(reverse("checklist:item_edit", args=[added.pk]), {"title": "惠农资金被截留挪用", "note": "说明"})
    added.refresh_from_db()
    assert (added.title, added.note) == ("惠农资金被截留挪用", "说明")
    c.post(reverse("checklist:item_move", args=[added.pk]), {"direction": "up"})
    assert [i.key for i in Item.objects.filter(version=draft, parent=v1).order_by("position")] == ["V1.1.2", "V1.1.1"]
    c.post(reverse("checklist:item_move", args=[added.pk]), {"parent_key": "V2.1"})
    added.refresh_from_db()
    assert added.parent.key == "V2.1"
    c.post(reverse("checklist:item_delete", args=[Item.objects.get(version=draft, key="V2.1.2").pk]))
    assert not Item.objects.filter(version=draft, key="V2.1.2").exists()
    assert c.get(reverse("checklist:item_move", args=[added.pk])).status_code == 405
    # compare shows the changes
    compare = c.get(reverse("checklist:compare", args=[checklist.library.pk]),
                    {"a": checklist.v1.pk, "b": draft.pk})
    assert compare.context["counts"] == {"added": 1, "removed": 1, "changed": 0, "unchanged": 9}
    assert b'data-testid="diff-added"' in compare.content and b'data-testid="diff-removed"' in compare.content
    # publish
    response = c.post(reverse("checklist:draft_publish", args=[draft.pk]), {"note": "第二版"})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.state == Version.State.PUBLISHED and draft.published_by == world.office_staff
    assert c.post(reverse("checklist:item_add", args=[draft.pk]), {"title": "x"}).status_code == 404
    response = c.post(reverse("checklist:item_delete", args=[added.pk]), follow=True)
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    assert Item.objects.filter(pk=added.pk).exists()
    # a new draft, discarded
    c.post(reverse("checklist:draft_create", args=[checklist.library.pk]))
    v3 = Version.objects.get(library=checklist.library, state=Version.State.DRAFT)
    assert v3.number == 3
    c.post(reverse("checklist:draft_discard", args=[v3.pk]))
    assert not Version.objects.filter(pk=v3.pk).exists()


def test_publishing_an_empty_draft_says_why(client, world):
    library = services.library_create(actor=world.office_admin, committee=world.county, kind=world.kinds["township"],
                                      name="乡镇清单")
    draft = services.draft_create(actor=world.office_admin, library=library)
    c = _client(client, world.office_admin)
    response = c.post(reverse("checklist:draft_publish", args=[draft.pk]), follow=True)
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    draft.refresh_from_db()
    assert draft.state == Version.State.DRAFT


def test_export_and_import_through_the_pages(client, world, checklist, draft):
    c = _client(client, world.office_admin)
    xlsx = c.get(reverse("checklist:version_export", args=[checklist.v1.pk]) + "?format=xlsx")
    assert xlsx.status_code == 200 and xlsx["Content-Disposition"].endswith('.xlsx"')
    yml = c.get(reverse("checklist:version_export", args=[checklist.v1.pk]) + "?format=yaml")
    assert io.parse_yaml(yml.content).kind == "village"
    Item.objects.filter(version=draft).delete()
    upload = SimpleUploadedFile("v1.xlsx", xlsx.content)
    c.post(reverse("checklist:draft_import", args=[draft.pk]), {"file": upload})
    assert {r.status for r in services.compare(checklist.v1, draft)} == {services.UNCHANGED}
    Item.objects.filter(version=draft).delete()
    c.post(reverse("checklist:draft_import", args=[draft.pk]), {"file": SimpleUploadedFile("v1.yaml", yml.content)})
    assert {r.status for r in services.compare(checklist.v1, draft)} == {services.UNCHANGED}


def test_a_bad_file_names_the_row_and_changes_nothing(client, world, checklist, draft, tmp_path):
    c = _client(client, world.office_admin)
    workbook = openpyxl.Workbook()
    workbook.active.append(list(io.COLUMNS))
    workbook.active.append([1, "V1", "", "重点"])
    workbook.active.append([2, "V1.1", "V7", "要点"])
    path = tmp_path / "bad.xlsx"
    workbook.save(path)
    response = c.post(reverse("checklist:draft_import", args=[draft.pk]),
                      {"file": SimpleUploadedFile("bad.xlsx", path.read_bytes())}, follow=True)
    texts = [str(m) for m in response.context["messages"]]
    assert any("3" in t and "上级编号" in t for t in texts), texts
    assert Item.objects.filter(version=draft).count() == 10
    bad_yaml = SMALL_YAML.replace("          - key: V2.1.2\n", "          - kee: V2.1.2\n")
    response = c.post(reverse("checklist:draft_import", args=[draft.pk]),
                      {"file": SimpleUploadedFile("bad.yaml", bad_yaml.encode())}, follow=True)
    assert any("items[1].children[0].children[1]" in str(m) for m in response.context["messages"])
    response = c.post(reverse("checklist:draft_import", args=[draft.pk]),
                      {"file": SimpleUploadedFile("fake.xlsx", b"PK\x03\x04not really a zip")}, follow=True)
    assert [m.level_tag for m in response.context["messages"]][-1] == "error"
    assert Item.objects.filter(version=draft).count() == 10


# -- the fieldwork guide ---------------------------------------------------------------------

@pytest.fixture
def targets(world):
    return {"village": Assignment.objects.create(group=world.group1, organization=world.village),
            "township": Assignment.objects.create(group=world.group2, organization=world.township)}


def test_the_guide_shows_manifestations_with_their_methods_to_the_group(client, world, checklist, targets,
                                                                        django_assert_max_num_queries):
    c = _client(client, world.group_leader)
    url = reverse("checklist:guide", args=[targets["village"].pk])
    c.get(url)
    with django_assert_max_num_queries(12):
        page = c.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count('data-testid="manifestation"') == 3 and html.count('data-testid="method"') == 3
    assert "个别谈话" in html and page.context["version"] == checklist.v1
    # the group page links to it
    group_page = c.get(reverse("rounds:group_detail", args=[world.group1.pk]))
    assert url.encode() in group_page.content
    # and the menu entry lists the user's targets
    index = c.get(reverse("checklist:guide_index"))
    assert url.encode() in index.content
    assert reverse("checklist:guide", args=[targets["township"].pk]).encode() not in index.content


def test_the_guide_says_when_no_checklist_is_in_force(client, world, checklist, targets):
    c = _client(client, world.group_member)
    page = c.get(reverse("checklist:guide", args=[targets["township"].pk]))
    assert page.status_code == 200 and b'data-testid="no-checklist"' in page.content


@pytest.mark.parametrize("name", ["group_member", "unit_liaison", "outsider"])
def test_the_guide_is_404_outside_the_users_scope(client, world, checklist, targets, name):
    c = _client(client, world.users[name])
    assert c.get(reverse("checklist:guide", args=[targets["village"].pk])).status_code == 404


def test_the_guide_is_404_for_another_committees_target(client, world, checklist, make_user):
    from datetime import date

    from xuncha.access.roles import Role
    from xuncha.rounds.models import Group, Round, Term

    term = Term.objects.create(committee=world.other, number=1, name="第一届", start_date=date(2024, 1, 1))
    rnd = Round.objects.create(term=term, number=1, planned_entry=date(2024, 3, 1), planned_exit=date(2024, 4, 30))
    target = Assignment.objects.create(group=Group.objects.create(round=rnd, number=1),
                                       organization=world.other_township)
    for name in ("office_admin", "group_leader", "leader"):
        assert _client(client, world.users[name]).get(
            reverse("checklist:guide", args=[target.pk])).status_code == 404
    other_office = make_user("other_office", role=Role.OFFICE_ADMIN, committee=world.other)
    assert _client(client, other_office).get(reverse("checklist:guide", args=[target.pk])).status_code == 200
