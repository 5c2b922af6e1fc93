"""The public portal (no login, works without JavaScript): /public/<committee id>/…"""

from django.urls import path  # noqa: F401

app_name = "public"

urlpatterns: list = []
