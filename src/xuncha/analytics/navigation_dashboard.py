"""Menu entry of the analytics dashboard: for whoever reads the committee's or a group's problems
(the office, the leading group, the superior office, the inspection groups)."""

from django.utils.translation import gettext_lazy

from xuncha.analytics.charts import may_read
from xuncha.workbench import nav

nav.add(nav.NavItem("analytics", gettext_lazy("Dashboard"), "analytics:dashboard", may_read, icon="bar-chart-line"))
