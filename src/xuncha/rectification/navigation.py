"""Navigation entries and workbench to-dos of the rectification app, one module per area."""

from xuncha.rectification import (  # noqa: F401
    navigation_dashboard,
    navigation_evaluation,
    navigation_plans,
    navigation_reports,
    navigation_tasks,
    navigation_transfers,
)
