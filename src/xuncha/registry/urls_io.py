from django.urls import path

from xuncha.registry import views_io

app_name = "registry_io"

urlpatterns = [
    path("", views_io.index, name="index"),
    path("import/", views_io.import_start, name="import"),
    path("jobs/<uuid:public_id>/", views_io.job, name="job"),
    path("template/orgs.xlsx", views_io.template, {"kind": "orgs"}, name="template_orgs"),
    path("template/people.xlsx", views_io.template, {"kind": "people"}, name="template_people"),
    path("export/", views_io.export, name="export"),
]
