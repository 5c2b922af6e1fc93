"""Feedback to the inspected organization (mounted at /reports/feedback/, namespace "reports")."""

from django.urls import path

from xuncha.reports.views import feedback as views

urlpatterns = [
    path("", views.feedback_list, name="feedback_list"),
    path("new/<int:assignment_pk>/", views.feedback_create, name="feedback_create"),
    path("<int:pk>/", views.feedback_detail, name="feedback_detail"),
    path("<int:pk>/edit/", views.feedback_edit, name="feedback_edit"),
    path("<int:pk>/issue/", views.feedback_issue, name="feedback_issue"),
    path("<int:pk>/meeting/", views.feedback_meeting, name="feedback_meeting"),
    path("<int:pk>/copies/", views.feedback_copy_add, name="feedback_copy_add"),
    path("<int:pk>/copies/<int:copy_pk>/delete/", views.feedback_copy_remove, name="feedback_copy_remove"),
    path("<int:pk>/acknowledge/", views.feedback_acknowledge, name="feedback_acknowledge"),
    path("unit/", views.unit_feedback, name="unit_feedback"),
    path("unit/<int:pk>/", views.unit_feedback_detail, name="unit_feedback_detail"),
]
