"""A form's finished resumable uploads, as the uploaded files the form's view already takes.

The page's script uploads each chosen file through tus, then sends the form with, instead of the
file, a hidden ``resumable-<field>`` input naming the upload. ``request_files`` gives the view
``request.FILES`` with those uploads added under ``<field>``, each an uploaded file in the
district's temporary upload folder with its SHA-256 (as ``core.base.uploads.limits`` streams a plain
upload), so the same service and the same file checks decide. Each upload is claimed once: a
second sending of the form finds it gone. Whatever the service does not keep is removed when the
request ends (as for a plain upload).
"""

from __future__ import annotations

from django.core.files.uploadedfile import UploadedFile
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _

from core.base.uploads.limits import _remember
from core.uploads import partials

PREFIX = "resumable-"
# More hidden inputs than any form takes files (the upload form takes 20): refused whole.
NAMES_MAX = 40


class ClaimedUpload(UploadedFile):
    """A finished resumable upload, moved into the temporary upload folder."""

    def __init__(self, partial: partials.Partial, path):
        super().__init__(open(path, "rb"), partial.name, partial.content_type or None, partial.length)  # noqa: SIM115
        self.sha256 = partial.sha256
        self._path = str(path)

    def temporary_file_path(self) -> str:
        return self._path

    def close(self):
        try:
            return self.file.close()
        except FileNotFoundError:
            pass


def request_files(request) -> tuple[MultiValueDict, list[str]]:
    """``request.FILES``, with the request's finished resumable uploads added under their fields,
    and the messages for those named that are not there (not this person's, not finished,
    expired, already used). On any such message no upload is given: the form is refused whole."""
    files = request.FILES  # the claimed uploads join it, so the request closes them when it ends
    names = [
        (key.removeprefix(PREFIX), value)
        for key in request.POST
        if key.startswith(PREFIX)
        for value in request.POST.getlist(key)
    ]
    if not names:
        return files, []
    if len(names) > NAMES_MAX:
        return files, [_("Upload at most %(n)d files at once.") % {"n": NAMES_MAX // 2}]
    claimed, errors = [], []
    for field, upload_id in names:
        try:
            partial, path = partials.partial_claim(person_id=request.user.pk, upload_id=upload_id)
        except partials.PartialGone:
            errors.append(
                _(
                    "An upload of this form is no longer on the server (used, cancelled or expired): "
                    "choose the file again."
                )
            )
            continue
        _remember(str(path))  # removed when the request ends unless a service moved it into storage
        claimed.append((field, ClaimedUpload(partial, path)))
    if errors:
        for _field, upload in claimed:
            upload.close()
        return files, errors
    for field, upload in claimed:
        files.appendlist(field, upload)
    return files, []
