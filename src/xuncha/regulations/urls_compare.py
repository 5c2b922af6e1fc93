"""The old/new comparison (新旧对照表): the page and its Word/Excel downloads."""

from django.urls import path

from xuncha.regulations.views import compare as views

urlpatterns = [
    path("", views.compare_page, name="compare"),
    path("<int:old>/<int:new>/<str:fmt>/", views.compare_download, name="compare_download"),
]
