"""URLs of the dashboard pages (names in the "rectification" namespace): the dashboard, the
overdue list and the deadline policy."""

from django.urls import path

from xuncha.rectification.views import dashboard, policies

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("overdue/", dashboard.overdue, name="overdue"),
    path("policies/", policies.policy_list, name="policy_list"),
    path("policies/new/", policies.policy_create, name="policy_create"),
    path("policies/<int:pk>/edit/", policies.policy_edit, name="policy_edit"),
]
