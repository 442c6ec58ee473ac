"""Progress reports and supervisory reviews: who may report, review and comply (right and wrong
posts), the date rules, the IO's directions pending with the overdue flag, the audit trail, bad
input without a 500, and 404 for every new URL to whoever may not see the case."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.base.access import viewer_for
from core.cases.access import case_for
from core.cases.selectors.register import directions_pending
from core.cases.services.progress import case_direction_comply, case_progress_add, case_review_add
from core.cases.services.register import case_register
from core.models import AuditEvent, CaseProgress, CaseReview
from tenants.context import district_context
from tests.core.cases.casework import a_date, muzaffarpur_sho, next_case_id_in_both_districts, register
from tests.helpers import HostClient, next_id_in_both_districts, sign_in_refused

TODAY = timezone.localdate()
YEAR = TODAY.year
LAST_YEAR = datetime.date(YEAR - 1, 6, 15)


def _case(ef, **extra):
    """A Mahua case registered last year, investigated by SI Mahua."""
    return register(ef, year=YEAR - 1, io_post=ef.posts["si"], **extra)


def _progress(ef, case, key="si", **change):
    data = {"reported_on": TODAY, "done": "Seized the motorcycle.", "next_steps": "Arrest."} | change
    return case_progress_add(actor=ef.actor(key), case=case, **data)


def _review(ef, case, key="sdpo", **change):
    data = {"reviewed_on": TODAY, "directions": "Record the witnesses.", "due_on": TODAY} | change
    return case_review_add(actor=ef.actor(key), case=case, **data)


def _comply(ef, case, review, key="si", **change):
    data = {"complied_on": TODAY, "note": "Witnesses recorded."} | change
    return case_direction_comply(actor=ef.actor(key), case=case, review=review, **data)


def test_the_io_and_officers_of_the_thana_report_progress_and_no_one_else(ef):
    with district_context("vaishali"):
        case = _case(ef)
        by_io = _progress(ef, case, "si")
        by_sho = _progress(ef, case, "sho", reported_on=LAST_YEAR)
        assert (by_io.post_id, by_sho.post_id) == (ef.posts["si"].pk, ef.posts["sho"].pk)
        # Supervisors review, they do not report; others may not even see the case.
        for key in ("sdpo", "sp", "mahnar", "clerk", "sdpoclerk"):
            with pytest.raises(ValidationError):
                _progress(ef, case, key)
        assert CaseProgress.objects.count() == 2
        events = AuditEvent.objects.filter(action="case.progress", target_id=str(case.pk))
        assert sorted(events.values_list("post_id", flat=True)) == sorted(
            [ef.posts["si"].pk, ef.posts["sho"].pk]
        )


def test_progress_dates_are_neither_in_the_future_nor_before_registration(ef):
    with district_context("vaishali"):
        case = _case(ef)
        for bad in (TODAY + datetime.timedelta(days=1), case.registered_on - datetime.timedelta(days=1)):
            with pytest.raises(ValidationError) as refused:
                _progress(ef, case, reported_on=bad)
            assert "reported_on" in refused.value.error_dict
        with pytest.raises(ValidationError) as refused:
            _progress(ef, case, done="   ")
        assert "done" in refused.value.error_dict
        assert _progress(ef, case, reported_on=case.registered_on).reported_on == case.registered_on
        assert CaseProgress.objects.count() == 1


def test_supervisors_over_the_thana_review_and_the_io_or_others_may_not(ef):
    with district_context("vaishali"):
        case = _case(ef)
        posts = {key: _review(ef, case, key).post_id for key in ("sdpo", "sp", "sho")}
        assert posts == {key: ef.posts[key].pk for key in ("sdpo", "sp", "sho")}
        # The IO sees the case but supervises nothing; SDPO Mahnar is over another sub-division.
        for key in ("si", "mahnar", "clerk", "sdpoclerk", "pio"):
            with pytest.raises(ValidationError):
                _review(ef, case, key)
        # An SHO investigating the case does not review their own investigation as the IO's post.
        own = _case(ef, fir_number=77)
        own.io_post = ef.posts["sho"]
        own.save(update_fields=["io_post"])
        with pytest.raises(ValidationError):
            _review(ef, own, "sho")
        assert CaseReview.objects.count() == 3
        assert AuditEvent.objects.filter(action="case.review", target_id=str(case.pk)).count() == 3


def test_review_dates_due_date_not_in_the_past_review_not_in_the_future(ef):
    with district_context("vaishali"):
        case = _case(ef)
        cases = [
            ("due_on", {"due_on": TODAY - datetime.timedelta(days=1)}),
            ("reviewed_on", {"reviewed_on": TODAY + datetime.timedelta(days=1)}),
            ("reviewed_on", {"reviewed_on": case.registered_on - datetime.timedelta(days=1)}),
            ("directions", {"directions": "bad\x00"}),
        ]
        for field, change in cases:
            with pytest.raises(ValidationError) as refused:
                _review(ef, case, **change)
            assert field in refused.value.error_dict
        assert not CaseReview.objects.exists()


def test_only_the_io_marks_directions_complied_once_and_on_a_sensible_date(ef):
    with district_context("vaishali"):
        case = _case(ef)
        review = _review(ef, case, reviewed_on=LAST_YEAR)
        other_case = _case(ef, fir_number=55)
        for key in ("sho", "sdpo", "sp", "clerk"):
            with pytest.raises(ValidationError):
                _comply(ef, case, review, key)
        with pytest.raises(ValidationError):
            _comply(ef, other_case, review)  # a review of another case
        for field, change in (
            ("complied_on", {"complied_on": TODAY + datetime.timedelta(days=1)}),
            ("complied_on", {"complied_on": LAST_YEAR - datetime.timedelta(days=1)}),
            ("note", {"note": " "}),
        ):
            with pytest.raises(ValidationError) as refused:
                _comply(ef, case, review, **change)
            assert field in refused.value.error_dict
        done = _comply(ef, case, review)
        assert (done.complied_on, done.compliance_note) == (TODAY, "Witnesses recorded.")
        with pytest.raises(ValidationError):
            _comply(ef, case, review)
        event = AuditEvent.objects.get(action="case.direction_comply")
        assert (event.target_id, event.post_id, event.details["review"]) == (
            str(case.pk),
            ef.posts["si"].pk,
            review.pk,
        )


def test_directions_pending_for_the_io_oldest_due_first_with_overdue_flagged(ef):
    with district_context("vaishali"):
        case = _case(ef)
        later = _review(ef, case, due_on=TODAY + datetime.timedelta(days=10))
        late = _review(ef, case, key="sp", directions="Send the exhibits to FSL.")
        CaseReview.objects.filter(pk=late.pk).update(due_on=TODAY - datetime.timedelta(days=3))
        done = _review(ef, case, key="sho")
        _comply(ef, case, done)
        pending = list(directions_pending(viewer_for(ef.people["si"])))
        assert [(row.pk, row.overdue) for row in pending] == [(late.pk, True), (later.pk, False)]
        for key in ("sho", "sdpo", "sp", "clerk"):
            assert not directions_pending(viewer_for(ef.people[key])).exists()
    page = ef.client("si").get("/cases/directions/").content.decode()
    assert "Send the exhibits to FSL." in page and "overdue" in page
    assert page.index("Send the exhibits to FSL.") < page.index("Record the witnesses.")
    assert "Send the exhibits" not in ef.client("sdpo").get("/cases/directions/").content.decode()
    assert "/cases/directions/" in ef.client("si").get("/cases/").content.decode()


def test_the_case_page_shows_the_sections_and_only_the_forms_each_may_use(ef):
    with district_context("vaishali"):
        case = _case(ef)
        _progress(ef, case, done="Visited the spot.")
        _review(ef, case, directions="Trace the buyer.")
    url = f"/cases/{case.pk}/"
    si = ef.client("si").get(url).content.decode()
    assert "Visited the spot." in si and "Trace the buyer." in si
    assert "/progress/" in si and "/comply/" in si and f'/cases/{case.pk}/reviews/"' not in si
    sdpo = ef.client("sdpo").get(url).content.decode()
    assert f'/cases/{case.pk}/reviews/"' in sdpo and "/progress/" not in sdpo and "/comply/" not in sdpo
    sho = ef.client("sho").get(url).content.decode()
    assert "/progress/" in sho and f'/cases/{case.pk}/reviews/"' in sho and "/comply/" not in sho


def test_the_forms_through_http_record_and_refusals_show_without_losing_input(ef):
    with district_context("vaishali"):
        case = _case(ef)
    si, sdpo = ef.client("si"), ef.client("sdpo")
    today = TODAY.isoformat()
    response = si.post(
        f"/cases/{case.pk}/progress/", {"reported_on": today, "done": "Raid.", "next_steps": ""}
    )
    assert response.status_code == 302
    future = (TODAY + datetime.timedelta(days=1)).isoformat()
    refused = si.post(f"/cases/{case.pk}/progress/", {"reported_on": future, "done": "Typed text kept"})
    assert refused.status_code == 200 and "Typed text kept" in refused.content.decode()
    assert "cannot be in the future" in refused.content.decode()
    refused = si.post(
        f"/cases/{case.pk}/reviews/", {"reviewed_on": today, "directions": "x", "due_on": today}
    )
    assert refused.status_code == 200 and "supervising officer" in refused.content.decode()
    review = {"reviewed_on": today, "directions": "Trace the buyer.", "due_on": today}
    assert sdpo.post(f"/cases/{case.pk}/reviews/", review).status_code == 302
    with district_context("vaishali"):
        row = CaseReview.objects.get()
    comply_url = f"/cases/{case.pk}/reviews/{row.pk}/comply/"
    refused = sdpo.post(comply_url, {f"r{row.pk}-complied_on": today, f"r{row.pk}-note": "Done"})
    assert refused.status_code == 200 and "Only the investigating officer" in refused.content.decode()
    ok = si.post(comply_url, {f"r{row.pk}-complied_on": today, f"r{row.pk}-note": "Buyer traced."})
    assert ok.status_code == 302
    with district_context("vaishali"):
        row.refresh_from_db()
        assert row.complied_on == TODAY and row.compliance_note == "Buyer traced."
        assert CaseProgress.objects.count() == 1


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("progress/", {"reported_on": "\x00", "done": "x"}),
        ("progress/", {"reported_on": "2025-02-30", "done": "x"}),
        ("progress/", {"reported_on": "9999-12-31", "done": "x\x00"}),
        ("progress/", {}),
        ("reviews/", {"reviewed_on": "x", "directions": "x", "due_on": "x"}),
        ("reviews/", {"reviewed_on": "2025-01-01", "directions": "\x00", "due_on": "99999-01-01"}),
        ("reviews/", {}),
        ("comply/", {"rREVIEW-complied_on": "\x00", "rREVIEW-note": "x"}),
        ("comply/", {"rREVIEW-complied_on": "2025-13-01", "rREVIEW-note": "\x00"}),
        ("comply/", {}),
    ],
)
def test_bad_input_is_a_form_error_not_a_500(ef, path, data):
    with district_context("vaishali"):
        case = _case(ef)
        review = _review(ef, case)
    if path == "comply/":
        path = f"reviews/{review.pk}/comply/"
        data = {key.replace("REVIEW", str(review.pk)): value for key, value in data.items()}
    key = "sdpo" if path == "reviews/" else "si"
    assert ef.client(key).post(f"/cases/{case.pk}/{path}", data).status_code == 200
    with district_context("vaishali"):
        assert not CaseProgress.objects.exists() and CaseReview.objects.count() == 1
        assert CaseReview.objects.get().complied_on is None


def test_comply_ids_out_of_range_or_of_another_case_are_404(ef):
    with district_context("vaishali"):
        case = _case(ef)
        other = _case(ef, fir_number=9)
        review = _review(ef, other)
    si = ef.client("si")
    data = {f"r{review.pk}-complied_on": TODAY.isoformat(), f"r{review.pk}-note": "x"}
    for url in (
        f"/cases/{case.pk}/reviews/{review.pk}/comply/",
        f"/cases/{case.pk}/reviews/99999999999999999999999/comply/",
        f"/cases/{case.pk}/reviews/0/comply/",
    ):
        assert si.post(url, data).status_code == 404, url
    assert si.get(f"/cases/{other.pk}/reviews/{review.pk}/comply/").status_code == 405


def test_every_new_url_is_404_for_outsiders_with_ids_that_exist_in_both_districts(ef, world):
    mzp_thana, mzp_actor = muzaffarpur_sho(ef)
    next_case_id_in_both_districts()
    next_id_in_both_districts("core_casereview")
    with district_context("vaishali"):
        case = _case(ef, fir_number=11)
        review = _review(ef, case)
    with district_context("muzaffarpur"):
        other = case_register(
            actor=mzp_actor, thana=mzp_thana, year=YEAR, fir_number=11, registered_on=a_date(), sections="x"
        )
        other_review = case_review_add(
            actor=mzp_actor, case=other, reviewed_on=TODAY, directions="Muzaffarpur", due_on=TODAY
        )
    assert (case.pk, review.pk) == (other.pk, other_review.pk)
    admin = HostClient("vaishali")
    admin.sign_in("vaishali.admin")
    outsiders = {key: ef.client(key) for key in ("clerk", "pio", "mahnar", "sdpoclerk")}
    outsiders |= {"district admin": admin, "anonymous": HostClient("vaishali")}
    # The Muzaffarpur officer cannot sign in on Vaishali's host (no posting there): anonymous.
    visitor = HostClient("vaishali")
    assert sign_in_refused(visitor.sign_in(ef.people["other"].login_id))
    outsiders["other district"] = visitor
    today = TODAY.isoformat()
    data = {
        "reported_on": today,
        "done": "probe",
        "reviewed_on": today,
        "directions": "probe",
        "due_on": today,
        f"r{review.pk}-complied_on": today,
        f"r{review.pk}-note": "probe",
    }
    urls = [
        f"/cases/{case.pk}/progress/",
        f"/cases/{case.pk}/reviews/",
        f"/cases/{case.pk}/reviews/{review.pk}/comply/",
    ]
    for who, client in outsiders.items():
        for url in urls:
            for method in ("get", "post"):
                response = getattr(client, method)(url, data)
                assert response.status_code == 404, (who, method, url, response.status_code)
    # On their own host, the same ids are their own case and review only.
    other_page = ef.client("other").get(f"/cases/{case.pk}/").content.decode()
    assert "Muzaffarpur" in other_page and "Record the witnesses." not in other_page
    with district_context("vaishali"):
        assert not CaseProgress.objects.exists()
        assert CaseReview.objects.get().complied_on is None
        assert CaseReview.objects.count() == 1
        assert case_for(viewer_for(ef.people["si"]), case.pk) == case
    # The district admin sees no directions; the anonymous must sign in.
    assert "Record the witnesses." not in admin.get("/cases/directions/").content.decode()
    assert HostClient("vaishali").get("/cases/directions/").status_code == 302
    assert "Record the witnesses." not in ef.client("other").get("/cases/directions/").content.decode()
    with district_context("muzaffarpur"):
        assert CaseReview.objects.get().complied_on is None
