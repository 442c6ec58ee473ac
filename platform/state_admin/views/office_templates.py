"""Office templates: list, detail as a tree, new (copy or capture), edit as JSON, apply."""

import json

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.models import Office, Post
from state_admin.models import OfficeTemplate
from state_admin.services import office_templates as services
from state_admin.views.common import actor_of, staff_required
from tenants.models import STATUSES_WITH_SCHEMA, District

# The offices JSON is typed or pasted by hand; the largest built-in template is a few tens of KB.
MAX_OFFICES_JSON = 1_000_000


class TemplateNewForm(forms.Form):
    slug = forms.SlugField(label=gettext_lazy("Code"), max_length=60)
    name = forms.CharField(label=gettext_lazy("Name (English)"), max_length=150)
    name_hi = forms.CharField(label=gettext_lazy("Name (Hindi)"), max_length=150, required=False)
    copy_from = forms.ModelChoiceField(
        label=gettext_lazy("Copy the template"),
        queryset=OfficeTemplate.objects.order_by("name"),
        to_field_name="slug",
        required=False,
    )
    capture_from = forms.ModelChoiceField(
        label=gettext_lazy("or save the set-up of the district"),
        # Office templates are a police district's offices; a range office's set-up is not one.
        queryset=District.objects.police_districts().filter(status__in=STATUSES_WITH_SCHEMA).order_by("name"),
        to_field_name="slug",
        required=False,
    )

    def clean(self):
        data = super().clean()
        copy_from, capture_from = data.get("copy_from"), data.get("capture_from")
        if copy_from and capture_from:
            raise ValidationError(_("Choose either a template to copy or a district to capture, not both."))
        chosen_badly = self.has_error("copy_from") or self.has_error("capture_from")
        if not copy_from and not capture_from and not chosen_badly:
            raise ValidationError(_("Choose a template to copy or a district to capture."))
        return data


class TemplateEditForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name (English)"), max_length=150)
    name_hi = forms.CharField(label=gettext_lazy("Name (Hindi)"), max_length=150, required=False)
    description = forms.CharField(
        label=gettext_lazy("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    offices = forms.CharField(
        label=gettext_lazy("Offices (JSON)"),
        widget=forms.Textarea(attrs={"rows": 24, "cols": 100}),
        max_length=MAX_OFFICES_JSON,
        error_messages={
            "max_length": gettext_lazy(
                "The offices JSON is too long: at most %(limit_value)s characters (this has %(show_value)s)."
            )
        },
    )

    def clean_offices(self):
        try:
            return json.loads(self.cleaned_data["offices"])
        except json.JSONDecodeError as exc:
            raise ValidationError(
                _("This is not valid JSON (line %(line)s, column %(col)s: %(msg)s).")
                % {"line": exc.lineno, "col": exc.colno, "msg": exc.msg}
            ) from exc
        except RecursionError as exc:
            raise ValidationError(_("This JSON is nested too deeply to read.")) from exc
        except ValueError as exc:
            raise ValidationError(_("This is not valid JSON (%(msg)s).") % {"msg": exc}) from exc


class ApplyForm(forms.Form):
    district = forms.ModelChoiceField(
        label=gettext_lazy("District"),
        queryset=District.objects.police_districts().filter(status=District.Status.LIVE).order_by("name"),
        to_field_name="slug",
    )


def _errors_to_form(form: forms.Form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def template_tree(template: OfficeTemplate) -> list[dict]:
    """The template's offices in tree order, each with its depth and its type's label."""
    offices = template.offices if isinstance(template.offices, list) else []
    codes = {office.get("code") for office in offices if isinstance(office, dict)}
    children: dict[str, list[dict]] = {}
    for office in offices:
        if isinstance(office, dict):
            parent = office.get("parent") if office.get("parent") in codes else ""
            children.setdefault(parent or "", []).append(office)
    rows, seen = [], set()

    def walk(parent: str, depth: int) -> None:
        for office in children.get(parent, []):
            if office.get("code") in seen:
                continue
            seen.add(office.get("code"))
            kinds = dict(Post.Kind.choices)
            posts = [
                dict(post, kind_label=kinds.get(post.get("kind"), "")) for post in office.get("posts", [])
            ]
            label = dict(Office.Kind.choices).get(office.get("kind"), "")
            rows.append({"office": office, "depth": depth, "kind_label": label, "posts": posts})
            walk(office.get("code"), depth + 1)

    walk("", 0)
    return rows


@staff_required
def template_list(request):
    return render(
        request, "state_admin/office_templates/list.html", {"templates": services.office_template_list()}
    )


@staff_required
def template_detail(request, slug: str):
    template = get_object_or_404(OfficeTemplate, slug=slug)
    context = {
        "template": template,
        "rows": template_tree(template),
        "builtin": services.office_template_is_builtin(template),
        "apply_form": ApplyForm(),
    }
    return render(request, "state_admin/office_templates/detail.html", context)


@staff_required
def template_new(request):
    form = TemplateNewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        names = {"slug": data["slug"], "name": data["name"], "name_hi": data["name_hi"]}
        try:
            if data["copy_from"]:
                template = services.office_template_copy(
                    actor=actor_of(request), source=data["copy_from"], **names
                )
            else:
                template = services.office_template_capture(
                    actor=actor_of(request), district=data["capture_from"], **names
                )
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, _("Template “%(name)s” made.") % {"name": template.name})
            return redirect("state_office_template", slug=template.slug)
    return render(request, "state_admin/office_templates/new.html", {"form": form})


@staff_required
def template_edit(request, slug: str):
    template = get_object_or_404(OfficeTemplate, slug=slug)
    initial = {
        "name": template.name,
        "name_hi": template.name_hi,
        "description": template.description,
        "offices": json.dumps(template.offices, ensure_ascii=False, indent=2),
    }
    form = TemplateEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.office_template_update(actor=actor_of(request), template=template, **form.cleaned_data)
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, _("Template saved."))
            return redirect("state_office_template", slug=template.slug)
    context = {"template": template, "form": form, "builtin": services.office_template_is_builtin(template)}
    return render(request, "state_admin/office_templates/edit.html", context)


@staff_required
@require_POST
def template_apply(request, slug: str):
    template = get_object_or_404(OfficeTemplate, slug=slug)
    form = ApplyForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a live district."))
        return redirect("state_office_template", slug=template.slug)
    district = form.cleaned_data["district"]
    try:
        counts = services.office_template_apply(actor=actor_of(request), district=district, template=template)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _(
                "%(district)s: %(offices)s offices and %(posts)s posts created; "
                "existing ones left as they were."
            )
            % {
                "district": district.name,
                "offices": counts["offices_created"],
                "posts": counts["posts_created"],
            },
        )
    return redirect("state_office_template", slug=template.slug)
