from django.urls import include, path

app_name = "regulations"

# One URL module per area of the work; names stay in the "regulations" namespace.
urlpatterns = [
    path("", include("xuncha.regulations.urls_library")),
    path("compare/", include("xuncha.regulations.urls_compare")),
    path("study/", include("xuncha.regulations.urls_study")),
]
