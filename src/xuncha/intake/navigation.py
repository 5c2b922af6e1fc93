"""Navigation entries and workbench to-dos of the intake app, one module per area."""

from xuncha.intake import navigation_complaints, navigation_portal  # noqa: F401
