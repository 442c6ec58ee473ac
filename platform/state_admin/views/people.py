"""A person's account on the state console: find it by login ID or service number, see where they
work, and reset their sign-in (password link and authenticator), which no district's admin may do
for someone who works in more than one district."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.org.services.transfers import districts_in_force
from state_admin.services.credentials import person_credentials_reset_by_staff, person_find
from state_admin.views.common import actor_of, staff_required
from tenants.models import User


@staff_required
@require_GET
def person_search(request):
    query = request.GET.get("q", "")
    person = person_find(query=query)
    return render(
        request,
        "state_admin/people/search.html",
        {
            "query": " ".join(query.replace("\x00", "").split())[:64],
            "person": person,
            "districts": districts_in_force(person=person, on=timezone.localdate(), here=None)
            if person
            else [],
        },
    )


@staff_required
@require_POST
def person_reset(request, person_id: int):
    person = User.objects.filter(pk=person_id, is_staff=False, is_superuser=False).first()
    if person is None:
        raise Http404
    try:
        done = person_credentials_reset_by_staff(actor=actor_of(request), person=person)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if done["link_sent"]:
            messages.success(
                request,
                _(
                    "Sign-in reset: their authenticator is removed, their sessions have ended and a "
                    "link to set a new password is on its way."
                ),
            )
        else:
            messages.success(
                request,
                _(
                    "Sign-in reset: their authenticator is removed and their sessions have ended; no "
                    "link was sent (no e-mail address or no posting in force)."
                ),
            )
    return redirect(f"{reverse('state_people')}?{urlencode({'q': person.login_id})}")
