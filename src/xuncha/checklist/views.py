"""Pages of the guidance checklist: the libraries, a version's tree (and, for a draft, its
editor), comparing two versions, import and export, and the fieldwork guide for a target.

The office writes; everyone who inspects reads (checklist.policy). Missing and out-of-scope
records are 404 alike; a reader on a write page gets 403. Writes are POST-only.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xuncha.access import audit, policy
from xuncha.access.policy import CHANGE, CREATE, EXPORT, IMPORT, VIEW, can, can_any, scope
from xuncha.checklist import io, selectors, services
from xuncha.checklist.forms import DraftForm, ImportForm, ItemForm
from xuncha.checklist.models import Item, Library, Version
from xuncha.registry.models import Committee, OrganizationKind
from xuncha.workbench.pages import service_page

checklist_page = service_page


def _require(user, action, obj) -> None:
    if not can(user, action, obj):
        raise PermissionDenied


def _errors(request, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


# -- libraries -------------------------------------------------------------------------------

def _home_committees(user) -> list[Committee]:
    """Committees whose checklists the user keeps (the office's own committee)."""
    seen: dict[int, Committee] = {}
    for a in policy.assignments(user):
        if a.committee_id and a.committee_id not in seen and can(user, CREATE, Library(committee=a.committee)):
            seen[a.committee_id] = a.committee
    return list(seen.values())


@checklist_page
def library_list(request):
    user = request.user
    if not can_any(user, VIEW, Library):
        raise PermissionDenied
    libraries = selectors.libraries_with_versions(user)
    kinds = list(OrganizationKind.objects.order_by("sort_order", "id"))
    missing = []
    for committee in _home_committees(user):
        have = {lib.kind_id for lib in libraries if lib.committee_id == committee.pk}
        missing.extend({"committee": committee, "kind": kind, "shipped": services.shipped_file(kind.code) is not None}
                       for kind in kinds if kind.pk not in have)
    committees = {lib.committee_id for lib in libraries} | {row["committee"].pk for row in missing}
    return render(request, "checklist/library_list.html", {
        "libraries": libraries, "missing": missing, "many_committees": len(committees) > 1,
    })


@checklist_page
@require_POST
def library_install(request):
    user = request.user
    committee = next((c for c in _home_committees(user) if str(c.pk) == request.POST.get("committee")), None)
    if committee is None:
        raise Http404
    try:
        library = services.install_default(actor=user, committee=committee, kind_code=request.POST.get("kind", ""))
    except ValidationError as exc:
        _errors(request, exc)
        return redirect("checklist:library_list")
    messages.success(request, _("The default checklist “%(name)s” has been installed as version 1.")
                     % {"name": library.name})
    return redirect("checklist:library_detail", library.pk)


@checklist_page
def library_detail(request, pk: int):
    user = request.user
    library = selectors.get_library_for_user(user, pk)
    versions = list(selectors.versions_of(user, library))
    draft = next((v for v in versions if v.is_draft), None)
    published = [v for v in versions if not v.is_draft]
    return render(request, "checklist/library_detail.html", {
        "library": library, "versions": versions, "draft": draft,
        "in_force": published[0] if published else None,
        "can_change": can(user, CHANGE, library),
        "draft_form": DraftForm(),
    })


@checklist_page
@require_POST
def draft_create(request, pk: int):
    user = request.user
    library = selectors.get_library_for_user(user, pk)
    _require(user, CHANGE, library)
    form = DraftForm(request.POST)
    try:
        draft = services.draft_create(actor=user, library=library,
                                      note=form.cleaned_data["note"] if form.is_valid() else "")
    except ValidationError as exc:
        _errors(request, exc)
        return redirect("checklist:library_detail", library.pk)
    messages.success(request, _("Draft version %(number)d has been started.") % {"number": draft.number})
    return redirect("checklist:version_detail", draft.pk)


# -- a version: its tree, and the draft editor -----------------------------------------------

@checklist_page
def version_detail(request, pk: int):
    user = request.user
    version = selectors.get_version_for_user(user, pk)
    tree = selectors.tree_of(version)
    editable = version.is_draft and can(user, CHANGE, version)
    return render(request, "checklist/version_detail.html", {
        "version": version, "library": version.library, "tree": tree, "editable": editable,
        "levels": [(level, label, tree.counts[level]) for level, label in Item.Level.choices],
        "can_export": can(user, EXPORT, version),
        "can_import": editable and can(user, IMPORT, version),
        "import_form": ImportForm(), "item_form": ItemForm(auto_id="id_new_%s"),
        "open_all": request.GET.get("open") == "all",
    })


def _draft_for(request, pk: int) -> Version:
    version = selectors.get_version_for_user(request.user, pk)
    _require(request.user, CHANGE, version)
    return version


@checklist_page
@require_POST
def draft_publish(request, pk: int):
    version = _draft_for(request, pk)
    form = DraftForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() and form.cleaned_data["note"] else None
    try:
        services.publish(actor=request.user, version=version, note=note)
    except ValidationError as exc:
        _errors(request, exc)
        return redirect("checklist:version_detail", version.pk)
    messages.success(request, _("Version %(number)d is published and now in force.") % {"number": version.number})
    return redirect("checklist:library_detail", version.library_id)


@checklist_page
@require_POST
def draft_discard(request, pk: int):
    version = _draft_for(request, pk)
    try:
        services.draft_discard(actor=request.user, version=version)
    except ValidationError as exc:
        _errors(request, exc)
        return redirect("checklist:version_detail", version.pk)
    messages.success(request, _("The draft has been discarded."))
    return redirect("checklist:library_detail", version.library_id)


def _item_page(request, version: Version, form, *, heading: str, parent: Item | None, item: Item | None):
    return render(request, "checklist/item_form.html", {
        "version": version, "library": version.library, "form": form, "heading": heading,
        "parent": parent, "item": item,
    })


@checklist_page
def item_add(request, pk: int):
    user = request.user
    version = _draft_for(request, pk)
    if not version.is_draft:  # a published version has no editor
        raise Http404
    parent = None
    parent_id = request.POST.get("parent") or request.GET.get("parent")
    if parent_id:
        parent = scope(request.user, Item).filter(version=version, pk=parent_id if str(parent_id).isdigit() else 0).first()
        if parent is None:
            raise Http404
    form = ItemForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            item = services.item_add(actor=user, version=version, parent=parent, **form.cleaned_data)
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("%(key)s has been added.") % {"key": item.key})
            return redirect(f"{_version_url(version)}#item-{item.pk}")
    level = parent.level + 1 if parent else Item.Level.FOCUS
    heading = _("Add a %(level)s") % {"level": io.level_name(level)}
    return _item_page(request, version, form, heading=heading, parent=parent, item=None)


def _version_url(version: Version) -> str:
    from django.urls import reverse

    return reverse("checklist:version_detail", args=[version.pk])


def _item_for(request, pk: int) -> Item:
    item = selectors.get_item_for_user(request.user, pk)
    _require(request.user, CHANGE, item)
    return item


@checklist_page
def item_edit(request, pk: int):
    item = _item_for(request, pk)
    version = item.version
    if not version.is_draft:
        raise Http404
    form = ItemForm(request.POST or None, initial={"title": item.title, "note": item.note})
    if request.method == "POST" and form.is_valid():
        try:
            services.item_update(actor=request.user, item=item, **form.cleaned_data)
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("%(key)s has been saved.") % {"key": item.key})
            return redirect(f"{_version_url(version)}#item-{item.pk}")
    heading = _("Edit %(key)s") % {"key": item.key}
    return _item_page(request, version, form, heading=heading, parent=item.parent, item=item)


@checklist_page
@require_POST
def item_delete(request, pk: int):
    item = _item_for(request, pk)
    try:
        gone = services.item_delete(actor=request.user, item=item)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("%(key)s has been deleted (%(n)d items with those below it).")
                         % {"key": item.key, "n": gone})
    return redirect("checklist:version_detail", item.version_id)


@checklist_page
@require_POST
def item_move(request, pk: int):
    item = _item_for(request, pk)
    parent = None
    parent_key = request.POST.get("parent_key", "").strip()
    if parent_key:
        parent = scope(request.user, Item).filter(version_id=item.version_id, key=parent_key).first()
        if parent is None:
            messages.error(request, _("There is no item %(key)s in this draft.") % {"key": parent_key})
            return redirect("checklist:version_detail", item.version_id)
    try:
        services.item_move(actor=request.user, item=item, direction=request.POST.get("direction", ""),
                           parent=parent)
    except ValidationError as exc:
        _errors(request, exc)
    return redirect(f"{_version_url(item.version)}#item-{item.pk}")


# -- import and export -----------------------------------------------------------------------

@checklist_page
def version_export(request, pk: int):
    user = request.user
    version = selectors.get_version_for_user(user, pk)
    _require(user, EXPORT, version)
    fmt = request.GET.get("format", "yaml")
    stem = f"checklist-{version.library.kind.code}-v{version.number}"
    if fmt == "xlsx":
        body: bytes | str = io.dump_xlsx(version)
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        filename = f"{stem}.xlsx"
    elif fmt == "yaml":
        body, content_type, filename = io.dump_yaml(version), "application/yaml; charset=utf-8", f"{stem}.yaml"
    else:
        raise Http404
    audit.record(actor=user, action="checklist.export", obj=version, summary=str(version), detail={"format": fmt})
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def parse_upload(upload) -> io.Parsed:
    """An uploaded file as a parsed checklist: Excel by its content, YAML otherwise."""
    from xuncha.registry.io.xlsx import ZIP_MAGIC, UploadRefused, check_upload

    head = upload.read(4)
    upload.seek(0)
    if head == ZIP_MAGIC or upload.name.lower().endswith((".xlsx", ".xls")):
        with tempfile.TemporaryDirectory(prefix="xuncha-checklist-") as tmp:
            path = Path(tmp) / "upload.xlsx"
            with path.open("wb") as out:
                for chunk in upload.chunks():
                    out.write(chunk)
            try:
                check_upload(path)
            except UploadRefused as exc:
                raise io.ImportRefused(exc.message) from None
            return io.parse_xlsx(path)
    from django.conf import settings

    if upload.size > settings.UPLOAD_MAX_BYTES:
        raise io.ImportRefused(_("The file is too large: at most %(max)s MB may be uploaded.")
                               % {"max": f"{settings.UPLOAD_MAX_BYTES / (1024 * 1024):.0f}"})
    return io.parse_yaml(upload.read())


@checklist_page
@require_POST
def draft_import(request, pk: int):
    user = request.user
    version = _draft_for(request, pk)
    _require(user, IMPORT, version)
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return redirect("checklist:version_detail", version.pk)
    try:
        result = services.draft_import(actor=user, version=version, parsed=parse_upload(form.cleaned_data["file"]))
    except io.ImportRefused as exc:
        messages.error(request, _("Nothing was imported:"))
        for message in exc.messages[:50]:
            messages.error(request, message)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("%(n)d items have been imported into the draft.") % {"n": result.items})
    return redirect("checklist:version_detail", version.pk)


# -- compare ---------------------------------------------------------------------------------

@checklist_page
def compare(request, pk: int):
    user = request.user
    library = selectors.get_library_for_user(user, pk)
    versions = list(selectors.versions_of(user, library))
    by_id = {str(v.pk): v for v in versions}
    a = by_id.get(request.GET.get("a", ""))
    b = by_id.get(request.GET.get("b", ""))
    if a is None and b is None and len(versions) >= 2:
        b, a = versions[0], versions[1]
    rows = services.compare(a, b) if a is not None and b is not None else None
    counts = {}
    if rows is not None:
        for status in (services.ADDED, services.REMOVED, services.CHANGED, services.UNCHANGED):
            counts[status] = sum(1 for r in rows if r.status == status)
    only_changes = request.GET.get("all") != "1"
    shown = [r for r in rows if r.status != services.UNCHANGED] if rows is not None and only_changes else rows
    return render(request, "checklist/compare.html", {
        "library": library, "versions": versions, "a": a, "b": b, "rows": shown, "counts": counts,
        "only_changes": only_changes,
    })


# -- the fieldwork guide ---------------------------------------------------------------------

@checklist_page
def guide(request, assignment_id: int):
    user = request.user
    target = selectors.get_target_for_user(user, assignment_id)
    version, tree = selectors.guide_for(user, target)
    return render(request, "checklist/guide.html", {"target": target, "version": version, "tree": tree,
                                                    "group": target.group})


@checklist_page
def guide_index(request):
    targets = list(selectors.my_targets(request.user))
    return render(request, "checklist/guide_index.html", {"targets": targets})
