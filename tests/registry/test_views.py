"""Registry pages: organizations and people, who may see and change what, forms, search."""

from __future__ import annotations

import pytest
from django.urls import reverse

from xuncha.access.models import AuditEvent
from xuncha.access.roles import Role
from xuncha.registry.models import Organization, Person, Relative, WorkHistory
from xuncha.text.strokes import stroke_count
from xuncha.workbench.todos import todos_for

HTMX = {"HTTP_HX_REQUEST": "true"}


def _login(client, user):
    client.force_login(user)
    return client


def _org_url(name: str, org) -> str:
    return reverse(f"registry:organization_{name}", args=[org.pk])


def _person_url(name: str, person) -> str:
    return reverse(f"registry:person_{name}", args=[person.pk])


def _org_data(org, **changes) -> dict:
    data = {"name": org.name, "short_name": org.short_name, "kind": org.kind_id,
            "parent": org.parent_id or "", "principal": org.principal_id or "",
            "unified_code": org.unified_code, "active": "on" if org.active else ""}
    data.update(changes)
    return {k: v for k, v in data.items() if v != ""}


def _names(response, key="page") -> list[str]:
    return [obj.name for obj in response.context[key].object_list]


# -- every page opens for the office -------------------------------------------------------

def test_it_opens_every_page_for_the_office_admin(client, world):
    _login(client, world.office_admin)
    urls = [
        reverse("registry:organization_tree"), reverse("registry:organization_list"),
        reverse("registry:organization_create"), _org_url("detail", world.township),
        _org_url("edit", world.township), reverse("registry:person_list"),
        reverse("registry:person_create"), _person_url("detail", world.villager),
        _person_url("edit", world.villager),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert b'class="breadcrumb"' in response.content


def test_it_shows_the_tree_by_committee_kind_and_parent(client, world):
    _login(client, world.office_admin)
    response = client.get(reverse("registry:organization_tree"))
    forest = response.context["forest"]
    assert [s["committee"] for s in forest] == [world.county]
    kinds = {g["kind"].code: g["nodes"] for g in forest[0]["kinds"]}
    assert [n["org"] for n in kinds["township"]] == [world.township]
    assert [n["org"] for n in kinds["township"][0]["children"]] == [world.village]
    assert [n["org"] for n in kinds["department"]] == [world.department]
    assert "village" not in kinds  # villages hang under their township
    assert kinds["township"][0]["children"][0]["org"].n_people == 1
    assert "河口镇" not in response.content.decode()


def test_it_shows_people_of_an_organization_in_stroke_order(client, world):
    for name in ("张七", "丁一", "王五"):
        Person.objects.create(committee=world.county, name=name, organization=world.department)
    _login(client, world.office_admin)
    response = client.get(_org_url("detail", world.department))
    assert [p.name for p in response.context["people"]] == ["丁一", "王五", "张七"]
    assert response.context["can_edit"]
    assert b'data-testid="edit"' in response.content


# -- who sees what ---------------------------------------------------------------------------

def test_it_shows_a_unit_liaison_only_its_own_organization_and_people(client, world):
    Person.objects.create(committee=world.county, name="赵六", organization=world.township)
    _login(client, world.unit_liaison)
    assert _names(client.get(reverse("registry:organization_list"))) == ["东门村"]
    tree = client.get(reverse("registry:organization_tree")).context["forest"]
    assert [n["org"] for g in tree[0]["kinds"] for n in g["nodes"]] == [world.village]
    assert client.get(_org_url("detail", world.village)).status_code == 200
    for org in (world.township, world.department, world.other_township):
        assert client.get(_org_url("detail", org)).status_code == 404
    assert _names(client.get(reverse("registry:person_list"))) == ["王建国"]
    assert client.get(_person_url("detail", world.outsider_person)).status_code == 404
    other = Person.objects.get(name="赵六")
    assert client.get(_person_url("detail", other)).status_code == 404


def test_it_never_shows_a_unit_liaison_work_history_or_relatives(client, world):
    WorkHistory.objects.create(person=world.villager, organization_name="县水务局",
                               start_date="2010-01-01")
    Relative.objects.create(person=world.villager, relation="spouse", name="刘芳")
    _login(client, world.unit_liaison)
    response = client.get(_person_url("detail", world.villager))
    assert response.status_code == 200
    assert not response.context["show_history"] and not response.context["show_relatives"]
    content = response.content.decode()
    assert "县水务局" not in content and "刘芳" not in content
    assert 'data-testid="edit"' not in content
    before = WorkHistory.objects.count(), Relative.objects.count()
    url = reverse("registry:work_history_add", args=[world.villager.pk])
    assert client.post(url, {"wh-start_date": "2020-01-01", "wh-organization_name": "某单位"}).status_code == 403
    url = reverse("registry:relative_add", args=[world.villager.pk])
    assert client.post(url, {"rel-relation": "child", "rel-name": "王小"}).status_code == 403
    assert (WorkHistory.objects.count(), Relative.objects.count()) == before


def test_it_keeps_group_members_read_only(client, world):
    _login(client, world.group_member)
    response = client.get(_org_url("detail", world.township))
    assert response.status_code == 200 and b'data-testid="edit"' not in response.content
    assert b'data-testid="new-organization"' not in client.get(reverse("registry:organization_tree")).content
    assert b'data-testid="new-person"' not in client.get(reverse("registry:person_list")).content
    assert client.get(_org_url("edit", world.township)).status_code == 403
    response = client.post(_org_url("edit", world.township), _org_data(world.township, name="改名镇"))
    assert response.status_code == 403
    world.township.refresh_from_db()
    assert world.township.name == "城关镇"
    assert client.post(_person_url("edit", world.villager), {"name": "王改名"}).status_code == 403
    assert client.get(reverse("registry:organization_create")).status_code == 403
    assert client.get(reverse("registry:person_create")).status_code == 403
    # group members see work history (recusal) but cannot change it
    response = client.get(_person_url("detail", world.villager))
    assert response.context["show_history"] and response.context["history_form"] is None
    url = reverse("registry:work_history_add", args=[world.villager.pk])
    assert client.post(url, {"wh-start_date": "2020-01-01", "wh-organization_name": "某单位"}).status_code == 403


def test_it_lets_the_supervisor_read_the_subtree(client, world):
    _login(client, world.supervisor)
    names = _names(client.get(reverse("registry:organization_list")))
    assert {"城关镇", "东门村", "县财政局", "河口镇"} <= set(names)
    response = client.get(_org_url("detail", world.other_township))
    assert response.status_code == 200 and not response.context["can_edit"]
    response = client.get(_person_url("detail", world.outsider_person))
    assert response.status_code == 200 and response.context["show_history"]
    assert b'data-testid="edit"' not in response.content
    assert client.post(_org_url("edit", world.other_township), {"name": "x"}).status_code == 403
    tree = client.get(reverse("registry:organization_tree"), {"committee": "all"}).context["forest"]
    assert {s["committee"].name for s in tree} == {"示例县委", "邻县县委"}


@pytest.mark.parametrize("role", ["sysadmin", "secadmin", "auditor"])
def test_it_refuses_the_three_system_roles(client, world, role):
    _login(client, world.users[role])
    for url in (reverse("registry:organization_tree"), reverse("registry:organization_list"),
                reverse("registry:person_list"), reverse("registry:organization_create")):
        assert client.get(url).status_code == 403, url
    assert client.get(_org_url("detail", world.township)).status_code in (403, 404)
    assert client.get(_person_url("detail", world.villager)).status_code in (403, 404)


def test_it_refuses_the_sysadmin_people(client, world):
    _login(client, world.sysadmin)
    assert client.get(reverse("registry:person_list")).status_code == 403
    assert client.get(_person_url("detail", world.villager)).status_code in (403, 404)


def test_it_refuses_accounts_without_a_role_and_the_receiver_people(client, world):
    _login(client, world.outsider)
    assert client.get(reverse("registry:organization_list")).status_code == 403
    assert client.get(_org_url("detail", world.township)).status_code == 404
    _login(client, world.receiver)
    assert _names(client.get(reverse("registry:organization_list"))) == ["县财政局"]
    assert client.get(reverse("registry:person_list")).status_code == 403
    assert client.get(_org_url("detail", world.township)).status_code == 404


def test_it_sends_anonymous_visitors_to_the_login(client, world):
    response = client.get(reverse("registry:organization_list"))
    assert response.status_code == 302 and reverse("access:login") in response["Location"]


def test_it_shows_the_menu_entries_to_those_who_may_view(client, world):
    def entries(user):
        _login(client, user)
        menu = client.get("/").context["shell_menu"]
        ours = {reverse("registry:organization_tree"), reverse("registry:person_list")}
        return [i["url"] for s in menu if s["stage"] == "registry" for i in s["items"] if i["url"] in ours]

    assert len(entries(world.office_admin)) == 2
    assert len(entries(world.unit_liaison)) == 2
    assert entries(world.receiver) == [reverse("registry:organization_tree")]
    assert entries(world.secadmin) == entries(world.outsider) == []


# -- organization forms ----------------------------------------------------------------------

def test_it_creates_an_organization_and_records_it(client, world):
    _login(client, world.office_admin)
    events = AuditEvent.objects.count()
    response = client.post(reverse("registry:organization_create"), {
        "committee": world.county.pk, "name": "西门村", "kind": world.kinds["village"].pk,
        "parent": world.township.pk, "principal": world.villager.pk, "active": "on"})
    org = Organization.objects.get(name="西门村")
    assert response.status_code == 302 and response["Location"] == _org_url("detail", org)
    assert org.committee == world.county and org.parent == world.township
    assert AuditEvent.objects.count() == events + 1
    assert AuditEvent.objects.latest("seq").action == "organization.create"


@pytest.mark.parametrize("changes, field", [
    ({"name": "东门村"}, "name"),  # a sibling of that name exists under 城关镇
    ({"name": "  "}, "name"),
    ({"unified_code": "12345"}, "unified_code"),
])
def test_it_shows_bad_organization_input_on_its_field(client, world, changes, field):
    _login(client, world.office_admin)
    data = {"committee": world.county.pk, "name": "新村", "kind": world.kinds["village"].pk,
            "parent": world.township.pk, "active": "on", **changes}
    count, events = Organization.objects.count(), AuditEvent.objects.count()
    response = client.post(reverse("registry:organization_create"), data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert "is-invalid" in response.content.decode()
    assert (Organization.objects.count(), AuditEvent.objects.count()) == (count, events)


def test_it_refuses_a_parent_outside_the_committee_or_the_users_sight(client, world):
    _login(client, world.office_admin)
    data = {"committee": world.county.pk, "name": "新村", "kind": world.kinds["village"].pk,
            "parent": world.other_township.pk, "active": "on"}
    response = client.post(reverse("registry:organization_create"), data)
    assert "parent" in response.context["form"].errors
    response = client.post(_org_url("edit", world.township), _org_data(world.township, parent=world.village.pk))
    assert "parent" in response.context["form"].errors  # placed under its own village
    world.township.refresh_from_db()
    assert world.township.parent is None


def test_it_edits_and_deactivates_an_organization(client, world):
    _login(client, world.office_admin)
    events = AuditEvent.objects.count()
    data = _org_data(world.department, short_name="财政局", principal=world.villager.pk)
    data.pop("active")
    response = client.post(_org_url("edit", world.department), data)
    assert response.status_code == 302
    world.department.refresh_from_db()
    assert not world.department.active and world.department.short_name == "财政局"
    event = AuditEvent.objects.latest("seq")
    assert AuditEvent.objects.count() == events + 1 and event.action == "organization.update"
    assert set(event.detail["changes"]) == {"short_name", "active", "principal"}


def test_it_offers_parents_and_principals_of_the_same_committee_only(client, world):
    _login(client, world.office_admin)
    form = client.get(_org_url("edit", world.township)).context["form"]
    assert world.other_township not in form.fields["parent"].queryset
    assert world.township not in form.fields["parent"].queryset
    assert world.outsider_person not in form.fields["principal"].queryset
    assert world.villager in form.fields["principal"].queryset


def test_it_lets_an_office_of_two_committees_choose_one(client, world, make_user):
    from xuncha.access import policy, services

    user = make_user("two_offices", role=Role.OFFICE_ADMIN, committee=world.county)
    services.role_grant(actor=policy.CONSOLE, user=user, role=Role.OFFICE_ADMIN, committee=world.other)
    _login(client, user)
    response = client.get(reverse("registry:organization_create"), {"committee": world.other.pk})
    assert response.context["committee"] == world.other
    assert set(response.context["committees"]) == {world.county, world.other}
    assert world.other_township in response.context["form"].fields["parent"].queryset
    assert world.township not in response.context["form"].fields["parent"].queryset
    client.post(reverse("registry:organization_create"), {
        "committee": world.other.pk, "name": "河口村", "kind": world.kinds["village"].pk,
        "parent": world.other_township.pk, "active": "on"})
    assert Organization.objects.get(name="河口村").committee == world.other


# -- search, order, fragments ----------------------------------------------------------------

@pytest.fixture
def hongshan(world):
    return Organization.objects.create(committee=world.county, name="红山镇", short_name="红山",
                                       kind=world.kinds["township"])


@pytest.mark.parametrize("query", ["hsz", "HSZ", "红山", "紅山鎮", "红山镇"])
def test_it_finds_organizations_by_name_pinyin_or_traditional_script(client, world, hongshan, query):
    _login(client, world.office_admin)
    assert _names(client.get(reverse("registry:organization_list"), {"q": query})) == ["红山镇"]


def test_it_filters_organizations_by_kind_state_parent_and_principal(client, world, hongshan):
    Organization.objects.filter(pk=hongshan.pk).update(active=False)
    Organization.objects.filter(pk=world.department.pk).update(principal=world.villager)
    _login(client, world.office_admin)
    url = reverse("registry:organization_list")
    assert _names(client.get(url, {"kind": "township"})) == ["城关镇", "红山镇"]
    assert _names(client.get(url, {"active": "0"})) == ["红山镇"]
    assert _names(client.get(url, {"parent": world.township.pk})) == ["东门村"]
    assert set(_names(client.get(url, {"active": "1", "principal": "none"}))) == {"城关镇", "东门村"}
    # a bad filter value is ignored, not an error page
    assert client.get(url, {"parent": "x", "kind": "nonsense"}).status_code == 200


def test_it_returns_the_table_fragment_to_htmx(client, world, hongshan):
    _login(client, world.office_admin)
    response = client.get(reverse("registry:organization_list"), {"q": "hsz"}, **HTMX)
    content = response.content.decode()
    assert response.status_code == 200 and "<html" not in content
    assert 'data-testid="organization-table"' in content and "红山镇" in content
    assert "城关镇" not in content
    assert "HX-Request" in response["Vary"]
    full = client.get(reverse("registry:organization_list"), {"q": "hsz"}).content.decode()
    assert "<html" in full and 'hx-get="/registry/organizations/list/"' in full
    response = client.get(reverse("registry:person_list"), {"q": "wjg"}, **HTMX)
    assert "<html" not in response.content.decode() and "王建国" in response.content.decode()


STROKE_ORDER = ["丁一", "于二", "万三", "马四", "王五", "李六", "张七", "赵八"]


def test_it_lists_people_in_surname_stroke_order(client, world):
    counts = [stroke_count(name[0]) for name in STROKE_ORDER]
    assert counts == sorted(counts) == [2, 3, 3, 3, 4, 7, 7, 9]
    for name in reversed(STROKE_ORDER):
        Person.objects.create(committee=world.county, name=name, organization=world.department)
    _login(client, world.office_admin)
    response = client.get(reverse("registry:person_list"), {"organization": world.department.pk})
    assert _names(response) == STROKE_ORDER
    content = response.content.decode()
    positions = [content.index(name) for name in STROKE_ORDER]
    assert positions == sorted(positions)


@pytest.mark.parametrize("query, found", [
    ("wjg", ["王建国"]), ("王建", ["王建国"]), ("書記", ["王建国"]), ("书记", ["王建国"]),
    ("李明", []),  # another county
])
def test_it_finds_people_by_name_pinyin_or_post(client, world, query, found):
    _login(client, world.office_admin)
    assert _names(client.get(reverse("registry:person_list"), {"q": query})) == found


def test_it_paginates_by_fifty(client, world):
    for i in range(55):
        Person.objects.create(committee=world.county, name=f"丁{i:02d}", organization=world.department)
    _login(client, world.office_admin)
    page = client.get(reverse("registry:person_list")).context["page"]
    assert len(page.object_list) == 50 and page.paginator.num_pages == 2
    assert len(client.get(reverse("registry:person_list"), {"page": 2}).context["page"].object_list) == 6


# -- query counts ----------------------------------------------------------------------------

@pytest.fixture
def many(world):
    towns = [Organization.objects.create(committee=world.county, name=f"第{i}镇", kind=world.kinds["township"])
             for i in range(8)]
    for i, town in enumerate(towns):
        for j in range(4):
            village = Organization.objects.create(committee=world.county, name=f"第{i}镇{j}村",
                                                  kind=world.kinds["village"], parent=town)
            person = Person.objects.create(committee=world.county, name=f"张{i}{j}", organization=village,
                                           post="村党支部书记")
            if j % 2:
                Organization.objects.filter(pk=village.pk).update(principal=person)
    return towns


@pytest.mark.parametrize("url_name", ["organization_list", "organization_tree", "person_list"])
def test_it_reads_long_lists_in_a_fixed_number_of_queries(client, world, many, url_name,
                                                          django_assert_max_num_queries):
    _login(client, world.office_admin)
    client.get(reverse(f"registry:{url_name}"))  # warm the session
    with django_assert_max_num_queries(12):
        response = client.get(reverse(f"registry:{url_name}"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "第7镇3村" in content or url_name == "organization_list"  # 50 a page
    assert content.count("/registry/") > 30


def test_it_shows_the_organization_detail_in_few_queries(client, world, many,
                                                         django_assert_max_num_queries):
    _login(client, world.office_admin)
    with django_assert_max_num_queries(14):
        assert client.get(_org_url("detail", many[0])).status_code == 200


# -- people forms, work history and relatives --------------------------------------------

def test_it_creates_a_person_with_a_chinese_date(client, world):
    _login(client, world.office_admin)
    events = AuditEvent.objects.count()
    response = client.post(reverse("registry:person_create"), {
        "committee": world.county.pk, "name": "马丽", "gender": "F", "birth_date": "1980年3月5日",
        "organization": world.department.pk, "post": "科员", "phone": "138 1234 5678"})
    person = Person.objects.get(name="马丽")
    assert response.status_code == 302 and response["Location"] == _person_url("detail", person)
    assert str(person.birth_date) == "1980-03-05" and person.phone == "13812345678"
    assert AuditEvent.objects.count() == events + 1
    assert AuditEvent.objects.latest("seq").action == "person.create"
    response = client.get(_person_url("detail", person))
    assert "1980年3月5日" in response.content.decode()


@pytest.mark.parametrize("changes, field", [
    ({"phone": "12345"}, "phone"),
    ({"birth_date": "1980年13月5日"}, "birth_date"),
    ({"birth_date": "2999-01-01"}, "birth_date"),  # refused by the service
    ({"gender": "X"}, "gender"),
    ({"name": ""}, "name"),
])
def test_it_shows_bad_person_input_on_its_field(client, world, changes, field):
    _login(client, world.office_admin)
    data = {"committee": world.county.pk, "name": "马丽", "organization": world.department.pk, **changes}
    count, events = Person.objects.count(), AuditEvent.objects.count()
    response = client.post(reverse("registry:person_create"), data)
    assert response.status_code == 200
    assert field in response.context["form"].errors, response.context["form"].errors
    assert (Person.objects.count(), AuditEvent.objects.count()) == (count, events)


def test_it_edits_a_person_and_records_it(client, world):
    _login(client, world.office_admin)
    response = client.post(_person_url("edit", world.villager), {
        "name": "王建国", "gender": "M", "birth_date": "1970-01-02", "organization": world.village.pk,
        "post": "村委会主任", "phone": "0871-12345678"})
    assert response.status_code == 302
    world.villager.refresh_from_db()
    assert world.villager.post == "村委会主任" and world.villager.phone == "0871-12345678"
    event = AuditEvent.objects.latest("seq")
    assert event.action == "person.update" and "post" in event.detail["changes"]
    response = client.post(_person_url("edit", world.villager), {"name": "王建国", "phone": "abc"})
    assert "phone" in response.context["form"].errors
    world.villager.refresh_from_db()
    assert world.villager.phone == "0871-12345678"


def test_it_adds_and_removes_work_history_through_htmx(client, world):
    _login(client, world.office_admin)
    url = reverse("registry:work_history_add", args=[world.villager.pk])
    response = client.post(url, {"wh-start_date": "2015年2月1日", "wh-end_date": "2024-02-28",
                                 "wh-organization": world.department.pk, "wh-post": "科员"}, **HTMX)
    content = response.content.decode()
    assert response.status_code == 200 and "<html" not in content and "县财政局" in content
    entry = WorkHistory.objects.get(person=world.villager)
    assert str(entry.start_date) == "2015-02-01" and str(entry.end_date) == "2024-02-28"
    assert AuditEvent.objects.latest("seq").action == "person.work_history.add"
    response = client.post(reverse("registry:work_history_remove", args=[world.villager.pk, entry.pk]), **HTMX)
    assert response.status_code == 200 and not WorkHistory.objects.exists()
    event = AuditEvent.objects.latest("seq")
    assert event.action == "person.work_history.remove" and event.detail == {"entry": entry.pk}


def test_it_shows_work_history_errors_on_their_fields(client, world):
    _login(client, world.office_admin)
    url = reverse("registry:work_history_add", args=[world.villager.pk])
    events = AuditEvent.objects.count()
    response = client.post(url, {"wh-start_date": "2020-01-01", "wh-end_date": "2019-01-01"}, **HTMX)
    errors = response.context["history_form"].errors
    assert set(errors) == {"organization", "end_date"}
    assert "<html" not in response.content.decode()
    response = client.post(url, {"wh-start_date": "昨天", "wh-organization_name": "某局"})
    assert response.status_code == 200 and "<html" in response.content.decode()  # without JS: the page
    assert "start_date" in response.context["history_form"].errors
    # The page shown again is a read of the person (audited); no write was recorded.
    assert not WorkHistory.objects.exists()
    assert AuditEvent.objects.exclude(action="person.read").count() == events


def test_it_adds_and_removes_relatives_without_javascript(client, world):
    _login(client, world.office_admin)
    url = reverse("registry:relative_add", args=[world.villager.pk])
    response = client.post(url, {"rel-relation": "spouse", "rel-name": "刘芳", "rel-organization_name": "县医院"})
    assert response.status_code == 302 and response["Location"].endswith("#relatives")
    relative = Relative.objects.get(person=world.villager)
    assert relative.get_relation_display() and relative.organization_name == "县医院"
    assert AuditEvent.objects.latest("seq").action == "person.relative.add"
    response = client.post(url, {"rel-relation": "cousin", "rel-name": "刘某"})
    assert "relation" in response.context["relative_form"].errors
    remove = reverse("registry:relative_remove", args=[world.villager.pk, relative.pk])
    assert client.get(remove).status_code == 405
    assert client.post(remove).status_code == 302 and not Relative.objects.exists()
    assert AuditEvent.objects.latest("seq").action == "person.relative.remove"


def test_it_hides_entries_of_people_out_of_reach(client, world):
    entry = WorkHistory.objects.create(person=world.outsider_person, organization_name="某局",
                                       start_date="2010-01-01")
    _login(client, world.office_admin)
    url = reverse("registry:work_history_remove", args=[world.outsider_person.pk, entry.pk])
    assert client.post(url).status_code == 404
    url = reverse("registry:work_history_remove", args=[world.villager.pk, entry.pk])
    assert client.post(url).status_code == 404
    assert WorkHistory.objects.filter(pk=entry.pk).exists()


# -- workbench -------------------------------------------------------------------------------

def test_it_lists_organizations_without_principal_as_a_todo(client, world):
    Organization.objects.filter(pk=world.township.pk).update(principal=world.villager)
    todos = [t for t in todos_for(world.office_admin) if "principal=none" in t.url]
    assert len(todos) == 1 and todos[0].count == 2  # 东门村 and 县财政局
    _login(client, world.office_admin)
    assert set(_names(client.get(todos[0].url))) == {"东门村", "县财政局"}
    for role in ("group_member", "unit_liaison", "supervisor", "secadmin"):
        assert not [t for t in todos_for(world.users[role]) if "principal=none" in t.url], role
