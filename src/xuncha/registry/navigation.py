"""Navigation entries and workbench to-dos of this app."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from xuncha.access.policy import CHANGE, VIEW, can_any
from xuncha.registry.models import Organization, Person
from xuncha.workbench import nav
from xuncha.workbench.todos import Todo, provider


def _may_view(model):
    # The 三员 never open the registry pages (see views.registry_page).
    return lambda user: not user.system_role and can_any(user, VIEW, model)


nav.add(nav.NavItem("registry", _("Organizations"), "registry:organization_tree",
                    _may_view(Organization), icon="diagram-3"))
nav.add(nav.NavItem("registry", _("People"), "registry:person_list", _may_view(Person),
                    icon="people"))


@provider
def organizations_without_principal(user) -> list[Todo]:
    """For those who keep the registry: active organizations nobody is recorded as heading."""
    if user.system_role or not can_any(user, CHANGE, Organization):
        return []
    from xuncha.registry import selectors

    count = selectors.organizations_for(user, action=CHANGE, active=True).filter(
        principal__isnull=True).count()
    url = reverse("registry:organization_list") + "?active=1&principal=none"
    return [Todo(title=_("Active organizations without a principal"), count=count, url=url,
                 level="warning")]
