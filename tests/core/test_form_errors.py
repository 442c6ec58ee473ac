"""A service's refusal lands on the form that asked for it."""

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from core.base.form_errors import service_errors


class NameForm(forms.Form):
    name = forms.CharField()


def _form():
    form = NameForm({"name": "Mahua"})
    assert form.is_valid()
    return form


def test_a_named_field_of_the_form_gets_its_error_and_others_go_on_top():
    form = _form()
    service_errors(form, ValidationError({"name": ["Taken."], "office": ["Closed."]}))
    assert form.errors["name"] == ["Taken."]
    assert form.errors[NON_FIELD_ERRORS] == ["Closed."]
    assert "name" not in form.cleaned_data


def test_a_refusal_without_fields_goes_on_top():
    form = _form()
    service_errors(form, ValidationError("Not yours.", code="not_held"))
    assert form.non_field_errors() == ["Not yours."]
    assert form.non_field_errors().as_data()[0].code == "not_held"
