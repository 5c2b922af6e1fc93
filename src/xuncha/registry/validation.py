"""Field checks shared by the forms, the services and the Excel importers."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_LANDLINE = re.compile(r"^0\d{2,3}-?\d{7,8}(-\d{1,6})?$")
_UNIFIED_CODE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$")


def clean_phone(value: str) -> str:
    """A mobile number (13812345678) or a landline with area code (0871-12345678)."""
    phone = re.sub(r"[\s()（）]", "", value or "").replace("—", "-").replace("－", "-")
    if not phone:
        return ""
    if phone.startswith("+86"):
        phone = phone[3:]
    if _MOBILE.match(phone) or _LANDLINE.match(phone):
        return phone
    raise ValidationError(
        _("“%(value)s” is not a phone number: give 11 digits starting with 1, or an area code and number such as 0871-12345678.")
        % {"value": value}, code="phone",
    )


def clean_unified_code(value: str) -> str:
    code = (value or "").strip().upper()
    if not code:
        return ""
    if not _UNIFIED_CODE.match(code):
        raise ValidationError(
            _("“%(value)s” is not a unified social credit code (18 characters, digits and capital letters).")
            % {"value": value}, code="unified_code",
        )
    return code


def clean_name(value: str, *, max_length: int) -> str:
    name = " ".join((value or "").split())
    if not name:
        raise ValidationError(_("The name is missing."), code="required")
    if len(name) > max_length:
        raise ValidationError(
            _("The name is longer than %(max)d characters.") % {"max": max_length}, code="max_length",
        )
    return name
