"""A small tus 1.0 client over Django's test client, for the protocol tests."""

import base64
import hashlib

TUS = {"HTTP_TUS_RESUMABLE": "1.0.0"}


def metadata(**values) -> str:
    return ",".join(f"{key} {base64.b64encode(value.encode()).decode()}" for key, value in values.items())


def create(client, data: bytes, *, name="scan.pdf", filetype="application/pdf", sha256=None, length=None):
    """POST a new upload; returns the response (Location is the upload's URL)."""
    return client.post(
        "/uploads/",
        b"",
        content_type="application/octet-stream",
        HTTP_UPLOAD_LENGTH=str(len(data) if length is None else length),
        HTTP_UPLOAD_METADATA=metadata(
            filename=name, filetype=filetype, sha256=sha256 or hashlib.sha256(data).hexdigest()
        ),
        **TUS,
    )


def patch(client, url: str, chunk: bytes, *, offset: int, file_sha256: str | None = None, **extra):
    headers = {"HTTP_UPLOAD_OFFSET": str(offset), **TUS, **extra}
    if file_sha256:
        headers["HTTP_UPLOAD_FILE_SHA256"] = file_sha256
    return client.generic("PATCH", url, chunk, content_type="application/offset+octet-stream", **headers)


def head(client, url: str):
    return client.head(url, **TUS)


def upload_whole(client, data: bytes, *, name="scan.pdf", chunk=4096) -> str:
    """Create and send ``data`` in chunks; returns the upload's id."""
    response = create(client, data, name=name)
    assert response.status_code == 201, response.content
    url = response["Location"]
    for start in range(0, len(data), chunk):
        sent = patch(client, url, data[start : start + chunk], offset=start)
        assert sent.status_code == 204, sent.content
    return url.rstrip("/").rsplit("/", 1)[-1]
