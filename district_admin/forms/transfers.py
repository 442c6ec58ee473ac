"""Forms of the transfers screen: the date a confirmed move takes effect, a reason to decline
(``core.org.forms.transfers``, in the district admin's words)."""

from django.utils.translation import gettext_lazy as _

from core.org.forms import transfers
from core.org.forms.transfers import TransferDeclineForm


class TransferConfirmForm(transfers.TransferConfirmForm):
    moved_on_help = _("Their postings here end on this day, and the new posting starts on it.")


__all__ = ["TransferConfirmForm", "TransferDeclineForm"]
