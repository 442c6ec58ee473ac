"""What the district API answers with (read only); the input is checked by the pages' own forms.
Names are given in both scripts where the record has both."""

from __future__ import annotations

from rest_framework import serializers


class PostSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    title_hi = serializers.CharField()
    office_id = serializers.IntegerField()


class FileSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    subject = serializers.CharField()
    category = serializers.CharField()
    priority = serializers.CharField()
    confidentiality = serializers.CharField()
    status = serializers.CharField()
    office_id = serializers.IntegerField()
    current_post_id = serializers.IntegerField()
    arrived_at = serializers.DateTimeField()
    received_at = serializers.DateTimeField(allow_null=True)
    due_on = serializers.DateField(allow_null=True)
    closed_at = serializers.DateTimeField(allow_null=True)


class ReceiptSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    diary_number = serializers.CharField()
    subject = serializers.CharField()
    sender = serializers.CharField()
    mode = serializers.CharField()
    received_on = serializers.DateField()
    letter_date = serializers.DateField(allow_null=True)
    letter_reference = serializers.CharField()
    status = serializers.CharField()
    office_id = serializers.IntegerField()
    current_post_id = serializers.IntegerField()
    file_id = serializers.IntegerField(allow_null=True)
    arrived_at = serializers.DateTimeField()
    received_at = serializers.DateTimeField(allow_null=True)
    due_on = serializers.DateField(allow_null=True)


class TrayItemSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["file", "dak"])
    id = serializers.IntegerField()
    number = serializers.CharField()
    subject = serializers.CharField()
    status = serializers.CharField()
    current_post_id = serializers.IntegerField()
    arrived_at = serializers.DateTimeField()
    due_on = serializers.DateField(allow_null=True)
    new = serializers.BooleanField()
    overdue = serializers.BooleanField()


class SentItemSerializer(serializers.Serializer):
    movement_id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=["file", "dak"])
    id = serializers.IntegerField()
    number = serializers.CharField()
    subject = serializers.CharField()
    action = serializers.CharField()
    at = serializers.DateTimeField()
    from_post_id = serializers.IntegerField()
    to_post_id = serializers.IntegerField(allow_null=True)
    remarks = serializers.CharField()
    received_at = serializers.DateTimeField(allow_null=True)


class NoteSerializer(serializers.Serializer):
    seq = serializers.IntegerField()
    body = serializers.CharField()
    author_id = serializers.IntegerField()
    author_post_id = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    edited_at = serializers.DateTimeField(allow_null=True)


class StepSerializer(serializers.Serializer):
    action = serializers.CharField()
    at = serializers.DateTimeField()
    from_post_id = serializers.IntegerField(allow_null=True)
    to_post_id = serializers.IntegerField(allow_null=True)
    by_id = serializers.IntegerField()
    remarks = serializers.CharField()
    received_at = serializers.DateTimeField(allow_null=True)


class VersionSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    original_name = serializers.CharField()
    content_type = serializers.CharField()
    size = serializers.IntegerField()
    sha256 = serializers.CharField()
    pages = serializers.IntegerField()
    uploaded_at = serializers.DateTimeField()


class DocumentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    file_id = serializers.IntegerField(allow_null=True)
    receipt_id = serializers.IntegerField(allow_null=True)
    case_id = serializers.IntegerField(allow_null=True)
    created_at = serializers.DateTimeField()
    versions = VersionSerializer(many=True)


class FileDetailSerializer(serializers.Serializer):
    file = FileSerializer()
    can_act = serializers.BooleanField()
    notes = NoteSerializer(many=True)
    track = StepSerializer(many=True)
    documents = DocumentSerializer(many=True)
    receipts = ReceiptSerializer(many=True)


class PersonSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    full_name = serializers.CharField()
    full_name_hi = serializers.CharField()
    rank = serializers.CharField()
    service_number = serializers.CharField()


class PersonDetailSerializer(PersonSerializer):
    posts = PostSerializer(many=True)


class SearchHitSerializer(serializers.Serializer):
    kind = serializers.CharField()
    id = serializers.IntegerField()
    title = serializers.CharField()
    status = serializers.CharField()


class SearchGroupSerializer(serializers.Serializer):
    kind = serializers.CharField()
    count = serializers.IntegerField()
    capped = serializers.BooleanField()
    hits = SearchHitSerializer(many=True)


class SearchSerializer(serializers.Serializer):
    q = serializers.CharField()
    groups = SearchGroupSerializer(many=True)


# --- Input, for the schema (the pages' forms check it) ----------------------------------------


class NoteInput(serializers.Serializer):
    body = serializers.CharField(max_length=20000)


class SendInput(serializers.Serializer):
    to_post = serializers.IntegerField()
    remarks = serializers.CharField(required=False, allow_blank=True)
    due_on = serializers.DateField(required=False, allow_null=True)


class RemarksInput(serializers.Serializer):
    remarks = serializers.CharField(required=False, allow_blank=True)


class CloseInput(serializers.Serializer):
    remark = serializers.CharField()


class DiariseInput(serializers.Serializer):
    post = serializers.IntegerField(required=False, help_text="One of your posts (optional with one).")
    mode = serializers.CharField()
    sender = serializers.CharField(max_length=200)
    subject = serializers.CharField(max_length=500)
    received_on = serializers.DateField()
    sender_address = serializers.CharField(required=False, allow_blank=True)
    letter_date = serializers.DateField(required=False, allow_null=True)
    letter_reference = serializers.CharField(required=False, allow_blank=True)
    to_post = serializers.IntegerField(required=False, allow_null=True)
    remarks = serializers.CharField(required=False, allow_blank=True)
    due_on = serializers.DateField(required=False, allow_null=True)


class AttachInput(serializers.Serializer):
    file = serializers.IntegerField()


class UploadInput(serializers.Serializer):
    files = serializers.ListField(child=serializers.FileField(), required=False)
    title = serializers.CharField(required=False, allow_blank=True)


# Named as the page's form names it (``core.uploads.claim``): not a Python name.
UploadInput._declared_fields["resumable-files"] = serializers.ListField(
    child=serializers.CharField(),
    required=False,
    help_text="Ids of finished uploads made through /uploads/ (tus), each the end of its Location.",
)


class FileOpenInput(serializers.Serializer):
    head = serializers.IntegerField()
    subject = serializers.CharField(required=False, help_text="The letter's subject when left out.")
    category = serializers.CharField()
    priority = serializers.CharField(required=False)
    confidentiality = serializers.CharField(required=False)


class FileHeadSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    label = serializers.CharField()
