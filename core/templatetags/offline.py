"""The marks a page carries for the service worker (static/offline/sw.js) and offline.js.

``{% offline_account as offline_id %}`` in base.html: the session's cache id ("" when not signed
in on a district's host). ``{% offline_save ... %}`` in a page's head: "save this page, and these
links of it", as ``<meta name="karyalay-offline" content="url url …">``. The worker saves only
pages that carry the mark and only the links listed in it, each fetched as the officer (so a page
the officer may not see is never saved: it answers 404 to the worker as to them). Besides, the
worker keeps the page images a saved page shows itself (``<img src="/documents/…png">``)."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

from django import template
from django.conf import settings
from django.urls import reverse
from django.utils.dateformat import format as date_format
from django.utils.html import format_html

from core.offline.account import offline_account as session_account

register = template.Library()


@register.simple_tag(takes_context=True)
def offline_account(context) -> str:
    request = context.get("request")
    return session_account(request) if request is not None else ""


@register.simple_tag
def offline_clock_words() -> dict:
    """The words of the pages' clock ("a.m."/"p.m.", "पूर्वाह्न"/"अपराह्न") in the active language,
    for the worker's "saved at 4:03 p.m." in the pages' own time format (formats/*/formats.py)."""
    zone = ZoneInfo(settings.TIME_ZONE)
    return {
        "am": date_format(datetime.datetime(2000, 1, 1, 9, tzinfo=zone), "a"),
        "pm": date_format(datetime.datetime(2000, 1, 1, 21, tzinfo=zone), "a"),
        "zone": settings.TIME_ZONE,
    }


def _meta(urls) -> str:
    unique = list(dict.fromkeys(urls))
    return format_html('<meta name="karyalay-offline" content="{}">', " ".join(unique))


@register.simple_tag
def offline_save(*urls) -> str:
    """This page is saved, with the given links (none: the page alone)."""
    return _meta(url for url in urls if url)


@register.simple_tag
def offline_save_tray(rows) -> str:
    """The inbox, with the page of every file and dak on it (the worker then saves each file's
    track and the first page of each of its papers, which the file page lists, and the first-page
    images each page shows). ``rows``: a page's ``TrayRows``, whose keys name the items without
    reading them (the rows may come from the cache), or any ``TrayRow``s."""
    keys = getattr(rows, "keys", None)
    if keys is None:
        keys = [(row.kind, row.item.pk) for row in rows]
    # One reverse per kind; each item's link is the pattern's with its id.
    patterns = {"file": reverse("efile_file", args=[0]), "dak": reverse("efile_receipt", args=[0])}
    return _meta(_with_id(patterns[kind], pk) for kind, pk in keys)


def _with_id(pattern: str, pk: int) -> str:
    head, _zero, tail = pattern.rpartition("/0/")
    return f"{head}/{pk}/{tail}"


@register.simple_tag
def offline_save_file(file, reading) -> str:
    """A file's page, with its track and, for each paper that has a version, the reader at its
    first page and that page's image (the page the file page itself shows among them)."""
    urls = [reverse("efile_file_track", args=[file.pk])]
    for document in reading.papers:
        versions = document.versions.all()
        if not versions:
            continue
        urls.append(reading.url(document=document, page=1).split("#", 1)[0])
        urls.append(reverse("efile_document_page_png", args=[document.pk, versions[0].number, 1]))
    return _meta(urls)
