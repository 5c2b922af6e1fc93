"""The public portal (no login, works without JavaScript): /public/<committee id>/…"""

from django.urls import path

from xuncha.intake.views import public

app_name = "public"

urlpatterns = [
    path("<int:committee_id>/", public.portal, name="portal"),
    path("<int:committee_id>/complain/", public.complain, name="complain"),
    path("<int:committee_id>/receipt/", public.receipt, name="receipt"),
    path("<int:committee_id>/qr/", public.qr, name="qr"),
]
