"""Excel import of organizations and people: validation, all-or-nothing, dry run, updates,
name normalization, refused files and the `xuncha import` command."""

from __future__ import annotations

import datetime
import zipfile

import pytest
from django.core.management import CommandError, call_command

from tests.registry.io_helpers import errors_of, orgs_file, people_file, with_macros
from xuncha.access.models import AuditEvent
from xuncha.access.policy import CONSOLE, PermissionDenied
from xuncha.registry.io import OrganizationImporter, PersonImporter, UploadRefused
from xuncha.registry.models import Organization, Person, Relative, WorkHistory


def import_orgs(world, path, *, actor=CONSOLE, **kwargs):
    return OrganizationImporter(actor=actor, committee=world.county, **kwargs).run(path)


def import_people(world, path, *, actor=CONSOLE, **kwargs):
    return PersonImporter(actor=actor, committee=world.county, **kwargs).run(path)


def messages(result) -> list[str]:
    return [f"{e.sheet}/{e.row}/{e.column}: {e.message}" for e in result.errors]


# -- organizations ---------------------------------------------------------------------------

def test_it_creates_organizations_with_a_parent_given_later_in_the_file(world, tmp_path):
    path = orgs_file(tmp_path / "o.xlsx",
                     [None, "南门村", "", "村/社区", "新城镇", "", "", ""],
                     [None, "新城镇", "", "township", "", "", "是", ""],
                     [None, "北门村", "", "村/社区", "新城镇", "", "否", ""])
    seen = []
    result = import_orgs(world, path, progress=lambda done, total: seen.append((done, total)))
    assert result.ok, messages(result)
    assert (result.created, result.updated, result.unchanged) == (3, 0, 0)
    town = Organization.objects.get(committee=world.county, name="新城镇")
    assert set(town.children.values_list("name", "active")) == {("南门村", True), ("北门村", False)}
    assert town.pinyin == "xcz" and town.name_key == "新城镇"
    assert seen[-1] == (3, 3)
    events = AuditEvent.objects.filter(action="registry.import")
    assert events.count() == 1
    assert events.get().detail["created"] == 3


def test_it_lists_every_error_with_row_and_column_and_writes_nothing(world, tmp_path):
    before = Organization.objects.count()
    path = orgs_file(
        tmp_path / "bad.xlsx",
        [None, "", "", "村/社区", "城关镇", "", "", ""],                    # 2 missing name
        [None, "甲村", "", "飞船", "城关镇", "", "", ""],                    # 3 unknown kind
        [None, "乙村", "", "村/社区", "不存在镇", "", "", ""],                # 4 unknown parent
        [None, "丙村", "", "村/社区", "城关镇", "", "", ""],                  # 5
        [None, "丙村", "", "村/社区", "城关镇", "", "", ""],                  # 6 duplicate of row 5
        [None, "东门村", "", "村/社区", "城关镇", "", "", ""],                # 7 duplicate of the registry
        [None, "丁村", "", "村/社区", "城关镇", "12345", "", ""],             # 8 bad credit code
        [None, "戊村", "", "村/社区", "城关镇", "", "也许", ""],              # 9 bad yes/no
        [99999, "己村", "", "村/社区", "城关镇", "", "", ""],                 # 10 unknown id
        [world.other_township.pk, "河口镇", "", "乡镇/街道", "", "", "", ""],  # 11 other committee
        ["abc", "庚村", "", "村/社区", "城关镇", "", "", ""],                 # 12 id not a number
    )
    result = import_orgs(world, path)
    assert not result.ok
    assert errors_of(result) >= {
        ("组织机构", 2, "名称"), ("组织机构", 3, "类型"), ("组织机构", 4, "上级组织"),
        ("组织机构", 6, "名称"), ("组织机构", 7, "名称"), ("组织机构", 8, "统一社会信用代码"),
        ("组织机构", 9, "是否在册"), ("组织机构", 10, "系统编号"), ("组织机构", 11, "系统编号"),
        ("组织机构", 12, "系统编号"),
    }
    text = "\n".join(messages(result))
    assert f"系统编号 {world.village.pk}" in text and "第 5 行" in text
    assert (result.created, result.updated) == (0, 0)
    assert Organization.objects.count() == before
    assert not AuditEvent.objects.filter(action="registry.import").exists()


def test_a_missing_required_column_is_reported_on_row_one(world, tmp_path):
    from tests.registry.io_helpers import workbook

    path = workbook(tmp_path / "x.xlsx", {"组织机构": [["名称", "上级组织"], ["甲村", "城关镇"]]})
    result = import_orgs(world, path)
    assert errors_of(result) == {("组织机构", 1, "类型")}


def test_parents_in_a_circle_are_refused(world, tmp_path):
    path = orgs_file(tmp_path / "c.xlsx",
                     [None, "甲镇", "", "乡镇/街道", "乙镇", "", "", ""],
                     [None, "乙镇", "", "乡镇/街道", "甲镇", "", "", ""])
    result = import_orgs(world, path)
    assert ("组织机构", 2, "上级组织") in errors_of(result)
    assert not Organization.objects.filter(name__in=["甲镇", "乙镇"]).exists()


def test_dry_run_reports_what_would_happen_and_writes_nothing(world, tmp_path):
    path = orgs_file(tmp_path / "d.xlsx",
                     [None, "新城镇", "", "乡镇/街道", "", "", "", ""],
                     [world.village.pk, "东门村", "东门", "村/社区", "城关镇", "", "是", ""],
                     [world.department.pk, "县财政局", "", "县级部门", "", "", "是", ""])
    result = import_orgs(world, path, dry_run=True)
    assert result.ok and result.dry_run
    assert (result.created, result.updated, result.unchanged) == (1, 1, 1)
    assert not Organization.objects.filter(name="新城镇").exists()
    world.village.refresh_from_db()
    assert world.village.short_name == ""
    assert not AuditEvent.objects.filter(action="registry.import").exists()


def test_a_row_with_its_system_id_updates_that_organization(world, tmp_path):
    path = orgs_file(tmp_path / "u.xlsx",
                     [world.village.pk, "东门社区", "东门", "村/社区", "城关镇", "", "否", "王建国"],
                     [world.department.pk, "县财政局", "", "县级部门", "", "", "是", ""])
    result = import_orgs(world, path)
    assert result.ok, messages(result)
    assert (result.created, result.updated, result.unchanged) == (0, 1, 1)
    world.village.refresh_from_db()
    assert (world.village.name, world.village.name_key, world.village.short_name) == ("东门社区", "东门社区", "东门")
    assert world.village.active is False
    assert world.village.principal == world.villager


def test_a_principal_not_yet_registered_is_a_notice_not_an_error(world, tmp_path):
    path = orgs_file(tmp_path / "p.xlsx", [None, "新城镇", "", "乡镇/街道", "", "", "", "赵六"])
    result = import_orgs(world, path)
    assert result.ok and result.created == 1
    assert [(n.row, n.column) for n in result.notices] == [(2, "主要负责人")]
    assert Organization.objects.get(name="新城镇").principal is None


def test_traditional_and_full_width_names_match_while_the_display_keeps_the_typed_text(world, tmp_path):
    path = orgs_file(tmp_path / "t.xlsx",
                     [None, "東門村", "", "村/社区", "城關鎮", "", "", ""],
                     [None, "西門　村", "", "村/社区", "城關鎮", "", "", ""])
    result = import_orgs(world, path)
    assert [(e.row, e.column) for e in result.errors] == [(2, "名称")]
    assert f"系统编号 {world.village.pk}" in result.errors[0].message

    path = orgs_file(tmp_path / "t2.xlsx", [None, "西門村", "", "村/社区", "ＣＧ城關鎮", "", "", ""])
    assert not import_orgs(world, path).ok  # no such parent

    path = orgs_file(tmp_path / "t3.xlsx", [None, "西門村", "", "村/社区", "城關鎮", "", "", ""])
    result = import_orgs(world, path)
    assert result.ok
    west = Organization.objects.get(parent=world.township, name_key="西门村")
    assert west.name == "西門村"


def test_an_ambiguous_parent_must_be_written_with_its_own_parent(world, tmp_path):
    other_town = Organization.objects.create(committee=world.county, name="河西镇", kind=world.kinds["township"])
    Organization.objects.create(committee=world.county, name="东门村", kind=world.kinds["village"], parent=other_town)
    path = orgs_file(tmp_path / "a.xlsx",
                     [None, "一组", "", "其他", "东门村", "", "", ""],
                     [None, "二组", "", "其他", "城关镇/东门村", "", "", ""])
    result = import_orgs(world, path)
    assert [(e.row, e.column) for e in result.errors] == [(2, "上级组织")]
    assert "城关镇/东门村" in result.errors[0].message or "河西镇/东门村" in result.errors[0].message


def test_only_those_who_may_import_can(world, tmp_path):
    path = orgs_file(tmp_path / "o.xlsx", [None, "新城镇", "", "乡镇/街道", "", "", "", ""])
    with pytest.raises(PermissionDenied):
        import_orgs(world, path, actor=world.users["group_member"])
    with pytest.raises(PermissionDenied):
        OrganizationImporter(actor=world.users["office_admin"], committee=world.other).run(path)
    assert import_orgs(world, path, actor=world.users["office_admin"]).created == 1


# -- people ----------------------------------------------------------------------------------

def test_it_imports_people_with_work_history_and_relatives(world, tmp_path):
    path = people_file(
        tmp_path / "p.xlsx",
        [[None, 1, "李秀英", "女", datetime.datetime(1975, 3, 8), "东门村", "村委会主任", 13812345678],
         [None, 2, "陳國華", "男", "1980年2月29日", "城關鎮", "镇长", "0871-12345678"],
         [None, 3, "张伟", "", "1990/1/2", "", "", ""]],
        work=[[1, "城关镇", "干事", "2000-01-01", "2010-12-31"],
              [1, "某县农业局", "科员", "1995-07-01", "1999-12-31"]],
        relatives=[[2, "配偶", "刘芳", "县财政局", "会计"], [2, "儿子", "陈小华", "", ""]],
    )
    result = import_people(world, path)
    assert result.ok, messages(result)
    assert (result.created, result.updated, result.unchanged) == (3, 0, 0)
    assert result.details == {"work_history": 2, "relatives": 2}
    li = Person.objects.get(name="李秀英")
    assert (li.gender, li.birth_date, li.organization, li.phone) == (
        "F", datetime.date(1975, 3, 8), world.village, "13812345678")
    assert li.stroke_key and li.pinyin == "lxy"
    chen = Person.objects.get(name_key="陈国华")
    assert chen.name == "陳國華" and chen.organization == world.township
    assert chen.birth_date == datetime.date(1980, 2, 29)
    history = list(WorkHistory.objects.filter(person=li).order_by("start_date"))
    assert [(h.organization, h.organization_name) for h in history] == [(None, "某县农业局"), (world.township, "")]
    assert set(Relative.objects.filter(person=chen).values_list("relation", "name", "organization")) == {
        ("spouse", "刘芳", world.department.pk), ("child", "陈小华", None)}
    assert AuditEvent.objects.filter(action="registry.import").count() == 1


def test_people_errors_name_row_and_column_and_nothing_is_written(world, tmp_path):
    before = (Person.objects.count(), WorkHistory.objects.count())
    other_town = Organization.objects.create(committee=world.county, name="河西镇", kind=world.kinds["township"])
    Organization.objects.create(committee=world.county, name="东门村", kind=world.kinds["village"], parent=other_town)
    path = people_file(
        tmp_path / "bad.xlsx",
        [[None, 1, "", "男", "", "城关镇", "", ""],                          # 2 missing name
         [None, 2, "甲", "未知", "", "城关镇", "", ""],                       # 3 bad gender
         [None, 3, "乙", "", "2024-02-30", "城关镇", "", ""],                 # 4 bad date
         [None, 4, "丙", "", "2999-01-01", "城关镇", "", ""],                 # 5 future birth date
         [None, 5, "丁", "", "", "不存在村", "", ""],                          # 6 unknown organization
         [None, 6, "戊", "", "", "东门村", "", ""],                            # 7 ambiguous organization
         [None, 7, "己", "", "", "城关镇", "", "12345"],                      # 8 bad phone
         [None, 8, "庚", "", "1970-01-01", "城关镇", "", ""],                 # 9
         [None, 9, "庚", "", "1970-01-01", "城关镇", "", ""],                 # 10 duplicate of row 9
         [None, 10, "王建国", "", "", "城关镇/东门村", "", ""],                 # 11 duplicate of registry
         [None, 10, "辛", "", "", "", "", ""],                                 # 12 序号 repeated
         [world.outsider_person.pk, 11, "李明", "", "", "", "", ""]],          # 13 other committee
        work=[[99, "城关镇", "", "2000-01-01", ""],                            # 2 unknown 序号
              [8, "城关镇", "", "", ""],                                       # 3 missing start
              [8, "城关镇", "", "2010-01-01", "2009-01-01"]],                  # 4 end before start
        relatives=[[8, "邻居", "某人", "", ""], [8, "配偶", "", "", ""]],     # 2 relation, 3 name
    )
    result = import_people(world, path)
    assert errors_of(result) >= {
        ("人员", 2, "姓名"), ("人员", 3, "性别"), ("人员", 4, "出生日期"), ("人员", 5, "出生日期"),
        ("人员", 6, "所在组织"), ("人员", 7, "所在组织"), ("人员", 8, "联系电话"),
        ("人员", 10, "姓名"), ("人员", 11, "姓名"), ("人员", 12, "序号"), ("人员", 13, "系统编号"),
        ("工作经历", 2, "人员序号"), ("工作经历", 3, "起始日期"), ("工作经历", 4, "截止日期"),
        ("亲属关系", 2, "关系"), ("亲属关系", 3, "姓名"),
    }
    assert f"系统编号 {world.villager.pk}" in "\n".join(messages(result))
    assert (Person.objects.count(), WorkHistory.objects.count()) == before


def test_people_rows_with_system_id_update_and_details_replace(world, tmp_path):
    WorkHistory.objects.create(person=world.villager, organization_name="旧单位", start_date="1990-01-01")
    path = people_file(
        tmp_path / "u.xlsx",
        [[world.villager.pk, 1, "王建国", "男", "1968-05-01", "城关镇/东门村", "村党支部书记", ""]],
        work=[[1, "城关镇", "副镇长", "2001-01-01", ""]],
    )
    result = import_people(world, path)
    assert result.ok, messages(result)
    assert (result.created, result.updated) == (0, 1)
    world.villager.refresh_from_db()
    assert world.villager.birth_date == datetime.date(1968, 5, 1) and world.villager.gender == "M"
    assert list(world.villager.work_history.values_list("organization", "post")) == [(world.township.pk, "副镇长")]
    again = import_people(world, path, dry_run=True)
    assert (again.updated, again.unchanged) == (0, 1)


# -- refused files ---------------------------------------------------------------------------

def test_a_text_file_renamed_xlsx_is_refused(world, tmp_path):
    path = tmp_path / "fake.xlsx"
    path.write_text("名称,类型\n东门村,村/社区\n", encoding="utf-8")
    with pytest.raises(UploadRefused, match="不是 Excel 工作簿"):
        import_orgs(world, path)


def test_a_zip_that_is_not_a_workbook_is_refused(world, tmp_path):
    path = tmp_path / "doc.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", (
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.wordprocessingml.document.main+xml"/></Types>'))
        archive.writestr("word/document.xml", "<w/>")
    with pytest.raises(UploadRefused, match="不是 Excel 工作簿"):
        import_orgs(world, path)
    plain = tmp_path / "plain.xlsx"
    with zipfile.ZipFile(plain, "w") as archive:
        archive.writestr("readme.txt", "hello")
    with pytest.raises(UploadRefused):
        import_orgs(world, plain)


def test_a_workbook_with_macros_is_refused(world, tmp_path):
    good = orgs_file(tmp_path / "good.xlsx", [None, "新城镇", "", "乡镇/街道", "", "", "", ""])
    with pytest.raises(UploadRefused, match="包含宏"):
        import_orgs(world, with_macros(good, tmp_path / "macro.xlsx"))


def test_legacy_and_encrypted_files_are_refused(world, tmp_path):
    legacy = tmp_path / "old.xlsx"
    legacy.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512)
    with pytest.raises(UploadRefused, match="97-2003"):
        import_orgs(world, legacy)
    locked = tmp_path / "locked.xlsx"
    locked.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "EncryptionInfo".encode("utf-16-le") + b"\x00" * 64)
    with pytest.raises(UploadRefused, match="密码保护"):
        import_orgs(world, locked)


def test_an_oversized_file_is_refused(world, tmp_path, settings):
    settings.UPLOAD_MAX_BYTES = 1024
    path = orgs_file(tmp_path / "big.xlsx", *[[None, f"村{i}", "", "村/社区", "城关镇", "", "", ""]
                                             for i in range(300)])
    with pytest.raises(UploadRefused, match="文件过大"):
        import_orgs(world, path)


# -- the command -----------------------------------------------------------------------------

def test_the_command_imports_and_prints_counts(world, tmp_path, capsys):
    path = orgs_file(tmp_path / "o.xlsx", [None, "新城镇", "", "乡镇/街道", "", "", "", ""])
    call_command("registry_import", "orgs", str(path), "--committee", "示例县委", "--dry-run")
    assert not Organization.objects.filter(name="新城镇").exists()
    call_command("registry_import", "orgs", str(path), "--committee", "示例县委")
    out = capsys.readouterr()
    assert "新增 1 行" in out.out
    assert "1/1" in out.err  # the progress line
    assert Organization.objects.filter(name="新城镇", committee=world.county).exists()


def test_the_command_fails_with_the_row_list(world, tmp_path, capsys):
    path = orgs_file(tmp_path / "bad.xlsx",
                     [None, "新城镇", "", "乡镇/街道", "", "", "", ""],
                     [None, "甲村", "", "飞船", "新城镇", "", "", ""])
    with pytest.raises(CommandError) as raised:
        call_command("registry_import", "orgs", str(path), "--committee", "示例县委")
    assert "共 1 处错误" in str(raised.value)
    assert "组织机构 第 3 行 类型" in str(raised.value)
    assert "组织机构 第 3 行 类型" in capsys.readouterr().out
    assert not Organization.objects.filter(name="新城镇").exists()


def test_the_command_needs_a_committee_when_there_are_several(world, tmp_path):
    path = orgs_file(tmp_path / "o.xlsx", [None, "新城镇", "", "乡镇/街道", "", "", "", ""])
    with pytest.raises(CommandError, match="--committee"):
        call_command("registry_import", "orgs", str(path))
    with pytest.raises(CommandError):
        call_command("registry_import", "orgs", str(path), "--committee", "无此县委")
    txt = tmp_path / "x.xlsx"
    txt.write_text("nope")
    with pytest.raises(CommandError, match="不是 Excel 工作簿"):
        call_command("registry_import", "orgs", str(txt), "--committee", "示例县委")


def test_uploaded_workbooks_are_parsed_with_defusedxml():
    """openpyxl guards against XML bombs and external entities only when defusedxml is there."""
    import openpyxl.xml

    assert openpyxl.xml.DEFUSEDXML
