"""Range supervision (issue 22.2): a district's figures, the DIG's board and district pages, and
isolation: the DIG of Tirhut sees nothing of a district outside the range, district people cannot
reach the range host, and a district's host has no supervision pages."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.cases.services.progress import case_review_add
from core.letters.send import letter_send
from core.models import CaseReview, EFile, IncomingLetter, Receipt
from core.supervision.figures import supervision_figures
from core.supervision.rollup import supervision_refresh
from tenants.context import district_context
from tenants.models import District, OfficeDirectoryEntry, PoliceRange, SupervisionFigures
from tests.core.cases.casework import register
from tests.core.efile.filework import dak_of, open_file
from tests.core.letters.letterwork import approved_letter, deliver, directory_entry, relay
from tests.core.rti.test_rti_receive import receive
from tests.core.supervision.rangework import dig_actor, dig_client, dig_dispatch, figures_refresh
from tests.helpers import HostClient


def _pendency(ef):
    """In Vaishali: two files at the clerk (one there 40 days), an open receipt past its date, an
    RTI application past its reply date and one due in 3 days, a direction past its date."""
    today = timezone.localdate()
    old, _new = open_file(ef), open_file(ef)
    EFile.objects.filter(pk=old.pk).update(arrived_at=timezone.now() - datetime.timedelta(days=40))
    receipt = dak_of(ef, mode="hand", sender="DM Vaishali", subject="Law and order")
    Receipt.objects.filter(pk=receipt.pk).update(due_on=today - datetime.timedelta(days=2))
    receive(ef, received_on=today - datetime.timedelta(days=35))
    receive(ef, received_on=today - datetime.timedelta(days=27))
    case = register(ef)
    review = case_review_add(
        actor=ef.actor("sdpo"), case=case, reviewed_on=today, directions="Record the witnesses", due_on=today
    )
    CaseReview.objects.filter(pk=review.pk).update(due_on=today - datetime.timedelta(days=1))


def _delta(after: dict, before: dict, *path) -> int:
    def get(figures):
        for key in path:
            figures = figures[key]
        return figures

    return get(after) - get(before)


def test_figures_count_files_by_post_and_age_overdue_dak_rti_and_directions(ef):
    today = timezone.localdate()
    with district_context("vaishali"):
        before = supervision_figures(today=today)
        _pendency(ef)
        after = supervision_figures(today=today)
    assert _delta(after, before, "files", "bands", "over_30") == 1
    assert _delta(after, before, "files", "bands", "up_to_7") == 1
    assert _delta(after, before, "files", "open") == 2
    clerk = next(row for row in after["files"]["by_post"] if row["post"] == "Dak clerk, SP office")
    assert clerk["over_30"] == 1 and clerk["total"] == 2 and clerk["office"] == "SP Office Vaishali"
    assert _delta(after, before, "dak", "overdue") == 1
    assert _delta(after, before, "rti", "overdue") == 1
    assert _delta(after, before, "rti", "due_soon") == 1
    assert _delta(after, before, "directions", "pending") == 1
    assert _delta(after, before, "directions", "overdue") == 1
    # Counts and post titles only: nothing of a record leaves the district.
    assert "Computers" not in str(after) and "Law and order" not in str(after)


def test_refresh_copies_every_live_district_and_no_range_office(ef, tirhut):
    assert supervision_refresh() >= 2
    slugs = set(SupervisionFigures.objects.values_list("district__slug", flat=True))
    assert {"vaishali", "muzaffarpur"} <= slugs
    assert "tirhut" not in slugs


def test_the_dig_sees_the_pendency_of_vaishali_and_muzaffarpur(ef, tirhut):
    with district_context("vaishali"):
        _pendency(ef)
    figures_refresh()
    dig = dig_client(tirhut)
    board = dig.get("/supervision/")
    assert board.status_code == 200
    page = board.content.decode()
    assert 'data-district="vaishali"' in page and 'data-district="muzaffarpur"' in page
    detail = dig.get("/supervision/vaishali/")
    assert detail.status_code == 200
    assert "Dak clerk, SP office" in detail.content.decode()
    # And in Hindi.
    dig.cookies["django_language"] = "hi"
    hindi = dig.get("/supervision/", HTTP_ACCEPT_LANGUAGE="hi")
    assert hindi.status_code == 200


def test_the_dig_of_tirhut_sees_nothing_of_a_district_outside_the_range(ef, tirhut):
    saran = PoliceRange.objects.create(name="Saran", name_hi="सारण")
    chapra = District.objects.create(
        slug="chapra", schema_name="chapra", name="Chapra", police_range=saran, status=District.Status.LIVE
    )
    SupervisionFigures.objects.create(district=chapra, figures={"files": {"open": 987654}})
    figures_refresh()
    dig = dig_client(tirhut)
    board = dig.get("/supervision/").content.decode()
    assert "Chapra" not in board and "987654" not in board
    assert dig.get("/supervision/chapra/").status_code == 404
    assert dig.get("/supervision/no-such-district/").status_code == 404


def test_headquarters_sees_every_district_on_its_own_host(ef, tirhut, phq):
    saran = PoliceRange.objects.create(name="Saran", name_hi="सारण")
    chapra = District.objects.create(
        slug="chapra", schema_name="chapra", name="Chapra", police_range=saran, status=District.Status.LIVE
    )
    SupervisionFigures.objects.create(district=chapra, figures={"files": {"open": 987654}})
    figures_refresh()
    for login_id in (phq.ig.login_id, phq.adg.login_id):
        client = HostClient("phq")
        assert client.sign_in(login_id).status_code == 302
        board = client.get("/supervision/").content.decode()
        assert (
            "987654" in board
            and 'data-district="vaishali"' in board
            and 'data-district="muzaffarpur"' in board
        )
        assert 'data-district="tirhut"' not in board and 'data-district="phq"' not in board
        assert client.get("/supervision/chapra/").status_code == 200
        assert client.get("/supervision/tirhut/").status_code == 404
    # The DIG of Tirhut is not let in at headquarters, nor the IG at the range.
    dig = HostClient("phq")
    dig.sign_in(tirhut.dig.login_id)
    assert "_auth_user_id" not in dig.session
    ig = HostClient("tirhut")
    ig.sign_in(phq.ig.login_id)
    assert "_auth_user_id" not in ig.session


def test_district_people_cannot_reach_the_range_host(ef, tirhut, world):
    for login_id in (world.vaishali_officer.login_id, ef.people["sp"].login_id, "no.posting"):
        client = HostClient("tirhut")
        client.sign_in(login_id)
        assert "_auth_user_id" not in client.session, f"{login_id} signed in on the range host"
        response = client.get("/supervision/")
        assert response.status_code in (302, 404)
        assert dig_client(tirhut).get("/supervision/").status_code == 200
    assert HostClient("tirhut").get("/supervision/vaishali/").status_code in (302, 404)


def test_a_district_host_has_no_supervision_pages(ef, tirhut):
    figures_refresh()
    sp = ef.client("sp")
    assert sp.get("/supervision/").status_code == 404
    assert sp.get("/supervision/vaishali/").status_code == 404
    assert sp.get("/supervision/muzaffarpur/").status_code == 404


def test_the_dig_reads_what_an_sp_sends_up_and_nothing_else(ef, tirhut):
    dispatch = approved_letter(ef)
    with district_context("vaishali"):
        letter_send(
            actor=ef.actor("sp"),
            post=ef.posts["sp"],
            dispatch=dispatch,
            to_office_id=directory_entry("tirhut").pk,
        )
    relay("vaishali")
    assert deliver("tirhut") == 1
    figures_refresh()
    dig = dig_client(tirhut)
    page = dig.get("/supervision/vaishali/").content.decode()
    assert dispatch.number in page
    with district_context("tirhut"):
        incoming = IncomingLetter.objects.get(number=dispatch.number)
    assert dig.get(f"/letters/received/{incoming.pk}/").status_code == 200
    assert dispatch.number not in dig.get("/supervision/muzaffarpur/").content.decode()
    # The DIG's host knows no file of Vaishali's: the file's id names nothing there.
    with district_context("vaishali"):
        file_id = dispatch.file_id
    assert dig.get(f"/files/{file_id}/").status_code == 404


def test_a_direction_of_the_dig_reaches_the_sp_as_a_letter(ef, tirhut):
    dispatch = dig_dispatch(tirhut)
    with district_context("tirhut"):
        letter_send(
            actor=dig_actor(tirhut),
            post=tirhut.post,
            dispatch=dispatch,
            to_office_id=directory_entry("vaishali").pk,
        )
    relay("tirhut")
    assert deliver("vaishali") == 1
    with district_context("vaishali"):
        incoming = IncomingLetter.objects.get(number=dispatch.number)
    assert incoming.sender_post == "DIG Tirhut"
    assert incoming.sender_office == "DIG Office, Tirhut Range"
    assert incoming.from_district_name == "Tirhut"
    sp = ef.client("sp")
    assert dispatch.subject in sp.get(f"/letters/received/{incoming.pk}/").content.decode()


def test_the_range_office_is_provisioned_as_a_range_with_the_dig_office(tirhut, db):
    district = District.objects.get(slug="tirhut")
    assert district.kind == District.Kind.RANGE and district.police_range.name == "Tirhut"
    assert tirhut.office.name == "DIG Office, Tirhut Range"
    assert tirhut.office.name_hi == "डीआईजी कार्यालय, तिरहुत रेंज"
    entry = OfficeDirectoryEntry.objects.get(district=district, office_code="sp-office")
    assert entry.name == "DIG Office, Tirhut Range"


def test_the_figures_cost_the_same_few_statements_however_much_is_pending(ef):
    today = timezone.localdate()
    with district_context("vaishali"):
        _pendency(ef)
        with CaptureQueriesContext(connection) as few:
            supervision_figures(today=today)
        for _ in range(5):
            open_file(ef, key="sdpo")
        with CaptureQueriesContext(connection) as more:
            figures = supervision_figures(today=today)
    assert len(more) == len(few) <= 8
    assert any(row["post"] == "SDPO Mahua" and row["total"] >= 5 for row in figures["files"]["by_post"])
