"""The tus 1.0 endpoint of a district (core, creation, expiration, checksum, termination), at
``/uploads/``. Only a signed-in person with a posting in this district may use it; an upload URL
answers 404 to anyone but the person who began it, on any other district's host, and to the
anonymous, exactly as an id that never existed. The bytes go to ``core.uploads.partials``; a
finished upload becomes a document only when the page's form is sent (``core.uploads.claim``).

Refusals carry a short message in the person's language in the body (the page's script shows
it): too large (413), a wrong offset (409), a chunk or file whose checksum differs (460), a
resumed upload of a different file (409), too many open uploads (429).

Scripts and apps use it with a personal access token instead of the session (``Authorization:
Bearer …``, the API's own check: this district's host, a posting here, not expired or revoked; a
read token may only ask, not write). Such a request needs no CSRF token (a browser never sends
the header by itself); a request on the session is CSRF-checked as before. A token that is not
good here is answered as the anonymous are: 404.
"""

from __future__ import annotations

import base64
import binascii
import functools

from django.http import HttpResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from core.base.access import viewer_of
from core.base.uploads.limits import too_large_message, upload_limit_bytes
from core.uploads import partials

TUS_VERSION = "1.0.0"
EXTENSIONS = "creation,expiration,checksum,termination"
CHECKSUMS = {"sha1": 20, "sha256": 32}
# The whole file's SHA-256, sent by the page's script with every request: a resumed upload of
# another file is refused before a byte of it is written.
FILE_HASH_HEADER = "HTTP_UPLOAD_FILE_SHA256"


def _response(status: int, message: str = "", **headers) -> HttpResponse:
    response = HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")
    response["Tus-Resumable"] = TUS_VERSION
    response["Cache-Control"] = "no-store"
    for name, value in headers.items():
        response[name.replace("_", "-")] = str(value)
    return response


def _gone() -> HttpResponse:
    return _response(404, _("This upload is not here: it was finished, cancelled or has expired."))


def _expires(partial: partials.Partial) -> str:
    return http_date(partial.expires)


SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


_token_authentication = None


def token_authentication_set(authentication_class) -> None:
    """The API's token authentication (a DRF authentication class), set by ``config`` when Django
    starts (config wires the API; core never imports it). Until it is set no token is accepted."""
    global _token_authentication
    _token_authentication = authentication_class


def _token_person(request):
    """The person of the request's API token when it is good on this host (and may write, for a
    write); else None. Read through the API's own authentication, so the rules cannot differ."""
    from rest_framework import exceptions
    from rest_framework.request import Request

    if _token_authentication is None:
        return None
    try:
        found = _token_authentication().authenticate(Request(request))
    except exceptions.AuthenticationFailed:
        return None
    if found is None:
        return None
    person, token = found
    if request.method not in SAFE_METHODS and not token.can_write:
        return None
    return person


def _session_or_token(view):
    """The person from an API token (``Authorization: Bearer``) or the session; the session's
    writes keep Django's CSRF check, which the middleware would have made."""

    @csrf_exempt
    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.headers.get("Authorization", "").lower().startswith(("bearer ", "token ")):
            person = _token_person(request)
            if person is None:
                return _response(404)
            request.user = person
        else:
            check = CsrfViewMiddleware(lambda _request: None)
            check.process_request(request)
            refused = check.process_view(request, view, args, kwargs)
            if refused is not None:
                return refused
        return view(request, *args, **kwargs)

    return wrapped


def _person_id(request) -> int | None:
    """The person, when signed in and posted in this district (a post held today); else None."""
    if not request.user.is_authenticated or not viewer_of(request).post_ids:
        return None
    return request.user.pk


def _metadata(header: str) -> dict[str, str] | None:
    """tus's Upload-Metadata: comma-separated ``key base64value`` pairs; None when malformed."""
    found = {}
    for pair in filter(None, (part.strip() for part in header.split(","))):
        key, _space, value = pair.partition(" ")
        try:
            found[key] = base64.b64decode(value, validate=True).decode() if value else ""
        except (binascii.Error, UnicodeDecodeError):
            return None
    return found


def _number(value: str | None) -> int | None:
    if value is None or not value.isascii() or not value.isdigit() or len(value) > 15:
        return None
    return int(value)


@never_cache
@_session_or_token
def collection(request):
    """OPTIONS: what this server speaks. POST: a new upload (the creation extension)."""
    if request.method == "OPTIONS":
        return _response(
            204,
            Tus_Version=TUS_VERSION,
            Tus_Extension=EXTENSIONS,
            Tus_Max_Size=upload_limit_bytes(),
            Tus_Checksum_Algorithm=",".join(CHECKSUMS),
        )
    person_id = _person_id(request)
    if person_id is None:
        return _response(404)
    if request.method != "POST":
        return _response(405, Allow="OPTIONS, POST")
    if request.headers.get("Tus-Resumable") != TUS_VERSION:
        return _response(412, Tus_Version=TUS_VERSION)
    meta = _metadata(request.headers.get("Upload-Metadata", ""))
    length = _number(request.headers.get("Upload-Length"))
    if meta is None or length is None or length == 0:
        return _response(400, _("The upload was not understood: choose the file again."))
    name = meta.get("filename") or _("document")
    if length > upload_limit_bytes():
        return _response(413, too_large_message(name))
    sha256 = (meta.get("sha256") or "").lower()
    if not partials.SHA256.fullmatch(sha256):
        return _response(400, _("The upload was not understood: choose the file again."))
    if partials.partial_open_count(person_id=person_id) >= partials.OPEN_MAX:
        return _response(
            429, _("Too many uploads are waiting on the server: finish, send or cancel some first.")
        )
    partial = partials.partial_create(
        person_id=person_id,
        length=length,
        name=name,
        content_type=meta.get("filetype", ""),
        sha256=sha256,
    )
    return _response(
        201,
        Location=f"{request.path.rstrip('/')}/{partial.id}/",
        Upload_Expires=_expires(partial),
        Upload_Offset=0,
    )


def _checksum(header: str | None):
    """tus's Upload-Checksum ``<algorithm> <base64 digest>``: (name, digest), None when absent,
    False when not understood."""
    if not header:
        return None
    algorithm, _space, encoded = header.strip().partition(" ")
    try:
        digest = base64.b64decode(encoded, validate=True)
    except binascii.Error:
        return False
    if CHECKSUMS.get(algorithm) != len(digest):
        return False
    return algorithm, digest


@never_cache
@_session_or_token
def item(request, upload_id: str):
    """HEAD: the offset held. PATCH: the next chunk. DELETE: cancel. 404 to anyone but its owner."""
    try:
        partial = partials.partial_get(person_id=_person_id(request), upload_id=upload_id)
    except partials.PartialGone:
        return _gone()
    common = {"Upload_Length": partial.length, "Upload_Expires": _expires(partial)}
    if request.method == "HEAD":
        return _response(200, Upload_Offset=partial.offset, **common)
    if request.method == "DELETE":
        partials.partial_terminate(partial)
        return _response(204)
    if request.method != "PATCH":
        return _response(405, Allow="HEAD, PATCH, DELETE")
    return _patch(request, partial, common)


def _patch(request, partial: partials.Partial, common: dict) -> HttpResponse:
    if request.headers.get("Tus-Resumable") != TUS_VERSION:
        return _response(412, Tus_Version=TUS_VERSION)
    if request.content_type != "application/offset+octet-stream":
        return _response(415)
    offset = _number(request.headers.get("Upload-Offset"))
    checksum = _checksum(request.headers.get("Upload-Checksum"))
    if offset is None or checksum is False:
        return _response(400, _("The upload was not understood: choose the file again."))
    if request.META.get(FILE_HASH_HEADER, partial.sha256).lower() != partial.sha256:
        return _response(
            409,
            _("This is not the file whose upload began here: choose the same file, or start again."),
            Upload_Offset=partial.offset,
            **common,
        )
    declared = _number(request.headers.get("Content-Length"))
    try:
        partials.partial_append(partial, offset=offset, stream=request, declared=declared, checksum=checksum)
    except partials.OffsetMismatch as error:
        return _response(
            409,
            _("The upload is out of step: it resumes from what was received."),
            Upload_Offset=error.offset,
            **common,
        )
    except partials.Busy:
        return _response(423, Retry_After=1)
    except partials.ChecksumMismatch:
        return _response(460, _("The file arrived damaged (its checksum differs): send it again."))
    except ValueError:
        return _response(413, _("More bytes were sent than the upload announced."))
    return _response(204, Upload_Offset=partial.offset, **common)
