"""A group's fieldwork pages (its logs, announcement and guidance) and the guidance overview."""

from django.urls import path

from xuncha.rounds.views import fieldwork as views

G = "groups/<int:group_id>/"

urlpatterns = [
    path(f"{G}interviews/", views.interview_list, name="interviews"),
    path(f"{G}interviews/new/", views.interview_create, name="interview_create"),
    path(f"{G}interviews/<int:pk>/", views.interview_detail, name="interview_detail"),
    path(f"{G}interviews/<int:pk>/edit/", views.interview_edit, name="interview_edit"),
    path(f"{G}documents/", views.document_request_list, name="document_requests"),
    path(f"{G}documents/new/", views.document_request_create, name="document_request_create"),
    path(f"{G}documents/<int:pk>/edit/", views.document_request_edit, name="document_request_edit"),
    path(f"{G}documents/<int:pk>/provided/", views.document_request_provided, name="document_request_provided"),
    path(f"{G}documents/<int:pk>/returned/", views.document_request_returned, name="document_request_returned"),
    path(f"{G}spot-fixes/", views.spot_fix_list, name="spot_fixes"),
    path(f"{G}spot-fixes/new/", views.spot_fix_create, name="spot_fix_create"),
    path(f"{G}spot-fixes/<int:pk>/edit/", views.spot_fix_edit, name="spot_fix_edit"),
    path(f"{G}announcement/", views.announcement_detail, name="announcement"),
    path(f"{G}announcement/edit/", views.announcement_edit, name="announcement_edit"),
    path(f"{G}announcement/print/", views.announcement_print, name="announcement_print"),
    path(f"{G}guidance/", views.guidance, name="guidance"),
    path(f"{G}guidance/new/", views.guidance_visit_create, name="guidance_visit_create"),
    path(f"{G}guidance/<int:pk>/edit/", views.guidance_visit_edit, name="guidance_visit_edit"),
    path(f"{G}guidance/<int:pk>/prescriptions/new/", views.prescription_create, name="prescription_create"),
    path(f"{G}prescriptions/<int:pk>/answer/", views.prescription_answer, name="prescription_answer"),
    path(f"{G}prescriptions/<int:pk>/close/", views.prescription_close, name="prescription_close"),
    path("guidance/", views.guidance_index, name="guidance_index"),
    path("guidance/<int:round_id>/", views.guidance_overview, name="guidance_overview"),
]
