"""Shared pieces of the routers: pagination, referenced records, error bodies."""

from __future__ import annotations

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from xuncha.registry import selectors
from xuncha.registry.models import Committee, Organization, OrganizationKind, Person

# The shared field checks (registry.validation) raise errors without a field name, since
# forms and importers name the field themselves; their codes say which field it was.
FIELD_OF_CODE = {"phone": "phone", "unified_code": "unified_code",
                 "required": "name", "max_length": "name"}


def page(qs: QuerySet, params) -> dict:
    """One page of a scoped list: two queries, the count and the items."""
    return {"count": qs.count(), "items": list(qs[params.offset:params.offset + params.limit])}


def field_errors(exc: ValidationError) -> list[dict[str, str]]:
    """[{"field": ..., "message": ...}] for a Django ValidationError raised by a service."""
    errors: list[dict[str, str]] = []
    if hasattr(exc, "error_dict"):
        for field, messages in exc.message_dict.items():
            name = "__all__" if field == NON_FIELD_ERRORS else field
            errors.extend({"field": name, "message": str(m)} for m in messages)
        return errors
    for error in exc.error_list:
        field = FIELD_OF_CODE.get(error.code or "", "__all__")
        errors.extend({"field": field, "message": str(m)} for m in error.messages)
    return errors


def invalid(field: str, message: str) -> ValidationError:
    return ValidationError({field: [message]})


def not_visible(field: str) -> ValidationError:
    # Same message for a missing record and one the user may not see: nothing leaks.
    return invalid(field, _("No such record, or you may not use it here."))


class References:
    """Look up the records a payload refers to, among those the user may see."""

    def __init__(self, user):
        self.user = user

    def committee(self, pk: int, field: str = "committee") -> Committee:
        committee = selectors.committees_for(self.user).filter(pk=pk).first()
        if committee is None:
            raise not_visible(field)
        return committee

    def kind(self, code: str, field: str = "kind") -> OrganizationKind:
        if not code:
            raise invalid(field, _("This field is required."))
        kind = selectors.kinds_for(self.user).filter(code=code).first()
        if kind is None:
            raise invalid(field, _("Unknown kind of organization: %(code)s") % {"code": code})
        return kind

    def organization(self, pk: int | None, field: str) -> Organization | None:
        if pk is None:
            return None
        org = selectors.organizations_for(self.user).filter(pk=pk).first()
        if org is None:
            raise not_visible(field)
        return org

    def person(self, pk: int | None, field: str) -> Person | None:
        if pk is None:
            return None
        person = selectors.people_for(self.user).filter(pk=pk).first()
        if person is None:
            raise not_visible(field)
        return person
