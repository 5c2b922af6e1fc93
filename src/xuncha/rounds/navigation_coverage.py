"""Menu entries and workbench to-dos for this area of the rounds app."""

from django.utils.translation import gettext_lazy as _

from xuncha.rounds.views.coverage import may_view_coverage
from xuncha.workbench import nav

nav.add(nav.NavItem("plan", _("Inspection coverage"), "rounds:coverage", may_view_coverage, icon="pie-chart"))
