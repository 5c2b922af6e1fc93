"""Excel export in the import format, the templates, and the export → edit → import round trip."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from tests.registry.io_helpers import (
    ORG_HEADER,
    PEOPLE_HEADER,
    RELATIVE_HEADER,
    WORK_HEADER,
    read_back,
)
from xuncha.access.models import AuditEvent
from xuncha.access.policy import CONSOLE, PermissionDenied
from xuncha.registry.io import (
    OrganizationImporter,
    PersonImporter,
    export_organizations,
    export_people,
    template_bytes,
)
from xuncha.registry.models import Organization, Relative, WorkHistory


def export(fn, world, *, actor=CONSOLE, committee=None) -> io.BytesIO:
    buffer = io.BytesIO()
    fn(actor=actor, committee=committee or world.county, target=buffer)
    buffer.seek(0)
    return buffer


def test_organizations_export_reads_back_with_ids_and_template_headers(world):
    world.village.principal = world.villager
    world.village.save()
    sheets = read_back(export(export_organizations, world))
    rows = sheets["组织机构"]
    assert list(rows[0]) == ORG_HEADER
    by_name = {row[1]: row for row in rows[1:]}
    assert set(by_name) == {"城关镇", "东门村", "县财政局"}
    assert by_name["东门村"] == (world.village.pk, "东门村", None, "村/社区", "城关镇", None, "是", "王建国")
    names = [row[1] for row in rows[1:]]
    assert names.index("城关镇") < names.index("东门村")  # parents first
    assert "说明" in sheets
    event = AuditEvent.objects.get(action="registry.export")
    assert event.detail == {"kind": "orgs", "rows": 3}


def test_same_named_organizations_are_exported_with_their_parent(world):
    other_town = Organization.objects.create(committee=world.county, name="河西镇", kind=world.kinds["township"])
    twin = Organization.objects.create(committee=world.county, name="东门村", kind=world.kinds["village"],
                                       parent=other_town)
    world.villager.organization = twin
    world.villager.save()
    rows = read_back(export(export_people, world))["人员"]
    assert rows[1][5] == "河西镇/东门村"
    assert PersonImporter(actor=CONSOLE, committee=world.county, dry_run=True).run(
        _saved(export(export_people, world))).unchanged == 1


def _saved(buffer, path=None):
    import tempfile
    from pathlib import Path

    target = Path(path or tempfile.mkstemp(suffix=".xlsx")[1])
    target.write_bytes(buffer.getvalue())
    return target


def test_people_export_has_details_by_sequence_number(world):
    WorkHistory.objects.create(person=world.villager, organization=world.township, post="干事",
                               start_date="2001-02-03")
    Relative.objects.create(person=world.villager, relation="spouse", name="张秀英", organization_name="县医院")
    world.villager.birth_date = datetime.date(1970, 1, 2)
    world.villager.phone = "13812345678"
    world.villager.save()
    sheets = read_back(export(export_people, world))
    people, work, relatives = sheets["人员"], sheets["工作经历"], sheets["亲属关系"]
    assert list(people[0]) == PEOPLE_HEADER
    assert people[1][:4] == (world.villager.pk, 1, "王建国", None)
    assert people[1][4].date() == datetime.date(1970, 1, 2)
    assert people[1][5:] == ("东门村", "村党支部书记", "13812345678")
    assert list(work[0]) == WORK_HEADER and list(relatives[0]) == RELATIVE_HEADER
    assert work[1][:3] == (1, "城关镇", "干事") and work[1][3].date() == datetime.date(2001, 2, 3)
    assert relatives[1] == (1, "配偶", "张秀英", "县医院", None)


def test_export_edit_import_round_trips(world, tmp_path):
    path = _saved(export(export_organizations, world), tmp_path / "orgs.xlsx")
    book = load_workbook(path)
    sheet = book["组织机构"]
    for row in sheet.iter_rows(min_row=2):
        if row[1].value == "东门村":
            row[1].value = "东门社区"
    sheet.append([None, "西门村", None, "村/社区", "城关镇", None, "是", None])
    book.save(path)
    result = OrganizationImporter(actor=CONSOLE, committee=world.county).run(path)
    assert result.ok, result.errors
    assert (result.created, result.updated, result.unchanged) == (1, 1, 2)
    world.village.refresh_from_db()
    assert world.village.name == "东门社区"
    assert Organization.objects.filter(parent=world.township, name="西门村").exists()

    people = _saved(export(export_people, world), tmp_path / "people.xlsx")
    again = PersonImporter(actor=CONSOLE, committee=world.county).run(people)
    assert again.ok and (again.created, again.updated, again.unchanged) == (0, 0, 1)


def test_the_leader_exports_people_without_their_private_details(world):
    WorkHistory.objects.create(person=world.villager, organization_name="某局", start_date="2001-01-01")
    sheets = read_back(export(export_people, world, actor=world.users["leader"]))
    assert len(sheets["人员"]) == 2 and len(sheets["工作经历"]) == 1


@pytest.mark.parametrize("role", ["group_member", "unit_liaison", "sysadmin", "auditor"])
def test_others_may_not_export(world, role):
    with pytest.raises(PermissionDenied):
        export(export_organizations, world, actor=world.users[role])
    with pytest.raises(PermissionDenied):
        export(export_people, world, actor=world.users["office_admin"], committee=world.other)


def test_templates_have_the_headers_and_list_the_kinds(world):
    sheets = read_back(io.BytesIO(template_bytes("orgs")))
    assert list(sheets) == ["组织机构", "说明"]
    assert list(sheets["组织机构"][0]) == ORG_HEADER and len(sheets["组织机构"]) == 1
    kinds = [row[0] for row in sheets["说明"][1:8]]
    assert kinds == ["乡镇/街道", "县级部门", "村/社区", "国有企业", "学校", "医院", "其他"]
    book = load_workbook(io.BytesIO(template_bytes("orgs")))
    assert "必填" in book["组织机构"]["B1"].comment.text
    people = read_back(io.BytesIO(template_bytes("people")))
    assert list(people) == ["人员", "工作经历", "亲属关系", "说明"]


def test_the_export_command_writes_a_file(world, tmp_path, capsys):
    target = tmp_path / "out.xlsx"
    call_command("registry_export", "orgs", str(target), "--committee", "示例县委")
    assert "3" in capsys.readouterr().out
    assert len(read_back(target)["组织机构"]) == 4
