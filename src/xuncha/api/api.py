"""The NinjaAPI instance at /api/v1/: token auth, one error shape, routers per resource."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from ninja import NinjaAPI
from ninja.errors import AuthenticationError
from ninja.errors import ValidationError as RequestValidationError

from xuncha.access.policy import PermissionDenied
from xuncha.api.auth import TokenAuth
from xuncha.api.common import field_errors

api = NinjaAPI(
    title="Xuncha API",
    version="1",
    description="Committees, organizations and people of the inspection registry; terms, rounds, "
                "groups, inspection targets and coverage; the guidance checklist; working papers with their "
                "sign-off, problems, search and peer review of papers. "
                "Send the header 'Authorization: Bearer <token>' with every request.",
    auth=TokenAuth(),
    # ninja's own docs page loads Swagger UI from a CDN; intranets have no internet, so
    # views.docs renders the schema on the server instead.
    docs_url=None,
    urls_namespace="api",
)


@api.exception_handler(AuthenticationError)
def _unauthorized(request: HttpRequest, exc: AuthenticationError):
    response = api.create_response(
        request, {"detail": _("Give a valid API token: Authorization: Bearer <token>.")}, status=401)
    response["WWW-Authenticate"] = 'Bearer realm="xuncha"'
    return response


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404):
    # Missing and out-of-scope records answer alike.
    return api.create_response(request, {"detail": _("Not found.")}, status=404)


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, exc: PermissionDenied):
    return api.create_response(
        request, {"detail": _("Your role does not allow this.")}, status=403)


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, exc: ValidationError):
    return api.create_response(request, {"detail": field_errors(exc)}, status=422)


_MESSAGES = {
    "missing": gettext_noop("This field is required."),
    "extra_forbidden": gettext_noop("Unknown field."),
}


@api.exception_handler(RequestValidationError)
def _invalid_request(request: HttpRequest, exc: RequestValidationError):
    """Malformed parameters or body, in the same shape as the services' errors."""
    detail = []
    for error in exc.errors:
        loc = [str(part) for part in error.get("loc", ()) if part not in ("body", "query", "path", "payload")]
        field = ".".join(loc[-1:]) or "__all__"
        msgid = _MESSAGES.get(error.get("type", ""))
        message = _(msgid) if msgid else _("Enter a valid value.") + f" ({error.get('msg', '')})"
        detail.append({"field": field, "message": message})
    return api.create_response(request, {"detail": detail}, status=422)


def _register_routers() -> None:
    from xuncha.api import (
        analytics_clusters,
        analytics_stats,
        campaigns,
        checklist,
        committees,
        complaints,
        documents,
        evaluations,
        feedback,
        organizations,
        papers,
        people,
        problems,
        recommendations,
        rectification,
        rectification_plans,
        rectification_reports,
        rectification_tasks,
        regulations,
        reports,
        reviews,
        rounds,
        study,
        transfers,
    )

    api.add_router("/committees", committees.router, tags=["committees"])
    api.add_router("/organizations", organizations.router, tags=["organizations"])
    api.add_router("/people", people.router, tags=["people"])
    api.add_router("", rounds.router, tags=["rounds"])
    api.add_router("/checklists", checklist.router, tags=["checklist"])
    api.add_router("/papers", papers.router, tags=["working papers"])
    api.add_router("/problems", problems.router, tags=["problems"])
    api.add_router("/reviews", reviews.router, tags=["peer review"])
    api.add_router("/reports", reports.router, tags=["reports"])
    api.add_router("/feedback", feedback.router, tags=["feedback"])
    api.add_router("/documents", documents.router, tags=["documents"])
    api.add_router("/regulations", regulations.router, tags=["regulations"])
    api.add_router("/study", study.router, tags=["study"])
    api.add_router("/rectification/plans", rectification_plans.router, tags=["rectification plans"])
    api.add_router("/rectification/tasks", rectification_tasks.router, tags=["rectification tasks"])
    api.add_router("/rectification/reports", rectification_reports.router, tags=["rectification reports"])
    api.add_router("/rectification", rectification.router, tags=["rectification"])
    api.add_router("/transfers", transfers.router, tags=["transfers"])
    api.add_router("/evaluations", evaluations.router, tags=["rectification evaluation"])
    api.add_router("/analytics/statistics", analytics_stats.router, tags=["statistics"])
    api.add_router("/analytics/clusters", analytics_clusters.router, tags=["recurring and common problems"])
    api.add_router("/recommendations", recommendations.router, tags=["recommendations"])
    api.add_router("/campaigns", campaigns.router, tags=["special campaigns"])
    api.add_router("/complaints", complaints.router, tags=["complaints"])


_register_routers()
