"""The tus 1.0 endpoint: create, HEAD offset, PATCH, a wrong offset, another file on resume, a
damaged chunk or file, expiry, cancel, the size limit, and isolation (another person, another
district, the anonymous, a person with no posting here: 404, never a byte)."""

import base64
import hashlib
import time

import pytest
from django.conf import settings as django_settings
from django.test import Client

from core.uploads import partials
from core.uploads.tasks import partials_expire_all
from tests.core.efile import samples
from tests.core.uploads.tus_client import TUS, create, head, patch, upload_whole
from tests.helpers import HostClient

DATA = samples.pdf_bytes(3) * 3


def files_under(media, *parts) -> list[str]:
    root = media.joinpath(*parts)
    return sorted(p.name for p in root.rglob("*") if p.is_file()) if root.exists() else []


def begun(client, data=DATA):
    response = create(client, data)
    assert response.status_code == 201, response.content
    return response["Location"]


def test_options_say_what_the_server_speaks(ef):
    response = ef.client("clerk").options("/uploads/")
    assert response.status_code == 204
    assert response["Tus-Version"] == "1.0.0"
    assert set(response["Tus-Extension"].split(",")) == {"creation", "expiration", "checksum", "termination"}
    assert int(response["Tus-Max-Size"]) == 50 * 1024 * 1024


def test_create_head_patch_in_chunks_then_complete(ef, media):
    client = ef.client("clerk")
    response = create(client, DATA)
    assert response.status_code == 201 and response["Upload-Expires"]
    url = response["Location"]
    assert url.startswith("/uploads/") and len(url.strip("/").rsplit("/", 1)[-1]) == 32
    assert head(client, url)["Upload-Offset"] == "0"
    half = len(DATA) // 2
    sent = patch(client, url, DATA[:half], offset=0)
    assert sent.status_code == 204 and sent["Upload-Offset"] == str(half)
    held = head(client, url)
    assert (held.status_code, held["Upload-Offset"], held["Upload-Length"]) == (
        200,
        str(half),
        str(len(DATA)),
    )
    assert "no-store" in held["Cache-Control"]
    sent = patch(client, url, DATA[half:], offset=half)
    assert sent.status_code == 204 and sent["Upload-Offset"] == str(len(DATA))
    upload_id = url.strip("/").rsplit("/", 1)[-1]
    part = media / "districts" / "vaishali" / "resumable" / f"{upload_id}.part"
    assert part.read_bytes() == DATA  # in the district's own storage, whole


def test_a_chunk_at_a_wrong_offset_is_409_and_loses_nothing(ef):
    client = ef.client("clerk")
    url = begun(client)
    patch(client, url, DATA[:1000], offset=0)
    for wrong in (0, 999, 1001, 5000):
        refused = patch(client, url, b"x" * 100, offset=wrong)
        assert refused.status_code == 409 and refused["Upload-Offset"] == "1000"
    assert head(client, url)["Upload-Offset"] == "1000"
    assert patch(client, url, DATA[1000:], offset=1000).status_code == 204


def test_resuming_with_a_different_file_is_refused_and_keeps_what_is_stored(ef, media):
    client = ef.client("clerk")
    url = begun(client)
    patch(client, url, DATA[:2000], offset=0, file_sha256=hashlib.sha256(DATA).hexdigest())
    other = samples.image_bytes("PNG") * 40
    refused = patch(client, url, other[2000:3000], offset=2000, file_sha256=hashlib.sha256(other).hexdigest())
    assert refused.status_code == 409
    assert "not the file" in refused.content.decode()
    assert head(client, url)["Upload-Offset"] == "2000"
    upload_id = url.strip("/").rsplit("/", 1)[-1]
    assert (media / "districts/vaishali/resumable" / f"{upload_id}.part").read_bytes() == DATA[:2000]


def test_a_file_whose_bytes_do_not_match_the_declared_sha256_is_removed(ef, media):
    client = ef.client("clerk")
    response = create(client, DATA, sha256=hashlib.sha256(b"something else").hexdigest())
    url = response["Location"]
    refused = patch(client, url, DATA, offset=0)
    assert refused.status_code == 460 and "checksum" in refused.content.decode()
    assert head(client, url).status_code == 404
    assert files_under(media, "districts", "vaishali", "resumable") == []


def test_a_damaged_chunk_is_taken_back_out(ef):
    client = ef.client("clerk")
    url = begun(client)
    patch(client, url, DATA[:100], offset=0)
    wrong = base64.b64encode(hashlib.sha256(b"not this").digest()).decode()
    refused = patch(client, url, DATA[100:200], offset=100, HTTP_UPLOAD_CHECKSUM=f"sha256 {wrong}")
    assert refused.status_code == 460
    assert head(client, url)["Upload-Offset"] == "100"
    sha1 = hashlib.sha1(DATA[100:200]).digest()  # noqa: S324 (tus's checksum extension asks for SHA-1)
    right = base64.b64encode(sha1).decode()
    taken = patch(client, url, DATA[100:200], offset=100, HTTP_UPLOAD_CHECKSUM=f"sha1 {right}")
    assert taken.status_code == 204 and taken["Upload-Offset"] == "200"
    bad = patch(client, url, DATA[200:300], offset=200, HTTP_UPLOAD_CHECKSUM="md5 xyz")
    assert bad.status_code == 400


def test_more_bytes_than_announced_are_refused(ef):
    client = ef.client("clerk")
    url = begun(client, DATA[:100])
    refused = patch(client, url, DATA[:200], offset=0)
    assert refused.status_code == 413
    assert head(client, url)["Upload-Offset"] == "0"


def test_the_size_limit_is_checked_at_creation_in_the_persons_language(ef, settings, media):
    settings.KARYALAY_UPLOAD_MAX_MB = 1
    client = ef.client("clerk")
    refused = create(client, b"x", name="big.pdf", length=1024 * 1024 + 1)
    assert refused.status_code == 413 and "big.pdf is larger than 1 MB" in refused.content.decode()
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "hi"
    hindi = create(client, b"x", name="big.pdf", length=1024 * 1024 + 1)
    assert hindi.status_code == 413 and "big.pdf 1 MB की अधिकतम अपलोड सीमा से बड़ी है" in hindi.content.decode()
    assert files_under(media, "districts", "vaishali", "resumable") == []


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_UPLOAD_LENGTH": "-5"},
        {"HTTP_UPLOAD_LENGTH": "0"},
        {"HTTP_UPLOAD_LENGTH": "1e9"},
        {"HTTP_UPLOAD_LENGTH": "٣٣"},
        {"HTTP_UPLOAD_METADATA": "filename !!!notbase64"},
        {"HTTP_UPLOAD_METADATA": "filename c2Nhbi5wZGY="},  # no sha256
        {"HTTP_UPLOAD_METADATA": "sha256 " + base64.b64encode(b"../../etc/passwd").decode()},
    ],
)
def test_malformed_creations_are_400_and_make_nothing(ef, media, headers):
    client = ef.client("clerk")
    base = {
        "HTTP_UPLOAD_LENGTH": "10",
        "HTTP_UPLOAD_METADATA": "sha256 "
        + base64.b64encode(hashlib.sha256(b"x").hexdigest().encode()).decode(),
    }
    response = client.post(
        "/uploads/", b"", content_type="application/octet-stream", **TUS, **(base | headers)
    )
    assert response.status_code == 400
    assert files_under(media, "districts", "vaishali", "resumable") == []


def test_patch_needs_the_tus_content_type_and_version(ef):
    client = ef.client("clerk")
    url = begun(client)
    wrong_type = client.generic(
        "PATCH", url, b"abc", content_type="text/plain", HTTP_UPLOAD_OFFSET="0", **TUS
    )
    assert wrong_type.status_code == 415
    no_version = client.generic(
        "PATCH", url, b"abc", content_type="application/offset+octet-stream", HTTP_UPLOAD_OFFSET="0"
    )
    assert no_version.status_code == 412
    assert head(client, url)["Upload-Offset"] == "0"


def test_cancel_removes_the_upload_and_its_bytes(ef, media):
    client = ef.client("clerk")
    url = begun(client)
    patch(client, url, DATA[:500], offset=0)
    assert client.delete(url, **TUS).status_code == 204
    assert head(client, url).status_code == 404
    assert files_under(media, "districts", "vaishali", "resumable") == []


def test_expired_upload_is_refused_and_the_task_removes_its_bytes(ef, media, monkeypatch):
    client = ef.client("clerk")
    url = begun(client)
    patch(client, url, DATA[:500], offset=0)
    keep = begun(client)
    later = time.time() + partials.EXPIRE_SECONDS + 60
    # The task, a day later: the first upload goes, bytes and all; one begun "later" stays.
    monkeypatch.setattr(partials.time, "time", lambda: later)
    fresh = begun(client)
    assert head(client, url).status_code == 404
    assert patch(client, keep, DATA[:10], offset=0).status_code == 404
    assert files_under(media, "districts", "vaishali", "resumable") == sorted(
        [f"{fresh.strip('/').rsplit('/', 1)[-1]}.json", f"{fresh.strip('/').rsplit('/', 1)[-1]}.part"]
    )
    monkeypatch.undo()


def test_the_task_removes_expired_uploads_in_every_district(ef, media, monkeypatch):
    vaishali, muzaffarpur = ef.client("clerk"), ef.client("other")
    begun(vaishali)
    begun(muzaffarpur)
    assert len(files_under(media, "districts", "vaishali", "resumable")) == 2
    assert partials_expire_all() == {"vaishali": 0, "muzaffarpur": 0}
    later = time.time() + partials.EXPIRE_SECONDS + 60
    monkeypatch.setattr(partials.time, "time", lambda: later)
    removed = partials_expire_all()
    assert removed["vaishali"] == 1 and removed["muzaffarpur"] == 1
    assert files_under(media, "districts") == []


def test_another_person_another_district_and_the_anonymous_get_404(ef, world):
    owner = ef.client("clerk")
    url = begun(owner)
    patch(owner, url, DATA[:300], offset=0)
    strangers = {
        "colleague": ef.client("sp"),
        "other district": ef.client("other"),
        "anonymous": HostClient("vaishali"),
        "other district, anonymous": HostClient("muzaffarpur"),
    }
    for who, client in strangers.items():
        for response in (
            head(client, url),
            patch(client, url, DATA[300:400], offset=300),
            client.delete(url, **TUS),
        ):
            assert response.status_code == 404, who
            assert b"\x25PDF" not in response.content
    assert head(owner, url)["Upload-Offset"] == "300"


def test_a_person_without_a_posting_gets_nothing(ef, world):
    """The SI begins an upload, then is posted out (the posting ended yesterday): their session
    here gets nothing, not even their own upload's offset."""
    import datetime

    from core.models import Posting
    from tenants.context import district_context

    client = ef.client("si")
    url = begun(client)
    with district_context("vaishali"):
        yesterday = datetime.date.today() - datetime.timedelta(days=1)
        Posting.objects.filter(person=ef.people["si"]).update(
            starts_on=yesterday - datetime.timedelta(days=30), ends_on=yesterday
        )
    for response in (head(client, url), create(client, DATA), patch(client, url, b"x", offset=0)):
        assert response.status_code in (403, 404)
        assert "Upload-Offset" not in response and "Location" not in response
    anonymous = HostClient("vaishali")
    anonymous.sign_in(world.unposted.login_id)  # refused: no posting here
    assert head(anonymous, url).status_code == 404 and create(anonymous, DATA).status_code == 404


def test_an_upload_id_from_another_district_is_not_found_even_by_its_owner(ef, world, media):
    """The same person posted in both districts: the id of a Vaishali upload means nothing on
    Muzaffarpur's host, whose folder is its own."""
    from core.models import Office, Post
    from core.org import services as core_services
    from tenants.context import district_context

    with district_context("muzaffarpur"):
        office = Office.objects.get(code="sp-office")
        post = core_services.post_create(office=office, code="tus-twin", title="Twin", kind=Post.Kind.CLERK)
        core_services.posting_start(person=ef.people["clerk"], post=post)
    owner = ef.client("clerk")
    url = begun(owner)
    there = HostClient("muzaffarpur")
    there.sign_in(ef.people["clerk"].login_id)
    assert head(there, url).status_code == 404
    assert patch(there, url, DATA[:10], offset=0).status_code == 404
    assert files_under(media, "districts", "muzaffarpur") == []


def test_too_many_uploads_kept_are_refused_finished_ones_too(ef, monkeypatch):
    monkeypatch.setattr(partials, "OPEN_MAX", 3)
    client = ef.client("clerk")
    upload_whole(client, DATA[:100])  # finished, never used by a form: it still takes disk
    for _ in range(2):
        begun(client)
    refused = create(client, DATA)
    assert refused.status_code == 429 and "Too many" in refused.content.decode()
    assert create(ef.client("sp"), DATA).status_code == 201  # another person's count is their own


def test_creation_and_chunks_need_the_csrf_token(ef):
    client = ef.client("clerk")
    url = begun(client)
    strict = Client(enforce_csrf_checks=True, HTTP_HOST=client.defaults["HTTP_HOST"])
    strict.cookies = client.cookies
    assert create(strict, DATA).status_code == 403
    assert patch(strict, url, DATA[:10], offset=0).status_code == 403
    assert head(client, url)["Upload-Offset"] == "0"


def test_upload_whole_helper_sends_every_byte(ef):
    client = ef.client("clerk")
    upload_id = upload_whole(client, DATA, chunk=1000)
    assert len(upload_id) == 32
