"""URLs of the recurring and common problems pages (names in the "analytics" namespace)."""

from django.urls import path

from xuncha.analytics.views import clusters, detection_settings

urlpatterns = [
    path("", clusters.clusters, name="clusters"),
    path("<int:pk>/", clusters.cluster_detail, name="cluster_detail"),
    path("pairs/<int:pk>/", clusters.match_detail, name="match_detail"),
    path("problems/<int:pk>/", clusters.problem_matches, name="problem_matches"),
    path("settings/", detection_settings.detection_settings, name="detection_settings"),
    path("settings/run/", detection_settings.detection_run, name="detection_run"),
    path("departments/", detection_settings.department_mapping, name="department_mapping"),
    path("departments/add/", detection_settings.mapping_add, name="mapping_add"),
    path("departments/<int:pk>/remove/", detection_settings.mapping_remove, name="mapping_remove"),
]
