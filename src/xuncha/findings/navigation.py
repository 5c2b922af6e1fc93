"""Navigation entries and workbench to-dos of the findings app, one module per area."""

from xuncha.findings import (  # noqa: F401
    navigation_evidence,
    navigation_papers,
    navigation_problems,
    navigation_review,
)
