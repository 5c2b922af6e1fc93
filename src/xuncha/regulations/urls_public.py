from django.urls import path

from xuncha.regulations.views import public

app_name = "public_study"

urlpatterns = [
    path("<int:committee_id>/study/", public.study, name="study"),
]
