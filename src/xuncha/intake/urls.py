from django.urls import include, path

app_name = "intake"

urlpatterns = [
    path("", include("xuncha.intake.urls_complaints")),
    path("qr/", include("xuncha.intake.urls_qr")),
]
