"""The public schema's side of range and headquarters supervision (issue 22.2).

A range office (the DIG of Tirhut) or headquarters sees the work of the districts under it only
through these rows: each district's pendency figures, computed under its own schema by a periodic
task (``core.supervision.rollup``) and copied here. A supervising office's pages read these rows
and never a district's schema.
"""

from django.db import models
from django.utils import timezone


class SupervisionFigures(models.Model):
    """One district's pendency figures, as last copied from its schema.

    ``figures`` holds: files open by post and age (``files``), dak open and overdue (``dak``), RTI
    applications near or past their reply date (``rti``), and case supervision directions pending
    (``directions``); ``core.supervision.figures`` documents each key."""

    id = models.BigAutoField(primary_key=True)
    district = models.OneToOneField("tenants.District", on_delete=models.CASCADE, related_name="+")
    figures = models.JSONField(default=dict)
    refreshed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        app_label = "tenants"

    def __str__(self) -> str:
        return f"supervision figures of {self.district_id}"
