"""Reports: the reports of a round, one report with its approval, the editor, versions and
their diff, the approval inbox, the committee's approval chains."""

from django.urls import path

from xuncha.reports.views import reports as views

urlpatterns = [
    path("", views.round_reports, name="reports"),
    path("inbox/", views.report_inbox, name="report_inbox"),
    path("chains/", views.chain_settings, name="chain_settings"),
    path("targets/<int:assignment_pk>/generate/", views.report_generate, name="report_generate"),
    path("<int:pk>/", views.report_detail, name="report_detail"),
    path("<int:pk>/edit/", views.report_edit, name="report_edit"),
    path("<int:pk>/regenerate/", views.report_regenerate, name="report_regenerate"),
    path("<int:pk>/submit/", views.report_submit, name="report_submit"),
    path("<int:pk>/decide/", views.report_decide, name="report_decide"),
    path("<int:pk>/versions/", views.report_versions, name="report_versions"),
    path("<int:pk>/diff/", views.report_diff, name="report_diff"),
]
