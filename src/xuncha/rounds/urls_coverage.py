from django.urls import path

from xuncha.rounds.views import coverage

urlpatterns = [
    path("", coverage.coverage_page, name="coverage"),
]
