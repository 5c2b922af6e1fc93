"""URLs of the progress report pages (mounted at /rectification/reports/, names in the
"rectification" namespace)."""

from django.urls import path

from xuncha.rectification.views import reports as views

urlpatterns = [
    path("", views.report_list, name="report_list"),
    path("start/<int:feedback_pk>/", views.report_start, name="report_start"),
    path("<int:pk>/", views.report_detail, name="report_detail"),
    path("<int:pk>/edit/", views.report_edit, name="report_edit"),
    path("<int:pk>/submit/", views.report_submit, name="report_submit"),
    path("<int:pk>/review/", views.report_review, name="report_review"),
    path("<int:pk>/file/", views.report_file, name="report_file"),
    path("<int:pk>/disclosures/", views.disclosure_add, name="report_disclosure_add"),
    path("<int:pk>/disclosures/<int:disclosure_pk>/delete/", views.disclosure_remove,
         name="report_disclosure_remove"),
]
