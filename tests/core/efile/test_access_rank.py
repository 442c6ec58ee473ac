"""Supervision goes with the post that heads an office, not with rank: a DSP or an inspector posted
in the SP office, or an inspector in an SDPO office or a thana, supervises nothing. Secret files
stay out of such officers' pages, lists and counts. And every read is recorded as the post that
gives the reader sight of the item.

The ``ef`` world gets, on top of its own tree (SP office → SDPO Mahua → Mahua thana; SDPO Mahnar):

    SP office                 Addl. SP (addlsp), DSP (dspsp): a DSP of the SP office, no office's head
    SDPO office Mahua         inspector (sdpoinsp): not the SDPO
    ├── Mahua thana           inspector (thanainsp): not the SHO
    └── Circle Mahua          circle inspector (cinsp)
        └── Bidupur thana     SHO (sho2), SI (si2)
    Police line               line DSP (linedsp), sergeant major (sergeant), clerk (lineclerk)
    DSP HQ                    DSP (hqdsp), clerk (hqclerk)
"""

import datetime
from types import SimpleNamespace

import pytest
from django.utils import timezone

from core.base.access import file_for, files_visible, receipt_for, sight_post_id, viewer_for
from core.efile.selectors.inbox import inbox_count, inbox_summary
from core.efile.selectors.notifications import unread_count
from core.efile.services.dispatch import dispatch_record
from core.efile.services.drafts import draft_create
from core.efile.services.movement import file_receive, file_send
from core.efile.services.notes import note_add
from core.efile.services.receipts import receipt_attach, receipt_diarise, receipt_receive, receipt_send
from core.models import AuditEvent, EFile, Office, Post, Receipt
from core.org import services as core_services
from tenants.context import district_context
from tests.core.efile.filework import LETTER, gen_file
from tests.helpers import person_of

SECRET = EFile.Confidentiality.SECRET
YEAR = timezone.localdate().year

RANK_OFFICES = [
    # (code, name, kind, parent code)
    ("ef-circle-mahua", "Circle Office Mahua", Office.Kind.CIRCLE, "ef-sdpo-mahua"),
    ("ef-thana-bidupur", "Bidupur Thana", Office.Kind.THANA, "ef-circle-mahua"),
    ("ef-police-line", "Police Line Vaishali", Office.Kind.POLICE_LINE, "sp-office"),
    ("ef-dsp-hq", "DSP Headquarters Vaishali", Office.Kind.DSP_HQ, "sp-office"),
]

RANK_PEOPLE = {
    # key: (office code, post title, post kind)
    "addlsp": ("sp-office", "Addl. SP Vaishali", Post.Kind.ADDL_SP),
    "dspsp": ("sp-office", "DSP, SP office", Post.Kind.DSP),
    "sdpoinsp": ("ef-sdpo-mahua", "Inspector, SDPO office Mahua", Post.Kind.INSPECTOR),
    "thanainsp": ("ef-thana-mahua", "Inspector, Mahua thana", Post.Kind.INSPECTOR),
    "cinsp": ("ef-circle-mahua", "Circle Inspector Mahua", Post.Kind.INSPECTOR),
    "sho2": ("ef-thana-bidupur", "SHO Bidupur", Post.Kind.SHO),
    "si2": ("ef-thana-bidupur", "SI Bidupur", Post.Kind.SI),
    "linedsp": ("ef-police-line", "Line DSP", Post.Kind.DSP),
    "sergeant": ("ef-police-line", "Sergeant Major", Post.Kind.INSPECTOR),
    "lineclerk": ("ef-police-line", "Clerk, police line", Post.Kind.CLERK),
    "hqdsp": ("ef-dsp-hq", "DSP Headquarters", Post.Kind.DSP),
    "hqclerk": ("ef-dsp-hq", "Clerk, DSP HQ", Post.Kind.CLERK),
}


def open_file(ef, key: str, subject: str = "Computers for the thanas", **extra) -> EFile:
    return gen_file(ef.actor(key), ef.posts[key], subject, **extra)


@pytest.fixture
def rank(ef):
    """``ef`` with the offices and posts above (added to ``ef.people``/``ef.posts``/``ef.offices``)."""
    with district_context("vaishali"):
        for code, name, kind, parent in RANK_OFFICES:
            ef.offices[code] = core_services.office_create(
                code=code, name=name, kind=kind, parent=ef.offices[parent]
            )
        for key, (office_code, title, kind) in RANK_PEOPLE.items():
            post = core_services.post_create(
                office=ef.offices[office_code], code=f"ef-{key}", title=title, kind=kind
            )
            person = person_of(f"ef.{key}")
            core_services.posting_start(person=person, post=post)
            ef.people[key], ef.posts[key] = person, post
    return ef


def _files(ef):
    """One secret file each at the SP's and the SDPO's post, a file in each thana, the police line
    and the DSP headquarters (opened at the posts named)."""
    return SimpleNamespace(
        sp_secret=open_file(ef, "sp", confidentiality=SECRET),
        sdpo_secret=open_file(ef, "sdpo", confidentiality=SECRET),
        mahua=open_file(ef, "si"),
        bidupur=open_file(ef, "si2"),
        line=open_file(ef, "lineclerk"),
        hq=open_file(ef, "hqclerk"),
    )


# Who sees which file: the reviewer's cases first.
SIGHT = {
    "sp_secret": {"sp": True, "addlsp": True, "dspsp": False, "clerk": False, "pio": False, "sdpo": False},
    "sdpo_secret": {
        "sdpo": True,
        "sp": True,
        "addlsp": True,
        "sdpoinsp": False,
        "sdpoclerk": False,
        "dspsp": False,
        "cinsp": False,
        "sho": False,
        "mahnar": False,
    },
    "bidupur": {
        "cinsp": True,
        "sho2": True,
        "sdpo": True,
        "sp": True,
        "sho": False,
        "thanainsp": False,
        "sdpoinsp": False,
        "dspsp": False,
        "mahnar": False,
    },
    "mahua": {"sho": True, "sdpo": True, "thanainsp": False, "cinsp": False, "sho2": False, "dspsp": False},
    "line": {"linedsp": True, "sergeant": True, "sp": True, "dspsp": False, "hqdsp": False},
    "hq": {"hqdsp": True, "sp": True, "dspsp": False, "linedsp": False, "sergeant": False},
}


@pytest.mark.parametrize("which", sorted(SIGHT))
def test_only_the_head_post_of_an_office_supervises_it(rank, which):
    with district_context("vaishali"):
        file = getattr(_files(rank), which)
        wrong = {}
        for key, sees in SIGHT[which].items():
            viewer = viewer_for(rank.people[key])
            found = (file_for(viewer, file.pk) is not None, files_visible(viewer).filter(pk=file.pk).exists())
            if found != (sees, sees):
                wrong[key] = found
        assert wrong == {}


def test_supervising_posts_and_their_scopes(rank):
    with district_context("vaishali"):
        offices = {code: office.pk for code, office in rank.offices.items()}
        for key in ("dspsp", "sdpoinsp", "thanainsp", "clerk", "pio"):
            viewer = viewer_for(rank.people[key])
            assert (viewer.supervising, viewer.scope_office_ids, viewer.district_wide) == (
                (),
                frozenset(),
                False,
            )
        cinsp = viewer_for(rank.people["cinsp"])
        assert cinsp.supervising == (
            (rank.posts["cinsp"].pk, frozenset({offices["ef-circle-mahua"], offices["ef-thana-bidupur"]})),
        )
        sdpo = viewer_for(rank.people["sdpo"])
        assert sdpo.scope_office_ids == {
            offices["ef-sdpo-mahua"],
            offices["ef-thana-mahua"],
            offices["ef-circle-mahua"],
            offices["ef-thana-bidupur"],
        }
        addlsp = viewer_for(rank.people["addlsp"])
        assert addlsp.district_wide and addlsp.district_post_id == rank.posts["addlsp"].pk


def test_over_http_a_dsp_or_inspector_who_heads_nothing_gets_404(rank):
    with district_context("vaishali"):
        files = _files(rank)
    assert rank.client("dspsp").get(f"/files/{files.sp_secret.pk}/").status_code == 404
    assert rank.client("sdpoinsp").get(f"/files/{files.sdpo_secret.pk}/").status_code == 404
    assert rank.client("thanainsp").get(f"/files/{files.mahua.pk}/").status_code == 404
    assert rank.client("cinsp").get(f"/files/{files.bidupur.pk}/").status_code == 200
    assert rank.client("sho").get(f"/files/{files.mahua.pk}/").status_code == 200
    assert rank.client("sp").get(f"/files/{files.sdpo_secret.pk}/").status_code == 200


def test_a_dsp_who_heads_nothing_cannot_reopen_a_file_closed_below(rank):
    """Reopening by a supervisor follows the same rule (services/movement.py supervising_post)."""
    from django.core.exceptions import ValidationError

    from core.efile.services.movement import file_close, file_reopen

    with district_context("vaishali"):
        file = open_file(rank, "si2")
        file_close(actor=rank.actor("si2"), file=file, remark="Done")
        with pytest.raises(ValidationError):
            file_reopen(actor=rank.actor("dspsp"), file=file, reason="Look again")
        file_reopen(actor=rank.actor("cinsp"), file=file, reason="Look again")
        event = AuditEvent.objects.filter(action="file.reopen", target_id=str(file.pk)).get()
        assert event.post_id == rank.posts["cinsp"].pk


# --- Secret files stay out of other officers' lists and counts --------------------------------

OTHERS = ("dspsp", "sdpoinsp", "mahnar", "pio", "cinsp")


@pytest.fixture
def secret_world(rank):
    """SDPO Mahua's secret file with a letter in it and a reply entered from it, sent up to the SP;
    and to each of ``OTHERS`` an ordinary file of their own, so their lists and counts are not
    simply empty."""
    with district_context("vaishali"):
        secret = open_file(rank, "sdpo", confidentiality=SECRET, subject="Secret-inquiry-Mahua")
        letter = receipt_diarise(
            actor=rank.actor("sdpo"),
            post=rank.posts["sdpo"],
            mode=Receipt.Mode.POST,
            sender="IG Tirhut",
            subject="Secret-letter-Mahua",
        )
        receipt_attach(actor=rank.actor("sdpo"), receipt=letter, file=secret)
        dispatch_record(
            actor=rank.actor("sdpo"),
            post=rank.posts["sdpo"],
            addressee="IG Tirhut",
            subject="Secret-reply-Mahua",
            file=secret,
        )
        file_send(actor=rank.actor("sdpo"), file=secret, to_post=rank.posts["sp"])
        ordinary = {}
        for key in OTHERS:
            ordinary[key] = open_file(rank, "clerk", subject=f"Ordinary-for-{key}")
            file_send(actor=rank.actor("clerk"), file=ordinary[key], to_post=rank.posts[key])
        secret.refresh_from_db()
    return SimpleNamespace(file=secret, letter=letter, ordinary=ordinary)


SECRET_WORDS = ("Secret-inquiry-Mahua", "Secret-letter-Mahua", "Secret-reply-Mahua")


def _list_pages(ef):
    sdpo_office = ef.offices["ef-sdpo-mahua"].pk
    return [
        "/",
        "/inbox/",
        "/inbox/sent/",
        "/inbox/parked/",
        "/inbox/closed/",
        "/notifications/",
        "/files/register/",
        f"/files/register/?office={sdpo_office}&year={YEAR}",
        "/dak/register/inward/",
        f"/dak/register/inward/?office={sdpo_office}",
        "/dak/register/outward/",
        f"/dak/register/outward/?office={sdpo_office}",
    ]


def test_secret_files_stay_out_of_other_officers_lists_and_counts(secret_world, rank):
    number = secret_world.file.number
    for key in OTHERS:
        client = rank.client(key)
        inbox = client.get("/inbox/").content.decode()
        assert f"Ordinary-for-{key}" in inbox  # the page lists what is theirs …
        for url in _list_pages(rank):
            response = client.get(url)
            assert response.status_code == 200, (key, url)
            body = response.content.decode()
            shown = [word for word in (*SECRET_WORDS, number) if word in body]
            assert shown == [], (key, url, shown)  # … and nothing of the secret file
        with district_context("vaishali"):
            viewer = viewer_for(rank.people[key])
            assert file_for(viewer, secret_world.file.pk) is None
            assert receipt_for(viewer, secret_world.letter.pk) is None
            assert inbox_count(viewer) == 1  # the header's count: their own file only
            assert sum(row.waiting for row in inbox_summary(viewer)) == 1  # the desk summary
            assert unread_count(rank.people[key].pk) == 1  # told of their own file only
    # The SP, where it now is, has it in every list (so the checks above can fail).
    sp = rank.client("sp")
    assert number in sp.get("/inbox/").content.decode()
    assert "Secret-inquiry-Mahua" in sp.get("/notifications/").content.decode()
    sdpo_office = rank.offices["ef-sdpo-mahua"].pk
    assert number in sp.get(f"/files/register/?office={sdpo_office}&year={YEAR}").content.decode()
    assert "Secret-letter-Mahua" in sp.get(f"/dak/register/inward/?office={sdpo_office}").content.decode()
    assert "Secret-reply-Mahua" in sp.get(f"/dak/register/outward/?office={sdpo_office}").content.decode()


# --- Every read leaves an event, as the post that gives sight ----------------------------------


def _events(action, **filters):
    with district_context("vaishali"):
        return list(AuditEvent.objects.filter(action=action, **filters).order_by("id"))


def test_the_file_sub_pages_record_a_view_as_the_holders_post(rank):
    with district_context("vaishali"):
        file = open_file(rank, "clerk")
        note = note_add(actor=rank.actor("clerk"), file=file, body="Put up.")
        draft = draft_create(actor=rank.actor("clerk"), file=file, **LETTER)
    client = rank.client("clerk")
    pages = {
        f"/files/{file.pk}/edit/": {"page": "edit"},
        f"/files/{file.pk}/notes/{note.pk}/edit/": {"page": "note_edit", "note": note.seq},
        f"/files/{file.pk}/drafts/new/": {"page": "draft_new"},
        f"/files/{file.pk}/drafts/{draft.pk}/edit/": {"page": "draft_edit", "draft": draft.pk},
    }
    for url, details in pages.items():
        before = len(_events("file.view"))
        assert client.get(url).status_code == 200, url
        events = _events("file.view")
        assert len(events) == before + 1, url
        event = events[-1]
        assert (event.target_id, event.post_id, event.person_id, event.details) == (
            str(file.pk),
            rank.posts["clerk"].pk,
            rank.people["clerk"].pk,
            details,
        )
        assert event.ip


def test_a_note_page_that_is_not_shown_records_nothing(rank):
    with district_context("vaishali"):
        file = open_file(rank, "clerk")
        note = note_add(actor=rank.actor("clerk"), file=file, body="Put up.")
        file_send(actor=rank.actor("clerk"), file=file, to_post=rank.posts["sdpo"])
    before = len(_events("file.view"))
    # Frozen now: the page sends the reader back to the file instead of showing the form.
    assert rank.client("clerk").get(f"/files/{file.pk}/notes/{note.pk}/edit/").status_code == 302
    assert len(_events("file.view")) == before


def test_registers_record_who_read_which_register_for_which_period(rank):
    with district_context("vaishali"):
        open_file(rank, "clerk")
    client = rank.client("clerk")
    sp_office = rank.offices["sp-office"]
    assert client.get(f"/files/register/?office={sp_office.pk}&year={YEAR}&status=open").status_code == 200
    (files,) = _events("register.view")
    assert files.post_id == rank.posts["clerk"].pk and files.target_id == str(sp_office.pk)
    assert files.details == {
        "register": "files",
        "office": "sp-office",
        "rows": 1,
        "year": YEAR,
        "status": "open",
        "page": 1,
    }
    query = "date_from=2025-01-01&date_to=2025-01-31"
    assert client.get(f"/dak/register/inward/?office={sp_office.pk}&{query}").status_code == 200
    assert client.get(f"/dak/register/outward/?{query}").status_code == 200
    inward, outward = _events("register.view")[1:]
    assert inward.details == {
        "register": "inward",
        "office": "sp-office",
        "rows": 0,
        "date_from": "2025-01-01",
        "date_to": "2025-01-31",
    }
    assert (inward.post_id, inward.target_id) == (rank.posts["clerk"].pk, str(sp_office.pk))
    assert outward.details["register"] == "outward" and outward.details["office"] is None
    assert outward.details["date_from"] == "2025-01-01" and outward.post_id == rank.posts["clerk"].pk
    # With no filters: the default period is recorded too.
    assert client.get("/dak/register/inward/").status_code == 200
    default = _events("register.view")[-1]
    assert default.details["date_to"] == timezone.localdate().isoformat()
    # The SDPO reading a thana's register reads it as the SDPO.
    thana = rank.offices["ef-thana-mahua"]
    assert rank.client("sdpo").get(f"/dak/register/inward/?office={thana.pk}").status_code == 200
    assert _events("register.view")[-1].post_id == rank.posts["sdpo"].pk


def test_an_invalid_register_filter_shows_no_rows_and_records_nothing(rank):
    client = rank.client("clerk")
    assert client.get("/dak/register/inward/?date_from=2025-02-01&date_to=2025-01-01").status_code == 200
    assert client.get("/files/register/?office=abc&year=x").status_code == 200
    assert _events("register.view") == []


def test_a_supervisors_reads_are_recorded_as_their_supervising_post(rank):
    with district_context("vaishali"):
        file = open_file(rank, "clerk")
        file_send(actor=rank.actor("clerk"), file=file, to_post=rank.posts["sdpo"])
        file_receive(actor=rank.actor("sdpo"), file=file)
        letter = receipt_diarise(
            actor=rank.actor("sdpoclerk"),
            post=rank.posts["sdpoclerk"],
            mode=Receipt.Mode.POST,
            sender="IG",
            subject="Letter",
        )
        receipt_send(actor=rank.actor("sdpoclerk"), receipt=letter, to_post=rank.posts["sdpo"])
        receipt_receive(actor=rank.actor("sdpo"), receipt=letter)
        bidupur = open_file(rank, "si2")
    # The SP reads the file lying at the SDPO's post: as the SP.
    for url in (f"/files/{file.pk}/", f"/files/{file.pk}/track/", f"/files/{file.pk}/history/"):
        assert rank.client("sp").get(url).status_code == 200
    for action in ("file.view", "file.track", "file.history"):
        assert [e.post_id for e in _events(action, person_id=rank.people["sp"].pk)] == [rank.posts["sp"].pk]
    # The clerk reads the file that passed through their post: as the clerk.
    assert rank.client("clerk").get(f"/files/{file.pk}/").status_code == 200
    assert _events("file.view", person_id=rank.people["clerk"].pk)[-1].post_id == rank.posts["clerk"].pk
    # The SP reads the letter at the SDPO's post; the SDPO clerk, through whose post it passed.
    assert rank.client("sp").get(f"/dak/{letter.pk}/").status_code == 200
    assert rank.client("sdpoclerk").get(f"/dak/{letter.pk}/").status_code == 200
    readers = {e.person_id: e.post_id for e in _events("receipt.view")}
    assert readers == {
        rank.people["sp"].pk: rank.posts["sp"].pk,
        rank.people["sdpoclerk"].pk: rank.posts["sdpoclerk"].pk,
    }
    # Supervisors below the SP: the circle inspector and the SDPO over a Bidupur thana file.
    for key in ("cinsp", "sdpo"):
        assert rank.client(key).get(f"/files/{bidupur.pk}/").status_code == 200
        assert _events("file.view", person_id=rank.people[key].pk)[-1].post_id == rank.posts[key].pk


def test_sight_post_prefers_the_held_post_then_passage_then_supervision(rank):
    with district_context("vaishali"):
        # The SDPO also holds the Mahua thana's SHO post as an additional charge.
        core_services.posting_start(
            person=rank.people["sdpo"],
            post=rank.posts["sho"],
            additional_charge=True,
            ends_on=timezone.localdate() + datetime.timedelta(days=30),
        )
        thana_file = open_file(rank, "si")
        sdpo = viewer_for(rank.people["sdpo"])
        # Supervised from both posts: the narrower (the thana's SHO) gives sight.
        assert sight_post_id(sdpo, thana_file) == rank.posts["sho"].pk
        file_send(actor=rank.actor("si"), file=thana_file, to_post=rank.posts["sdpo"])
        thana_file.refresh_from_db()
        assert sight_post_id(sdpo, thana_file) == rank.posts["sdpo"].pk  # held now
        assert (
            sight_post_id(viewer_for(rank.people["si"]), thana_file) == rank.posts["si"].pk
        )  # passed through
        assert sight_post_id(viewer_for(rank.people["addlsp"]), thana_file) == rank.posts["addlsp"].pk
        assert sight_post_id(viewer_for(rank.people["dspsp"]), thana_file) is None
        assert sight_post_id(sdpo, None) is None
