"""The add-officer form shows every refusal in one submit, and the officer import's unknown office
suggests the nearest one (issue 15, 6.5)."""

import pytest

from core.models import Office, Post, Posting
from core.org import services as core_services
from core.org.officer_import.check import rows_check
from core.org.officer_import.parse import Table
from tenants.context import district_context
from tenants.models import TransferProposal, User
from tests.district_admin.conftest import non_admin_clients, refused
from tests.helpers import HostClient

pytestmark = pytest.mark.django_db


@pytest.fixture
def thana(world):
    with district_context(world.vaishali.schema_name):
        office = core_services.office_create(
            code="t-fe-bidupur", name="Bidupur Thana", name_hi="बिदुपुर थाना", kind=Office.Kind.THANA
        )
        posts = {
            code: core_services.post_create(
                office=office, code=f"t-fe-{code}", title=code.upper(), kind=Post.Kind.SI
            )
            for code in ("si1", "si2")
        }
        core_services.posting_start(person=world.vaishali_clerk, post=posts["si2"])
    return posts


def _form(post, **values) -> dict:
    return {
        "login_id": "new.si",
        "full_name": "Rameshwar Prasad",
        "full_name_hi": "रामेश्वर प्रसाद",
        "rank": "SI",
        "service_number": "BR-FE-0001",
        "mobile": "9876543210",
        "email": "new.si@example.org",
        "post": post.pk,
        **values,
    }


def _postings(world) -> int:
    with district_context(world.vaishali.schema_name):
        return Posting.objects.count()


def test_a_taken_login_id_a_bad_mobile_and_a_held_post_are_all_flagged_in_one_submit(
    world, thana, admin_client
):
    users, postings = User.objects.count(), _postings(world)
    response = admin_client.post(
        "/admin/officers/new/",
        _form(thana["si2"], login_id="sdpo.mahua", mobile="12345", full_name_hi="Not Hindi", email=""),
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "This login ID is taken." in errors["login_id"]
    assert "Not an Indian mobile number" in " ".join(errors["mobile"])
    assert "Devanagari" in " ".join(errors["full_name_hi"])
    assert "held by clerk.vaishali since" in " ".join(errors["post"])
    assert "set-password link" in " ".join(errors["email"])
    assert (User.objects.count(), _postings(world)) == (users, postings)


def test_the_form_never_repeats_a_field_error_the_field_already_gave(world, thana, admin_client):
    response = admin_client.post("/admin/officers/new/", _form(thana["si1"], email="not-an-address"))
    assert response.context["form"].errors["email"] == ["Enter a valid email address."]


def test_good_details_still_post_the_officer(world, thana, admin_client):
    response = admin_client.post("/admin/officers/new/", _form(thana["si1"]))
    assert response.status_code == 302
    assert User.objects.get(login_id="new.si").mobile == "9876543210"


def test_an_officer_posted_elsewhere_still_gets_a_transfer_proposal(world, thana, admin_client):
    """The all-at-once checks keep the transfer behaviour: a known person (by service number)
    in force in Muzaffarpur is proposed, not posted, and no field error is made up for them."""
    east = world.muzaffarpur_officer
    User.objects.filter(pk=east.pk).update(service_number="BR-FE-EAST")
    response = admin_client.post(
        "/admin/officers/new/",
        _form(thana["si1"], login_id=east.login_id, service_number="BR-FE-EAST", email=""),
    )
    assert response.status_code == 302, response.context["form"].errors
    assert TransferProposal.objects.filter(person=east).exists()


def test_non_admins_and_another_districts_admin_get_no_form_checks(world, thana):
    for who, client in non_admin_clients().items():
        response = client.post("/admin/officers/new/", _form(thana["si1"], login_id="sdpo.mahua"))
        assert refused(response), who
    other = HostClient("muzaffarpur")
    other.sign_in("muzaffarpur.admin")
    response = other.post("/admin/officers/new/", _form(thana["si1"]))
    # Vaishali's post is not one of Muzaffarpur's: a field error there, nothing made anywhere.
    assert response.status_code in (200, 302)
    assert not User.objects.filter(login_id="new.si").exists()


def _row_errors(world, office: str) -> str:
    row = {
        "login_id": "t.fe.row",
        "name": "Row Officer",
        "service_number": "BR-FE-ROW",
        "email": "row@example.org",
        "office": office,
        "post": "t-fe-si1",
    }
    rows = rows_check(
        table=Table(kind="csv", headers={}, rows=[(2, row)]), district=world.vaishali, platform_wide=False
    )
    return " ".join(message for column, message in rows[0].errors if column == "office")


@pytest.mark.parametrize(
    "typed",
    ["Bidupr Thana", "t-fe-bidupr", "बिदुपुर थान", "bidupur  thanaa"],
)
def test_import_suggests_the_closest_office_in_either_script(world, thana, typed):
    message = _row_errors(world, typed)
    assert "No office with this code or name in Vaishali." in message
    assert "Did you mean Bidupur Thana / बिदुपुर थाना (code t-fe-bidupur)?" in message


def test_import_suggests_nothing_when_no_office_is_near(world, thana):
    message = _row_errors(world, "zzzz-qqqq-xxxx")
    assert "No office with this code or name" in message and "Did you mean" not in message
