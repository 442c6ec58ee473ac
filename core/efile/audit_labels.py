"""What each e-File audit action means, in the reader's language, for the history pages.

The trail stores the action's code (``file.send``); pages show this label instead, never the code
(an action missing here shows as a recorded step).
"""

from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {
    "file.create": _("File opened"),
    "file.view": _("File read"),
    "file.update": _("Particulars changed"),
    "file.send": _("Sent to a post"),
    "file.receive": _("Taken in"),
    "file.return": _("Returned"),
    "file.park": _("Parked"),
    "file.unpark": _("Taken up again"),
    "file.close": _("Closed"),
    "file.reopen": _("Reopened"),
    "file.track": _("Track read"),
    "file.history": _("History read"),
    "note.add": _("Note added"),
    "note.edit": _("Note edited"),
    "draft.create": _("Draft written"),
    "draft.edit": _("Draft changed"),
    "draft.approve": _("Draft approved"),
    "draft.return": _("Draft returned"),
    "dispatch.record": _("Entered in the outward register"),
    "receipt.diarise": _("Dak diarised"),
    "receipt.view": _("Dak read"),
    "receipt.send": _("Dak marked to a post"),
    "receipt.receive": _("Dak taken in"),
    "receipt.attach": _("Dak put in the file"),
    "receipt.close": _("Dak closed"),
    "document.upload": _("Document uploaded"),
    "document.version_add": _("New version uploaded"),
    "document.download": _("Document downloaded"),
    "document.preview": _("Document previewed"),
    "document.ocr": _("Text read from the pages"),
    "document.page_correct": _("Page text corrected"),
    "document.page_index": _("Page indexed"),
    "efile.overdue_notify": _("Told it is overdue"),
    "notification.read": _("Notifications read"),
    "register.view": _("Register read"),
}


OTHER = _("Recorded step")


def action_label(action: str) -> str:
    """The action's label in the active language (a recorded step for a code not listed)."""
    return str(ACTION_LABELS.get(action, OTHER))
