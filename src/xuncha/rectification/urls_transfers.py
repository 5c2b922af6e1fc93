"""URLs of the transfers pages (names in the "rectification" namespace, under /rectification/transfers/)."""

from django.urls import path

from xuncha.rectification.views import transfers as views

urlpatterns = [
    path("", views.transfer_list, name="transfer_list"),
    path("export/", views.transfer_export, name="transfer_export"),
    path("new/", views.transfer_create, name="transfer_create"),
    path("received/", views.received_transfers, name="received_transfers"),
    path("<int:pk>/", views.transfer_detail, name="transfer_detail"),
    path("<int:pk>/edit/", views.transfer_edit, name="transfer_edit"),
    path("<int:pk>/receipt/", views.transfer_receive, name="transfer_receive"),
    path("<int:pk>/actions/", views.transfer_action_add, name="transfer_action_add"),
    path("<int:pk>/results/", views.transfer_answer, name="transfer_answer"),
]
