from django.urls import include, path

app_name = "rectification"

# One URL module per area of the work; names stay in the "rectification" namespace.
urlpatterns = [
    path("", include("xuncha.rectification.urls_dashboard")),
    path("plans/", include("xuncha.rectification.urls_plans")),
    path("tasks/", include("xuncha.rectification.urls_tasks")),
    path("reports/", include("xuncha.rectification.urls_reports")),
    path("transfers/", include("xuncha.rectification.urls_transfers")),
    path("evaluation/", include("xuncha.rectification.urls_evaluation")),
]
