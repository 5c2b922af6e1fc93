"""URLs of the statistics pages and the dashboard (names in the "analytics" namespace)."""

from django.urls import path

from xuncha.analytics.views import dashboard, stats

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("dashboard/export/", dashboard.export, name="dashboard_export"),
    path("statistics/", stats.statistics_page, name="statistics"),
    path("statistics/summary.docx", stats.statistics_word, name="statistics_word"),
    path("statistics/drilldown/", stats.drilldown, name="drilldown"),
]
