"""The paperless office: dak (receipts), e-files with notes and drafts, outward dispatch,
documents, movements between posts, and in-app notifications.

Everything is marked to a *post*, never to a person, so a transfer never strands a file: it waits
at the post for the next holder. Every write goes through ``core.efile.services`` (one function
per use case, audited in the same transaction); every read through ``core.base.access`` and the
selectors, which filter by who may see what.

A receipt and a file share how they move: ``current_post`` is where the item is now,
``arrived_at`` when it got there, ``received_at`` when a holder of that post took it in (None:
still waiting in the inbox as new), ``due_on`` the date the sender asked for. ``Movement`` keeps
each step and ``Passage`` every post (and its office) the item has been at, which is what the
visibility rules read.
"""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.models import Office, Post, account_key


def _one_of(*fields: str) -> Q:
    """Exactly one of the given foreign keys is set."""
    options = []
    for field in fields:
        q = Q(**{f"{field}__isnull": False})
        for other in fields:
            if other != field:
                q &= Q(**{f"{other}__isnull": True})
        options.append(q)
    result = options[0]
    for q in options[1:]:
        result |= q
    return result


class FileHead(models.Model):
    """A head of account under which an office numbers its files (GEN, EST, CRIME …).

    Heads with no office belong to every office of the district; an office may add its own.
    """

    id = models.BigAutoField(primary_key=True)
    office = models.ForeignKey(
        Office, verbose_name=_("office"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    code = models.CharField(_("code"), max_length=12)
    name = models.CharField(_("name (English)"), max_length=120)
    name_hi = models.CharField(_("name (Hindi)"), max_length=120, blank=True)
    closed = models.BooleanField(_("closed"), default=False)

    class Meta:
        ordering = ["code"]
        verbose_name = _("file head")
        verbose_name_plural = _("file heads")
        constraints = [
            models.UniqueConstraint(fields=["office", "code"], name="core_filehead_office_code"),
            models.UniqueConstraint(
                fields=["code"], condition=Q(office__isnull=True), name="core_filehead_district_code"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} · {self.name}"


class NumberSequence(models.Model):
    """The last number given out, per office, kind (diary, dispatch, file head) and year.

    Numbers are drawn by ``core.efile.numbering.number_next`` with one upsert, so two clerks
    diarising at once never get the same number and no number is skipped when both commit.
    """

    id = models.BigAutoField(primary_key=True)
    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=40)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["office", "kind", "year"], name="core_numbersequence_unique")
        ]

    def __str__(self) -> str:
        return f"{self.office_id} {self.kind} {self.year}: {self.last}"


class Tracked(models.Model):
    """Where a movable item (a receipt or a file) is now, and since when."""

    current_post = models.ForeignKey(
        Post, verbose_name=_("with post"), on_delete=models.PROTECT, related_name="+"
    )
    arrived_at = models.DateTimeField(_("arrived"), default=timezone.now)
    received_at = models.DateTimeField(_("received"), null=True, blank=True)
    due_on = models.DateField(_("due by"), null=True, blank=True)
    created_by = account_key(verbose_name=_("created by"))
    created_post = models.ForeignKey(
        Post, verbose_name=_("created at post"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    close_remark = models.TextField(_("closing remark"), blank=True)
    # Set when the step that brought the item to ``current_post`` was back-entered after an outage
    # (``arrived_at`` is then its true time, this the time it was entered); None for a live step.
    arrival_entered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True


class Receipt(Tracked):
    """Inward dak: a letter diarised in an office, with a diary number per office per year."""

    class Mode(models.TextChoices):
        HAND = "hand", _("By hand")
        POST = "post", _("By post")
        EMAIL = "email", _("By email")
        FAX = "fax", _("By fax")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        ATTACHED = "attached", _("Put in a file")
        CLOSED = "closed", _("Closed")

    id = models.BigAutoField(primary_key=True)
    office = models.ForeignKey(Office, verbose_name=_("office"), on_delete=models.PROTECT, related_name="+")
    diary_number = models.CharField(_("diary number"), max_length=60, unique=True)
    year = models.PositiveSmallIntegerField(_("year"))
    serial = models.PositiveIntegerField(_("serial"))
    received_on = models.DateField(_("received on"), default=timezone.localdate)
    mode = models.CharField(_("mode"), max_length=10, choices=Mode.choices)
    sender = models.CharField(_("sender"), max_length=200)
    sender_address = models.TextField(_("sender's address"), blank=True)
    subject = models.CharField(_("subject"), max_length=500)
    letter_date = models.DateField(_("letter date"), null=True, blank=True)
    letter_reference = models.CharField(_("letter reference"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    file = models.ForeignKey(
        "EFile",
        verbose_name=_("file"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="receipts",
    )
    attached_at = models.DateTimeField(_("put in the file"), null=True, blank=True)
    # Diarised after an outage from the paper register (core.outage): ``created_at`` and
    # ``received_on`` are the true time and day, this is when it was entered. None: diarised live.
    back_entered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-year", "-serial"]
        verbose_name = _("receipt")
        verbose_name_plural = _("receipts")
        constraints = [
            models.UniqueConstraint(fields=["office", "year", "serial"], name="core_receipt_office_serial"),
            models.CheckConstraint(
                condition=Q(status="attached", file__isnull=False) | ~Q(status="attached"),
                name="core_receipt_attached_has_file",
            ),
        ]
        indexes = [
            models.Index(fields=["current_post", "status"], name="core_receipt_post_idx"),
            models.Index(fields=["office", "received_on"], name="core_receipt_office_day_idx"),
            models.Index(
                F("closed_at").desc(nulls_last=True),
                F("id"),
                name="core_receipt_closed_idx",
                condition=Q(status="closed"),
            ),
            models.Index(
                fields=["current_post", "-arrived_at", "id"],
                include=["received_at", "due_on"],
                name="core_receipt_inbox_idx",
                condition=Q(status="open"),
            ),
        ]

    def __str__(self) -> str:
        return self.diary_number


class EFile(Tracked):
    """An e-file: a noting side (``Note``) and a correspondence side (receipts and documents)."""

    class Category(models.TextChoices):
        ADMINISTRATION = "administration", _("Administration")
        CRIME = "crime", _("Crime")
        COMPLAINT = "complaint", _("Complaint")
        ESTABLISHMENT = "establishment", _("Establishment")
        ACCOUNTS = "accounts", _("Accounts")
        LAW_ORDER = "law_order", _("Law and order")
        RTI = "rti", _("RTI")
        OTHER = "other", _("Other")

    class Priority(models.TextChoices):
        NORMAL = "normal", _("Normal")
        URGENT = "urgent", _("Urgent")
        IMMEDIATE = "immediate", _("Most immediate")

    class Confidentiality(models.TextChoices):
        NORMAL = "normal", _("Normal")
        CONFIDENTIAL = "confidential", _("Confidential")
        SECRET = "secret", _("Secret")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        PARKED = "parked", _("Parked")
        CLOSED = "closed", _("Closed")

    id = models.BigAutoField(primary_key=True)
    office = models.ForeignKey(Office, verbose_name=_("office"), on_delete=models.PROTECT, related_name="+")
    head = models.ForeignKey(
        FileHead, verbose_name=_("file head"), on_delete=models.PROTECT, related_name="+"
    )
    number = models.CharField(_("file number"), max_length=80, unique=True)
    year = models.PositiveSmallIntegerField(_("year"))
    serial = models.PositiveIntegerField(_("serial"))
    subject = models.CharField(_("subject"), max_length=500)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    priority = models.CharField(
        _("priority"), max_length=10, choices=Priority.choices, default=Priority.NORMAL
    )
    confidentiality = models.CharField(
        _("confidentiality"), max_length=12, choices=Confidentiality.choices, default=Confidentiality.NORMAL
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    updated_at = models.DateTimeField(_("last change"), default=timezone.now)

    class Meta:
        ordering = ["-updated_at", "-id"]
        verbose_name = _("file")
        verbose_name_plural = _("files")
        constraints = [
            models.UniqueConstraint(fields=["office", "head", "year", "serial"], name="core_efile_serial"),
        ]
        indexes = [
            models.Index(fields=["current_post", "status", "-updated_at"], name="core_efile_post_idx"),
            models.Index(fields=["office", "status"], name="core_efile_office_idx"),
            # The closed tray walks closed files latest first; the pending view counts waiting files
            # per post by arrival (core.efile.selectors.inbox, .pending).
            models.Index(
                F("closed_at").desc(nulls_last=True),
                F("id"),
                name="core_efile_closed_idx",
                condition=Q(status="closed"),
            ),
            models.Index(
                fields=["current_post", "arrived_at"],
                name="core_efile_waiting_idx",
                condition=Q(status="open")
                | Q(status="parked"),  # not IN: its ARRAY cast deparses differently in clones
            ),
            # The inbox, the desk and the header's count: index-only (core.0029).
            models.Index(
                fields=["current_post", "-arrived_at", "id"],
                include=["received_at", "due_on"],
                name="core_efile_inbox_idx",
                condition=Q(status="open"),
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_restricted(self) -> bool:
        return self.confidentiality != self.Confidentiality.NORMAL


class Movement(models.Model):
    """One step of a receipt or a file from post to post (or its creation, closing, reopening).

    ``from_post`` is None for the first step (diarised, opened). ``received_at`` is set when a
    holder of ``to_post`` takes the item in; the track reads how long each post held it from here.
    """

    class Action(models.TextChoices):
        CREATED = "created", _("Created")
        SENT = "sent", _("Sent")
        RETURNED = "returned", _("Returned")
        PARKED = "parked", _("Parked")
        UNPARKED = "unparked", _("Taken up again")
        CLOSED = "closed", _("Closed")
        REOPENED = "reopened", _("Reopened")

    id = models.BigAutoField(primary_key=True)
    file = models.ForeignKey(EFile, null=True, blank=True, on_delete=models.PROTECT, related_name="movements")
    receipt = models.ForeignKey(
        Receipt, null=True, blank=True, on_delete=models.PROTECT, related_name="movements"
    )
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    from_post = models.ForeignKey(
        Post,
        verbose_name=pgettext_lazy("post a file came from", "from"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    to_post = models.ForeignKey(
        Post,
        verbose_name=pgettext_lazy("post a file went to", "to"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    by = account_key()
    at = models.DateTimeField(default=timezone.now)
    remarks = models.TextField(_("remarks"), blank=True)
    due_on = models.DateField(_("due by"), null=True, blank=True)
    received_at = models.DateTimeField(null=True, blank=True)
    received_by = account_key(null=True, blank=True)
    overdue_notified_at = models.DateTimeField(null=True, blank=True)
    # A step back-entered after an outage (core.outage): ``at`` is its true time, this the entry time.
    back_entered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["at", "id"]
        constraints = [
            models.CheckConstraint(condition=_one_of("file", "receipt"), name="core_movement_one_item")
        ]
        indexes = [
            models.Index(fields=["from_post", "-at"], name="core_movement_from_idx"),
            # The sent tray: steps that took an item away from a post, latest first, counted and
            # paged from the index alone (core.efile.selectors.inbox.sent_page).
            models.Index(
                fields=["from_post", "-at", "-id"],
                condition=Q(action="sent") | Q(action="returned"),  # not IN, as core_efile_waiting_idx
                name="core_movement_leaving_idx",
            ),
            models.Index(fields=["file", "at"], name="core_movement_file_idx"),
            models.Index(fields=["receipt", "at"], name="core_movement_receipt_idx"),
            # The morning overdue run reads only steps with a due date not yet told.
            models.Index(
                fields=["due_on"],
                condition=Q(due_on__isnull=False, overdue_notified_at__isnull=True),
                name="core_movement_due_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.action} → {self.to_post_id}"


# Actions that take an item away from the post it was at: its notes freeze, its holders change.
LEAVING = frozenset({Movement.Action.SENT, Movement.Action.RETURNED})

# Steps that leave the item where it lies: its stay there goes on (same arrival, same due date).
IN_PLACE = frozenset({Movement.Action.PARKED, Movement.Action.UNPARKED, Movement.Action.CLOSED})


class Passage(models.Model):
    """A post (and its office at the time) that a receipt or a file has been at: who may see it.

    One row per item and post, written by the services whenever an item reaches a post.
    """

    id = models.BigAutoField(primary_key=True)
    file = models.ForeignKey(EFile, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    receipt = models.ForeignKey(Receipt, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    post = models.ForeignKey(Post, on_delete=models.PROTECT, related_name="+")
    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="+")
    first_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=_one_of("file", "receipt"), name="core_passage_one_item"),
            models.UniqueConstraint(
                fields=["file", "post"], condition=Q(file__isnull=False), name="core_passage_file_post"
            ),
            models.UniqueConstraint(
                fields=["receipt", "post"],
                condition=Q(receipt__isnull=False),
                name="core_passage_receipt_post",
            ),
        ]
        indexes = [
            models.Index(fields=["post", "file"], name="core_passage_post_file_idx"),
            models.Index(fields=["office", "file"], name="core_passage_office_file_idx"),
            models.Index(fields=["post", "receipt"], name="core_passage_post_receipt_idx"),
            models.Index(fields=["office", "receipt"], name="core_passage_office_rcpt_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.file_id or self.receipt_id} @ {self.post_id}"


class Note(models.Model):
    """A note on a file's noting side. Its author may edit it until the file moves on; then frozen."""

    id = models.BigAutoField(primary_key=True)
    file = models.ForeignKey(EFile, on_delete=models.PROTECT, related_name="notes")
    seq = models.PositiveIntegerField(_("note number"))
    body = models.TextField(_("note"))
    author = account_key()
    author_post = models.ForeignKey(Post, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    frozen = models.BooleanField(default=False)
    # A note back-entered after an outage (core.outage): ``created_at`` is its true time, this the entry time.
    back_entered_at = models.DateTimeField(null=True, blank=True)
    # The key the browser gave a note typed while offline (core.offline): sent again after a lost
    # answer or a second confirmation, it finds this note instead of writing another.
    client_key = models.CharField(max_length=64, blank=True, default="")

    class Meta:
        ordering = ["file", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["file", "seq"], name="core_note_seq"),
            models.UniqueConstraint(
                fields=["file", "author", "client_key"],
                condition=~models.Q(client_key=""),
                name="core_note_client_key",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.file_id}#{self.seq}"


class Dispatch(models.Model):
    """Outward dak: a letter sent out of an office, numbered per office per year."""

    id = models.BigAutoField(primary_key=True)
    office = models.ForeignKey(Office, verbose_name=_("office"), on_delete=models.PROTECT, related_name="+")
    number = models.CharField(_("dispatch number"), max_length=60, unique=True)
    year = models.PositiveSmallIntegerField(_("year"))
    serial = models.PositiveIntegerField(_("serial"))
    dispatched_on = models.DateField(_("sent on"), default=timezone.localdate)
    mode = models.CharField(_("mode"), max_length=10, choices=Receipt.Mode.choices)
    addressee = models.CharField(_("addressee"), max_length=200)
    addressee_address = models.TextField(_("addressee's address"), blank=True)
    subject = models.CharField(_("subject"), max_length=500)
    file = models.ForeignKey(
        EFile,
        verbose_name=_("file"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="dispatches",
    )
    created_by = account_key()
    created_post = models.ForeignKey(Post, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-year", "-serial"]
        verbose_name = _("dispatch")
        verbose_name_plural = _("dispatches")
        constraints = [
            models.UniqueConstraint(fields=["office", "year", "serial"], name="core_dispatch_serial")
        ]

    def __str__(self) -> str:
        return self.number


class Draft(models.Model):
    """A draft letter on a file, for a senior to approve or return with a note.

    Approved, it becomes outward dak (``dispatch``).
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting approval")
        APPROVED = "approved", _("Approved")
        RETURNED = "returned", pgettext_lazy("draft", "Returned")
        DISPATCHED = "dispatched", _("Sent out")

    id = models.BigAutoField(primary_key=True)
    file = models.ForeignKey(EFile, on_delete=models.PROTECT, related_name="drafts")
    addressee = models.CharField(_("addressee"), max_length=200)
    addressee_address = models.TextField(_("addressee's address"), blank=True)
    subject = models.CharField(_("subject"), max_length=500)
    body = models.TextField(_("letter"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PENDING)
    author = account_key()
    author_post = models.ForeignKey(Post, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    decided_by = account_key(null=True, blank=True)
    decided_post = models.ForeignKey(Post, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(_("note on the draft"), blank=True)
    dispatch = models.OneToOneField(
        Dispatch, null=True, blank=True, on_delete=models.PROTECT, related_name="draft"
    )

    class Meta:
        ordering = ["file", "created_at", "id"]

    def __str__(self) -> str:
        return self.subject


class Document(models.Model):
    """An uploaded paper on a file's correspondence side, with a receipt (its scanned copy) or
    among a case's papers.

    Its versions are kept: a new upload of the same document adds a ``DocumentVersion``.
    """

    id = models.BigAutoField(primary_key=True)
    file = models.ForeignKey(EFile, null=True, blank=True, on_delete=models.PROTECT, related_name="documents")
    receipt = models.ForeignKey(
        Receipt, null=True, blank=True, on_delete=models.PROTECT, related_name="documents"
    )
    # Case papers (``core.cases``): the same upload, storage, preview and permission rules.
    case = models.ForeignKey(
        "core.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="documents"
    )
    title = models.CharField(_("title"), max_length=300)
    created_by = account_key()
    created_post = models.ForeignKey(Post, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        constraints = [
            models.CheckConstraint(
                condition=_one_of("file", "receipt", "case"), name="core_document_one_owner"
            )
        ]

    def __str__(self) -> str:
        return self.title


class DocumentVersion(models.Model):
    """One stored upload: a server-made name under the district's storage, its SHA-256, the type
    found from its content, and a preview image of page one."""

    id = models.BigAutoField(primary_key=True)
    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    stored_name = models.CharField(max_length=200, unique=True)
    preview_name = models.CharField(max_length=200, blank=True)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=60)
    size = models.BigIntegerField(_("size"))
    sha256 = models.CharField(max_length=64, db_index=True)
    pages = models.PositiveIntegerField(_("pages"), default=1)
    uploaded_by = account_key()
    uploaded_post = models.ForeignKey(Post, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["document", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="core_documentversion_number")
        ]

    def __str__(self) -> str:
        return f"{self.document_id} v{self.number}"


class Notification(models.Model):
    """Something for a person to see: a file or dak arrived at their post, or passed its due date.

    Stored as a kind with the item, not as text, so it reads in the language of whoever opens it.
    """

    class Kind(models.TextChoices):
        FILE_ARRIVED = "file_arrived", _("A file arrived")
        DAK_ARRIVED = "dak_arrived", _("Dak arrived")
        FILE_OVERDUE = "file_overdue", _("A file is past its due date")
        DAK_OVERDUE = "dak_overdue", _("Dak is past its due date")
        DRAFT_RETURNED = "draft_returned", _("A draft was returned")
        DRAFT_APPROVED = "draft_approved", _("A draft was approved")
        RTI_DUE_5 = "rti_due_5", _("An RTI reply is due in 5 days")
        RTI_DUE_1 = "rti_due_1", _("An RTI reply is due tomorrow")
        RTI_OVERDUE = "rti_overdue", _("An RTI reply is overdue")

    id = models.BigAutoField(primary_key=True)
    person = account_key()
    kind = models.CharField(max_length=20, choices=Kind.choices)
    post = models.ForeignKey(Post, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    file = models.ForeignKey(EFile, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    receipt = models.ForeignKey(Receipt, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    rti = models.ForeignKey(
        "core.RtiApplication", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["person", "read_at"], name="core_notification_unread_idx")]

    def __str__(self) -> str:
        return f"{self.person_id} {self.kind}"


__all__ = [
    "Dispatch",
    "Document",
    "DocumentVersion",
    "Draft",
    "EFile",
    "FileHead",
    "Movement",
    "Note",
    "Notification",
    "NumberSequence",
    "Passage",
    "Receipt",
]
