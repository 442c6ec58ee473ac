"""The trays' rendered rows are kept in the cache per district and person
(``core.efile.views.tray_cache``): a file that moves in, is taken in, leaves or changes shows at
the next look, whichever code wrote it; a renamed post shows; and no entry is read for another
person or another district."""

from django.core.cache import cache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from core.base.access import viewer_for
from core.efile.services.files import file_update
from core.efile.services.movement import file_park, file_receive, file_send
from core.efile.views import tray_cache
from core.models import EFile, Post, Posting
from core.org.selectors.postings import person_access_rows
from tenants.context import district_context
from tests.core.efile.test_movement_services import new_file
from tests.helpers import HostClient


def rows(response) -> str:
    assert response.status_code == 200
    html = response.content.decode()
    return html[html.index("<tbody>") : html.index("</tbody>")] if "<tbody>" in html else ""


def items_read(queries) -> bool:
    """Whether a request read the rows' files or dak (a page rendered, not taken from the cache)."""
    return any(
        '"core_efile"."subject"' in q["sql"] or '"core_receipt"."subject"' in q["sql"] for q in queries
    )


def test_inbox_rows_come_from_the_cache_until_something_moves(ef):
    with district_context("vaishali"):
        first = new_file(ef, subject="First letter")
        file_send(actor=ef.actor("clerk"), file=first, to_post=ef.posts["sdpo"])
    sdpo = ef.client("sdpo")
    page = rows(sdpo.get("/inbox/"))
    assert "First letter" in page and "ef-new" in page
    with CaptureQueriesContext(connection) as queries:
        assert rows(sdpo.get("/inbox/")) == page
    assert not items_read(queries)  # the same rows, from the cache

    # A file sent in shows at the next look.
    with district_context("vaishali"):
        second = new_file(ef, subject="Second letter")
        file_send(actor=ef.actor("clerk"), file=second, to_post=ef.posts["sdpo"])
    with CaptureQueriesContext(connection) as queries:
        page = rows(sdpo.get("/inbox/"))
    assert items_read(queries) and "First letter" in page and "Second letter" in page

    # Taken in: no longer marked new.
    with district_context("vaishali"):
        file_receive(actor=ef.actor("sdpo"), file=first)
        file_receive(actor=ef.actor("sdpo"), file=second)
    page = rows(sdpo.get("/inbox/"))
    assert "Second letter" in page and "ef-new" not in page

    # Sent on: gone from the inbox, in the sent tray; sent back: in the clerk's inbox.
    with district_context("vaishali"):
        file_send(actor=ef.actor("sdpo"), file=second, to_post=ef.posts["clerk"])
    page = rows(sdpo.get("/inbox/"))
    assert "First letter" in page and "Second letter" not in page
    assert "Second letter" in rows(sdpo.get("/inbox/sent/"))
    assert "Second letter" in rows(ef.client("clerk").get("/inbox/"))

    # Parked: in the parked tray, taken from the cache next time, gone when unparked elsewhere.
    with district_context("vaishali"):
        file_park(actor=ef.actor("sdpo"), file=first)
    assert "First letter" in rows(sdpo.get("/inbox/parked/"))
    assert "First letter" not in rows(sdpo.get("/inbox/"))


def test_rows_show_a_change_however_it_was_written(ef):
    """A service's edit, a statement that bypasses the services, a post renamed: each shows."""
    with district_context("vaishali"):
        file = new_file(ef, subject="Old subject")
        file_send(actor=ef.actor("clerk"), file=file, to_post=ef.posts["sdpo"])
        file_receive(actor=ef.actor("sdpo"), file=file)
    sdpo = ef.client("sdpo")
    assert "Old subject" in rows(sdpo.get("/inbox/"))
    with district_context("vaishali"):
        file_update(
            actor=ef.actor("sdpo"),
            file=EFile.objects.get(pk=file.pk),
            subject="New subject",
            category=file.category,
            priority=EFile.Priority.URGENT,
            confidentiality=file.confidentiality,
        )
    page = rows(sdpo.get("/inbox/"))
    assert "New subject" in page and "Old subject" not in page
    # Two writes outside any service, in one transaction: the second shows too.
    with district_context("vaishali"), transaction.atomic():
        EFile.objects.filter(pk=file.pk).update(subject="Edited once")
        assert "Edited once" in rows(sdpo.get("/inbox/"))
        EFile.objects.filter(pk=file.pk).update(subject="Edited twice")
    assert "Edited twice" in rows(sdpo.get("/inbox/"))
    with district_context("vaishali"), transaction.atomic():
        Post.objects.filter(pk=ef.posts["sdpo"].pk).update(title="SDPO Mahua (renamed)")
    assert "SDPO Mahua (renamed)" in rows(sdpo.get("/inbox/"))


def test_rows_follow_the_page_language(ef):
    with district_context("vaishali"):
        file = new_file(ef, subject="Bilingual")
        file_send(actor=ef.actor("clerk"), file=file, to_post=ef.posts["sdpo"])
    sdpo = ef.client("sdpo")
    english = rows(sdpo.get("/inbox/"))
    sdpo.post("/i18n/setlang/", {"language": "hi", "next": "/"})
    hindi = rows(sdpo.get("/inbox/"))
    assert 'class="ef-badge">new</strong>' in english
    assert 'class="ef-badge">new</strong>' not in hindi and "Bilingual" in hindi
    sdpo.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert rows(sdpo.get("/inbox/")) == english


def test_cache_keys_are_per_person_and_per_district(ef, monkeypatch):
    """Even rows that are the same, for the same items, are never read for another person, nor in
    another district (every key carries the schema it was made under)."""
    monkeypatch.setattr(tray_cache, "rows_version", lambda tray, keys: "same versions")
    keys = [("file", 1), ("dak", 2)]
    with district_context("vaishali"):
        mine = tray_cache.rows_key(person_id=ef.people["sdpo"].pk, tray="inbox", number=1, keys=keys)
        theirs = tray_cache.rows_key(person_id=ef.people["sp"].pk, tray="inbox", number=1, keys=keys)
        assert mine != theirs
        cache.set(mine, "<tr><td>Vaishali's rows</td></tr>", 60)
        assert cache.get(theirs) is None
        assert cache.get(mine) == "<tr><td>Vaishali's rows</td></tr>"
    with district_context("muzaffarpur"):
        assert cache.get(mine) is None


def test_another_district_and_someone_without_a_posting_get_none_of_the_rows(ef, world):
    with district_context("vaishali"):
        file = new_file(ef, subject="Vaishali only")
        file_send(actor=ef.actor("clerk"), file=file, to_post=ef.posts["sdpo"])
    assert "Vaishali only" in rows(ef.client("sdpo").get("/inbox/"))  # cached now
    # Muzaffarpur's clerk on their own host: their own trays only.
    other = ef.client("other")
    for url in ("/inbox/", "/inbox/sent/", "/inbox/parked/", "/inbox/closed/"):
        response = other.get(url)
        assert response.status_code == 200 and b"Vaishali only" not in response.content
    # On Vaishali's host, neither they nor a person without a posting get in.
    for login in (ef.people["other"].login_id, world.unposted.login_id):
        client = HostClient("vaishali")
        client.sign_in(login)
        for url in ("/inbox/", "/inbox/sent/", "/inbox/parked/", "/inbox/closed/"):
            response = client.get(url)
            assert response.status_code in (302, 403, 404), (login, url)
            assert b"Vaishali only" not in response.content


def test_a_tray_reads_the_persons_postings_once(ef):
    """The access gate's query gives the e-File viewer its postings too: not read again."""
    sdpo = ef.client("sdpo")
    sdpo.get("/inbox/")
    with CaptureQueriesContext(connection) as queries:
        assert sdpo.get("/inbox/").status_code == 200
    assert sum('FROM "core_posting"' in q["sql"] for q in queries.captured_queries) == 1


def test_the_viewer_from_the_gates_rows_is_the_viewer_read_from_the_database(ef):
    with district_context("vaishali"):
        for key in ("sp", "sdpo", "sho", "clerk", "mahnar", "pio"):
            rows, blocked = person_access_rows(person_id=ef.people[key].pk)
            assert not blocked
            assert viewer_for(ef.people[key], posting_rows=rows) == viewer_for(ef.people[key])


def test_pending_table_follows_counts_names_and_holders(ef):
    """The pending view's table, kept per person, shows a new count, a renamed post and a
    post left vacant at the next look."""
    with district_context("vaishali"):
        new_file(ef, key="sho", subject="Pending one")
    sp = ef.client("sp")
    first = sp.get("/files/pending/").content.decode()
    assert "SHO Mahua" in first and "1 file)" in first
    with district_context("vaishali"):
        new_file(ef, key="sho", subject="Pending two")
    assert "2 files)" in sp.get("/files/pending/").content.decode()
    with district_context("vaishali"), transaction.atomic():
        Post.objects.filter(pk=ef.posts["sho"].pk).update(title="SHO Mahua (renamed)")
    assert "SHO Mahua (renamed)" in sp.get("/files/pending/").content.decode()
    with district_context("vaishali"), transaction.atomic():
        Posting.objects.filter(post=ef.posts["sho"]).delete()
    page = sp.get("/files/pending/").content.decode()
    assert "SHO Mahua (renamed)" in page and ef.people["sho"].full_name not in page


def test_a_deploy_that_changes_a_row_template_or_a_catalogue_gets_new_keys(ef, settings, tmp_path):
    templates, locale = tmp_path / "templates", tmp_path / "locale"
    (templates / "core").mkdir(parents=True)
    (locale / "hi" / "LC_MESSAGES").mkdir(parents=True)
    row = templates / "core" / "_rows.html"
    catalogue = locale / "hi" / "LC_MESSAGES" / "django.mo"
    row.write_text("<tr>{{ row }}</tr>")
    catalogue.write_bytes(b"first")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [templates]}]
    settings.LOCALE_PATHS = [locale]

    def key():
        tray_cache.release_digest.cache_clear()
        with district_context("vaishali"):
            return tray_cache.rows_key(person_id=1, tray="inbox", number=1, keys=[])

    try:
        before = key()
        assert key() == before
        row.write_text("<tr class='new'>{{ row }}</tr>")
        after_template = key()
        catalogue.write_bytes(b"second")
        after_catalogue = key()
    finally:
        tray_cache.release_digest.cache_clear()
    assert len({before, after_template, after_catalogue}) == 3
