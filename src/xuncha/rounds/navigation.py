"""Navigation entries and workbench to-dos of the rounds app, one module per area."""

from xuncha.rounds import (  # noqa: F401
    navigation_coverage,
    navigation_fieldwork,
    navigation_groups,
    navigation_plan,
    navigation_pool,
)
