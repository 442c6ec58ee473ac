import pytest

from state_admin.models import AuditEvent
from state_admin.services.audit import StaffActor, audit_record


def test_audit_record_refuses_to_run_outside_the_actions_transaction(world, django_db_blocker):
    # An action and its record commit together or not at all, so a record on its own is a bug.
    with django_db_blocker.unblock():
        before = AuditEvent.objects.count()
        with pytest.raises(RuntimeError, match="inside the action's transaction"):
            audit_record(actor=StaffActor(user=world.staff), action="range.create", target="Saran")
        assert AuditEvent.objects.count() == before
