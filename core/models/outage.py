"""Outages: the district's link or the data centre is down, an office works on paper, and the work
is brought back afterwards with its true dates (``core.outage``).

An ``Outage`` covers one office or (``office`` None) the whole district from ``started_at`` to
``ended_at``. Declaring it reserves blocks of diary numbers and movement-slip numbers for the paper
registers (``OutageNumber``): the live sequence skips them, back-entry uses them, each once.
``BackEntry`` records each record brought back (dak, note, movement) with its true time.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import Office, Post, account_key
from core.models.efile import Movement, Note, Receipt

__all__ = ["BackEntry", "Outage", "OutageNumber"]


class Outage(models.Model):
    id = models.BigAutoField(primary_key=True)
    office = models.ForeignKey(
        Office, verbose_name=_("office"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    started_at = models.DateTimeField(_("started"))
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    diary_count = models.PositiveIntegerField(_("diary numbers reserved per office"))
    slip_count = models.PositiveIntegerField(_("movement slips reserved per office"))
    declared_by = account_key()
    declared_post = models.ForeignKey(Post, on_delete=models.PROTECT, related_name="+")
    declared_at = models.DateTimeField(default=timezone.now)
    ended_by = account_key(null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"outage {self.pk}"


class OutageNumber(models.Model):
    """One number reserved for an outage's paper register; ``used_at`` once back-entry used it."""

    class Kind(models.TextChoices):
        DIARY = "diary", _("Diary number (inward dak)")
        SLIP = "slip", _("Movement slip")

    id = models.BigAutoField(primary_key=True)
    outage = models.ForeignKey(Outage, on_delete=models.PROTECT, related_name="numbers")
    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    year = models.PositiveSmallIntegerField()
    serial = models.PositiveIntegerField()
    number = models.CharField(_("number"), max_length=60, unique=True)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["office", "kind", "serial"]
        constraints = [
            models.UniqueConstraint(
                fields=["office", "kind", "year", "serial"], name="core_outagenumber_once"
            )
        ]
        indexes = [
            models.Index(fields=["outage", "kind", "used_at"], name="core_outagenumber_open_idx"),
        ]

    def __str__(self) -> str:
        return self.number


class BackEntry(models.Model):
    """A record brought back after an outage: which one, its true time, and when it was entered."""

    class Kind(models.TextChoices):
        DAK = "dak", _("Dak")
        NOTE = "note", _("Note")
        MOVEMENT = "movement", _("Movement")

    id = models.BigAutoField(primary_key=True)
    outage = models.ForeignKey(Outage, on_delete=models.PROTECT, related_name="entries")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    receipt = models.ForeignKey(Receipt, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    note = models.ForeignKey(Note, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    movement = models.ForeignKey(Movement, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    number = models.OneToOneField(
        OutageNumber, null=True, blank=True, on_delete=models.PROTECT, related_name="entry"
    )
    occurred_at = models.DateTimeField(_("true time"))
    entered_at = models.DateTimeField(_("entered"), default=timezone.now)
    entered_by = account_key()

    class Meta:
        ordering = ["occurred_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="dak", receipt__isnull=False, number__isnull=False)
                | Q(kind="note", note__isnull=False)
                | Q(kind="movement", movement__isnull=False, number__isnull=False),
                name="core_backentry_kind",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.pk}"
