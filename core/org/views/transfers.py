"""The transfers screen's logic, the same for a district's admin and the state console: the
pending proposals with their forms, confirming one (with the date of the move) or declining it.

A console wires these as its views, behind its own access check, with its ``TransferConsole``
(``functools.partial(view, console=...)``): which district's proposals it decides (``None``:
every district's), how a request names its actor, its services, forms, template and URL names. A
proposal the console may not decide is a 404, as is one its service refuses with
``PermissionDenied``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.org.selectors.transfers import (
    transfer_proposal_to_decide,
    transfer_proposals_decided,
    transfer_proposals_made,
    transfer_proposals_to_decide,
)


@dataclass(frozen=True)
class TransferConsole:
    district_of: Callable  # request -> the District whose proposals it decides, None for all
    actor_of: Callable  # request -> the actor the services take
    confirm: Callable  # service(actor=, proposal_id=, moved_on=)
    decline: Callable  # service(actor=, proposal_id=, remarks=)
    confirm_form: type
    decline_form: type
    template: str
    list_url: str  # URL name of the list, where each decision returns
    confirmed: str  # the message after a confirmation (a lazy translation)
    with_made: bool = False  # also list the proposals this district made


@require_GET
def transfer_list(request, *, console: TransferConsole):
    district = console.district_of(request)
    today = timezone.localdate()
    context = {
        "pending": [
            (p, console.confirm_form(initial={"moved_on": max(p.proposed_on, today)}, prefix=str(p.pk)))
            for p in transfer_proposals_to_decide(district=district)
        ],
        "decline_form": console.decline_form(),
        "decided": transfer_proposals_decided(district=district),
    }
    if console.with_made:
        context["made"] = transfer_proposals_made(district=district)
    return render(request, console.template, context)


def _pending_or_404(request, console: TransferConsole, proposal_id: int):
    proposal = transfer_proposal_to_decide(district=console.district_of(request), proposal_id=proposal_id)
    if proposal is None:
        raise Http404
    return proposal


def _decide(request, console: TransferConsole, service, done: str, **kwargs):
    try:
        service(actor=console.actor_of(request), **kwargs)
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done)
    return redirect(console.list_url)


@require_POST
def transfer_confirm(request, proposal_id: int, *, console: TransferConsole):
    proposal = _pending_or_404(request, console, proposal_id)
    form = console.confirm_form(request.POST, prefix=str(proposal.pk))
    if not form.is_valid():
        messages.error(request, " ".join(m for errors in form.errors.values() for m in errors))
        return redirect(console.list_url)
    return _decide(
        request,
        console,
        console.confirm,
        console.confirmed,
        proposal_id=proposal.pk,
        moved_on=form.cleaned_data["moved_on"],
    )


@require_POST
def transfer_decline(request, proposal_id: int, *, console: TransferConsole):
    proposal = _pending_or_404(request, console, proposal_id)
    form = console.decline_form(request.POST)
    return _decide(
        request,
        console,
        console.decline,
        _("Transfer declined: nothing has changed."),
        proposal_id=proposal.pk,
        remarks=form.cleaned_data["remarks"] if form.is_valid() else "",
    )
