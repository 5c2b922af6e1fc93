"""Navigation entries and workbench to-dos of the reports app, one module per area."""

from xuncha.reports import navigation_documents, navigation_feedback, navigation_reports  # noqa: F401
