"""``/api/tokens/`` on a district's host: the person's personal access tokens (make one, shown
once; list with last use; revoke); the district admin sees and revokes every token of the district."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from core.api.token_forms import TokenForm
from core.api.tokens import district_token_create, district_token_revoke, district_tokens_visible
from core.base.access import id_or_none
from core.base.audit import Actor
from core.base.form_errors import service_errors
from core.org.selectors.request_access import request_is_district_admin


@login_required
def tokens_page(request):
    is_admin = request_is_district_admin(request)
    tokens = district_tokens_visible(person=request.user, district=request.tenant, is_admin=is_admin)
    form, raw = TokenForm(request.POST or None), None
    if request.method == "POST" and form.is_valid():
        try:
            _token, raw = district_token_create(
                actor=Actor.from_request(request), district=request.tenant, **form.cleaned_data
            )
        except ValidationError as error:
            service_errors(form, error)
        else:
            form = TokenForm()
    context = {"form": form, "raw": raw, "tokens": tokens.select_related("person"), "is_admin": is_admin}
    return render(request, "core/api/tokens.html", context)


@login_required
def token_revoke(request, token_id):
    if request.method != "POST":
        raise Http404
    is_admin = request_is_district_admin(request)
    visible = district_tokens_visible(person=request.user, district=request.tenant, is_admin=is_admin)
    token = visible.select_related("person").filter(pk=id_or_none(token_id)).first()
    if token is None:
        raise Http404
    if district_token_revoke(actor=Actor.from_request(request), token=token):
        messages.success(request, _("Token %(name)s revoked.") % {"name": token.name})
    return redirect("api_tokens")
