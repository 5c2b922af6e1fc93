"""Menu entries and to-dos of the library pages: the library and its search under study."""

from django.utils.translation import gettext_lazy

from xuncha.workbench import nav


def _reads_library(user) -> bool:
    from xuncha.regulations.views.library import reads_library

    return reads_library(user)


nav.add(nav.NavItem("study", gettext_lazy("Rules library"), "regulations:library", _reads_library, icon="book"))
nav.add(nav.NavItem("study", gettext_lazy("Search the rules"), "regulations:search", _reads_library, icon="search"))
