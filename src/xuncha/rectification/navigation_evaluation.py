"""Menu entries and workbench to-dos of the evaluation pages: 整改评估 for the office, the leading
group and the superior office; for the office, the evaluations still to grade in open batches."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xuncha.access.policy import CHANGE, VIEW, can_any
from xuncha.rectification.models import Evaluation, EvaluationBatch
from xuncha.workbench import nav
from xuncha.workbench.todos import Todo, provider


def _reader(user) -> bool:
    return not user.system_role and can_any(user, VIEW, EvaluationBatch)


nav.add(nav.NavItem("rectification", gettext_lazy("Rectification evaluation"), "rectification:batch_list", _reader,
                    icon="clipboard-check"))


@provider
def evaluations_to_complete(user) -> list[Todo]:
    """For the office: ungraded evaluations of open batches."""
    if user.system_role or not can_any(user, CHANGE, Evaluation):
        return []
    from xuncha.rectification.selectors.evaluation import evaluations_to_complete as pending

    count = pending(user).count()
    return [Todo(title=_("Evaluations to complete"), count=count, url=reverse("rectification:batch_list"),
                 level="info")] if count else []
