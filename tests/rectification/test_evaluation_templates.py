"""Scoring templates: the default written once, creating, copying, editing a criterion with its
deduction items (errors naming the row), removing, a template in use kept as scored; the pages
for the office, the leading group reading, the others refused."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from tests.conftest import PASSWORD
from tests.rectification.evaluation_helpers import feedback_for
from xuncha.access import policy
from xuncha.access.models import AuditEvent
from xuncha.access.policy import PermissionDenied
from xuncha.rectification import services_evaluation as services
from xuncha.rectification.evaluation_defaults import DEFAULT_NAME, default_template
from xuncha.rectification.models import Criterion, Deduction, EvaluationTemplate

LIST = reverse("rectification:template_list")


def _client(user) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def _url(name: str, obj) -> str:
    return reverse(f"rectification:{name}", args=[obj.pk])


def _errors(call) -> dict:
    with pytest.raises(ValidationError) as caught:
        call()
    return caught.value.message_dict


@pytest.fixture
def template(world):
    return services.template_create(actor=world.office_admin, committee=world.county, name="村级整改评估标准")


def _formset(rows: list[tuple], extra: int = 0) -> dict:
    """POST data of the deduction rows: (id or "", description, points, delete)."""
    data = {"deductions-TOTAL_FORMS": str(len(rows) + extra), "deductions-INITIAL_FORMS": "0"}
    for n, (pk, description, points, delete) in enumerate(rows):
        data.update({f"deductions-{n}-id": pk, f"deductions-{n}-description": description,
                     f"deductions-{n}-points": points})
        if delete:
            data[f"deductions-{n}-delete"] = "on"
    return data


def test_the_default_is_written_once_per_committee(world):
    first = default_template(world.county, actor=world.office_admin)
    assert default_template(world.county) == first and first.name == DEFAULT_NAME
    assert sum(c.points for c in first.criteria.all()) == 100
    assert AuditEvent.objects.filter(action="evaluation.template_default").count() == 1
    # Renamed, it is still the committee's default rather than a second one.
    services.template_update(actor=world.office_admin, template=first, name="县委整改评估办法")
    assert default_template(world.county) == first
    assert default_template(world.other).committee == world.other


def test_a_criterion_with_its_deduction_items(world, template):
    criterion = services.criterion_save(actor=world.office_admin, template=template, title="整改任务完成", points="60",
                                        indicator="completion", deductions=[
                                            {"description": "未按期销号的，每项扣2分", "points": "2"},
                                            {"description": "佐证材料不全的，每项扣1分", "points": 1}])
    items = list(criterion.deductions.order_by("seq"))
    assert [(d.seq, d.description, d.points) for d in items] == [
        (1, "未按期销号的，每项扣2分", 2), (2, "佐证材料不全的，每项扣1分", 1)]
    # Reordered, one changed, one removed, one added.
    services.criterion_save(actor=world.office_admin, template=template, criterion=criterion, title="整改完成",
                            points="55.5", indicator="completion", deductions=[
                                {"id": items[1].pk, "description": "佐证材料不全的，每项扣0.5分", "points": "0.5"},
                                {"id": items[0].pk, "delete": True},
                                {"description": "整改不到位的，每项扣3分", "points": "3"}])
    criterion.refresh_from_db()
    assert (criterion.title, criterion.points, criterion.seq) == ("整改完成", Decimal("55.5"), 1)
    assert [(d.description, d.points) for d in criterion.deductions.order_by("seq")] == [
        ("佐证材料不全的，每项扣0.5分", Decimal("0.5")), ("整改不到位的，每项扣3分", 3)]
    assert not Deduction.objects.filter(pk=items[0].pk).exists()
    second = services.criterion_save(actor=world.office_admin, template=template, title="群众满意度", points=10)
    assert second.seq == 2


def test_bad_criteria_name_the_field_and_the_row(world, template):
    errors = _errors(lambda: services.criterion_save(
        actor=world.office_admin, template=template, title="", points="0", indicator="mood",
        deductions=[{"description": "好的", "points": "1"}, {"description": "", "points": "-1"},
                    {"description": "太多", "points": "20"}]))
    assert set(errors) == {"title", "points", "indicator", "deductions.1.description", "deductions.1.points"}
    errors = _errors(lambda: services.criterion_save(
        actor=world.office_admin, template=template, title="整改", points="10",
        deductions=[{"description": "太多", "points": "20"}, {"description": "小数", "points": "0.25"},
                    {"id": 999999, "description": "别的", "points": "1"}]))
    assert set(errors) == {"deductions.0.points", "deductions.1.points", "deductions.2.id"}
    assert "3" in errors["deductions.2.id"][0]
    assert not Criterion.objects.filter(template=template).exists()


def test_names_are_required_and_unique_in_the_committee(world, template):
    assert set(_errors(lambda: services.template_create(actor=world.office_admin, committee=world.county,
                                                         name="村级整改评估标准"))) == {"name"}
    assert set(_errors(lambda: services.template_copy(actor=world.office_admin, template=template,
                                                       name=" "))) == {"name"}
    # Another committee may use the same name.
    assert services.template_create(actor=policy.CONSOLE, committee=world.other, name="村级整改评估标准").pk


def test_a_copy_has_the_same_criteria_and_items(world):
    source = default_template(world.county)
    copy = services.template_copy(actor=world.office_staff, template=source, name="2025年评分标准")
    pairs = zip(source.criteria.order_by("seq"), copy.criteria.order_by("seq"), strict=True)
    for old, new in pairs:
        assert (old.title, old.points, old.indicator, old.guidance) == (new.title, new.points, new.indicator,
                                                                        new.guidance)
        assert [(d.description, d.points) for d in old.deductions.order_by("seq")] == \
            [(d.description, d.points) for d in new.deductions.order_by("seq")]
        assert old.pk != new.pk


def test_a_template_in_use_keeps_its_criteria(world):
    feedback_for(world, "东风村", date(2024, 8, 20))
    batch = services.batch_open(actor=world.office_admin, committee=world.county, title="评估",
                                period_start=date(2024, 1, 1), period_end=date(2024, 12, 31))
    used = batch.template
    criterion = used.criteria.first()
    for call in (
        lambda: services.criterion_save(actor=world.office_admin, template=used, title="新", points=5),
        lambda: services.criterion_save(actor=world.office_admin, template=used, criterion=criterion,
                                        title="改", points=5),
        lambda: services.criterion_delete(actor=world.office_admin, criterion=criterion),
        lambda: services.template_delete(actor=world.office_admin, template=used),
    ):
        assert set(_errors(call)) == {"template"}
    assert used.criteria.count() == 4
    # Renaming it is harmless.
    assert services.template_update(actor=world.office_admin, template=used, name="已用标准").name == "已用标准"


def test_empty_templates_start_from_the_defaults_and_unused_ones_are_deleted(world, template):
    services.template_reset(actor=world.office_admin, template=template)
    assert template.criteria.count() == 4
    assert set(_errors(lambda: services.template_reset(actor=world.office_admin, template=template))) == {"template"}
    services.criterion_delete(actor=world.office_admin, criterion=template.criteria.get(seq=4))
    assert template.criteria.count() == 3
    services.template_delete(actor=world.office_admin, template=template)
    assert not EvaluationTemplate.objects.filter(pk=template.pk).exists()
    assert AuditEvent.objects.filter(action="evaluation.template_delete").exists()


@pytest.mark.parametrize("role", ["leader", "supervisor", "unit_liaison", "receiver", "group_leader"])
def test_only_the_office_writes_templates(world, template, role):
    actor = world.users[role]
    for call in (
        lambda: services.template_create(actor=actor, committee=world.county, name="新标准"),
        lambda: services.template_update(actor=actor, template=template, name="改名"),
        lambda: services.criterion_save(actor=actor, template=template, title="新", points=5),
        lambda: services.template_delete(actor=actor, template=template),
    ):
        with pytest.raises(PermissionDenied):
            call()
    with pytest.raises(PermissionDenied):
        services.template_copy(actor=actor, template=template, name="副本")
    assert EvaluationTemplate.objects.count() == 1


# -- pages -----------------------------------------------------------------------------------

def test_the_office_lists_templates_with_their_total_and_creates_one(world):
    client = _client(world.office_admin)
    html = client.get(LIST).content.decode()
    assert DEFAULT_NAME in html and 'data-testid="total-points">100<' in html
    response = client.post(reverse("rectification:template_create"),
                           {"committee": world.county.pk, "name": "乡镇评分标准", "description": ""})
    made = EvaluationTemplate.objects.get(name="乡镇评分标准")
    assert response.status_code == 302 and response.url == _url("template_detail", made)
    response = client.post(reverse("rectification:template_create"), {"committee": world.county.pk, "name": "乡镇评分标准"})
    assert response.status_code == 400 and EvaluationTemplate.objects.filter(name="乡镇评分标准").count() == 1


def test_editing_a_criterion_through_the_page(world, template):
    client = _client(world.office_admin)
    assert client.get(_url("criterion_create", template)).status_code == 200
    data = {"title": "责任落实", "points": "15", "indicator": "responsibility", "guidance": "",
            **_formset([("", "整改措施空泛、不具体的，每项扣1分", "1", False), ("", "", "", False)], extra=1)}
    response = client.post(_url("criterion_create", template), data)
    assert response.status_code == 302
    criterion = template.criteria.get()
    (item,) = criterion.deductions.all()
    html = client.get(_url("template_detail", template)).content.decode()
    assert "整改措施空泛、不具体的，每项扣1分" in html and 'data-testid="template-total"' in html
    page = client.get(_url("criterion_edit", criterion)).content.decode()
    assert f'value="{item.pk}"' in page
    # A row over the criterion's points is refused on that row.
    data = {"title": "责任落实", "points": "15", "indicator": "responsibility", "guidance": "",
            **_formset([(str(item.pk), "整改措施空泛、不具体的，每项扣1分", "1", False), ("", "失职", "16", False)])}
    response = client.post(_url("criterion_edit", criterion), data)
    assert response.status_code == 400 and "is-invalid" in response.content.decode()
    assert criterion.deductions.count() == 1
    data = {"title": "责任落实", "points": "15", "indicator": "responsibility", "guidance": "",
            **_formset([(str(item.pk), "x", "1", True)])}
    assert client.post(_url("criterion_edit", criterion), data).status_code == 302
    assert not criterion.deductions.exists()
    assert client.post(_url("criterion_delete", criterion)).status_code == 302
    assert not template.criteria.exists()


def test_copy_through_the_page(world, template):
    client = _client(world.office_staff)
    response = client.post(_url("template_copy", template), {"name": "副本标准"})
    made = EvaluationTemplate.objects.get(name="副本标准")
    assert response.status_code == 302 and response.url == _url("template_detail", made)


def test_the_leading_group_reads_templates_without_forms(world, template):
    client = _client(world.leader)
    html = client.get(_url("template_detail", template)).content.decode()
    assert 'data-testid="edit-form"' not in html and 'data-testid="copy-form"' not in html
    assert 'data-testid="add-criterion"' not in html
    assert client.post(_url("template_edit", template), {"name": "改"}).status_code == 403
    assert client.get(_url("criterion_create", template)).status_code == 403
    assert client.post(_url("template_copy", template), {"name": "副本"}).status_code == 403


@pytest.mark.parametrize("role", ["supervisor", "unit_liaison", "receiver", "group_member", "secadmin"])
def test_other_roles_get_403_on_template_pages(world, template, role):
    client = _client(world.users[role])
    assert client.get(LIST).status_code == 403
    assert client.get(_url("template_detail", template)).status_code == 403


def test_another_committees_template_is_a_404(world, template, make_user):
    from xuncha.access.roles import Role

    client = _client(make_user("neighbour_office", role=Role.OFFICE_ADMIN, committee=world.other))
    assert client.get(_url("template_detail", template)).status_code == 404
    assert client.post(_url("template_copy", template), {"name": "偷"}).status_code == 404
