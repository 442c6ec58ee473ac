"""Changing a file's particulars: by its holder, with the old and new values in the audit trail."""

import pytest
from django.core.exceptions import ValidationError

from core.base.access import file_for, viewer_for
from core.efile.services.files import file_update
from core.efile.services.movement import file_send
from core.models import AuditEvent, EFile
from tenants.context import district_context
from tests.core.efile.filework import open_file

FIELDS = {
    "subject": "Computers for the SDPO offices",
    "category": EFile.Category.ADMINISTRATION,
    "priority": EFile.Priority.NORMAL,
    "confidentiality": EFile.Confidentiality.NORMAL,
}


def test_holder_changes_subject_priority_and_confidentiality_with_audit(ef):
    with district_context("vaishali"):
        file = open_file(ef)
        file_send(actor=ef.actor("clerk"), file=file, to_post=ef.posts["sdpo"])
        assert file_for(viewer_for(ef.people["sdpoclerk"]), file.pk) is None
        updated = file_update(
            actor=ef.actor("sdpo"),
            file=file,
            **{**FIELDS, "subject": "कंप्यूटर", "priority": "urgent", "confidentiality": "secret"},
        )
        file.refresh_from_db()
        assert (file.subject, file.priority, file.confidentiality) == ("कंप्यूटर", "urgent", "secret")
        assert updated.number == file.number
        event = AuditEvent.objects.get(action="file.update")
        assert event.post_id == ef.posts["sdpo"].pk
        assert event.details["changed"] == {
            "subject": [FIELDS["subject"], "कंप्यूटर"],
            "priority": ["normal", "urgent"],
            "confidentiality": ["normal", "secret"],
        }
        # The clerk it passed through still sees it; the Mahnar SDPO does not.
        assert file_for(viewer_for(ef.people["clerk"]), file.pk) is not None
        assert file_for(viewer_for(ef.people["mahnar"]), file.pk) is None


def test_no_change_records_nothing(ef):
    with district_context("vaishali"):
        file = open_file(ef)
        file_update(actor=ef.actor("clerk"), file=file, **FIELDS)
        assert not AuditEvent.objects.filter(action="file.update").exists()


@pytest.mark.parametrize("key", ["sp", "pio", "sdpo"])
def test_only_a_holder_of_the_files_post_may_change_it(ef, key):
    with district_context("vaishali"):
        file = open_file(ef)
        with pytest.raises(ValidationError):
            file_update(actor=ef.actor(key), file=file, **{**FIELDS, "subject": "Hijacked"})
        file.refresh_from_db()
        assert file.subject == FIELDS["subject"]


@pytest.mark.parametrize(
    ("field", "value"),
    [("category", "gossip"), ("priority", "whenever"), ("confidentiality", "public"), ("subject", "")],
)
def test_values_outside_the_lists_are_refused_on_their_field(ef, field, value):
    with district_context("vaishali"):
        file = open_file(ef)
        with pytest.raises(ValidationError) as refused:
            file_update(actor=ef.actor("clerk"), file=file, **{**FIELDS, field: value})
        assert field in refused.value.message_dict
        assert not AuditEvent.objects.filter(action="file.update").exists()


def test_a_closed_or_parked_file_is_not_changed(ef):
    with district_context("vaishali"):
        file = open_file(ef)
        for status in (EFile.Status.PARKED, EFile.Status.CLOSED):
            EFile.objects.filter(pk=file.pk).update(status=status)
            with pytest.raises(ValidationError) as refused:
                file_update(actor=ef.actor("clerk"), file=file, **{**FIELDS, "subject": "Late change"})
            assert refused.value.code == status
