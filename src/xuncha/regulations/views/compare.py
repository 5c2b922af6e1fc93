"""The old/new comparison page (pick two versions of a regulation; the table with its counts and
filters) and its Word and Excel downloads (policy-checked and audited in compare_export)."""

from __future__ import annotations

from django.http import FileResponse, Http404
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from xuncha.regulations import compare
from xuncha.regulations.compare_export import FORMATS, export_comparison
from xuncha.regulations.models import RegulationVersion
from xuncha.regulations.selectors import compare as selectors
from xuncha.workbench.pages import service_page

MIME = {"docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
# The page's names of the change kinds (the files use compare.KIND_LABELS, always Chinese).
KIND_NAMES = {
    compare.MODIFIED: _("Modified"), compare.INSERTED: _("Inserted"), compare.DELETED: _("Deleted"),
    compare.MOVED: _("Moved"), compare.SPLIT: _("Split"), compare.MERGED: _("Merged"),
    compare.UNCHANGED: _("Unchanged"),
}
CHANGED = "changed"  # the filter showing every row but the unchanged ones


@service_page(refuse_system_roles=True, readable=RegulationVersion)
def compare_page(request):
    """GET old + new (version ids), or regulation (its two latest versions); kind filters rows."""
    old_id, new_id = request.GET.get("old"), request.GET.get("new")
    pair = None
    if old_id and new_id:
        pair = selectors.comparison_for_user(request.user, old_id, new_id)
    elif request.GET.get("regulation"):
        latest = selectors.latest_two(request.user, request.GET["regulation"])
        if latest is None:
            raise Http404
        pair = selectors.comparison(*latest)
    kind = request.GET.get("kind", "")
    if kind not in (*compare.KINDS, CHANGED):
        kind = ""
    context = {"regulations": selectors.regulations_with_versions(request.user), "pair": pair, "kind": kind,
               "CHANGED": CHANGED}
    if pair is not None:
        counts = pair.result.counts()
        context["kinds"] = [(code, KIND_NAMES[code], counts[code]) for code in compare.KINDS]
        context["n_changed"] = len(pair.result.rows) - counts[compare.UNCHANGED]
        if kind == CHANGED:
            rows = [row for row in pair.result.rows if row.kind != compare.UNCHANGED]
        else:
            rows = pair.result.of_kind(kind) if kind else pair.result.rows
        context["rows"] = [(row, KIND_NAMES[row.kind]) for row in rows]
    return render(request, "regulations/compare/page.html", context)


@service_page(refuse_system_roles=True)
def compare_download(request, old: int, new: int, fmt: str):
    if fmt not in FORMATS:
        raise Http404
    pair_old = selectors.get_version_for_user(request.user, old)
    pair_new = selectors.get_version_for_user(request.user, new)
    if pair_old.regulation_id != pair_new.regulation_id:
        raise Http404
    data, filename = export_comparison(actor=request.user, old=pair_old, new=pair_new, fmt=fmt)
    response = FileResponse(iter([data]), as_attachment=True, filename=filename, content_type=MIME[fmt])
    response["Content-Length"] = str(len(data))
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
