from django.urls import path

from xuncha.intake.views import qr

urlpatterns = [
    path("", qr.qr_codes, name="qr_codes"),
]
