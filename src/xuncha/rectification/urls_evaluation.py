"""URLs of the evaluation pages (names in the "rectification" namespace), under /rectification/evaluation/."""

from django.urls import path

from xuncha.rectification.views import evaluation as views
from xuncha.rectification.views import evaluation_templates as templates

urlpatterns = [
    path("", views.batch_list, name="batch_list"),
    path("new/", views.batch_create, name="batch_create"),
    path("open/", views.batch_open, name="batch_open"),
    path("<int:pk>/", views.batch_detail, name="batch_detail"),
    path("<int:pk>/refresh/", views.batch_refresh, name="batch_refresh"),
    path("<int:pk>/close/", views.batch_close, name="batch_close"),
    path("<int:pk>/report/", views.batch_report, name="batch_report"),
    path("organizations/<int:pk>/", views.evaluation_detail, name="evaluation_detail"),
    path("organizations/<int:pk>/scores/", views.evaluation_score, name="evaluation_score"),
    path("templates/", templates.template_list, name="template_list"),
    path("templates/new/", templates.template_create, name="template_create"),
    path("templates/<int:pk>/", templates.template_detail, name="template_detail"),
    path("templates/<int:pk>/edit/", templates.template_edit, name="template_edit"),
    path("templates/<int:pk>/copy/", templates.template_copy, name="template_copy"),
    path("templates/<int:pk>/defaults/", templates.template_defaults, name="template_defaults"),
    path("templates/<int:pk>/delete/", templates.template_delete, name="template_delete"),
    path("templates/<int:pk>/criteria/new/", templates.criterion_create, name="criterion_create"),
    path("criteria/<int:pk>/", templates.criterion_edit, name="criterion_edit"),
    path("criteria/<int:pk>/delete/", templates.criterion_delete, name="criterion_delete"),
]
