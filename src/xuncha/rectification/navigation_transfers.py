"""Menu entries and workbench to-dos of the transfers pages: the ledger (移交台账) for the office
and oversight, "Transferred to us" for a receiver; to-dos for the receiver (transfers to sign
for, feedback due) and the office (feedback overdue)."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xuncha.access.policy import CREATE, can_any
from xuncha.rectification.models import Transfer
from xuncha.rectification.selectors import transfers as selectors
from xuncha.workbench import nav
from xuncha.workbench.todos import Todo, provider


def _ledger(user) -> bool:
    return not user.system_role and selectors.reads_ledger(user)


def _receiver(user) -> bool:
    return not user.system_role and selectors.is_receiver(user)


nav.add(nav.NavItem("rectification", gettext_lazy("Transfer ledger"), "rectification:transfer_list", _ledger,
                    icon="box-arrow-right"))
nav.add(nav.NavItem("rectification", gettext_lazy("Transferred to us"), "rectification:received_transfers",
                    _receiver, icon="inbox"))


@provider
def transfers_to_receive(user) -> list[Todo]:
    """For a receiver: transfers handed to its organization and not signed for yet."""
    if not _receiver(user):
        return []
    count = selectors.awaiting_receipt(user).count()
    return [Todo(title=_("Transfers to acknowledge"), count=count, url=reverse("rectification:received_transfers"),
                 level="warning")] if count else []


@provider
def transfer_feedback_due(user) -> list[Todo]:
    """For a receiver: unanswered transfers whose feedback deadline is near or past."""
    if not _receiver(user):
        return []
    warned, overdue = selectors.feedback_due_count(user)
    return [Todo(title=_("Transfer feedback due"), count=warned, url=reverse("rectification:received_transfers"),
                 level="danger" if overdue else "warning")] if warned else []


@provider
def transfer_feedback_overdue(user) -> list[Todo]:
    """For the office: transfers whose receiver has not reported back by the deadline."""
    if user.system_role or not can_any(user, CREATE, Transfer):
        return []
    count = selectors.overdue_for_office(user).count()
    url = f"{reverse('rectification:transfer_list')}?overdue=on"
    return [Todo(title=_("Transfer feedback overdue"), count=count, url=url, level="danger")] if count else []
