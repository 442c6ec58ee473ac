"""The "send to" picker and the refusal to send to a vacant post (issue 15, point 4): posts grouped
by office with their holders (an additional charge named so), vacant ones said vacant and after the
held ones, the viewer's usual recipients first with their office; a post nobody holds is refused
by the service with the reason, which the send and mark pages show."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from core.base.access import viewer_for
from core.efile.selectors.posts import post_choice_ids, post_choices, usual_recipient_ids
from core.efile.services.movement import file_send
from core.efile.services.receipts import receipt_diarise, receipt_send
from core.models import Movement, Post, Receipt
from core.org import services as core_services
from tenants.context import district_context
from tests.core.efile.filework import open_file

NEXT_YEAR = timezone.localdate() + datetime.timedelta(days=300)


def _vacant(ef, code="ef-vacant", title="Reader SDPO Mahua", title_hi="रीडर एसडीपीओ महुआ"):
    post = core_services.post_create(
        office=ef.offices["ef-sdpo-mahua"], code=code, title=title, kind=Post.Kind.CLERK
    )
    Post.objects.filter(pk=post.pk).update(title_hi=title_hi)
    post.refresh_from_db()
    return post


def _dak(ef, key="clerk"):
    return receipt_diarise(
        actor=ef.actor(key), post=ef.posts[key], mode=Receipt.Mode.POST, sender="IG", subject="Training"
    )


def test_sending_a_file_or_dak_to_a_vacant_post_is_refused_with_the_reason(ef):
    with district_context("vaishali"):
        vacant = _vacant(ef)
        file = open_file(ef)
        with pytest.raises(ValidationError) as refused:
            file_send(actor=ef.actor("clerk"), file=file, to_post=vacant, remarks="For orders")
        assert refused.value.error_dict["to_post"][0].code == "vacant"
        assert "Reader SDPO Mahua is vacant" in refused.value.error_dict["to_post"][0].messages[0]
        receipt = _dak(ef)
        with pytest.raises(ValidationError) as refused:
            receipt_send(actor=ef.actor("clerk"), receipt=receipt, to_post=vacant)
        assert refused.value.error_dict["to_post"][0].code == "vacant"
        with translation.override("hi"):
            with pytest.raises(ValidationError) as refused:
                file_send(actor=ef.actor("clerk"), file=file, to_post=vacant)
            assert "रीडर एसडीपीओ महुआ" in refused.value.error_dict["to_post"][0].messages[0]
        file.refresh_from_db()
        receipt.refresh_from_db()
        assert file.current_post == ef.posts["clerk"] and receipt.current_post == ef.posts["clerk"]
        assert Movement.objects.filter(to_post=vacant).count() == 0
        # Held under additional charge only: it has someone to take it in.
        core_services.posting_start(
            person=ef.people["sdpoclerk"],
            post=vacant,
            additional_charge=True,
            ends_on=NEXT_YEAR,
        )
        file_send(actor=ef.actor("clerk"), file=file, to_post=vacant)
        file.refresh_from_db()
        assert file.current_post == vacant


def test_the_send_page_shows_why_a_vacant_post_is_refused(ef):
    with district_context("vaishali"):
        vacant = _vacant(ef)
        file = open_file(ef)
        receipt = _dak(ef)
    clerk = ef.client("clerk")
    page = clerk.post(f"/files/{file.pk}/send/", {"to_post": vacant.pk, "remarks": "Urgent please"})
    body = page.content.decode()
    assert page.status_code == 200 and "Reader SDPO Mahua is vacant" in body and "Urgent please" in body
    page = clerk.post(f"/dak/{receipt.pk}/mark/", {"to_post": vacant.pk})
    assert "Reader SDPO Mahua is vacant" in page.content.decode()
    hindi = ef.client("clerk")
    hindi.post("/i18n/setlang/", {"language": "hi", "next": "/"})
    body = hindi.post(f"/files/{file.pk}/send/", {"to_post": vacant.pk}).content
    assert "रीडर एसडीपीओ महुआ" in body.decode()
    with district_context("vaishali"):
        file.refresh_from_db()
        assert file.current_post == ef.posts["clerk"]


def test_the_picker_names_holders_says_vacant_and_puts_usual_recipients_first(ef):
    with district_context("vaishali"):
        vacant = _vacant(ef)
        charged = _vacant(ef, code="ef-charged", title="Accountant SDPO Mahua", title_hi="")
        core_services.posting_start(
            person=ef.people["si"], post=charged, additional_charge=True, ends_on=NEXT_YEAR
        )
        viewer = viewer_for(ef.people["clerk"])
        assert usual_recipient_ids(viewer) == []
        for to in ("sdpo", "sdpo", "sp", "sho", "sho", "sho"):
            file_send(actor=ef.actor("clerk"), file=open_file(ef), to_post=ef.posts[to])
        assert usual_recipient_ids(viewer) == [ef.posts["sho"].pk, ef.posts["sdpo"].pk, ef.posts["sp"].pk]
        assert usual_recipient_ids(viewer, count=1) == [ef.posts["sho"].pk]
        choices = post_choices(exclude_post_id=ef.posts["clerk"].pk, viewer=viewer)
        group, usual = choices[0]
        assert group == "Your usual recipients"
        assert [post_id for post_id, _label in usual] == usual_recipient_ids(viewer)
        assert usual[0][1] == "SHO Mahua — Ef Sho (Mahua Thana)"
        mahua = dict(choices)["SDPO Office Mahua"]
        labels = [label for _post_id, label in mahua]
        assert "Reader SDPO Mahua — vacant" in labels
        assert "Accountant SDPO Mahua — Ef Si (additional charge)" in labels
        assert labels.index("Reader SDPO Mahua — vacant") == len(labels) - 1  # vacant after held
        assert vacant.pk in post_choice_ids(choices) and ef.posts["clerk"].pk not in post_choice_ids(choices)
        # Without a viewer (or for one who sent nothing) no usual group.
        assert post_choices()[0][0] != "Your usual recipients"
        assert usual_recipient_ids(viewer_for(ef.people["sp"])) == []


def test_the_pages_offer_the_picker_with_its_filter_and_usual_recipients(ef):
    with district_context("vaishali"):
        file_send(actor=ef.actor("clerk"), file=open_file(ef), to_post=ef.posts["sdpo"])
        file = open_file(ef)
        receipt = _dak(ef)
    clerk = ef.client("clerk")
    for url in (f"/files/{file.pk}/", f"/dak/{receipt.pk}/"):
        body = clerk.get(url).content.decode()
        assert "data-post-picker" in body and 'data-filter-label="Filter by post, office or officer"' in body
        assert '<optgroup label="Your usual recipients">' in body
        assert "SDPO Mahua — Ef Sdpo (SDPO Office Mahua)" in body


def test_usual_recipients_are_nothing_for_no_posting_or_another_district(ef):
    """Someone with no posting here (the Muzaffarpur clerk on Vaishali's data, the Vaishali clerk on
    Muzaffarpur's) gets no usual recipients, and another district's sends never count."""
    with district_context("vaishali"):
        file_send(actor=ef.actor("clerk"), file=open_file(ef), to_post=ef.posts["sdpo"])
        nobody = viewer_for(ef.people["other"])
        assert not nobody.post_ids and usual_recipient_ids(nobody) == []
        assert post_choices(viewer=nobody)[0][0] != "Your usual recipients"
    with district_context("muzaffarpur"):
        assert usual_recipient_ids(viewer_for(ef.people["other"])) == []
        assert post_choices(viewer=viewer_for(ef.people["clerk"]))[0][0] != "Your usual recipients"
    # The Muzaffarpur clerk cannot send a Vaishali file anywhere (404), nor see its picker.
    with district_context("vaishali"):
        file = open_file(ef)
    response = ef.client("other").post(f"/files/{file.pk}/send/", {"to_post": ef.posts["sdpo"].pk})
    assert response.status_code == 404 or "Ef Sdpo" not in response.content.decode()
