"""Menu entries of the analytics statistics pages (and, through navigation_dashboard, the
dashboard's): "Statistics" for whoever reads problems or rounds through a committee or group role
(the office, the leading group, the superior office, the inspection groups)."""

from django.utils.translation import gettext_lazy

from xuncha.analytics import navigation_dashboard  # noqa: F401
from xuncha.analytics.statistics import may_read
from xuncha.workbench import nav

nav.add(nav.NavItem("analytics", gettext_lazy("Statistics"), "analytics:statistics", may_read, icon="table"))
