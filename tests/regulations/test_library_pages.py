"""Library pages per role: reading, importing, the version page's queries, search, refusals."""

from __future__ import annotations

import io

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import translation

from tests.conftest import PASSWORD
from tests.regulations.library_sample import RULES, import_rules, long_rules
from xuncha.access import policy
from xuncha.regulations import services_library as services
from xuncha.regulations.models import Provision, Regulation, RegulationVersion


@pytest.fixture(autouse=True)
def _english(settings):
    """The messages are checked as written (English, a switch away for users); the Chinese
    catalogue is checked whole by tests/test_translations.py."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield

READERS = ["leader", "office_admin", "office_staff", "group_leader", "group_member", "unit_liaison", "receiver",
           "supervisor"]


def _client(name: str) -> Client:
    client = Client()
    assert client.login(username=name, password=PASSWORD)
    return client


def _docx(lines: list[str]) -> bytes:
    document = docx.Document()
    for line in lines:
        document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@pytest.mark.parametrize("name", READERS)
def test_every_business_role_reads_the_library(world, name):
    version = import_rules(world)
    client = _client(name)
    assert "青崖县巡察工作规则" in client.get("/regulations/").content.decode()
    assert client.get(f"/regulations/documents/{version.regulation_id}/").status_code == 200
    page = client.get(f"/regulations/{version.pk}/").content.decode()
    assert "第六条之一" in page and "领导小组" in page
    article = client.get(f"/regulations/{version.pk}/articles/3/")
    assert "规则(2024)第三条" in article.content.decode()
    assert client.get(f"/regulations/{version.pk}/articles/6-1/").status_code == 200
    assert client.get(f"/regulations/{version.pk}/articles/第三条第二款/").status_code == 200


@pytest.mark.parametrize("name", ["outsider", "sysadmin"])
def test_others_are_refused(world, name):
    version = import_rules(world)
    client = _client(name)
    assert client.get("/regulations/").status_code == 403
    assert client.get(f"/regulations/{version.pk}/").status_code in (403, 404)


def test_another_committees_library_is_not_found(world):
    version = import_rules(world, committee=world.other)
    client = _client("office_admin")
    assert client.get(f"/regulations/{version.pk}/").status_code == 404
    assert client.get(f"/regulations/{version.pk}/articles/1/").status_code == 404
    assert client.get(f"/regulations/documents/{version.regulation_id}/").status_code == 404
    assert client.get(f"/regulations/documents/{version.regulation_id}/import/").status_code == 404


def test_missing_articles_are_not_found(world):
    version = import_rules(world)
    client = _client("leader")
    for ref in ("99", "第九十九条", "abc", "3-9", "第三条第九款"):
        assert client.get(f"/regulations/{version.pk}/articles/{ref}/").status_code == 404, ref


@pytest.mark.parametrize("name", ["leader", "group_leader", "unit_liaison"])
def test_readers_may_not_write(world, name):
    version = import_rules(world)
    client = _client(name)
    assert client.get("/regulations/new/").status_code == 403
    assert client.get(f"/regulations/documents/{version.regulation_id}/import/").status_code == 403
    assert client.post(f"/regulations/{version.pk}/delete/").status_code == 403
    assert RegulationVersion.objects.filter(pk=version.pk).exists()


def test_the_office_creates_and_imports_pasted_text(world):
    client = _client("office_staff")
    response = client.post("/regulations/new/", {"title": "青崖县巡察工作规则", "short_title": "规则"})
    regulation = Regulation.objects.get()
    assert response.status_code == 302 and regulation.committee == world.county
    url = f"/regulations/documents/{regulation.pk}/import/"
    preview = client.post(url, {"label": "2024", "text": "第一条　甲。\n第三条　乙。", "preview": "1"})
    assert 'data-testid="import-warning"' in preview.content.decode()
    assert not RegulationVersion.objects.exists()
    response = client.post(url, {"label": "2024", "text": RULES}, follow=True)
    version = RegulationVersion.objects.get()
    assert response.redirect_chain[-1][0] == f"/regulations/{version.pk}/"
    assert version.provisions.filter(level=Provision.Level.ARTICLE).count() == 9
    assert version.created_by == world.office_staff


def test_import_refusals_name_the_field(world):
    version = import_rules(world)
    client = _client("office_admin")
    url = f"/regulations/documents/{version.regulation_id}/import/"
    page = client.post(url, {"label": "2024", "text": RULES}).content.decode()
    assert "already has a version" in page
    page = client.post(url, {"label": "2025", "text": "没有条文。"}).content.decode()
    assert "No article" in page
    response = client.post(url, {"label": "2025", "docx": SimpleUploadedFile("a.docx", b"not a docx")})
    assert response.context["form"].errors["docx"]
    assert RegulationVersion.objects.count() == 1


def test_a_docx_is_read_back(world):
    regulation = services.regulation_create(actor=world.office_admin, committee=world.county, title="细则",
                                            short_title="细则")
    data = _docx(RULES.splitlines())
    result = services.version_import(actor=world.office_admin, regulation=regulation, label="2024", docx=data)
    assert result.version.source == RegulationVersion.Source.DOCX
    assert result.articles == 9
    item = result.version.provisions.get(address="第四条第一款第（二）项")
    assert item.text == "听取巡察综合情况汇报。" and item.parent.address == "第四条第一款"
    assert item.parent.parent.address == "第四条"


def test_a_docx_with_macros_is_refused(world):
    import zipfile

    from django.core.exceptions import ValidationError

    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(_docx(["第一条　甲。"]))) as src, zipfile.ZipFile(buffer, "w") as dst:
        for info in src.infolist():
            dst.writestr(info, src.read(info))
        dst.writestr("word/vbaProject.bin", b"x")
    regulation = services.regulation_create(actor=world.office_admin, committee=world.county, title="细则",
                                            short_title="细则")
    with pytest.raises(ValidationError) as exc:
        services.version_import(actor=world.office_admin, regulation=regulation, label="1", docx=buffer.getvalue())
    assert "macros" in str(exc.value.message_dict["docx"])


def test_writes_are_post_only(world):
    version = import_rules(world)
    client = _client("office_admin")
    assert client.get(f"/regulations/{version.pk}/delete/").status_code == 405
    assert client.post(f"/regulations/{version.pk}/delete/").status_code == 302
    assert not RegulationVersion.objects.exists()


def test_a_version_studied_is_not_deleted(world):
    from datetime import date

    from xuncha.regulations.models import StudyCampaign

    version = import_rules(world)
    StudyCampaign.objects.create(committee=world.county, title="学习", version=version, starts_on=date(2024, 3, 1),
                                 due_on=date(2024, 4, 1))
    client = _client("office_admin")
    client.post(f"/regulations/{version.pk}/delete/")
    assert RegulationVersion.objects.filter(pk=version.pk).exists()


def test_the_version_page_queries_do_not_grow_with_articles(world, django_assert_max_num_queries):
    version = import_rules(world, text=long_rules(100))
    assert version.provisions.filter(level=Provision.Level.ARTICLE).count() == 100
    client = _client("group_member")
    client.get(f"/regulations/{version.pk}/")
    with django_assert_max_num_queries(12):
        response = client.get(f"/regulations/{version.pk}/")
    assert response.content.decode().count('data-testid="article"') == 100


def test_search_in_both_scripts_marks_the_words(world):
    version = import_rules(world)
    import_rules(world, committee=world.other, short_title="他规")
    client = _client("unit_liaison")
    for q in ("召开动员会", "召開動員會"):
        page = client.get("/regulations/search/", {"q": q}).content.decode()
        assert f"/regulations/{version.pk}/articles/7/" in page
        assert "<mark>召开</mark><mark>动员会</mark>" in page or "<mark>召开动员会</mark>" in page
        assert "他规" not in page
    page = client.get("/regulations/search/", {"q": "<script>x"}).content.decode()
    assert 'value="&lt;script&gt;x"' in page


def test_the_paper_basis_links_its_citations(world):
    from xuncha.regulations.citations import linked

    import_rules(world)
    assert "<a " in linked("规则(2024)第一条", world.group_leader)
    assert policy.can_any(world.group_leader, policy.VIEW, Regulation)
