"""``/api/tokens/`` on the state console: a staff member's own tokens (TOTP to make one) and every
token of every district, to revoke."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from core.api.token_forms import TokenTotpForm
from core.base.access import id_or_none
from core.base.form_errors import service_errors
from state_admin.api.tokens import staff_token_create, staff_token_revoke
from state_admin.views.common import actor_of, staff_required
from tenants.models import ApiToken


@staff_required
def tokens_page(request):
    form, raw = TokenTotpForm(request.POST or None), None
    if request.method == "POST" and form.is_valid():
        try:
            _token, raw = staff_token_create(actor=actor_of(request), **form.cleaned_data)
        except ValidationError as error:
            service_errors(form, error)
        else:
            form = TokenTotpForm()
    tokens = ApiToken.objects.select_related("person", "district")[:500]
    return render(
        request, "core/api/tokens.html", {"form": form, "raw": raw, "tokens": tokens, "is_admin": True}
    )


@staff_required
def token_revoke(request, token_id):
    if request.method != "POST":
        raise Http404
    token = ApiToken.objects.select_related("person", "district").filter(pk=id_or_none(token_id)).first()
    if token is None:
        raise Http404
    if staff_token_revoke(actor=actor_of(request), token=token):
        messages.success(request, _("Token %(name)s revoked.") % {"name": token.name})
    return redirect("api_tokens")
