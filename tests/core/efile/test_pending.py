"""The SP's and SDPO's view of files pending in their offices, by age (issue 15, point 4): who may
open it, what each sees, that every count is the list behind it, and its pages in both languages."""

import datetime
import re

import pytest
from django.utils import timezone

from core.base.access import viewer_for
from core.efile.selectors.pending import BUCKETS, pending_office_ids, pending_summary
from core.efile.services.movement import file_close, file_park, file_send
from core.models import EFile, Office, Post
from core.org import services as core_services
from tenants.context import district_context
from tests.core.efile.test_movement_services import new_file
from tests.helpers import HostClient

AGES = {"0-3": 1, "3-7": 5, "7-15": 10, "15-30": 20, "30-": 45}


def _at(ef, key, *, subject="Pending", days=1, **kwargs):
    """A file the clerk opens and sends to ``key``'s post (left with the clerk for "clerk"), that
    arrived there ``days`` ago."""
    file = new_file(ef, subject=subject, **kwargs)
    if key != "clerk":
        file = file_send(actor=ef.actor("clerk"), file=file, to_post=ef.posts[key])
    EFile.objects.filter(pk=file.pk).update(
        arrived_at=timezone.now() - datetime.timedelta(days=days, hours=1)
    )
    file.refresh_from_db()
    return file


def _summary(key, ef):
    """{(office code, post code): counts per bucket} as ``key`` sees them."""
    return {
        (group.office.code, row.post.code): row.counts
        for group in pending_summary(viewer_for(ef.people[key]))
        for row in group.rows
    }


def _numbers(html: str) -> set[str]:
    return set(re.findall(r">([A-Z]+/GEN/\d{4}/\d+)<", html))


def test_sp_sees_every_office_and_sdpo_only_their_sub_division(ef):
    with district_context("vaishali"):
        _at(ef, "clerk")
        _at(ef, "sdpo", days=5)
        _at(ef, "sho", days=10)
        _at(ef, "si", days=45)
        _at(ef, "mahnar", days=20)
        one = [1, 0, 0, 0, 0]
        assert _summary("sp", ef) == {
            ("sp-office", "ef-sp-clerk"): one,
            ("ef-sdpo-mahua", "ef-sdpo-mahua"): [0, 1, 0, 0, 0],
            ("ef-thana-mahua", "ef-sho-mahua"): [0, 0, 1, 0, 0],
            ("ef-thana-mahua", "ef-si-mahua"): [0, 0, 0, 0, 1],
            ("ef-sdpo-mahnar", "ef-sdpo-mahnar"): [0, 0, 0, 1, 0],
        }
        assert _summary("sdpo", ef) == {
            ("ef-sdpo-mahua", "ef-sdpo-mahua"): [0, 1, 0, 0, 0],
            ("ef-thana-mahua", "ef-sho-mahua"): [0, 0, 1, 0, 0],
            ("ef-thana-mahua", "ef-si-mahua"): [0, 0, 0, 0, 1],
        }
        assert _summary("mahnar", ef) == {("ef-sdpo-mahnar", "ef-sdpo-mahnar"): [0, 0, 0, 1, 0]}
        # Offices top down: the SP office, then each sub-division (by name) with the offices under it.
        assert [group.office.code for group in pending_summary(viewer_for(ef.people["sp"]))] == [
            "sp-office",
            "ef-sdpo-mahnar",
            "ef-sdpo-mahua",
            "ef-thana-mahua",
        ]
        assert pending_office_ids(viewer_for(ef.people["sp"])) == set(
            Office.objects.values_list("id", flat=True)
        )


@pytest.mark.parametrize("key", ["sho", "clerk", "si", "pio", "sdpoclerk"])
def test_others_of_the_district_get_no_count(ef, key):
    with district_context("vaishali"):
        file = _at(ef, "si", subject="Never counted for them")
        assert pending_summary(viewer_for(ef.people[key])) == []
        si_post = ef.posts["si"].pk
    client = ef.client(key)
    for url in ("/files/pending/", f"/files/pending/{si_post}/", f"/files/pending/{si_post}/?age=0-3"):
        response = client.get(url)
        assert response.status_code == 404, url
        assert file.number.encode() not in response.content
    inbox = client.get("/inbox/")
    assert inbox.status_code == 200 and b"/files/pending/" not in inbox.content


def test_supervisors_see_the_link_in_the_navigation(ef):
    for key in ("sp", "sdpo"):
        page = ef.client(key).get("/inbox/")
        assert page.content.count(b'href="/files/pending/"') == 2, key  # the e-File nav and the tabs


def test_counts_are_the_files_listed_behind_them(ef):
    with district_context("vaishali"):
        made = {
            bucket: [_at(ef, "sho", days=days, subject=f"{bucket} {n}") for n in range(2)]
            for bucket, days in AGES.items()
        }
        parked = made["7-15"][0]
        file_park(actor=ef.actor("sho"), file=parked)
        EFile.objects.filter(pk=parked.pk).update(arrived_at=timezone.now() - datetime.timedelta(days=10))
        closed = _at(ef, "sho", subject="closed, not pending")
        file_close(actor=ef.actor("sho"), file=closed, remark="Done")
        secret = _at(ef, "sho", days=5, subject="secret", confidentiality=EFile.Confidentiality.SECRET)
        assert _summary("sdpo", ef) == {("ef-thana-mahua", "ef-sho-mahua"): [2, 3, 2, 2, 2]}
        post = ef.posts["sho"].pk
    client = ef.client("sdpo")
    summary = client.get("/files/pending/").content.decode()
    for bucket in BUCKETS:
        response = client.get(f"/files/pending/{post}/?age={bucket.key}")
        assert response.status_code == 200
        expected = {f.number for f in made[bucket.key]} | ({secret.number} if bucket.key == "3-7" else set())
        assert _numbers(response.content.decode()) == expected, bucket.key
        count = len(expected)
        assert f'href="/files/pending/{post}/?age={bucket.key}"' in summary
        assert f'age={bucket.key}">{count}</a>' in summary, bucket.key
    everything = client.get(f"/files/pending/{post}/").content.decode()
    assert len(_numbers(everything)) == 11 and closed.number not in everything
    assert "Parked" in everything and "Secret" in everything


def test_sdpo_may_not_list_a_post_outside_their_sub_division_or_a_wrong_age(ef):
    with district_context("vaishali"):
        outside = _at(ef, "mahnar", subject="Mahnar's")
        clerk = _at(ef, "clerk", subject="SP office's")
        posts = ef.posts
    client = ef.client("sdpo")
    for url in (
        f"/files/pending/{posts['mahnar'].pk}/",
        f"/files/pending/{posts['clerk'].pk}/",
        f"/files/pending/{posts['sho'].pk}/?age=99",
        f"/files/pending/{posts['sho'].pk}/?age=%3Cscript%3E",
        "/files/pending/99999999999999999999/",
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert (
            outside.number.encode() not in response.content and clerk.number.encode() not in response.content
        )
    assert client.get(f"/files/pending/{posts['sho'].pk}/?page=nonsense").status_code == 200


def test_another_districts_sp_and_a_person_without_posting_get_nothing(ef, world):
    with district_context("muzaffarpur"):
        post = core_services.post_create(
            office=ef.mzp_office, code="ef-mzp-sp", title="SP Muzaffarpur", kind=Post.Kind.SP
        )
        core_services.posting_start(person=ef.people["other"], post=post)
    with district_context("vaishali"):
        file = _at(ef, "sho", subject="Vaishali only")
        sho_post = ef.posts["sho"].pk
        assert pending_summary(viewer_for(world.unposted)) == []
        assert pending_summary(viewer_for(ef.people["other"])) == []
    # Muzaffarpur's SP on their own host: their district only; a Vaishali post id is 404 there.
    own = ef.client("other")
    response = own.get("/files/pending/")
    assert response.status_code == 200 and file.number.encode() not in response.content
    assert own.get(f"/files/pending/{sho_post}/").status_code == 404
    # On Vaishali's host, neither they nor a person without a posting get in.
    for login in (ef.people["other"].login_id, world.unposted.login_id):
        client = HostClient("vaishali")
        client.sign_in(login)
        for url in ("/files/pending/", f"/files/pending/{sho_post}/"):
            response = client.get(url)
            assert response.status_code in (302, 403, 404), (login, url)
            assert file.number.encode() not in response.content
    anonymous = HostClient("vaishali").get("/files/pending/")
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous.url


def test_pages_escape_what_people_typed(ef):
    with district_context("vaishali"):
        post = ef.posts["sho"]
        Post.objects.filter(pk=post.pk).update(title="SHO <b>Mahua</b>")
        file = _at(ef, "sho", subject="<script>alert('x')</script>")
    client = ef.client("sp")
    summary = client.get("/files/pending/").content.decode()
    assert "SHO &lt;b&gt;Mahua&lt;/b&gt;" in summary and "<b>Mahua" not in summary
    listed = client.get(f"/files/pending/{post.pk}/").content.decode()
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in listed and "<script>alert" not in listed
    assert file.number in listed


def test_hindi_page_names_offices_posts_and_holders_in_hindi(ef):
    with district_context("vaishali"):
        Post.objects.filter(pk=ef.posts["sho"].pk).update(title_hi="थानाध्यक्ष महुआ")
        ef.people["sho"].full_name_hi = "रमेश कुमार"
        ef.people["sho"].save(update_fields=["full_name_hi"])
        _at(ef, "sho", days=10)
        vacant = core_services.post_create(
            office=ef.offices["ef-thana-mahua"], code="ef-asi-mahua", title="ASI Mahua", kind=Post.Kind.ASI
        )
        EFile.objects.filter(pk=_at(ef, "sho").pk).update(current_post=vacant)
    client = ef.client("sdpo")
    client.post("/i18n/setlang/", {"language": "hi", "next": "/"})
    page = client.get("/files/pending/").content.decode()
    for text in ("मेरे कार्यालयों में लंबित", "महुआ थाना", "थानाध्यक्ष महुआ", "रमेश कुमार", "7 से 15 दिन", "रिक्त", "कुल"):
        assert text in page, text
    assert "Pending in my offices" not in page and "7 to 15 days" not in page
