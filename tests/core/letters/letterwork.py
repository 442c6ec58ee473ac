"""What the letters tests share: an approved letter of Vaishali's SP, the directory, the steps."""

from core.letters.directory import directory_publish
from core.letters.relay import deliver_pending, outbox_relay
from core.letters.send import letter_send
from core.models import Dispatch, IncomingLetter
from tenants.context import district_context
from tenants.models import OfficeDirectoryEntry
from tests.core.efile.filework import draft_approved, open_file

LETTER = {
    "addressee": "SP Muzaffarpur",
    "addressee_address": "SP office, Muzaffarpur",
    "subject": "Accused Ramesh of Kanti thana: antecedents",
    "body": "Sir, please send the antecedents of the accused named in Mahua PS case 12/2025.",
}


def approved_letter(ef) -> Dispatch:
    """A draft of Vaishali's dak clerk approved by the SP: outward dak of the SP office."""
    with district_context("vaishali"):
        return draft_approved(
            open_file(ef),
            drafter=ef.actor("clerk"),
            approver=ef.actor("sp"),
            to_post=ef.posts["sp"],
            **LETTER,
        )


def directory_entry(slug: str = "muzaffarpur", code: str = "sp-office") -> OfficeDirectoryEntry:
    with district_context(slug):
        directory_publish()
    return OfficeDirectoryEntry.objects.get(district__schema_name=slug, office_code=code)


def send(ef, dispatch=None, entry=None):
    dispatch = dispatch or approved_letter(ef)
    entry = entry or directory_entry()
    with district_context("vaishali"):
        return letter_send(
            actor=ef.actor("sp"), post=ef.posts["sp"], dispatch=dispatch, to_office_id=entry.pk
        )


def relay(slug: str) -> set[str]:
    with district_context(slug):
        return outbox_relay()


def deliver(slug: str) -> int:
    with district_context(slug):
        return deliver_pending()[0]


def incoming(slug: str = "muzaffarpur") -> list[IncomingLetter]:
    with district_context(slug):
        return list(IncomingLetter.objects.all())
