"""Forms of the state console's transfers page: the date of a confirmed move, a reason to decline
(``core.org.forms.transfers``, in the state console's words)."""

from django.utils.translation import gettext_lazy as _

from core.org.forms import transfers
from core.org.forms.transfers import TransferDeclineForm


class TransferConfirmForm(transfers.TransferConfirmForm):
    moved_on_help = _(
        "Their postings in the district they leave end on this day, and the new posting starts on it."
    )


__all__ = ["TransferConfirmForm", "TransferDeclineForm"]
