"""URLs of the staff complaint register and identity access (names in the "intake" namespace,
under /intake/)."""

from django.urls import path

from xuncha.intake.views import complaints as views
from xuncha.intake.views import identity as identity_views

urlpatterns = [
    path("", views.complaint_list, name="complaint_list"),
    path("export/", views.complaint_export, name="complaint_export"),
    path("new/", views.complaint_create, name="complaint_create"),
    path("<int:pk>/", views.complaint_detail, name="complaint_detail"),
    path("<int:pk>/edit/", views.complaint_edit, name="complaint_edit"),
    path("<int:pk>/handling/", views.complaint_handle, name="complaint_handle"),
    path("<int:pk>/papers/", views.complaint_link_paper, name="complaint_link_paper"),
    path("<int:pk>/papers/<int:paper_pk>/unlink/", views.complaint_unlink_paper, name="complaint_unlink_paper"),
    path("<int:pk>/duplicate/", views.complaint_duplicate, name="complaint_duplicate"),
    path("<int:pk>/messages/", views.complaint_reply, name="complaint_reply"),
    path("<int:pk>/attachments/", views.complaint_attach, name="complaint_attach"),
    path("<int:pk>/attachments/<int:attachment_pk>/", views.attachment_download, name="attachment_download"),
    path("<int:pk>/identity/request/", identity_views.identity_request, name="identity_request"),
    path("<int:pk>/identity/", identity_views.identity_view, name="identity_view"),
    path("identity/", identity_views.identity_requests, name="identity_requests"),
    path("identity/<int:pk>/decision/", identity_views.identity_decide, name="identity_decide"),
    path("identity/<int:pk>/revoke/", identity_views.identity_revoke, name="identity_revoke"),
]
