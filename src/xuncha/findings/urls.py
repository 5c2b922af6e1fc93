from django.urls import include, path

app_name = "findings"

# One URL module per area of the work; names stay in the "findings" namespace.
urlpatterns = [
    path("", include("xuncha.findings.urls_papers")),
    path("", include("xuncha.findings.urls_evidence")),
    path("", include("xuncha.findings.urls_problems")),
    path("review/", include("xuncha.findings.urls_review")),
]
