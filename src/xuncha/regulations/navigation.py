"""Navigation entries and workbench to-dos of the regulations app, one module per area."""

from xuncha.regulations import navigation_compare, navigation_library, navigation_study  # noqa: F401
