from django.urls import include, path

app_name = "analytics"

# One URL module per area; names stay in the "analytics" namespace.
urlpatterns = [
    path("", include("xuncha.analytics.urls_stats")),
    path("clusters/", include("xuncha.analytics.urls_clusters")),
    path("recommendations/", include("xuncha.analytics.urls_recommendations")),
]
