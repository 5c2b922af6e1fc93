"""The import/export pages: upload, job page with progress, result; who may use them."""

from __future__ import annotations

import io
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.conftest import PASSWORD
from tests.registry.io_helpers import orgs_file, read_back
from xuncha.access.models import AuditEvent
from xuncha.registry.io import jobs
from xuncha.registry.models import ImportJob, Organization

INDEX = reverse("registry_io:index")
IMPORT = reverse("registry_io:import")
EXPORT = reverse("registry_io:export")


@pytest.fixture(autouse=True)
def _inline_jobs(settings, tmp_path):
    settings.XUNCHA_IMPORT_INLINE = True
    settings.DATA_DIR = tmp_path / "data"


def login(client, world, role):
    assert client.login(username=world.users[role].username, password=PASSWORD)
    return client


def upload(path, name="组织.xlsx"):
    return SimpleUploadedFile(name, path.read_bytes(), content_type="application/octet-stream")


def test_office_admin_imports_from_the_page(client, world, tmp_path):
    login(client, world, "office_admin")
    page = client.get(INDEX)
    assert page.status_code == 200
    assert reverse("registry_io:template_orgs") in page.content.decode()
    assert INDEX in page.content.decode()  # the navigation entry
    path = orgs_file(tmp_path / "o.xlsx", [None, "新城镇", "", "乡镇/街道", "", "", "", ""],
                     [None, "南门村", "", "村/社区", "新城镇", "", "", ""])
    response = client.post(IMPORT, {"committee": world.county.pk, "kind": "orgs", "file": upload(path)})
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response.url == reverse("registry_io:job", args=[job.public_id])
    assert (job.status, job.created_by, job.counts["created"]) == ("done", world.users["office_admin"], 2)
    html = client.get(response.url).content.decode()
    assert 'data-testid="job-done"' in html and 'data-testid="count-created">2<' in html
    assert "every 1s" not in html
    assert Organization.objects.filter(name="南门村", parent__name="新城镇").exists()
    assert AuditEvent.objects.filter(action="registry.import").count() == 1
    assert not list((tmp_path / "data" / "imports").iterdir())  # the upload is not kept


def test_errors_are_listed_on_the_job_page_and_nothing_is_written(client, world, tmp_path):
    login(client, world, "office_staff")
    path = orgs_file(tmp_path / "bad.xlsx", [None, "新城镇", "", "乡镇/街道", "", "", "", ""],
                     [None, "甲村", "", "飞船", "新城镇", "", "", ""])
    response = client.post(IMPORT, {"committee": world.county.pk, "kind": "orgs", "file": upload(path)},
                           follow=True)
    html = response.content.decode()
    assert 'data-testid="error-table"' in html
    assert "<td>组织机构</td><td>3</td><td>类型</td>" in html
    assert not Organization.objects.filter(name="新城镇").exists()


def test_a_dry_run_from_the_page_writes_nothing(client, world, tmp_path):
    login(client, world, "office_admin")
    path = orgs_file(tmp_path / "o.xlsx", [None, "新城镇", "", "乡镇/街道", "", "", "", ""])
    client.post(IMPORT, {"committee": world.county.pk, "kind": "orgs", "file": upload(path), "dry_run": "on"})
    job = ImportJob.objects.get()
    assert job.dry_run and job.counts["created"] == 1
    assert not Organization.objects.filter(name="新城镇").exists()


def test_a_refused_file_is_explained_on_the_form(client, world, tmp_path):
    login(client, world, "office_admin")
    fake = SimpleUploadedFile("名单.xlsx", "名称,类型\n".encode(), content_type="text/csv")
    response = client.post(IMPORT, {"committee": world.county.pk, "kind": "orgs", "file": fake})
    assert response.status_code == 400
    assert "不是 Excel 工作簿" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_an_upload_over_the_limit_is_refused(client, world, tmp_path, settings):
    settings.UPLOAD_MAX_BYTES = 1024
    login(client, world, "office_admin")
    path = orgs_file(tmp_path / "big.xlsx", *[[None, f"村{i}", "", "村/社区", "城关镇", "", "", ""]
                                             for i in range(300)])
    response = client.post(IMPORT, {"committee": world.county.pk, "kind": "orgs", "file": upload(path)})
    assert response.status_code == 400 and "文件过大" in response.content.decode()


def test_a_running_job_polls_every_second_and_works_without_javascript(client, world):
    job = ImportJob.objects.create(public_id=uuid.uuid4(), created_by=world.users["office_admin"],
                                   committee=world.county, kind="people", status="running",
                                   processed=500, total=2000, file_name="人员.xlsx")
    login(client, world, "office_admin")
    url = reverse("registry_io:job", args=[job.public_id])
    page = client.get(url).content.decode()
    assert 'hx-trigger="every 1s"' in page and 'http-equiv="refresh"' in page
    assert "25%" in page
    fragment = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert fragment.startswith("<div id=\"job-status\"") and "<html" not in fragment


def test_nobody_else_sees_a_job(client, world):
    job = ImportJob.objects.create(public_id=uuid.uuid4(), created_by=world.users["office_admin"],
                                   committee=world.county, kind="orgs")
    login(client, world, "office_staff")
    assert client.get(reverse("registry_io:job", args=[job.public_id])).status_code == 404
    assert client.get(reverse("registry_io:job", args=[uuid.uuid4()])).status_code == 404


def test_export_from_the_page_is_a_readable_workbook(client, world):
    login(client, world, "office_admin")
    response = client.post(EXPORT, {"committee": world.county.pk, "kind": "orgs"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    rows = read_back(io.BytesIO(response.content))["组织机构"]
    assert {row[1] for row in rows[1:]} == {"城关镇", "东门村", "县财政局"}
    assert AuditEvent.objects.filter(action="registry.export").count() == 1
    assert client.post(EXPORT, {"committee": world.other.pk, "kind": "orgs"}).status_code == 403


def test_the_template_downloads(client, world):
    login(client, world, "office_admin")
    response = client.get(reverse("registry_io:template_people"))
    assert response.status_code == 200
    assert list(read_back(io.BytesIO(response.content))) == ["人员", "工作经历", "亲属关系", "说明"]


def test_the_leader_may_export_but_not_import(client, world, tmp_path):
    login(client, world, "leader")
    page = client.get(INDEX).content.decode()
    assert 'data-testid="export-form"' in page and 'data-testid="import-form"' not in page
    path = orgs_file(tmp_path / "o.xlsx", [None, "新城镇", "", "乡镇/街道", "", "", "", ""])
    response = client.post(IMPORT, {"committee": world.county.pk, "kind": "orgs", "file": upload(path)})
    assert response.status_code == 403
    assert client.post(EXPORT, {"committee": world.county.pk, "kind": "people"}).status_code == 200


@pytest.mark.parametrize("role", ["group_leader", "group_member", "unit_liaison", "receiver",
                                  "sysadmin", "secadmin", "auditor", "outsider"])
def test_others_are_refused(client, world, tmp_path, role):
    login(client, world, role)
    path = orgs_file(tmp_path / "o.xlsx", [None, "新城镇", "", "乡镇/街道", "", "", "", ""])
    assert client.get(INDEX).status_code == 403
    assert client.post(IMPORT, {"committee": world.county.pk, "kind": "orgs",
                                "file": upload(path)}).status_code == 403
    assert client.post(EXPORT, {"committee": world.county.pk, "kind": "orgs"}).status_code == 403
    assert client.get(reverse("registry_io:template_orgs")).status_code == 403
    assert INDEX not in client.get(reverse("workbench:home")).content.decode()
    assert not ImportJob.objects.exists()


def test_anonymous_visitors_are_sent_to_log_in(client):
    assert client.get(INDEX).status_code == 302


def test_the_page_runs_in_few_queries(client, world, django_assert_max_num_queries):
    for _ in range(12):
        ImportJob.objects.create(public_id=uuid.uuid4(), created_by=world.users["office_admin"],
                                 committee=world.county, kind="orgs")
    login(client, world, "office_admin")
    with django_assert_max_num_queries(20):
        assert client.get(INDEX).status_code == 200


def test_a_background_job_reports_progress_and_its_result(world, tmp_path, settings,
                                                          django_capture_on_commit_callbacks):
    """Without the inline setting the job starts after commit in a thread; here its body,
    run_job, is called directly since a thread could not see the test's transaction."""
    settings.XUNCHA_IMPORT_INLINE = False
    path = orgs_file(tmp_path / "o.xlsx", *[[None, f"第{i}村", "", "村/社区", "城关镇", "", "", ""]
                                           for i in range(1200)])
    with django_capture_on_commit_callbacks() as callbacks:
        job = jobs.import_start(actor=world.users["office_admin"], committee=world.county,
                                kind="orgs", upload=upload(path, "村.xlsx"))
    assert job.status == "queued" and len(callbacks) == 1  # the thread's start, not run here
    jobs.run_job(job.pk)
    job.refresh_from_db()
    assert (job.status, job.processed, job.total, job.counts["created"]) == ("done", 1200, 1200, 1200)
    assert job.finished_at is not None
