from django.urls import include, path

app_name = "rounds"

# One URL module per area of the work; names stay in the "rounds" namespace.
urlpatterns = [
    path("", include("xuncha.rounds.urls_plan")),
    path("", include("xuncha.rounds.urls_groups")),
    path("pool/", include("xuncha.rounds.urls_pool")),
    path("", include("xuncha.rounds.urls_fieldwork")),
    path("coverage/", include("xuncha.rounds.urls_coverage")),
]
