"""The API paths of rectification: each area pins its own in paths_rectification_<area>.py."""

from tests.api import (
    paths_rectification_dashboard,
    paths_rectification_evaluations,
    paths_rectification_plans,
    paths_rectification_reports,
    paths_rectification_tasks,
    paths_rectification_transfers,
)

AREAS = tuple(module.PATHS for module in (
    paths_rectification_plans, paths_rectification_tasks, paths_rectification_reports,
    paths_rectification_transfers, paths_rectification_evaluations, paths_rectification_dashboard,
))
