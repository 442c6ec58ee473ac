"""Posts and postings: one holder at a time, additional charges, transfers, the admin's screens,
and the access gate reading postings in force."""

import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Value
from django.db.models.functions import Concat
from django.utils import timezone

from core.base.audit import Actor
from core.base.records import post_marked_records, records_register, records_unregister
from core.models import AuditEvent, Office, Post, Posting
from core.org import services
from state_admin.services.provisioning import DistrictSpec, district_provision
from tenants import schemas
from tenants.context import district_context
from tenants.models import District, DistrictMembership, User
from tests.district_admin.conftest import non_admin_clients, refused
from tests.helpers import HostClient, person_of, sign_in_refused

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)


def _person(login_id: str) -> User:
    return person_of(login_id, full_name_hi="राम कुमार")


@pytest.fixture
def desk(world, db, actor):
    """A thana with an SHO post and a clerk post, and two officers, in Vaishali."""
    with district_context("vaishali"):
        sdpo = Office.objects.get(code="sp-office")
        thana = services.office_create(
            actor=actor, code="g2p-thana", name="G2 Thana", kind=Office.Kind.THANA,
            parent=services.office_create(actor=actor, code="g2p-sdpo", name="G2 SDPO", kind="sdpo", parent=sdpo),
        )  # fmt: skip
        sho = services.post_create(actor=actor, office=thana, code="g2p-sho", title="SHO G2", kind="sho")
        clerk = services.post_create(
            actor=actor, office=thana, code="g2p-clerk", title="Clerk G2", kind="clerk"
        )
    return {
        "thana": thana, "sho": sho, "clerk": clerk, "a": _person("g2.alpha"), "b": _person("g2.beta"),
    }  # fmt: skip


def test_overlapping_substantive_postings_to_a_post_are_refused(desk, actor):
    with district_context("vaishali"):
        services.posting_start(actor=actor, person=desk["a"], post=desk["sho"], starts_on=TODAY - 10 * DAY)
        with pytest.raises(ValidationError) as refused_:
            services.posting_start(actor=actor, person=desk["b"], post=desk["sho"], starts_on=TODAY)
        assert "one holder at a time" in " ".join(refused_.value.message_dict["starts_on"])
        # Before the first holder's posting too: a period that runs into it overlaps.
        with pytest.raises(ValidationError):
            services.posting_start(
                actor=actor,
                person=desk["b"],
                post=desk["sho"],
                starts_on=TODAY - 20 * DAY,
                ends_on=TODAY - 10 * DAY,
            )
        assert Posting.objects.filter(post=desk["sho"]).count() == 1


def test_the_next_holder_may_start_after_the_last_one_ends(desk, actor):
    with district_context("vaishali"):
        first = services.posting_start(
            actor=actor, person=desk["a"], post=desk["sho"], starts_on=TODAY - 10 * DAY
        )
        services.posting_end(actor=actor, posting=first, ends_on=TODAY - DAY)
        services.posting_start(actor=actor, person=desk["b"], post=desk["sho"], starts_on=TODAY)
        assert AuditEvent.objects.filter(action="posting.end", target_id=str(first.pk)).exists()
        assert AuditEvent.objects.filter(action="posting.start").count() >= 2
        with pytest.raises(ValidationError) as refused_:
            services.posting_end(actor=actor, posting=first, ends_on=TODAY)
        assert "ended" in " ".join(refused_.value.message_dict["ends_on"])


def test_additional_charge_needs_an_end_date_in_the_service_and_the_database(desk, actor):
    with district_context("vaishali"):
        with pytest.raises(ValidationError) as refused_:
            services.posting_start(actor=actor, person=desk["a"], post=desk["sho"], additional_charge=True)
        assert "end date" in " ".join(refused_.value.message_dict["ends_on"])
        with pytest.raises(IntegrityError), transaction.atomic():
            Posting.objects.create(person=desk["a"], post=desk["sho"], additional_charge=True)


def test_additional_charges_of_a_post_do_not_overlap_but_may_run_beside_its_holder(desk, actor):
    c = _person("g2.gamma")
    with district_context("vaishali"):
        services.posting_start(actor=actor, person=desk["a"], post=desk["sho"], starts_on=TODAY - 5 * DAY)
        charge = services.posting_start(
            actor=actor, person=desk["b"], post=desk["sho"], ends_on=TODAY + 30 * DAY, additional_charge=True
        )
        assert AuditEvent.objects.filter(
            action="posting.additional_charge", target_id=str(charge.pk)
        ).exists()
        with pytest.raises(ValidationError) as refused_:
            services.posting_start(
                actor=actor, person=c, post=desk["sho"], starts_on=TODAY + 10 * DAY,
                ends_on=TODAY + 40 * DAY, additional_charge=True,
            )  # fmt: skip
        assert "one additional charge at a time" in " ".join(refused_.value.message_dict["starts_on"])


def test_transfer_ends_one_posting_starts_another_and_leaves_the_posts_records(desk, actor):
    marked = {desk["sho"].pk: 4}
    records_register(key="test.marked", label="files", post_count=lambda post: marked.get(post.pk, 0))
    try:
        with district_context("vaishali"):
            old = services.posting_start(
                actor=actor, person=desk["a"], post=desk["sho"], starts_on=TODAY - 30 * DAY
            )
            before = post_marked_records(desk["sho"])
            new = services.posting_transfer(actor=actor, posting=old, to_post=desk["clerk"], on=TODAY)
            assert post_marked_records(desk["sho"]) == before == {"files": 4}
            assert post_marked_records(desk["clerk"]) == {}
            old.refresh_from_db()
            assert old.ends_on == TODAY - DAY and (new.post, new.starts_on, new.ends_on) == (
                desk["clerk"],
                TODAY,
                None,
            )
            event = AuditEvent.objects.get(action="posting.transfer", target_id=str(new.pk))
            assert event.details["kept_with_post"] == {"files": 4}
            # The SHO post is free for the next holder from the transfer date.
            services.posting_start(actor=actor, person=desk["b"], post=desk["sho"], starts_on=TODAY)
    finally:
        records_unregister("test.marked")


def test_a_transfer_to_a_held_post_changes_nothing(desk, actor):
    with district_context("vaishali"):
        old = services.posting_start(
            actor=actor, person=desk["a"], post=desk["sho"], starts_on=TODAY - 30 * DAY
        )
        services.posting_start(actor=actor, person=desk["b"], post=desk["clerk"], starts_on=TODAY - 30 * DAY)
        with pytest.raises(ValidationError) as refused_:
            services.posting_transfer(actor=actor, posting=old, to_post=desk["clerk"], on=TODAY)
        assert "to_post" in refused_.value.message_dict
        old.refresh_from_db()
        assert old.ends_on is None


def test_a_post_with_a_holder_cannot_close_and_a_closed_post_takes_no_posting(desk, actor):
    with district_context("vaishali"):
        posting = services.posting_start(
            actor=actor, person=desk["a"], post=desk["sho"], starts_on=TODAY - 3 * DAY
        )
        with pytest.raises(ValidationError) as refused_:
            services.post_close(actor=actor, post=desk["sho"])
        assert "postings not ended: 1" in " ".join(refused_.value.messages)
        services.posting_end(actor=actor, posting=posting, ends_on=TODAY - DAY)
        services.post_close(actor=actor, post=desk["sho"])
        with pytest.raises(ValidationError):
            services.posting_start(actor=actor, person=desk["b"], post=desk["sho"])


def test_a_post_with_records_marked_to_it_cannot_close(desk, actor):
    records_register(key="test.marked", label="files", post_count=lambda post: 2)
    try:
        with district_context("vaishali"), pytest.raises(ValidationError) as refused_:
            services.post_close(actor=actor, post=desk["clerk"])
        assert "files: 2" in " ".join(refused_.value.messages)
    finally:
        records_unregister("test.marked")


# The access gate reads postings in force.


def test_a_posting_from_a_later_date_does_not_let_the_person_in_before_it(desk, actor):
    with district_context("vaishali"):
        services.posting_start(actor=actor, person=desk["a"], post=desk["clerk"], starts_on=TODAY + DAY)
    assert sign_in_refused(HostClient("vaishali").sign_in("g2.alpha"))


def test_an_ended_posting_stops_access_at_the_next_request(desk, actor):
    with district_context("vaishali"):
        posting = services.posting_start(
            actor=actor, person=desk["a"], post=desk["clerk"], starts_on=TODAY - 9 * DAY
        )
    client = HostClient("vaishali")
    assert client.sign_in("g2.alpha").status_code == 302
    assert client.get("/").status_code == 200
    with district_context("vaishali"):
        services.posting_end(actor=actor, posting=posting, ends_on=TODAY - DAY)
    assert client.get("/").status_code == 403


# The admin's screens.


def _count():
    with district_context("vaishali"):
        return (Post.objects.count(), Posting.objects.count(), AuditEvent.objects.count())


def test_admin_creates_a_custom_post_and_edits_its_titles(admin_client, desk):
    office = desk["thana"]
    response = admin_client.post(
        f"/admin/offices/{office.pk}/posts/new/",
        {
            "code": "g2p-malkhana",
            "kind": "other",
            "title": "Malkhana in-charge",
            "title_hi": "मालखाना प्रभारी",
        },
    )
    assert response.status_code == 302
    with district_context("vaishali"):
        post = Post.objects.get(code="g2p-malkhana")
    assert (post.kind, post.title_hi) == ("other", "मालखाना प्रभारी")
    assert "मालखाना प्रभारी" in admin_client.get(f"/admin/offices/{office.pk}/").text
    response = admin_client.post(
        f"/admin/posts/{post.pk}/edit/", {"title": "Malkhana", "title_hi": "मालखाना"}
    )
    assert response.status_code == 302
    with district_context("vaishali"):
        assert Post.objects.get(pk=post.pk).title_hi == "मालखाना"
        assert AuditEvent.objects.filter(action="post.update", target_id=str(post.pk)).exists()


def test_admin_posts_by_login_id_and_sees_postings_per_post_and_per_person(admin_client, desk):
    url = f"/admin/posts/{desk['sho'].pk}/postings/new/"
    assert admin_client.get(url).status_code == 200
    User.objects.filter(login_id__in=["g2.alpha", "g2.beta"]).update(
        service_number=Concat("login_id", Value("-no"))
    )
    day = (TODAY - 3 * DAY).isoformat()
    response = admin_client.post(
        url, {"login_id": "G2.Alpha", "service_number": "g2.alpha-no", "starts_on": day}
    )
    assert response.status_code == 302
    page = admin_client.get(f"/admin/posts/{desk['sho'].pk}/").text
    assert "g2.alpha" in page
    refusal = admin_client.post(
        url, {"login_id": "g2.beta", "service_number": "g2.beta-no", "starts_on": TODAY.isoformat()}
    )
    assert refusal.status_code == 200 and "one holder at a time" in refusal.text
    assert (
        "No officer of this district has this login ID"
        in admin_client.post(url, {"login_id": "nobody.g2", "starts_on": day}).text
    )
    person_page = admin_client.get("/admin/postings/of/g2.alpha/")
    assert person_page.status_code == 200 and "SHO G2" in person_page.text
    assert admin_client.get("/admin/postings/of/nobody.g2/").status_code == 404
    assert admin_client.get("/admin/postings/of/%00/").status_code == 404
    assert admin_client.get("/admin/postings/of/g2.alpha%00/").status_code == 404


def _refusal(response) -> str:
    assert response.status_code == 200
    return " ".join(response.context["form"].errors.get("login_id", []))


def test_a_login_id_alone_never_posts_someone_new_to_the_district(admin_client, desk, world):
    """An officer of another district, one with no posting anywhere, and platform staff: by login ID
    alone, or with a wrong service number, they are refused alike, and nothing about them shows."""
    url = f"/admin/posts/{desk['sho'].pk}/postings/new/"
    User.objects.filter(login_id="sdpo.east").update(service_number="BR-G2-EAST")
    User.objects.filter(pk=world.staff.pk).update(service_number="BR-G2-STAFF")
    before = _count()
    same = "No officer of this district has this login ID"
    day = TODAY.isoformat()
    for data in (
        {"login_id": "sdpo.east"},
        {"login_id": "sdpo.east", "service_number": "BR-G2-WRONG"},
        {"login_id": "g2.alpha"},  # no posting anywhere, no service number
        {"login_id": "g2.alpha", "service_number": "BR-G2-EAST"},
        {"login_id": "state.staff"},
        {"login_id": "state.staff", "service_number": "BR-G2-STAFF"},
        {"login_id": "nobody.g2", "service_number": "BR-G2-EAST"},
    ):
        response = admin_client.post(url, {"starts_on": day, **data})
        assert same in _refusal(response), data
        assert "sdpo.east@example.org" not in response.text
    assert _count() == before
    assert admin_client.get("/admin/postings/of/sdpo.east/").status_code == 404
    # With their own service number an officer from elsewhere is posted (a deliberate step).
    response = admin_client.post(
        url, {"login_id": "sdpo.east", "service_number": "BR-G2-EAST", "starts_on": day}
    )
    assert response.status_code == 302
    with district_context("vaishali"):
        assert Posting.objects.filter(person__login_id="sdpo.east", post=desk["sho"]).exists()


def test_someone_with_a_past_posting_here_is_posted_by_login_id(admin_client, desk, actor):
    with district_context("vaishali"):
        services.posting_start(
            actor=actor, person=desk["a"], post=desk["clerk"], starts_on=TODAY - 9 * DAY, ends_on=TODAY - DAY
        )
    url = f"/admin/posts/{desk['sho'].pk}/postings/new/"
    assert admin_client.post(url, {"login_id": "g2.alpha", "starts_on": TODAY.isoformat()}).status_code == 302


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"starts_on": "9999-12-31"}, "starts_on"),
        ({"starts_on": "0001-01-01", "ends_on": "0001-01-02", "additional_charge": "on"}, "starts_on"),
        ({"starts_on": "1949-12-31"}, "starts_on"),
        ({"starts_on": "TODAY", "ends_on": "9999-12-31"}, "ends_on"),
        ({"starts_on": "LATE"}, "starts_on"),
    ],
)
def test_posting_dates_out_of_range_are_refused(admin_client, desk, actor, data, field):
    with district_context("vaishali"):
        services.posting_start(
            actor=actor, person=desk["a"], post=desk["clerk"], starts_on=TODAY - 9 * DAY, ends_on=TODAY - DAY
        )
    late = (TODAY + 366 * DAY).isoformat()
    data = {key: {"TODAY": TODAY.isoformat(), "LATE": late}.get(value, value) for key, value in data.items()}
    before = _count()
    response = admin_client.post(
        f"/admin/posts/{desk['sho'].pk}/postings/new/", {"login_id": "g2.alpha", **data}
    )
    assert response.status_code == 200
    assert "Give a date from" in " ".join(response.context["form"].errors[field])
    assert _count() == before
    in_a_year = (TODAY + 365 * DAY).isoformat()
    ok = admin_client.post(
        f"/admin/posts/{desk['sho'].pk}/postings/new/", {"login_id": "g2.alpha", "starts_on": in_a_year}
    )
    assert ok.status_code == 302


def test_the_form_refuses_an_additional_charge_without_an_end_date(admin_client, desk):
    before = _count()
    response = admin_client.post(
        f"/admin/posts/{desk['sho'].pk}/postings/new/",
        {"login_id": "g2.alpha", "starts_on": TODAY.isoformat(), "additional_charge": "on"},
    )
    assert response.status_code == 200 and "give its end date" in response.text
    assert _count() == before


def test_admin_ends_and_transfers_postings(admin_client, desk, actor):
    with district_context("vaishali"):
        posting = services.posting_start(
            actor=actor, person=desk["a"], post=desk["sho"], starts_on=TODAY - 9 * DAY
        )
    response = admin_client.post(
        f"/admin/postings/{posting.pk}/transfer/", {"to_post": desk["clerk"].pk, "on": TODAY.isoformat()}
    )
    assert response.status_code == 302
    with district_context("vaishali"):
        posting.refresh_from_db()
        new = Posting.objects.get(post=desk["clerk"], person=desk["a"])
    assert posting.ends_on == TODAY - DAY
    response = admin_client.post(
        f"/admin/postings/{new.pk}/end/", {"ends_on": (TODAY - 30 * DAY).isoformat()}
    )
    assert response.status_code == 200 and "before the posting began" in response.text
    assert (
        admin_client.post(f"/admin/postings/{new.pk}/end/", {"ends_on": TODAY.isoformat()}).status_code == 302
    )
    with district_context("vaishali"):
        new.refresh_from_db()
    assert new.ends_on == TODAY


def test_admin_closes_a_vacant_post_but_not_a_held_one(admin_client, desk, actor):
    with district_context("vaishali"):
        services.posting_start(actor=actor, person=desk["a"], post=desk["sho"])
    response = admin_client.post(f"/admin/posts/{desk['sho'].pk}/close/", follow=True)
    assert "cannot close" in response.text
    admin_client.post(f"/admin/posts/{desk['clerk'].pk}/close/")
    page = admin_client.get(f"/admin/posts/{desk['clerk'].pk}/").text
    assert "closed" in page and "Post someone here" not in page


def test_non_admins_get_none_of_the_posts_screens_and_change_nothing(desk, actor):
    with district_context("vaishali"):
        posting = services.posting_start(
            actor=actor, person=desk["a"], post=desk["sho"], starts_on=TODAY - 9 * DAY
        )
    office, sho, clerk = desk["thana"].pk, desk["sho"].pk, desk["clerk"].pk
    posts = {
        f"/admin/offices/{office}/posts/new/": {"code": "g2p-x", "kind": "si", "title": "X"},
        f"/admin/posts/{sho}/": None,
        f"/admin/posts/{sho}/edit/": {"title": "Changed"},
        f"/admin/posts/{clerk}/close/": {},
        f"/admin/posts/{clerk}/postings/new/": {"login_id": "g2.beta", "starts_on": TODAY.isoformat()},
        f"/admin/postings/{posting.pk}/end/": {"ends_on": TODAY.isoformat()},
        f"/admin/postings/{posting.pk}/transfer/": {"to_post": clerk, "on": TODAY.isoformat()},
        "/admin/postings/of/g2.alpha/": None,
    }
    before = _count()
    for who, client in non_admin_clients().items():
        for url, data in posts.items():
            assert refused(client.get(url)), (who, url)
            if data is not None:
                assert refused(client.post(url, data)), (who, url)
    assert _count() == before
    with district_context("vaishali"):
        assert Post.objects.get(pk=sho).title == "SHO G2"
        assert Posting.objects.get(pk=posting.pk).ends_on is None


# Two requests at once: the row lock on the post lets only one holder in.

RACE = "g2race"


@pytest.fixture(scope="module")
def race_district(world, django_db_blocker):
    """A committed district of its own (threads see only committed rows), dropped afterwards."""
    with django_db_blocker.unblock():
        district = district_provision(spec=DistrictSpec(slug=RACE, name="G2 Race", range_name="Tirhut"))
        people = [User.objects.create_user(f"g2.race{n}", full_name=f"Race {n}") for n in range(2)]
        admin = User.objects.get(login_id="vaishali.admin")
        with district_context(district.schema_name):
            post = services.post_create(
                actor=Actor(person=admin), office=Office.objects.get(code="sp-office"),
                code="race-post", title="Race", kind="si",
            )  # fmt: skip
        connection.set_schema_to_public()
    yield {"district": district, "people": people, "post": post, "admin": admin}
    with django_db_blocker.unblock():
        connection.set_schema_to_public()
        from state_admin.models import AuditEvent as StateAuditEvent

        for left in District.objects.filter(slug=RACE):
            schemas.schema_drop(left.schema_name)
            left.domains.all().delete()
            left.delete()
        StateAuditEvent.objects.filter(district_slug=RACE).delete()
        racers = User.objects.filter(login_id__startswith="g2.race")
        DistrictMembership.objects.filter(person__in=racers).delete()
        racers._raw_delete(racers.db)


def test_two_concurrent_postings_to_one_post_let_only_one_in(race_district, django_db_blocker):
    barrier = threading.Barrier(2)
    outcomes = []

    def start(person):
        try:
            with district_context(race_district["district"].schema_name):
                barrier.wait(timeout=10)
                services.posting_start(
                    actor=Actor(person=race_district["admin"]), person=person, post=race_district["post"]
                )
            outcomes.append("posted")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    with django_db_blocker.unblock():
        threads = [threading.Thread(target=start, args=(p,)) for p in race_district["people"]]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        with district_context(race_district["district"].schema_name):
            held = Posting.objects.filter(post_id=race_district["post"].pk).count()
    assert sorted(outcomes) == ["posted", "refused"] and held == 1
