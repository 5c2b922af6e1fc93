from django.urls import path

from xuncha.api import views
from xuncha.api.api import api

urlpatterns = [
    path("docs", views.docs, name="api_docs"),
    path("", api.urls),
]
