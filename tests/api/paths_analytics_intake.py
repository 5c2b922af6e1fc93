"""The API paths of analytics and intake: each area pins its own in paths_<area>.py."""

from tests.api import (
    paths_analytics_clusters,
    paths_analytics_stats,
    paths_complaints,
    paths_recommendations,
)

AREAS = tuple(module.PATHS for module in (
    paths_analytics_stats, paths_analytics_clusters, paths_recommendations, paths_complaints,
))
