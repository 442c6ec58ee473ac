"""Every API error as JSON ``{"code": …, "message": …}`` in the request's language
(``Accept-Language``, through Django's locale middleware), with ``fields`` for a refused input."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

_MESSAGES = {
    "not_authenticated": lambda: _("Sign in, or send a valid token in the Authorization header."),
    "authentication_failed": None,  # the authentication class's own message
    "permission_denied": None,
    "not_found": lambda: _("Not found."),
    "method_not_allowed": lambda: _("This method is not allowed here."),
    "unsupported_media_type": lambda: _("Send JSON or multipart form data."),
    "parse_error": lambda: _("The request body could not be read."),
    "throttled": lambda: _("Too many requests: wait and try again."),
    "not_acceptable": lambda: _("This API answers JSON only."),
}


def _first_message(detail) -> str:
    if isinstance(detail, dict):
        for value in detail.values():
            return _first_message(value)
        return ""
    if isinstance(detail, list):
        return _first_message(detail[0]) if detail else ""
    return str(detail)


def _fields(detail) -> dict:
    if not isinstance(detail, dict):
        return {}
    return {
        str(key): [str(m) for m in (value if isinstance(value, list) else [value])]
        for key, value in detail.items()
    }


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        body = {"code": "invalid", "message": " ".join(exc.messages)}
        if hasattr(exc, "error_dict"):  # a service's refusal names its fields, as a form's does
            body["fields"] = {name: [str(m) for m in errors] for name, errors in exc.message_dict.items()}
        return Response(body, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        fields = _fields(exc.detail)
        message = _first_message(exc.detail)
        if fields and "non_field_errors" not in fields:
            name, errors = next(iter(fields.items()))
            message = f"{name}: {errors[0]}"
        response.data = {"code": "invalid", "message": message, "fields": fields}
        return response
    code = getattr(exc, "default_code", "error")
    if isinstance(exc, exceptions.APIException):
        codes = exc.get_codes()
        code = codes if isinstance(codes, str) else code
    lazy = _MESSAGES.get(code)
    message = lazy() if lazy else _first_message(getattr(exc, "detail", "")) or _("Refused.")
    response.data = {"code": code, "message": message}
    return response


@csrf_exempt  # a 404 whatever the method: never the CSRF check's HTML 403
def not_found(request, *args, **kwargs):
    """Any path under /api/v1/ that names no operation: JSON, not the HTML 404 page."""
    return JsonResponse({"code": "not_found", "message": _("Not found.")}, status=404)
