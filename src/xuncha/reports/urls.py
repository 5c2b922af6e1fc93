from django.urls import include, path

app_name = "reports"

# One URL module per area of the work; names stay in the "reports" namespace.
urlpatterns = [
    path("", include("xuncha.reports.urls_reports")),
    path("feedback/", include("xuncha.reports.urls_feedback")),
    path("documents/", include("xuncha.reports.urls_documents")),
]
