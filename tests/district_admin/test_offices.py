import pytest

from tests.helpers import HostClient

pytestmark = pytest.mark.django_db


def test_district_admin_sees_the_districts_offices(world):
    client = HostClient("vaishali")
    client.sign_in("vaishali.admin")
    response = client.get("/admin/")
    assert response.status_code == 200
    assert "SP Office Vaishali" in response.text and "Muzaffarpur" not in response.text


def test_officer_who_is_not_district_admin_gets_404(world, vaishali_client):
    vaishali_client.sign_in("sdpo.mahua")
    assert vaishali_client.get("/admin/").status_code == 404


def test_admin_of_another_district_gets_nothing(world):
    client = HostClient("vaishali")
    assert client.sign_in("muzaffarpur.admin").status_code == 403
    response = client.get("/admin/")
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_anonymous_and_unposted_get_nothing(world):
    assert HostClient("vaishali").get("/admin/").status_code == 302
    client = HostClient("vaishali")
    assert client.sign_in("no.posting").status_code == 403
    assert client.get("/admin/").status_code == 302
