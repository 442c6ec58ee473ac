"""Documents: upload papers to a file, a receipt or a case, add versions, and record who looked at
them."""

from __future__ import annotations

import hashlib
import os
import unicodedata
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from core.base.actors import as_post, require_item_held
from core.base.audit import Actor, audit_append
from core.base.storage import PREVIEW_SUFFIX, placement, stored_name_new, temp_dir
from core.base.text import clean_text
from core.base.uploads.filecheck import Checked, FileRefused, file_check
from core.base.uploads.limits import upload_limit_bytes
from core.base.uploads.previews import preview_make
from core.base.uploads.sanitise import file_sanitise
from core.cases.selectors.papers import case_papers_post
from core.efile.services.common import item_take_in
from core.efile.services.notes import require_file_workable
from core.efile.services.tracking import file_touch, item_lock
from core.models import Case, Document, DocumentVersion, EFile, Receipt

# What other areas do with new versions once the upload commits, registered at start-up (OCR reads
# them: ``core.ocr.tasks.register``), so this module imports none of them.
_VERSIONS_ADDED: dict[str, Callable[[list[DocumentVersion]], None]] = {}


def document_versions_added_register(key: str, hook: Callable[[list[DocumentVersion]], None]) -> None:
    """Register (or replace) ``hook(versions)``, called inside the upload's transaction (so it
    should act on commit) with the versions just added."""
    _VERSIONS_ADDED[key] = hook


def _versions_added(versions: list[DocumentVersion]) -> None:
    for hook in list(_VERSIONS_ADDED.values()):
        hook(versions)


# At most this many files in one upload (Django's own limit on files per request is 100).
MAX_FILES = 20


@dataclass
class _Prepared:
    """An upload checked and drawn, waiting in the temporary folder to be moved into place."""

    original_name: str
    path: Path
    preview: Path
    size: int
    sha256: str  # of the file stored (an image redrawn: of the redrawn file)
    checked: Checked
    owned: bool  # a copy this service made (removed if not kept), not the request's own temp file
    received_sha256: str = ""  # of the bytes received, where they are not the ones stored


def _original_name(upload) -> str:
    """The uploader's file name as shown and offered back on download: no folders, no control
    characters, at most 255 characters with its extension kept."""
    name = os.path.basename(str(getattr(upload, "name", "") or "").replace("\\", "/"))
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip()
    if not name:
        return _("document")
    if len(name) > 255:
        stem, ext = os.path.splitext(name)
        name = stem[: 255 - len(ext[:20])] + ext[:20]
    return name


def _local_copy(upload) -> tuple[Path, str, int, bool]:
    """The upload as a file in this district's temporary folder, its SHA-256 and size.

    An upload streamed by ``core.base.uploads.limits`` already is one (and has its hash); anything else
    (a test's in-memory file, a file given by a command) is copied there, hashed on the way.
    """
    folder = temp_dir()
    path = getattr(upload, "temporary_file_path", None)
    sha256 = getattr(upload, "sha256", "")
    if path and sha256 and Path(path()).parent == folder:
        return Path(path()), sha256, upload.size, False
    target = folder / f"{uuid.uuid4().hex}.copy"
    digest, size = hashlib.sha256(), 0
    upload.seek(0)
    try:
        with target.open("wb") as out:
            for chunk in upload.chunks():
                digest.update(chunk)
                size += len(chunk)
                out.write(chunk)
    except BaseException:  # a disk full or a cut-off read leaves no half copy behind
        target.unlink(missing_ok=True)
        raise
    return target, digest.hexdigest(), size, True


def _prepare(upload) -> _Prepared:
    """Check the upload, redraw it if it is an image (``core.base.uploads.sanitise``: the redrawn file is
    what is stored, hashed and previewed) and draw its preview."""
    name = _original_name(upload)
    path, sha256, size, owned = _local_copy(upload)
    received = ""
    preview = path.with_name(f"{path.name}{PREVIEW_SUFFIX}")
    try:
        checked = file_check(path, name=name, size=size, max_bytes=upload_limit_bytes())
        redrawn = file_sanitise(path, content_type=checked.content_type, name=name)
        if redrawn is not None:
            if owned:
                path.unlink(missing_ok=True)
            received = sha256
            path, sha256, size = redrawn
            owned = True
        preview_make(path, content_type=checked.content_type, target=preview, name=name)
    except BaseException:
        if owned:
            path.unlink(missing_ok=True)
        raise
    return _Prepared(name, path, preview, size, sha256, checked, owned, received)


def _prepare_all(uploads) -> list[_Prepared]:
    """Check every upload; refuse them all, each with its reason, if any one is refused."""
    uploads = list(uploads or [])
    if not uploads:
        raise ValidationError({"uploads": [_("Choose at least one file to upload.")]})
    if len(uploads) > MAX_FILES:
        raise ValidationError({"uploads": [_("Upload at most %(n)d files at once.") % {"n": MAX_FILES}]})
    prepared, errors = [], []
    try:
        for upload in uploads:
            try:
                prepared.append(_prepare(upload))
            except FileRefused as refusal:
                errors.extend(refusal.messages)
    except BaseException:  # not a refusal (a disk error, say): the copies made so far go too
        _discard(prepared)
        raise
    if errors:
        _discard(prepared)
        raise ValidationError({"uploads": errors})
    return prepared


def _discard(prepared: list[_Prepared]) -> None:
    for item in prepared:
        item.preview.unlink(missing_ok=True)
        if item.owned:
            item.path.unlink(missing_ok=True)


def _store(
    *, placed, item: _Prepared, document: Document, number: int, actor: Actor, post
) -> DocumentVersion:
    stored_name = stored_name_new()
    placed.move(item.path, stored_name)
    placed.move(item.preview, f"{stored_name}{PREVIEW_SUFFIX}")
    return DocumentVersion.objects.create(
        document=document,
        number=number,
        stored_name=stored_name,
        preview_name=f"{stored_name}{PREVIEW_SUFFIX}",
        original_name=item.original_name,
        content_type=item.checked.content_type,
        size=item.size,
        sha256=item.sha256,
        pages=item.checked.pages,
        uploaded_by=actor.person,
        uploaded_post=post,
    )


def _owner_check(actor: Actor, owner: EFile | Receipt | Case) -> None:
    """Refuse early (before the costly checks) whoever may not add papers to ``owner``."""
    if isinstance(owner, Case):
        case_papers_post(actor, owner)
    else:
        require_item_held(actor, owner)


def _owner_held(actor: Actor, owner: EFile | Receipt | Case):
    """Lock the owner, and refuse unless it is at the acting person's post and still open: a file
    neither closed nor parked (as for a note on it), a receipt not closed. A case: unless the
    acting person may see it (``core.cases.selectors.papers``), whatever its status."""
    if isinstance(owner, Case):
        return case_papers_post(actor, owner, lock=True)
    owner = item_lock(owner)
    post = require_item_held(actor, owner)
    if isinstance(owner, EFile):
        require_file_workable(owner)
    elif owner.status == Receipt.Status.CLOSED:
        raise ValidationError(_("Dak %(number)s is closed.") % {"number": owner.diary_number}, code="closed")
    return owner, post


def _owner_take_in(actor: Actor, owner: EFile | Receipt | Case, post, on: str) -> None:
    """Adding a paper to a file or dak is acting on it, so it takes it in (``item_take_in``); a
    case is not moved between posts and has nothing to take in."""
    if not isinstance(owner, Case):
        item_take_in(actor=actor, item=owner, post=post, on=on)


def _owner_label(owner: EFile | Receipt | Case) -> dict:
    if isinstance(owner, EFile):
        return {"file": owner.number}
    if isinstance(owner, Case):
        return {"case": owner.label, "case_id": owner.pk}
    return {"receipt": owner.diary_number}


def _title_for(title: str, item: _Prepared, count: int) -> str:
    stem = os.path.splitext(item.original_name)[0] or item.original_name
    if not title:
        return stem[:300]
    return (title if count == 1 else f"{title}: {stem}")[:300]


def _audit_details(version: DocumentVersion, owner, received_sha256: str = "") -> dict:
    """What the upload event records; ``received_sha256`` where the bytes received were redrawn."""
    return {
        **_owner_label(owner),
        "version": version.number,
        "name": version.original_name,
        "content_type": version.content_type,
        "size": version.size,
        "sha256": version.sha256,
        "pages": version.pages,
    } | ({"received_sha256": received_sha256} if received_sha256 else {})


@transaction.atomic
def document_upload(
    *,
    actor: Actor,
    file: EFile | None = None,
    receipt: Receipt | None = None,
    case: Case | None = None,
    uploads,
    title: str = "",
) -> list[Document]:
    """Add one document per upload to ``file``'s correspondence side, to ``receipt`` (its scanned
    copy) or to ``case`` (its papers), all or nothing.

    Only a holder of the file's or receipt's current post may upload, and not to a closed or
    parked file nor to closed dak; to a case, whoever may see it (its thana, its IO, supervisors
    over the thana), acting as the post they see it as, whatever the case's status.
    Every upload is checked by content (``core.base.uploads.filecheck``), an image redrawn without its
    metadata (``core.base.uploads.sanitise``), and drawn (``previews``) first;
    if any is refused, none is kept and the ``uploads`` error lists each refusal. Kept files are
    stored under server-made names with their SHA-256; if the transaction fails they are removed.
    """
    owners = [owner for owner in (file, receipt, case) if owner is not None]
    if len(owners) != 1:
        raise ValueError("document_upload needs exactly one of file=, receipt= or case=")
    _owner_check(actor, owners[0])  # refuse before the costly checks; again under lock
    title = clean_text(title, field="title", required=False, max_length=300)
    prepared = _prepare_all(uploads)
    documents = []
    try:
        owner, post = _owner_held(actor, owners[0])
        _owner_take_in(actor, owner, post, "document.upload")
        with placement() as placed:
            for item in prepared:
                document = Document.objects.create(
                    file=owner if file is not None else None,
                    receipt=owner if receipt is not None else None,
                    case=owner if case is not None else None,
                    title=_title_for(title, item, len(prepared)),
                    created_by=actor.person,
                    created_post=post,
                )
                version = _store(
                    placed=placed, item=item, document=document, number=1, actor=actor, post=post
                )
                documents.append((document, version, item.received_sha256))
            if isinstance(owner, EFile):
                file_touch(owner)
            for document, version, received in documents:
                audit_append(
                    actor=as_post(actor, post),
                    action="document.upload",
                    target=document,
                    summary=f"{next(iter(_owner_label(owner).values()))}: {document.title}",
                    details=_audit_details(version, owner, received),
                )
            _versions_added([version for _document, version, _received in documents])
    finally:
        _discard(prepared)  # what was not moved into place (nothing, on success)
    return [document for document, _version, _received in documents]


@transaction.atomic
def document_version_add(*, actor: Actor, document: Document, upload) -> DocumentVersion:
    """Add a new version of ``document``; the earlier versions are kept and still downloadable.

    Only a holder of the current post of the document's file or receipt may add one (not to a
    closed or parked file nor to closed dak), to a case's paper whoever may see the case, and the
    upload is checked exactly as in ``document_upload``.
    """
    _owner_check(actor, document.file or document.receipt or document.case)
    prepared = _prepare_all([upload])
    try:
        owner, post = _owner_held(actor, document.file or document.receipt or document.case)
        _owner_take_in(actor, owner, post, "document.version_add")
        document = Document.objects.select_for_update().get(pk=document.pk)  # one new number at a time
        with placement() as placed:
            number = (document.versions.aggregate(n=Max("number"))["n"] or 0) + 1
            version = _store(
                placed=placed, item=prepared[0], document=document, number=number, actor=actor, post=post
            )
            if isinstance(owner, EFile):
                file_touch(owner)
            audit_append(
                actor=as_post(actor, post),
                action="document.version_add",
                target=document,
                summary=f"{document.title} v{number}",
                details=_audit_details(version, owner, prepared[0].received_sha256),
            )
            _versions_added([version])  # OCR reads it in the background
    finally:
        _discard(prepared)
    return version


def _record(actor: Actor, version: DocumentVersion, action: str) -> None:
    document = version.document
    owner = document.file or document.receipt or document.case
    audit_append(
        actor=actor,
        action=action,
        target=document,
        summary=f"{document.title} v{version.number}",
        details={**_owner_label(owner), "version": version.number, "sha256": version.sha256},
    )


@transaction.atomic
def document_download_record(*, actor: Actor, version: DocumentVersion) -> None:
    """Record that ``actor`` downloaded ``version``. The caller has checked that they may see it
    (``access.document_for``); ``actor`` acts as the owner's post when they hold it."""
    _record(actor, version, "document.download")


@transaction.atomic
def document_preview_record(*, actor: Actor, version: DocumentVersion) -> None:
    """Record that ``actor`` looked at the preview of ``version`` (checked by the caller, as above)."""
    _record(actor, version, "document.preview")
