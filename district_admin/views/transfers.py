"""Transfers between districts as a district admin sees them: proposals awaiting this district's
decision (confirm with the date of the move, or decline), and the proposals this district made.

Only proposals that ask this district about one of its officers can be decided here; a proposal
this district made is shown, never decided, here (``core.org.services.transfers`` refuses it too).
The screen's logic is the organisation's, shared with the state console (``core.org.views.transfers``).
"""

import functools

from django.utils.translation import gettext_lazy as _

from core.org.services.transfers import transfer_confirm, transfer_decline
from core.org.views import transfers as shared
from district_admin.forms.transfers import TransferConfirmForm, TransferDeclineForm
from district_admin.views.common import actor_of, admin_required

CONSOLE = shared.TransferConsole(
    district_of=lambda request: request.tenant,
    actor_of=actor_of,
    confirm=transfer_confirm,
    decline=transfer_decline,
    confirm_form=TransferConfirmForm,
    decline_form=TransferDeclineForm,
    template="district_admin/transfers/list.html",
    list_url="district_admin:transfers",
    confirmed=_("Transfer confirmed: their postings here end on the date of the move."),
    with_made=True,
)


def _wired(view):
    """A screen of ``core.org.views.transfers`` with this console's ``CONSOLE``, behind its check."""
    return admin_required(functools.partial(view, console=CONSOLE))


transfers = _wired(shared.transfer_list)
transfer_confirm_view = _wired(shared.transfer_confirm)
transfer_decline_view = _wired(shared.transfer_decline)
