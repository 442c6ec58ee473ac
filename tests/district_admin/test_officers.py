"""Officers in the district admin's screens: list, search, export, add (new, known, transfer),
deactivate, reactivate, reset access; who may; isolation between districts."""

import datetime
import re

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.conf import settings
from django.core import mail
from django.utils import timezone

from core.models import AccessBlock, AuditEvent, Office, Post, Posting
from core.org import services as core_services
from tenants.context import district_context
from tenants.models import DistrictMembership, TransferProposal, User
from tenants.services import person_get_or_create
from tests.district_admin.conftest import non_admin_clients, refused
from tests.helpers import TOTP_SECRET, HostClient, password_set_by_link, person_of, sign_in_refused

pytestmark = pytest.mark.django_db

HINDI = "रामेश्वर प्रसाद"


@pytest.fixture
def posts(world):
    """A thana of Vaishali with an SHO, two SIs, a clerk and a PIO post."""
    with district_context(world.vaishali.schema_name):
        thana = core_services.office_create(
            code="t-of-thana", name="Thana Officers", name_hi="थाना अधिकारी", kind=Office.Kind.THANA
        )
        return {
            code: core_services.post_create(office=thana, code=f"t-of-{code}", title=title, kind=kind)
            for code, title, kind in (
                ("sho", "SHO Officers", Post.Kind.SHO),
                ("si1", "SI One", Post.Kind.SI),
                ("si2", "SI Two", Post.Kind.SI),
                ("clerk", "Clerk Officers", Post.Kind.CLERK),
                ("pio", "PIO Officers", Post.Kind.PIO),
            )
        }


def _posted(world, login_id: str, post: Post, **extra) -> User:
    person = person_of(login_id)
    for name, value in extra.items():
        setattr(person, name, value)
    person.save()
    with district_context(world.vaishali.schema_name):
        core_services.posting_start(person=person, post=post)
    return person


def _form(post: Post, **values) -> dict:
    data = {
        "login_id": "new.si",
        "full_name": "Rameshwar Prasad",
        "full_name_hi": HINDI,
        "rank": "Sub-inspector",
        "service_number": "BR-T-0001",
        "mobile": "+91 98765 43210",
        "email": "new.si@example.org",
        "post": post.pk,
    }
    data.update(values)
    return data


def _in_vaishali(world, fn):
    with district_context(world.vaishali.schema_name):
        return fn()


def _state(world) -> tuple:
    return (
        User.objects.count(),
        _in_vaishali(world, lambda: Posting.objects.count()),
        _in_vaishali(world, lambda: AccessBlock.objects.count()),
        _in_vaishali(world, lambda: AccessBlock.objects.filter(lifted_at__isnull=True).count()),
    )


def _link_path(message) -> str:
    links = re.findall(r"https?://\S+", message.body)
    port = f":{settings.PUBLIC_PORT}" if settings.PUBLIC_PORT else ""
    assert links and all(
        link.startswith(f"{settings.PUBLIC_SCHEME}://vaishali.localhost{port}/") for link in links
    ), links
    return re.search(r"https?://[^/\s]+(/\S+)", message.body).group(1)


# --- who may -----------------------------------------------------------------------------------


def test_non_admins_are_refused_and_their_posts_change_nothing(world, posts):
    clerk = world.vaishali_clerk
    _posted(world, "t.victim", posts["si1"])
    victim = User.objects.get(login_id="t.victim")
    before = _state(world)
    for who, client in non_admin_clients().items():
        for url in ("/admin/officers/", "/admin/officers/export.csv", "/admin/officers/new/"):
            assert refused(client.get(url)), (who, url)
        assert refused(client.get(f"/admin/officers/{clerk.pk}/")), who
        assert refused(client.post("/admin/officers/new/", _form(posts["si2"]))), who
        assert refused(client.post(f"/admin/officers/{victim.pk}/deactivate/", {"reason": "no reason"})), who
        assert refused(client.post(f"/admin/officers/{victim.pk}/reset/")), who
    assert _state(world) == before
    _in_vaishali(world, lambda: AccessBlock.objects.create(person=victim, reason="test"))
    for who, client in non_admin_clients().items():
        assert refused(client.post(f"/admin/officers/{victim.pk}/reactivate/")), who
    assert _in_vaishali(world, lambda: AccessBlock.objects.filter(lifted_at__isnull=True).count()) == 1
    assert not mail.outbox


# --- list, search, export ----------------------------------------------------------------------


def test_list_shows_officers_current_and_past_with_roles_and_never_another_districts(
    world, posts, admin_client
):
    _posted(world, "t.sho", posts["sho"], rank="Inspector", service_number="BR-T-SHO", mobile="9876500001")
    past = _posted(world, "t.gone", posts["pio"])
    today = timezone.localdate()
    _in_vaishali(
        world,
        lambda: Posting.objects.filter(person=past).update(
            starts_on=today - datetime.timedelta(days=30), ends_on=today - datetime.timedelta(days=1)
        ),
    )
    page = admin_client.get("/admin/officers/").text
    for text in ("t.sho", "BR-T-SHO", "9876500001", "SHO Officers", "sdpo.mahua", "clerk.vaishali", "t.gone"):
        assert text in page, text
    for role in ("District admin", "Supervisor", "Clerk / operator"):
        assert role in page
    assert "No post now" in page and "1 past posting" in page
    assert "sdpo.east" not in page and "muzaffarpur.admin" not in page
    found = admin_client.get("/admin/officers/", {"q": "BR-T-SHO"}).text
    assert "t.sho" in found and "sdpo.mahua" not in found
    assert "sdpo.mahua" in admin_client.get("/admin/officers/", {"q": "Mahua"}).text


def test_officer_of_another_district_is_not_there(world, admin_client):
    east = world.muzaffarpur_officer
    assert admin_client.get(f"/admin/officers/{east.pk}/").status_code == 404
    assert admin_client.post(f"/admin/officers/{east.pk}/deactivate/", {"reason": "x y z"}).status_code == 404
    assert not _in_vaishali(world, lambda: AccessBlock.objects.filter(person=east).exists())
    assert "sdpo.east" not in admin_client.get("/admin/officers/export.csv").content.decode("utf-8-sig")


def test_hindi_names_round_trip_through_the_form_the_list_and_the_csv(world, posts, admin_client):
    response = admin_client.post("/admin/officers/new/", _form(posts["si1"]))
    assert response.status_code == 302
    assert User.objects.get(login_id="new.si").full_name_hi == HINDI
    assert HINDI in admin_client.get("/admin/officers/").text
    assert HINDI in admin_client.get("/admin/officers/", {"q": "रामेश्वर"}).text
    export = admin_client.get("/admin/officers/export.csv")
    assert export["Content-Type"].startswith("text/csv") and export.content.startswith(b"\xef\xbb\xbf")
    text = export.content.decode("utf-8-sig")
    assert HINDI in text and "new.si" in text and "SI One, Thana Officers" in text


# --- add -----------------------------------------------------------------------------------------


def test_new_officer_gets_a_set_password_link_on_vaishalis_domain_and_it_works(
    world, posts, admin_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post("/admin/officers/new/", _form(posts["si1"]))
    assert response.status_code == 302
    person = User.objects.get(login_id="new.si")
    assert not person.has_usable_password()
    assert (person.service_number, person.mobile, person.rank) == ("BR-T-0001", "9876543210", "Sub-inspector")
    assert _in_vaishali(world, lambda: Posting.objects.filter(person=person, post=posts["si1"]).exists())
    assert DistrictMembership.objects.get(person=person, district=world.vaishali).open_postings == 1
    assert _in_vaishali(world, lambda: AuditEvent.objects.filter(action="officer.add").count()) == 1
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["new.si@example.org"]
    client = HostClient("vaishali")
    link = _link_path(mail.outbox[0])
    done = password_set_by_link(client, link)
    assert done.status_code == 302
    officer = HostClient("vaishali")
    assert officer.sign_in("new.si", "a-new-passphrase-2025").status_code == 302
    assert officer.get("/").status_code == 200


def test_roles_follow_the_posts(world, posts, admin_client):
    for code in ("sho", "clerk", "pio", "si2"):
        _posted(world, f"t.role.{code}", posts[code])
    for code, role in (
        ("sho", "Supervisor"),
        ("clerk", "Clerk / operator"),
        ("pio", "PIO"),
        ("si2", "Officer"),
    ):
        person = User.objects.get(login_id=f"t.role.{code}")
        assert role in admin_client.get(f"/admin/officers/{person.pk}/").text, code


@pytest.mark.parametrize(
    ("change", "field", "says"),
    [
        ({"login_id": "sdpo.mahua"}, "login_id", "This login ID is taken."),  # another person's
        ({"login_id": "t.blank", "service_number": "BR-T-NEW"}, "login_id", "This login ID is taken."),
        ({"email": "SDPO.MAHUA@example.org"}, "email", "belongs to another person"),
        (
            {"service_number": "BR-T-OTHER", "login_id": "someone.new"},
            "service_number",
            "This service number belongs to another account.",
        ),
        ({"mobile": "12345"}, "mobile", "mobile number"),
        ({"full_name_hi": "Not Hindi"}, "full_name_hi", "Devanagari"),
        ({"post_taken": True}, "post", "held by t.holder since"),
        ({"email": ""}, "email", "set-password link"),
    ],
)
def test_clashes_are_field_errors_and_change_nothing(world, posts, admin_client, change, field, says):
    sdpo = world.vaishali_officer
    User.objects.filter(pk=sdpo.pk).update(service_number="BR-T-MAHUA")
    _posted(world, "t.other", posts["si2"], service_number="BR-T-OTHER")
    _posted(world, "t.holder", posts["sho"])
    _posted(world, "t.blank", posts["clerk"])  # an account with no service number yet
    post = posts["sho"] if change.pop("post_taken", False) else posts["si1"]
    before = _state(world)
    response = admin_client.post("/admin/officers/new/", _form(post, **change))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors, errors
    if says:
        assert says in " ".join(errors[field])
    assert "t.other" not in " ".join(" ".join(e) for e in errors.values())  # no other login ID leaks
    assert User.objects.get(login_id="t.blank").service_number == ""
    assert _state(world) == before and not mail.outbox


def test_a_known_person_gets_a_new_posting_not_a_second_account(world, posts, admin_client):
    known = _posted(world, "t.known", posts["si2"], service_number="BR-T-KNOWN")
    response = admin_client.post(
        "/admin/officers/new/",
        _form(posts["pio"], login_id="t.known", service_number="BR-T-KNOWN", email="", mobile="9123456789"),
    )
    assert response.status_code == 302
    assert User.objects.filter(service_number="BR-T-KNOWN").count() == 1
    known.refresh_from_db()
    assert known.mobile == "9123456789" and known.has_usable_password()  # blank filled; password kept
    posts_held = _in_vaishali(
        world,
        lambda: set(
            Posting.objects.filter(person=known, ends_on__isnull=True).values_list("post", flat=True)
        ),
    )
    assert posts_held == {posts["si2"].pk, posts["pio"].pk}
    again = admin_client.post(
        "/admin/officers/new/", _form(posts["pio"], login_id="t.known", service_number="BR-T-KNOWN")
    )
    assert "already holds this post" in " ".join(again.context["form"].errors["post"])


def test_adding_a_muzaffarpur_officer_keeps_one_account_and_only_proposes_the_transfer(
    world, posts, admin_client
):
    """A district admin never ends another district's postings: the move waits for Muzaffarpur
    (tests/district_admin/test_transfers.py follows it through)."""
    mover, _ = person_get_or_create(login_id="t.mover", full_name="Mover", email="t.mover@example.org")
    User.objects.filter(pk=mover.pk).update(service_number="BR-T-MOVE")
    with district_context(world.muzaffarpur.schema_name):
        office = core_services.office_create(code="t-of-muz", name="Muz Thana", kind=Office.Kind.THANA)
        old_post = core_services.post_create(
            office=office, code="t-of-muz-si", title="SI Muz", kind=Post.Kind.SI
        )
        core_services.posting_start(person=mover, post=old_post)
    muzaffarpur_before = _muzaffarpur_state(world)
    response = admin_client.post(
        "/admin/officers/new/", _form(posts["si1"], login_id="t.mover", service_number="BR-T-MOVE", email="")
    )
    assert response.status_code == 302 and response.url == "/admin/transfers/"
    assert User.objects.filter(login_id="t.mover").count() == 1
    assert _muzaffarpur_state(world) == muzaffarpur_before
    assert not _in_vaishali(world, lambda: Posting.objects.filter(person=mover).exists())
    assert DistrictMembership.objects.get(person=mover, district=world.muzaffarpur).open_postings == 1
    assert TransferProposal.objects.get(person=mover).from_district == world.muzaffarpur


def _muzaffarpur_state(world) -> tuple:
    with district_context(world.muzaffarpur.schema_name):
        return (
            list(Posting.objects.order_by("pk").values_list("pk", "ends_on")),
            AuditEvent.objects.count(),
        )


@pytest.mark.parametrize("login", ["muzaffarpur.admin", "state.staff"])
def test_a_login_id_alone_never_adopts_an_account_without_a_service_number(world, posts, admin_client, login):
    User.objects.filter(login_id=login).update(service_number="")
    before, muzaffarpur_before = _state(world), _muzaffarpur_state(world)
    response = admin_client.post(
        "/admin/officers/new/", _form(posts["si1"], login_id=login, service_number="BR-T-GRAB", email="")
    )
    assert response.status_code == 200
    assert "This login ID is taken." in " ".join(response.context["form"].errors["login_id"])
    assert _state(world) == before and _muzaffarpur_state(world) == muzaffarpur_before
    assert User.objects.get(login_id=login).service_number == ""


def test_platform_staff_are_never_adopted_even_by_their_service_number(world, posts, admin_client):
    User.objects.filter(pk=world.staff.pk).update(service_number="BR-T-STAFF")
    before = _state(world)
    response = admin_client.post(
        "/admin/officers/new/",
        _form(posts["si1"], login_id="state.staff", service_number="BR-T-STAFF", email=""),
    )
    assert response.status_code == 200 and "login_id" in response.context["form"].errors
    assert _state(world) == before


def test_a_district_admin_elsewhere_is_not_transferred_until_released_there(world, posts, admin_client):
    User.objects.filter(login_id="muzaffarpur.admin").update(service_number="BR-T-MZA")
    before, muzaffarpur_before = _state(world), _muzaffarpur_state(world)
    response = admin_client.post(
        "/admin/officers/new/",
        _form(posts["si1"], login_id="muzaffarpur.admin", service_number="BR-T-MZA", email=""),
    )
    assert response.status_code == 200
    assert "released there" in " ".join(response.context["form"].errors["service_number"])
    assert _state(world) == before and _muzaffarpur_state(world) == muzaffarpur_before
    admin = User.objects.get(login_id="muzaffarpur.admin")
    assert DistrictMembership.objects.get(person=admin, district=world.muzaffarpur).open_postings == 1


def test_a_nul_in_the_search_is_no_server_error(world, admin_client):
    assert admin_client.get("/admin/officers/?q=%00").status_code == 200
    assert "sdpo.mahua" in admin_client.get("/admin/officers/?q=mah%00ua").text
    export = admin_client.get("/admin/officers/export.csv?q=%00")
    assert export.status_code == 200 and "sdpo.mahua" in export.content.decode("utf-8-sig")
    response = admin_client.post("/admin/officers/new/", {"login_id": "a\x00b", "full_name": "x\x00"})
    assert response.status_code == 200


# --- deactivate, reactivate, reset ---------------------------------------------------------------


def test_deactivation_ends_the_live_session_and_reactivation_restores_access(world, posts, admin_client):
    person = _posted(world, "t.deact", posts["si1"])
    with district_context(world.muzaffarpur.schema_name):
        office = core_services.office_create(code="t-of-muz2", name="Muz Two", kind=Office.Kind.THANA)
        core_services.posting_start(
            person=person,
            post=core_services.post_create(office=office, code="t-of-muz2-si", title="SI", kind=Post.Kind.SI),
        )
    officer = HostClient("vaishali")
    assert officer.sign_in("t.deact").status_code == 302 and officer.get("/").status_code == 200
    elsewhere = HostClient("muzaffarpur")
    assert elsewhere.sign_in("t.deact").status_code == 302 and elsewhere.get("/").status_code == 200

    no_reason = admin_client.post(f"/admin/officers/{person.pk}/deactivate/", {"reason": "  "})
    assert no_reason.status_code == 302 and officer.get("/").status_code == 200
    assert not _in_vaishali(world, lambda: AccessBlock.objects.filter(person=person).exists())

    admin_client.post(f"/admin/officers/{person.pk}/deactivate/", {"reason": "Suspended from service"})
    block = _in_vaishali(world, lambda: AccessBlock.objects.get(person=person))
    assert block.lifted_at is None and block.blocked_by.login_id == "vaishali.admin"
    signed_out = officer.get("/")
    assert signed_out.status_code == 302 and "/accounts/login/" in signed_out.url
    assert sign_in_refused(HostClient("vaishali").sign_in("t.deact"))  # as for a wrong password
    assert elsewhere.get("/").status_code == 200  # Muzaffarpur is not touched
    detail = admin_client.get(f"/admin/officers/{person.pk}/").text
    assert "Suspended from service" in detail and "Deactivated" in detail
    assert "Deactivated" in admin_client.get("/admin/officers/", {"q": "t.deact"}).text

    admin_client.post(f"/admin/officers/{person.pk}/reactivate/")
    block.refresh_from_db()
    assert block.lifted_at is not None  # kept as history
    back = HostClient("vaishali")
    assert back.sign_in("t.deact").status_code == 302 and back.get("/").status_code == 200
    actions = _in_vaishali(world, lambda: list(AuditEvent.objects.values_list("action", flat=True)))
    assert actions.count("officer.deactivate") == 1 and actions.count("officer.reactivate") == 1


def test_an_admin_cannot_deactivate_themselves(world, admin_client):
    me = User.objects.get(login_id="vaishali.admin")
    admin_client.post(f"/admin/officers/{me.pk}/deactivate/", {"reason": "testing myself"})
    assert not _in_vaishali(world, lambda: AccessBlock.objects.filter(person=me).exists())
    assert admin_client.get("/admin/officers/").status_code == 200


def test_reset_access_ends_sessions_removes_totp_and_sends_a_link(
    world, posts, admin_client, django_capture_on_commit_callbacks
):
    person = _posted(world, "t.reset", posts["si1"])
    TOTP.activate(person, TOTP_SECRET)
    officer = HostClient("vaishali")
    assert officer.sign_in("t.reset").status_code == 302 and officer.get("/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(f"/admin/officers/{person.pk}/reset/")
    assert response.status_code == 302
    assert officer.get("/").status_code == 302
    assert not Authenticator.objects.filter(user=person).exists()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["t.reset@example.org"]
    _link_path(mail.outbox[0])
    assert _in_vaishali(world, lambda: AuditEvent.objects.filter(action="officer.access_reset").count()) == 1


def test_reset_access_keeps_platform_staffs_totp(
    world, posts, admin_client, django_capture_on_commit_callbacks
):
    with district_context(world.vaishali.schema_name):
        core_services.posting_start(person=world.staff, post=posts["si2"])
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(f"/admin/officers/{world.staff.pk}/reset/")
    assert Authenticator.objects.filter(user=world.staff, type=Authenticator.Type.TOTP).exists()
    assert len(mail.outbox) == 1


def test_reset_access_of_a_deactivated_officer_is_refused(world, posts, admin_client):
    person = _posted(world, "t.reset2", posts["si1"])
    TOTP.activate(person, TOTP_SECRET)
    admin_client.post(f"/admin/officers/{person.pk}/deactivate/", {"reason": "on leave pending inquiry"})
    response = admin_client.post(f"/admin/officers/{person.pk}/reset/", follow=True)
    assert "reactivate them first" in response.text
    assert Authenticator.objects.filter(user=person).exists()
