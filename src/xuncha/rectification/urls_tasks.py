"""URLs of the tasks pages (mounted at /rectification/tasks/, names in the "rectification" namespace)."""

from django.urls import path

from xuncha.rectification.views import tasks as views

urlpatterns = [
    path("", views.workspace, name="workspace"),
    path("closure/", views.closure_queue, name="closure_queue"),
    path("<int:pk>/", views.task_detail, name="task_detail"),
    path("<int:pk>/progress/", views.progress_add, name="task_progress_add"),
    path("<int:pk>/transition/", views.task_transition, name="task_transition"),
    path("evidence/<int:pk>/download/", views.evidence_download, name="task_evidence_download"),
    path("evidence/<int:pk>/remove/", views.evidence_remove, name="task_evidence_remove"),
]
