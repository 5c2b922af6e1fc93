"""URLs of the plans pages (names in the "rectification" namespace), mounted at /rectification/plans/."""

from django.urls import path

from xuncha.rectification.views import plans as views

urlpatterns = [
    path("", views.plan_list, name="plan_list"),
    path("unit/", views.unit_plans, name="unit_plans"),
    path("start/<int:feedback_pk>/", views.plan_start, name="plan_start"),
    path("<int:pk>/", views.plan_detail, name="plan_detail"),
    path("<int:pk>/problems/<int:problem_pk>/tasks/", views.task_add, name="plan_task_add"),
    path("<int:pk>/tasks/<int:task_pk>/edit/", views.task_edit, name="plan_task_edit"),
    path("<int:pk>/tasks/<int:task_pk>/delete/", views.task_remove, name="plan_task_remove"),
    path("<int:pk>/submit/", views.plan_submit, name="plan_submit"),
    path("<int:pk>/review/", views.plan_review, name="plan_review"),
    path("<int:pk>/three-lists.xlsx", views.plan_export, name="plan_export"),
]
