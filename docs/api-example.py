#!/usr/bin/env python3
"""Karyalay's REST API by example: diarise a letter, upload its scan, open a file for it and send
the file to a post, with a personal access token (made on the "API tokens" page of the district).
Standard library only.

    python docs/api-example.py --base https://vaishali.karyalay.example --token kya_… \\
        --scan letter.pdf --to-post 12

``--host`` sends another Host header (a local run at 127.0.0.1 for vaishali.localhost:8000).
"""

from __future__ import annotations

import argparse
import json
import mimetypes
import sys
import urllib.error
import urllib.request
import uuid
from pathlib import Path


class Api:
    def __init__(self, base: str, token: str, host: str | None = None, language: str = "en"):
        self.base = base.rstrip("/") + "/api/v1"
        self.headers = {"Authorization": f"Bearer {token}", "Accept-Language": language}
        if host:
            self.headers["Host"] = host

    def call(
        self,
        method: str,
        path: str,
        *,
        json_body: dict | None = None,
        body: bytes | None = None,
        content_type: str | None = None,
    ):
        headers = dict(self.headers)
        if json_body is not None:
            body, content_type = json.dumps(json_body).encode(), "application/json"
        if content_type:
            headers["Content-Type"] = content_type
        request = urllib.request.Request(self.base + path, data=body, headers=headers, method=method)  # noqa: S310
        try:
            with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 -- the given URL
                return json.load(response)
        except urllib.error.HTTPError as error:
            problem = json.load(error)  # {"code": …, "message": …}, in the Accept-Language
            sys.exit(f"{method} {path}: {error.code} {problem['code']}: {problem['message']}")

    def upload(self, path: str, scan: Path, title: str):
        boundary = uuid.uuid4().hex
        kind = mimetypes.guess_type(scan.name)[0] or "application/octet-stream"
        parts = [
            f'--{boundary}\r\nContent-Disposition: form-data; name="title"\r\n\r\n{title}\r\n'.encode(),
            f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="{scan.name}"\r\n'
            f"Content-Type: {kind}\r\n\r\n".encode()
            + scan.read_bytes()
            + b"\r\n",
            f"--{boundary}--\r\n".encode(),
        ]
        return self.call(
            "POST", path, body=b"".join(parts), content_type=f"multipart/form-data; boundary={boundary}"
        )


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--base", required=True, help="the district's address, e.g. https://vaishali.example")
    parser.add_argument("--token", required=True)
    parser.add_argument("--host", help="a Host header to send instead of the address's")
    parser.add_argument("--scan", type=Path, required=True, help="the letter's scan (PDF, JPEG or PNG)")
    parser.add_argument("--to-post", type=int, required=True, help="the post (id) to send the file to")
    parser.add_argument("--language", default="en", help="en or hi: the language of error messages")
    args = parser.parse_args(argv)
    api = Api(args.base, args.token, args.host, args.language)

    receipt = api.call(
        "POST",
        "/dak/",
        json_body={
            "mode": "post",
            "sender": "DIG Tirhut Range",
            "subject": "Computers for the SDPO offices",
            "received_on": "2026-01-05",
            "letter_reference": "DIG/TR/12",
        },
    )
    print("diarised", receipt["diary_number"])
    scan = api.upload(f"/receipt/{receipt['id']}/documents/", args.scan, "Scan of the letter")
    print("scan uploaded", scan[0]["versions"][0]["sha256"])
    head = api.call("GET", "/file-heads/")[0]
    file = api.call(
        "POST", f"/dak/{receipt['id']}/file/", json_body={"head": head["id"], "category": "administration"}
    )
    print("file opened", file["number"])
    api.call(
        "POST",
        f"/files/{file['id']}/notes/",
        json_body={"body": "Put up: the letter and its scan are in the file."},
    )
    sent = api.call(
        "POST", f"/files/{file['id']}/send/", json_body={"to_post": args.to_post, "remarks": "For orders."}
    )
    print("file sent to post", sent["current_post_id"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
