"""What every district API view shares: the viewer and audit actor of the request, forms as
input checks, the error schema, and the shape of a page of a list."""

from __future__ import annotations

import functools

from django.http import Http404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers
from rest_framework.views import APIView

from core.base.access import sight_post_id, viewer_of
from core.base.audit import Actor


class ErrorSerializer(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.CharField()
    fields = serializers.DictField(child=serializers.ListField(child=serializers.CharField()), required=False)


ERRORS = {
    status: OpenApiResponse(ErrorSerializer, description=text)
    for status, text in (
        (400, "Refused input"),
        (401, "No valid token or session"),
        (403, "Not allowed"),
        (404, "Not found, or not visible to the caller"),
        (405, "Method not allowed"),
        (415, "Unsupported media type"),
        (429, "Too many requests (see Retry-After)"),
    )
}


def responses(ok: dict) -> dict:
    return {**ok, **ERRORS}


def shaped(record, serializer: type[serializers.Serializer], **values) -> dict:
    """A record as the API answers it: the attribute of ``record`` named by each of the
    serializer's fields, in its order, or the one given in ``values`` (computed or nested ones).
    The serializer describes the answer (the schema) and this builds it, so each field list is
    written once. Values stay Python values (dates, ``None``); the JSON renderer writes them."""
    return {
        name: values[name] if name in values else getattr(record, name)
        for name in serializer._declared_fields
    }


class ApiView(APIView):
    """A district API view: answers are never cached by a browser or proxy."""

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Cache-Control"] = "no-store, private"
        return response


def viewer(request):
    return viewer_of(request)


def actor(request, item=None, *, post_id: int | None = None) -> Actor:
    """As ``core.base.actors.actor_for``: the post that gives sight of ``item``."""
    if post_id is None and item is not None:
        post_id = sight_post_id(viewer_of(request), item)
    return Actor.from_request(request, post_id=post_id)


def checked(form):
    """The form's cleaned data, or a 400 with its errors in the request's language."""
    if not form.is_valid():
        raise exceptions.ValidationError({name: list(errors) for name, errors in form.errors.items()})
    return form.cleaned_data


def found(lookup, request, item_id):
    """``lookup(viewer, id)`` (``access.file_for`` …), or 404 for whoever may not see it."""
    item = lookup(viewer_of(request), item_id)
    if item is None:
        raise Http404
    return item


def body(request) -> dict:
    """The request's fields (JSON or form data) as the strings a Django form reads."""
    data = request.data
    if hasattr(data, "getlist"):
        return data
    if not isinstance(data, dict):
        raise exceptions.ParseError()
    return {
        key: "" if value is None else str(value)
        for key, value in data.items()
        if not isinstance(value, (dict, list))
    }


# --- Pages --------------------------------------------------------------------------------------
# Lists page by stable cursors (``core.api.cursors``).


@functools.cache
def paged(serializer_class):
    """A page of ``serializer_class`` items with the next page's cursor (null on the last)."""
    name = f"Paged{serializer_class.__name__.removesuffix('Serializer')}"
    return type(
        name,
        (serializers.Serializer,),
        {
            "results": serializer_class(many=True),
            "next": serializers.CharField(allow_null=True),
        },
    )


__all__ = ["ERRORS", "ApiView", "extend_schema"]
