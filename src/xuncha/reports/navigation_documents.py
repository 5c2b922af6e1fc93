"""Menu entries of the documents pages: the document centre and the office's templates."""

from django.utils.translation import gettext_lazy

from xuncha.access.policy import VIEW, can_any
from xuncha.reports.models import DocumentTemplate, GeneratedDocument
from xuncha.workbench import nav


def _sees_documents(user) -> bool:
    return not user.system_role and can_any(user, VIEW, GeneratedDocument)


def _keeps_templates(user) -> bool:
    return not user.system_role and can_any(user, VIEW, DocumentTemplate)


nav.add(nav.NavItem("reports", gettext_lazy("Document centre"), "reports:documents", _sees_documents,
                    icon="file-earmark-word"))
nav.add(nav.NavItem("reports", gettext_lazy("Document templates"), "reports:document_templates", _keeps_templates,
                    icon="file-earmark-ruled"))
