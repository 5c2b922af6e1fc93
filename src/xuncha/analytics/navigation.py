"""Navigation entries and workbench to-dos of the analytics app, one module per area."""

from xuncha.analytics import navigation_clusters, navigation_recommendations, navigation_stats  # noqa: F401
