"""Asking for a refresh of the state dashboard's figures now: the console's side of the rollup.

``rollup_refresh_request`` (the dashboard's button, platform staff) audits the request and
enqueues ``state_admin.tasks.rollup``'s task, which runs ``rollup.rollup_refresh``. Kept apart
from the rollup so that the task imports the rollup and this module the task, with no import
loop between them.
"""

from __future__ import annotations

from django.db import transaction

from state_admin.services.audit import StaffActor, audit_record
from state_admin.tasks.rollup import rollup_refresh_now_task


@transaction.atomic
def rollup_refresh_request(*, actor: StaffActor) -> None:
    """Queue a refresh of every district's figures now (the dashboard's button), audited as
    ``rollup.refresh``. The task is enqueued when the transaction commits. Platform staff only."""
    audit_record(actor=actor, action="rollup.refresh", target="all districts")
    transaction.on_commit(rollup_refresh_now_task)
