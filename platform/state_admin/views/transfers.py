"""Transfers between districts on the state console: every pending proposal, to confirm (with
the date of the move) or decline, and the latest decisions. The screen's logic is the
organisation's, shared with the district admin's (``core.org.views.transfers``)."""

import functools

from django.utils.translation import gettext_lazy as _

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


def _wired(view):
    """A screen of ``core.org.views.transfers`` with this console's ``CONSOLE``, behind its check."""
    return staff_required(functools.partial(view, console=CONSOLE))


transfer_list = _wired(shared.transfer_list)
transfer_confirm = _wired(shared.transfer_confirm)
transfer_decline = _wired(shared.transfer_decline)
