"""Each district's audit-chain head is anchored in the public schema, signed with a key the
database does not hold, every hour and on every verification; a verification compares the chain
with the last anchor, so removing the newest events (which leaves a valid chain) is found too."""

import logging

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.db import connection, transaction
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from core.base.audit import audit_append, audit_seal, audit_verify
from core.models import AuditEvent
from state_admin.models import AuditAnchor
from state_admin.services.audit_anchor import (
    anchor_last,
    anchor_sign,
    anchor_signature_ok,
    audit_anchor_district,
)
from state_admin.tasks.audit_anchor import audit_anchor_all_task
from tenants.context import district_context
from tenants.models import District, User
from tests.helpers import TOTP_SECRET, HostClient, verify_audit
from tests.state_admin.conftest import non_staff_clients, refused

pytestmark = pytest.mark.django_db

Result = AuditAnchor.Result


def _append(schema: str, n: int) -> list[AuditEvent]:
    events = []
    with district_context(schema):
        for i in range(n):
            with transaction.atomic():
                events.append(audit_append(actor=None, action="test.anchor", summary=f"event {i}"))
        audit_seal()  # what the sealer does a moment later
    return events


def _sql(statement: str, params=None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def _delete_events(schema: str, ids: list[int]) -> None:
    """What an insider with the superuser's credentials does: triggers off, rows gone, triggers
    on again (inside the test transaction, so rolled back with it)."""
    with district_context(schema):
        _sql("ALTER TABLE core_auditevent DISABLE TRIGGER ALL")
        _sql("DELETE FROM core_auditevent WHERE id = ANY(%s)", [ids])
        _sql("ALTER TABLE core_auditevent ENABLE TRIGGER ALL")


def _anchor(district: District, *, full: bool = True) -> AuditAnchor:
    kind = AuditAnchor.Kind.VERIFICATION if full else AuditAnchor.Kind.SCHEDULED
    anchor, _chain = audit_anchor_district(district, kind=kind, full=full)
    return anchor


def _head(schema: str) -> tuple[int, str, int]:
    with district_context(schema):
        audit_seal()
        last = AuditEvent.objects.filter(seq__isnull=False).order_by("-seq").first()
        return last.id, last.hash, AuditEvent.objects.count()


# --- Trimmed tails, rewrites and forged anchors ----------------------------------------------


def test_deleting_the_newest_three_events_after_an_anchor_fails_verification(world):
    events = _append("vaishali", 5)
    out, code = verify_audit("vaishali")
    assert code == 0 and "vaishali: OK" in out

    _delete_events("vaishali", [event.pk for event in events[-3:]])
    with district_context("vaishali"):
        assert audit_verify().ok  # what is left is a valid chain: the chain alone cannot tell

    out, code = verify_audit("vaishali")
    assert code == 1
    assert f"events after #{events[1].pk} were removed" in out
    assert f"recorded event #{events[4].pk} as the newest" in out
    assert "vaishali: OK" not in out
    newest = anchor_last(world.vaishali)
    assert newest.result == Result.TRIMMED and not newest.trusted
    # The trimmed head is not trusted: the next check still compares with the anchor before it.
    assert verify_audit("vaishali")[1] == 1
    assert anchor_last(world.vaishali, trusted=True).event_id == events[4].pk


def test_the_hourly_anchor_finds_a_trimmed_tail_and_keeps_finding_it(world, caplog):
    events = _append("vaishali", 4)
    assert _anchor(world.vaishali, full=False).result == Result.OK
    _delete_events("vaishali", [event.pk for event in events[-3:]])
    with caplog.at_level(logging.INFO, logger="karyalay.audit.anchor"):
        first = _anchor(world.vaishali, full=False)
        second = _anchor(world.vaishali, full=False)
    assert first.result == second.result == Result.TRIMMED
    assert f"events after #{events[0].pk} were removed" in first.problem
    assert "result=trimmed" in caplog.text and "district=vaishali" in caplog.text


def test_events_replaced_after_the_anchor_are_found(world):
    """The newest events deleted and others appended in their place: the anchored id is gone
    while later ids exist, and the new events chain correctly from what is left."""
    events = _append("vaishali", 3)
    _anchor(world.vaishali)
    _delete_events("vaishali", [events[-1].pk])
    _append("vaishali", 2)
    with district_context("vaishali"):
        assert audit_verify().ok
    out, code = verify_audit("vaishali")
    assert code == 1 and f"event #{events[-1].pk}, the newest event when anchored" in out
    assert anchor_last(world.vaishali).result == Result.REWRITTEN


def test_an_anchored_event_whose_hash_changed_is_found(world):
    events = _append("vaishali", 2)
    _anchor(world.vaishali)
    with district_context("vaishali"):
        _sql("ALTER TABLE core_auditevent DISABLE TRIGGER ALL")
        _sql("UPDATE core_auditevent SET hash = repeat('e', 64) WHERE id = %s", [events[-1].pk])
        _sql("ALTER TABLE core_auditevent ENABLE TRIGGER ALL")
    out, code = verify_audit("vaishali")
    assert code == 1 and f"event #{events[-1].pk} no longer has the hash anchored" in out


def test_an_anchor_moved_to_the_trimmed_head_with_its_old_signature_is_reported_tampered(world):
    events = _append("vaishali", 5)
    anchor = _anchor(world.vaishali)
    _delete_events("vaishali", [event.pk for event in events[-3:]])
    head_id, head_hash, count = _head("vaishali")
    # The insider also rewrites the anchor to match what is left, keeping its signature.
    AuditAnchor.objects.filter(pk=anchor.pk).update(event_id=head_id, head_hash=head_hash, event_count=count)

    out, code = verify_audit("vaishali")
    assert code == 1
    assert f"the anchor {anchor.pk} of" in out and "does not carry a valid signature" in out
    assert anchor_last(world.vaishali).result == Result.ANCHOR_TAMPERED


def test_a_forged_hash_in_an_anchor_is_detected(world):
    _append("vaishali", 2)
    anchor = _anchor(world.vaishali)
    assert anchor_signature_ok(anchor)
    AuditAnchor.objects.filter(pk=anchor.pk).update(head_hash="f" * 64)
    assert not anchor_signature_ok(AuditAnchor.objects.get(pk=anchor.pk))
    out, code = verify_audit("vaishali")
    assert code == 1 and "tampered" in out


def test_an_old_anchor_copied_over_the_newest_is_detected(world):
    """The newest events removed, and the newest anchor made a copy of an older one (signature
    and all) that the trimmed trail still matches: the signature covers the anchor's own id."""
    _append("vaishali", 2)
    old = _anchor(world.vaishali)
    later = _append("vaishali", 3)
    newest = _anchor(world.vaishali)
    columns = (
        "event_id",
        "head_hash",
        "event_count",
        "anchored_at",
        "kind",
        "result",
        "problem",
        "signature",
    )
    AuditAnchor.objects.filter(pk=newest.pk).update(**{name: getattr(old, name) for name in columns})
    _delete_events("vaishali", [event.pk for event in later])
    out, code = verify_audit("vaishali")
    assert code == 1 and f"the anchor {newest.pk} of" in out
    assert anchor_last(world.vaishali).result == Result.ANCHOR_TAMPERED


def test_another_districts_anchor_copied_in_is_detected(world):
    _append("vaishali", 2)
    _append("muzaffarpur", 2)
    theirs = _anchor(world.muzaffarpur)
    ours = _anchor(world.vaishali)
    AuditAnchor.objects.filter(pk=ours.pk).update(
        **{name: getattr(theirs, name) for name in ("event_id", "head_hash", "event_count", "signature")}
    )
    assert verify_audit("vaishali")[1] == 1
    assert anchor_last(world.vaishali).result == Result.ANCHOR_TAMPERED


# --- An untouched chain ----------------------------------------------------------------------


def test_an_untouched_chain_stays_ok_hourly_and_on_verification(world, caplog):
    _append("vaishali", 3)
    with caplog.at_level(logging.INFO, logger="karyalay.audit.anchor"):
        first = _anchor(world.vaishali, full=False)
    head_id, head_hash, count = _head("vaishali")
    assert (first.result, first.event_id, first.head_hash, first.event_count) == (
        Result.OK,
        head_id,
        head_hash,
        count,
    )
    # Written to the logs too: a record outside the database.
    assert f"district=vaishali event=#{head_id} hash={head_hash}" in caplog.text

    _append("vaishali", 2)
    second = _anchor(world.vaishali, full=False)  # walks only the two new events
    head_id, head_hash, count = _head("vaishali")
    assert (second.result, second.event_id, second.head_hash, second.event_count) == (
        Result.OK,
        head_id,
        head_hash,
        count,
    )
    out, code = verify_audit("vaishali")
    assert code == 0 and f"vaishali: OK, {count} events, head {head_hash}" in out
    assert f"anchored event #{head_id} ({count} events)" in out
    assert anchor_last(world.vaishali).kind == AuditAnchor.Kind.VERIFICATION
    assert all(anchor_signature_ok(anchor) for anchor in AuditAnchor.objects.all())


def test_anchors_are_signed_with_a_key_the_database_does_not_hold(world, settings):
    _append("vaishali", 1)
    anchor = _anchor(world.vaishali)
    assert settings.SECRET_KEY not in anchor.signature and anchor.signature == anchor_sign(anchor)
    # A rotated SECRET_KEY keeps its fallback's anchors valid; another key makes them fail.
    with override_settings(
        SECRET_KEY="a-new-secret-key-" + "x" * 40, SECRET_KEY_FALLBACKS=[settings.SECRET_KEY]
    ):
        assert anchor_signature_ok(anchor)
    with override_settings(KARYALAY_AUDIT_ANCHOR_KEY="k" * 40):
        assert not anchor_signature_ok(anchor)
        assert anchor_sign(anchor) != anchor.signature


# --- The periodic task -------------------------------------------------------------------------


def test_the_periodic_task_anchors_every_district_with_a_schema(world):
    planned = District.objects.create(
        slug="planned-x", schema_name="planned_x", name="Planned", status="planned"
    )
    ghost = District.objects.create(slug="ghost", schema_name="ghost", name="Ghost", status="live")
    _append("vaishali", 1)
    _append("muzaffarpur", 1)

    done = audit_anchor_all_task.call_local()

    assert done["vaishali"] == done["muzaffarpur"] == Result.OK
    assert "planned-x" not in done and not AuditAnchor.objects.filter(district=planned).exists()
    # A live district whose schema is missing fails alone; the others are still anchored.
    assert done["ghost"] == "error" and not AuditAnchor.objects.filter(district=ghost).exists()
    for district in (world.vaishali, world.muzaffarpur):
        anchor = anchor_last(district)
        assert (anchor.event_id, anchor.head_hash, anchor.event_count) == _head(district.schema_name)
        assert anchor.kind == AuditAnchor.Kind.SCHEDULED
    assert connection.schema_name == "public"


def test_anchoring_vaishali_never_reads_muzaffarpur(world):
    _append("vaishali", 2)
    _append("muzaffarpur", 2)
    before = list(AuditAnchor.objects.filter(district=world.muzaffarpur).values_list("pk", flat=True))
    # Muzaffarpur's trail made unreadable (inside the test transaction): any read of it would fail.
    _sql('ALTER TABLE "muzaffarpur".core_auditevent RENAME TO core_auditevent_hidden')
    with CaptureQueriesContext(connection) as queries:
        anchor = _anchor(world.vaishali, full=False)
        verified = _anchor(world.vaishali, full=True)
    assert anchor.result == verified.result == Result.OK
    assert not [q["sql"] for q in queries.captured_queries if "muzaffarpur" in q["sql"].lower()]
    after = list(AuditAnchor.objects.filter(district=world.muzaffarpur).values_list("pk", flat=True))
    assert after == before


# --- The state console -------------------------------------------------------------------------


def test_the_state_console_shows_each_districts_last_anchor(world, staff_client):
    events = _append("vaishali", 3)
    ok = _anchor(world.vaishali)
    response = staff_client.get("/districts/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Audit chain" in page and f"#{ok.event_id}," in page and "Chain holds" in page

    _delete_events("vaishali", [event.pk for event in events[-2:]])
    trimmed = _anchor(world.vaishali)
    page = staff_client.get("/districts/vaishali/").content.decode()
    assert "Audit chain anchors" in page
    assert "Newest events removed" in page and f"events after #{events[0].pk} were removed" in page
    assert f"#{ok.event_id}" in page and f"#{trimmed.event_id}" in page

    AuditAnchor.objects.filter(pk=trimmed.pk).update(result=Result.OK, problem="")
    page = staff_client.get("/districts/").content.decode()
    assert "Anchor tampered with" in page


def test_the_state_console_shows_a_district_not_yet_anchored(world, staff_client):
    page = staff_client.get("/districts/muzaffarpur/").content.decode()
    assert "Audit chain anchors" in page and "Not anchored yet" in page


def test_district_people_cannot_see_the_anchors(world):
    _append("vaishali", 1)
    _anchor(world.vaishali)
    for who, client in non_staff_clients().items():
        for url in ("/districts/", "/districts/vaishali/"):
            response = client.get(url)
            assert refused(response), (who, url)
            assert "Audit chain" not in response.content.decode()
    for subdomain, login in (
        ("vaishali", "vaishali.admin"),
        ("vaishali", "sdpo.mahua"),
        ("muzaffarpur", None),
    ):
        client = HostClient(subdomain)
        if login:
            client.sign_in(login)
        for url in ("/districts/", "/districts/vaishali/"):
            assert client.get(url).status_code == 404, (subdomain, login, url)


# --- The district admin's chain check asks the anchor too ------------------------------------


def test_the_district_admins_chain_check_finds_a_trimmed_tail(world):
    events = _append("vaishali", 5)
    admin = HostClient("vaishali")
    admin.sign_in("vaishali.admin")
    ok = admin.get("/admin/audit/verify/")
    assert ok.status_code == 200 and "The chain holds" in ok.text
    assert f"Anchored outside the district: newest event #{events[-1].pk}" in ok.text

    _delete_events("vaishali", [event.pk for event in events[-3:]])
    trimmed = admin.get("/admin/audit/verify/")
    assert "The chain holds" not in trimmed.text
    assert "does not match its last anchor" in trimmed.text
    assert f"events after #{events[1].pk} were removed" in trimmed.text
    assert anchor_last(world.vaishali).result == Result.TRIMMED

    # Muzaffarpur's admin checks Muzaffarpur's chain and anchor only.
    TOTP.activate(User.objects.get(login_id="muzaffarpur.admin"), TOTP_SECRET)  # rolled back
    other = HostClient("muzaffarpur")
    other.sign_in("muzaffarpur.admin")
    page = other.get("/admin/audit/verify/")
    assert page.status_code == 200 and "The chain holds" in page.text
    assert "were removed" not in page.text
    assert anchor_last(world.muzaffarpur).result == Result.OK
    assert anchor_last(world.vaishali).result == Result.TRIMMED


def test_only_the_district_admin_runs_the_check_that_anchors(world):
    from tests.district_admin.conftest import non_admin_clients
    from tests.district_admin.conftest import refused as admin_refused

    _append("vaishali", 1)
    before = AuditAnchor.objects.count()
    for who, client in non_admin_clients().items():
        response = client.get("/admin/audit/verify/")
        assert admin_refused(response), who
    assert AuditAnchor.objects.count() == before
