from django.urls import include, path

urlpatterns = [
    path("", include("xuncha.workbench.urls")),
    path("accounts/", include("xuncha.access.urls")),
    path("system/", include("xuncha.access.system_urls")),
    path("registry/", include("xuncha.registry.urls")),
    path("registry/io/", include("xuncha.registry.urls_io")),
    path("rounds/", include("xuncha.rounds.urls")),
    path("checklist/", include("xuncha.checklist.urls")),
    path("findings/", include("xuncha.findings.urls")),
    path("reports/", include("xuncha.reports.urls")),
    path("regulations/", include("xuncha.regulations.urls")),
    path("rectification/", include("xuncha.rectification.urls")),
    path("analytics/", include("xuncha.analytics.urls")),
    path("intake/", include("xuncha.intake.urls")),
    # The public portal (no login): announcements, disclosures, study, the complaint form.
    path("public/", include("xuncha.regulations.urls_public")),
    path("public/", include("xuncha.intake.urls_public")),
    path("api/v1/", include("xuncha.api.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
]

handler403 = "xuncha.workbench.views.error_403"
handler404 = "xuncha.workbench.views.error_404"
handler500 = "xuncha.workbench.views.error_500"
