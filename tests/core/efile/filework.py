"""What the file tests share: a file opened through the service, and a letter to draft."""

from core.efile.services.files import file_create
from core.models import EFile, FileHead

LETTER = {
    "addressee": "IG Tirhut",
    "addressee_address": "",
    "subject": "Go-live report",
    "body": "Sir, done.",
}


def open_file(ef, key="clerk", **extra) -> EFile:
    """A file opened at ``key``'s post under the district's GEN head (inside a district context)."""
    return file_create(
        actor=ef.actor(key),
        post=ef.posts[key],
        head=FileHead.objects.get(code="GEN", office=None),
        subject="Computers for the SDPO offices",
        category=EFile.Category.ADMINISTRATION,
        **extra,
    )
