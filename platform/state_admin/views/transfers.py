"""Transfers between districts on the state console: every pending proposal, to confirm (with
the date of the move) or decline, and the latest decisions. The screen's logic is the
organisation's, shared with the district admin's (``core.org.views.transfers``)."""

from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from core.org.views import transfers as shared
from state_admin.forms.transfers import TransferConfirmForm, TransferDeclineForm
from state_admin.services.transfers import transfer_confirm_by_staff, transfer_decline_by_staff
from state_admin.views.common import actor_of, staff_required

CONSOLE = shared.TransferConsole(
    district_of=lambda request: None,
    actor_of=actor_of,
    confirm=transfer_confirm_by_staff,
    decline=transfer_decline_by_staff,
    confirm_form=TransferConfirmForm,
    decline_form=TransferDeclineForm,
    template="state_admin/transfers/list.html",
    list_url="state_transfers",
    confirmed=_("Transfer confirmed."),
)


@staff_required
@require_GET
def transfer_list(request):
    return shared.transfer_list(request, console=CONSOLE)


@staff_required
@require_POST
def transfer_confirm(request, proposal_id: int):
    return shared.transfer_confirm(request, proposal_id, console=CONSOLE)


@staff_required
@require_POST
def transfer_decline(request, proposal_id: int):
    return shared.transfer_decline(request, proposal_id, console=CONSOLE)
