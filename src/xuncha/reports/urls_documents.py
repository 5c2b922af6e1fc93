from django.urls import path

from xuncha.reports.views import documents as views

urlpatterns: list = [
    path("", views.document_list, name="documents"),
    path("round/<int:round_id>/", views.round_documents, name="round_documents"),
    path("<int:pk>/download/", views.document_download, name="document_download"),
    path("generate/", views.document_generate, name="document_generate"),
    path("templates/", views.template_list, name="document_templates"),
    path("templates/<int:pk>/activate/", views.template_activate, name="document_template_activate"),
    path("templates/<int:pk>/download/", views.template_download, name="document_template_download"),
    path("templates/default/<slug:doc_type>/", views.template_default, name="document_template_default"),
]
