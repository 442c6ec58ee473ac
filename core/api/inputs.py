"""A request's fields as a Django form reads them, lists included (a JSON list becomes the
repeated values of a multiple choice, as a browser posts them)."""

from __future__ import annotations

from django.http import QueryDict
from rest_framework import exceptions


def form_data(request) -> QueryDict:
    data = request.data
    if hasattr(data, "getlist"):
        return data
    if not isinstance(data, dict):
        raise exceptions.ParseError()
    fields = QueryDict(mutable=True)
    for key, value in data.items():
        if isinstance(value, list):
            fields.setlist(
                key, ["" if v is None else str(v) for v in value if not isinstance(v, (dict, list))]
            )
        elif value is not None and not isinstance(value, dict):
            fields[key] = str(value)
    return fields
