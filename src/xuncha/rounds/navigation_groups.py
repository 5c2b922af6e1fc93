"""Menu entries and workbench to-dos for the group pages: "my work" for group members."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from xuncha.workbench import nav
from xuncha.workbench.todos import Todo, provider


def _holds_group_role(user) -> bool:
    from xuncha.rounds.selectors.groups import holds_group_role

    return not user.system_role and holds_group_role(user)


nav.add(nav.NavItem("fieldwork", _("My inspection work"), "rounds:my_work", _holds_group_role,
                    icon="briefcase"))


@provider
def declarations_to_file(user) -> list[Todo]:
    """For group members: recusal statements and confidentiality pledges not yet on file."""
    if user.system_role or not _holds_group_role(user):
        return []
    from xuncha.rounds.selectors.groups import missing_declarations

    return [Todo(title=_("Declarations to file for your inspection group"), count=missing_declarations(user),
                 url=reverse("rounds:my_work"), level="warning")]
