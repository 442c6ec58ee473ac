"""Transfers between districts on the state console: every pending proposal, to confirm (with
the date of the move) or decline, and the latest decisions."""

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
    transfer_proposals_to_decide,
)
from state_admin.forms.transfers import TransferConfirmForm, TransferDeclineForm
from state_admin.services.transfers import transfer_confirm_by_staff, transfer_decline_by_staff
from state_admin.views.common import actor_of, staff_required


@staff_required
@require_GET
def transfer_list(request):
    today = timezone.localdate()
    return render(
        request,
        "state_admin/transfers/list.html",
        {
            "pending": [
                (p, TransferConfirmForm(initial={"moved_on": max(p.proposed_on, today)}, prefix=str(p.pk)))
                for p in transfer_proposals_to_decide(district=None)
            ],
            "decline_form": TransferDeclineForm(),
            "decided": transfer_proposals_decided(district=None),
        },
    )


def _pending_or_404(proposal_id: int):
    proposal = transfer_proposal_to_decide(district=None, proposal_id=proposal_id)
    if proposal is None:
        raise Http404
    return proposal


def _decide(request, service, done: str, **kwargs):
    try:
        service(actor=actor_of(request), **kwargs)
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done)
    return redirect("state_transfers")


@staff_required
@require_POST
def transfer_confirm(request, proposal_id: int):
    proposal = _pending_or_404(proposal_id)
    form = TransferConfirmForm(request.POST, prefix=str(proposal.pk))
    if not form.is_valid():
        messages.error(request, " ".join(m for errors in form.errors.values() for m in errors))
        return redirect("state_transfers")
    return _decide(
        request,
        transfer_confirm_by_staff,
        _("Transfer confirmed."),
        proposal_id=proposal.pk,
        moved_on=form.cleaned_data["moved_on"],
    )


@staff_required
@require_POST
def transfer_decline(request, proposal_id: int):
    proposal = _pending_or_404(proposal_id)
    form = TransferDeclineForm(request.POST)
    return _decide(
        request,
        transfer_decline_by_staff,
        _("Transfer declined: nothing has changed."),
        proposal_id=proposal.pk,
        remarks=form.cleaned_data["remarks"] if form.is_valid() else "",
    )
