"""Pages of the rules library: the list, a regulation with its versions, a version with its
table of contents and articles, one article, the import form and the search.

Everyone who reads the library reads these pages; only the office writes (403 for others on
write pages, 404 for anything outside the user's committees). Writes are POST only.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xuncha.access.policy import CHANGE, CREATE, DELETE, VIEW, can, can_any, scope
from xuncha.findings.highlight import highlight
from xuncha.registry.models import Committee
from xuncha.regulations import services_library as services
from xuncha.regulations.forms_library import RegulationForm, VersionImportForm
from xuncha.regulations.models import Provision, Regulation, RegulationVersion
from xuncha.regulations.selectors import library as selectors
from xuncha.text.search import query_terms
from xuncha.workbench.pages import service_page

PER_PAGE = 30
SNIPPET = 160

library_page = service_page(refuse_system_roles=True, readable=Regulation)


def _writable_committees(user):
    committees = scope(user, Committee, VIEW).order_by("path")
    return [c for c in committees if can(user, CREATE, Regulation(committee=c))]


def _apply(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


@library_page
def library(request):
    user = request.user
    regulations = selectors.regulations_for(user)
    page = Paginator(regulations, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "regulations/library/list.html", {
        "page": page, "may_create": bool(_writable_committees(user))})


@library_page
def regulation_create(request):
    user = request.user
    committees = _writable_committees(user)
    if not committees:
        raise PermissionDenied
    form = RegulationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            regulation = services.regulation_create(actor=user, committee=committees[0], **form.cleaned_data)
        except ValidationError as exc:
            _apply(form, exc)
        else:
            messages.success(request, _("The regulation has been created: import its text now."))
            return redirect("regulations:version_import", regulation.pk)
    return render(request, "regulations/library/regulation_form.html", {"form": form, "regulation": None,
                                                                       "committee": committees[0]})


@library_page
def regulation_edit(request, pk: int):
    user = request.user
    regulation = selectors.get_regulation_for_user(user, pk)
    if not can(user, CHANGE, regulation):
        raise PermissionDenied
    form = RegulationForm(request.POST or None, initial={"title": regulation.title, "short_title": regulation.short_title,
                                  "issuer": regulation.issuer})
    if request.method == "POST" and form.is_valid():
        try:
            services.regulation_update(actor=user, regulation=regulation, **form.cleaned_data)
        except ValidationError as exc:
            _apply(form, exc)
        else:
            messages.success(request, _("The regulation has been saved."))
            return redirect("regulations:regulation", regulation.pk)
    return render(request, "regulations/library/regulation_form.html", {"form": form, "regulation": regulation,
                                                                       "committee": regulation.committee})


@library_page
def regulation_detail(request, pk: int):
    user = request.user
    regulation = selectors.get_regulation_for_user(user, pk)
    return render(request, "regulations/library/regulation.html", {
        "regulation": regulation, "versions": list(selectors.versions_of(regulation)),
        "may_change": can(user, CHANGE, regulation),
        "may_import": can(user, CREATE, RegulationVersion(regulation=regulation)),
        "may_delete": can(user, DELETE, regulation)})


@library_page
@require_POST
def regulation_delete(request, pk: int):
    user = request.user
    regulation = selectors.get_regulation_for_user(user, pk)
    if not can(user, DELETE, regulation):
        raise PermissionDenied
    try:
        services.regulation_delete(actor=user, regulation=regulation)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("regulations:regulation", regulation.pk)
    messages.success(request, _("The regulation has been deleted."))
    return redirect("regulations:library")


@library_page
def version_import(request, pk: int):
    user = request.user
    regulation = selectors.get_regulation_for_user(user, pk)
    if not can(user, CREATE, RegulationVersion(regulation=regulation)):
        raise PermissionDenied
    form = VersionImportForm(request.POST or None, request.FILES or None)
    preview = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if "preview" in request.POST:
                text, result = services.version_preview(text=data["text"], docx=data["docx_bytes"])
                preview = {"result": result, "articles": result.articles[:200], "total": len(result.articles)}
                if data["docx_bytes"]:  # the browser will not send the file again: keep its text
                    form = VersionImportForm(initial={**{k: data[k] for k in ("label", "doc_number", "issued_on",
                                                                              "effective_on")}, "text": text})
            else:
                imported = services.version_import(
                    actor=user, regulation=regulation, label=data["label"], text=data["text"],
                    docx=data["docx_bytes"], doc_number=data["doc_number"], issued_on=data["issued_on"],
                    effective_on=data["effective_on"])
        except ValidationError as exc:
            _apply(form, exc)
        else:
            if preview is None:
                messages.success(request, _("Version %(label)s imported: %(articles)d articles.")
                                 % {"label": imported.version.label, "articles": imported.articles})
                for warning in imported.warnings[:20]:
                    messages.warning(request, warning)
                return redirect("regulations:version", imported.version.pk)
    return render(request, "regulations/library/import.html", {"form": form, "regulation": regulation,
                                                               "preview": preview})


@library_page
def version_detail(request, pk: int):
    user = request.user
    version = selectors.get_version_for_user(user, pk)
    provisions = selectors.provisions_of(version)
    articles = []
    for p in provisions:
        if p.level == Provision.Level.ARTICLE:
            articles.append({"article": p, "ref": selectors.article_ref(p)})
        elif p.level < Provision.Level.ARTICLE:
            articles.append({"heading": p})
    return render(request, "regulations/library/version.html", {
        "version": version, "regulation": version.regulation, "rows": articles,
        "toc": selectors.table_of_contents(provisions),
        "article_count": sum(1 for p in provisions if p.level == Provision.Level.ARTICLE),
        "may_delete": can(user, DELETE, version)})


@library_page
@require_POST
def version_delete(request, pk: int):
    user = request.user
    version = selectors.get_version_for_user(user, pk)
    if not can(user, DELETE, version):
        raise PermissionDenied
    regulation = version.regulation
    try:
        services.version_delete(actor=user, version=version)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("regulations:version", version.pk)
    messages.success(request, _("The version has been deleted."))
    return redirect("regulations:regulation", regulation.pk)


@library_page
def article_detail(request, pk: int, ref: str):
    version = selectors.get_version_for_user(request.user, pk)
    view = selectors.get_article(version, ref)
    return render(request, "regulations/library/article.html", {
        "version": version, "regulation": version.regulation, "view": view, "article": view.article,
        "citation": f"{version.regulation.short_title}({version.label}){view.article.address}",
        "previous_ref": selectors.article_ref(view.previous) if view.previous else None,
        "next_ref": selectors.article_ref(view.next) if view.next else None})


@library_page
def search(request):
    user = request.user
    q = request.GET.get("q", "").strip()[:100]
    terms = query_terms(q) if q else ()
    regulations = list(selectors.regulations_for(user))
    chosen = next((r for r in regulations if str(r.pk) == request.GET.get("regulation")), None)
    page, rows = None, []
    if terms:
        results = selectors.search_articles(user, q, regulation=chosen.pk if chosen else None)
        page = Paginator(results, PER_PAGE).get_page(request.GET.get("page"))
        rows = [{"article": a, "ref": selectors.article_ref(a), "version": a.version,
                 "regulation": a.version.regulation, "snippet": highlight(a.text, terms, width=SNIPPET)}
                for a in page.object_list]
    return render(request, "regulations/library/search.html", {
        "q": q, "terms": terms, "page": page, "rows": rows, "regulations": regulations, "chosen": chosen})


def reads_library(user) -> bool:
    return not user.system_role and can_any(user, VIEW, Regulation)
