"""Transfers between districts as a district admin sees them: proposals awaiting this district's
decision (confirm with the date of the move, or decline), and the proposals this district made.

Only proposals that ask this district about one of its officers can be decided here; a proposal
this district made is shown, never decided, here (``core.org.services.transfers`` refuses it too).
"""

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
from core.org.services.transfers import transfer_confirm, transfer_decline
from district_admin.forms.transfers import TransferConfirmForm, TransferDeclineForm
from district_admin.views.common import actor_of, admin_required


@admin_required
@require_GET
def transfers(request):
    pending = list(transfer_proposals_to_decide(district=request.tenant))
    today = timezone.localdate()
    return render(
        request,
        "district_admin/transfers/list.html",
        {
            "pending": [
                (p, TransferConfirmForm(initial={"moved_on": max(p.proposed_on, today)}, prefix=str(p.pk)))
                for p in pending
            ],
            "decline_form": TransferDeclineForm(),
            "decided": transfer_proposals_decided(district=request.tenant),
            "made": transfer_proposals_made(district=request.tenant),
        },
    )


def _pending_or_404(request, proposal_id: int):
    proposal = transfer_proposal_to_decide(district=request.tenant, proposal_id=proposal_id)
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
    return redirect("district_admin:transfers")


@admin_required
@require_POST
def transfer_confirm_view(request, proposal_id: int):
    proposal = _pending_or_404(request, proposal_id)
    form = TransferConfirmForm(request.POST, prefix=str(proposal.pk))
    if not form.is_valid():
        messages.error(request, " ".join(m for errors in form.errors.values() for m in errors))
        return redirect("district_admin:transfers")
    return _decide(
        request,
        transfer_confirm,
        _("Transfer confirmed: their postings here end on the date of the move."),
        proposal_id=proposal.pk,
        moved_on=form.cleaned_data["moved_on"],
    )


@admin_required
@require_POST
def transfer_decline_view(request, proposal_id: int):
    proposal = _pending_or_404(request, proposal_id)
    form = TransferDeclineForm(request.POST)
    remarks = form.cleaned_data["remarks"] if form.is_valid() else ""
    return _decide(
        request,
        transfer_decline,
        _("Transfer declined: nothing has changed."),
        proposal_id=proposal.pk,
        remarks=remarks,
    )
