"""A service's refusal shown on the form that asked for it."""

from __future__ import annotations

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError


def service_errors(form: forms.Form, error: ValidationError) -> None:
    """Put a service's refusal (``ValidationError``) on ``form``: on the field it names where the
    form has that field, else on top of the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.error_dict.items():
        form.add_error(name if name in form.fields and name != NON_FIELD_ERRORS else None, errors)
