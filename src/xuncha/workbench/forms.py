"""What every form shares: a service's ValidationError shown on the field it names."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError


def add_service_errors(form: forms.Form, exc: ValidationError, *, default_field: str | None = None) -> None:
    """Put each message of `exc` on the field it names, the rest on `default_field` (or the
    form as a whole). Services raise ValidationError({field: [...]}) for this."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else default_field, errors)
    else:
        form.add_error(default_field, exc.messages)
