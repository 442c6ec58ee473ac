"""The movement kernel and the visibility rule, below the services: what a step writes and who
then sees the item."""

import pytest
from django.db import transaction

from core.base.access import file_for, files_visible, viewer_for
from core.efile.numbering import file_kind, file_number, number_next
from core.efile.services.tracking import item_arrive, item_receive
from core.models import EFile, FileHead, Movement, Note, Notification, Passage
from tenants.context import district_context


def _file(ef, key="clerk", confidentiality=EFile.Confidentiality.NORMAL):
    post, person = ef.posts[key], ef.people[key]
    office = post.office
    head = FileHead.objects.get(office=None, code="GEN")
    with transaction.atomic():
        serial = number_next(office=office, kind=file_kind(head), year=2025)
        file = EFile.objects.create(
            office=office,
            head=head,
            number=file_number(office=office, head=head, year=2025, serial=serial),
            year=2025,
            serial=serial,
            subject="Kernel test",
            category=EFile.Category.ADMINISTRATION,
            confidentiality=confidentiality,
            current_post=post,
            created_by=person,
            created_post=post,
        )
        item_arrive(
            item=file, to_post=post, by=person, action=Movement.Action.CREATED, from_post=None, received=True
        )
    return file


def _sent_to_the_sdpo(ef, file) -> None:
    """``file`` moved from the clerk's post to the SDPO's, as a send moves it."""
    with transaction.atomic():
        item_arrive(
            item=file,
            to_post=ef.posts["sdpo"],
            by=ef.people["clerk"],
            action=Movement.Action.SENT,
            from_post=ef.posts["clerk"],
        )


def test_numbers_follow_on_per_office_head_and_year(ef):
    with district_context("vaishali"):
        first, second = _file(ef), _file(ef)
        assert first.number == "SPVAI/GEN/2025/0001"
        assert second.number == "SPVAI/GEN/2025/0002"
        mahua = _file(ef, key="sho")
        assert mahua.number == "PSMAH/GEN/2025/0001"


def test_a_sent_file_waits_at_the_post_freezes_notes_and_tells_its_holders(ef):
    with district_context("vaishali"):
        file = _file(ef)
        note = Note.objects.create(
            file=file, seq=1, body="Put up.", author=ef.people["clerk"], author_post=ef.posts["clerk"]
        )
        _sent_to_the_sdpo(ef, file)
        file.refresh_from_db()
        note.refresh_from_db()
        assert file.current_post == ef.posts["sdpo"] and file.received_at is None
        assert note.frozen
        assert set(Passage.objects.filter(file=file).values_list("post_id", flat=True)) == {
            ef.posts["clerk"].pk,
            ef.posts["sdpo"].pk,
        }
        assert Notification.objects.filter(file=file, person=ef.people["sdpo"]).count() == 1
        assert not Notification.objects.filter(file=file, person=ef.people["clerk"]).exists()
        with transaction.atomic():
            assert item_receive(item=file, by=ef.people["sdpo"]) is True
            assert item_receive(item=file, by=ef.people["sdpo"]) is False
        assert Movement.objects.filter(file=file).last().received_by == ef.people["sdpo"]


@pytest.mark.parametrize(
    ("key", "sees"),
    [
        ("clerk", True),  # it passed through the clerk's post
        ("sdpo", True),  # it is at the SDPO's post
        ("sp", True),  # the SP sees the whole district
        ("sho", False),  # below the SDPO, not above
        ("si", False),
        ("mahnar", False),  # a supervisor of another sub-division
        ("pio", False),  # same office, other post
        ("sdpoclerk", False),  # same office as the SDPO, other post
    ],
)
def test_who_sees_a_confidential_file_sent_from_the_sp_office_to_the_sdpo(ef, key, sees):
    with district_context("vaishali"):
        file = _file(ef, confidentiality=EFile.Confidentiality.CONFIDENTIAL)
        _sent_to_the_sdpo(ef, file)
        viewer = viewer_for(ef.people[key])
        assert (file_for(viewer, file.pk) is not None) is sees
        assert files_visible(viewer).filter(pk=file.pk).count() == (1 if sees else 0)


def test_the_sdpo_supervises_a_file_opened_in_a_thana_below_them(ef):
    with district_context("vaishali"):
        file = _file(ef, key="si")
        assert file_for(viewer_for(ef.people["sdpo"]), file.pk) is not None
        assert file_for(viewer_for(ef.people["sho"]), file.pk) is not None
        assert file_for(viewer_for(ef.people["mahnar"]), file.pk) is None
        assert file_for(viewer_for(ef.people["clerk"]), file.pk) is None


def test_people_without_a_posting_here_see_nothing(ef, world):
    with district_context("vaishali"):
        file = _file(ef)
        for person in (world.unposted, ef.people["other"], None):
            assert file_for(viewer_for(person), file.pk) is None
        # The district admin's role gives nothing.
        from tenants.models import User

        admin = User.objects.get(login_id="vaishali.admin")
        assert file_for(viewer_for(admin), file.pk) is None
        assert file_for(viewer_for(ef.people["sp"]), "99999999999999999999999") is None
