"""The search's "Officers" kind: the people posted in the district, found by name in either script
or by post and office, a service number jumping straight to the directory card; kept current
through the audit hook (officer added, posting ended) and the nightly refresh (a date passing);
another district's people never show."""

import datetime

import pytest
from django.db import connection
from django.utils import timezone
from huey.contrib.djhuey import HUEY

from core.base.access import NOBODY
from core.models import Post, Posting
from core.models.search import SearchEntry
from core.org import services as core_services
from core.org.services.posting_bulk import postings_start_bulk
from core.org.services.postings import posting_end, posting_start
from core.search.builders import every_id
from core.search.index import search_index_rebuild
from core.search.query import search
from core.search.tasks import index_keys, search_index_task, search_people_refresh, search_people_refresh_task
from tenants.context import district_context
from tests.core.search.conftest import found, viewer
from tests.core.search.people import NAME, NAME_HI, POST_HI, SERVICE_NUMBER, inspector_add
from tests.core.search.test_index import committed_targets
from tests.helpers import HostClient

PERSON = SearchEntry.Kind.PERSON
YESTERDAY = timezone.localdate() - datetime.timedelta(days=1)


@pytest.fixture
def inspector(ef, corpus):
    """The inspector, indexed through the hook and the task, as a live district would."""
    connection._search_pending = set()  # the corpus is indexed already
    added = inspector_add(ef)
    [[schema, targets]] = committed_targets()
    assert schema == "vaishali"
    assert ["user", str(added.person.pk)] in targets and ["posting", str(added.posting.pk)] in targets
    search_index_task.call_local(schema, targets)
    return added


def people_found(key, q, ef) -> set[int]:
    with district_context("vaishali"):
        return {pk for kind, pk in found(search(viewer(ef, key), q)) if kind == PERSON}


def test_a_service_number_jumps_to_the_card_as_typed_or_in_lower_case(ef, inspector):
    client = ef.client("clerk")
    for q in (SERVICE_NUMBER, SERVICE_NUMBER.lower(), f"  {SERVICE_NUMBER.lower()} "):
        response = client.get("/search/", {"q": q})
        assert response.status_code == 302, q
        assert response.url == f"/people/{inspector.person.pk}/"
    with district_context("vaishali"):
        jump = search(viewer(ef, "si"), SERVICE_NUMBER.lower()).jump
    assert (jump.kind, jump.object_id) == (PERSON, inspector.person.pk)


def test_a_name_in_either_script_lists_the_person_under_officers(ef, inspector):
    for q in ("Sunita", "sunita kumari", NAME_HI, "सुनीता"):
        assert inspector.person.pk in people_found("clerk", q, ef), q
    html = ef.client("clerk").get("/search/", {"q": "Sunita Kumari"}).text
    assert "Officers (1)" in html and f'href="/people/{inspector.person.pk}/"' in html
    assert SERVICE_NUMBER in html and "Mahua Thana" in html  # number and office on the row


def test_a_post_or_office_name_finds_whoever_holds_it(ef, inspector):
    assert inspector.person.pk in people_found("sp", POST_HI, ef)
    # Everyone posted in Mahua thana, the SHO and the SI among them.
    in_thana = people_found("sp", "mahua thana", ef)
    assert {inspector.person.pk, ef.people["sho"].pk, ef.people["si"].pk} <= in_thana
    assert ef.people["clerk"].pk not in in_thana


def test_the_login_id_email_and_mobile_are_not_searchable(ef, inspector):
    # (The login ID is made of the name, so searching it finds the name: the row is checked.)
    for q in ("example.org", "9876543210"):
        assert inspector.person.pk not in people_found("sp", q, ef), q
    with district_context("vaishali"):
        row = SearchEntry.objects.get(kind=PERSON, object_id=inspector.person.pk)
    text = " ".join([row.title, row.names, row.body, row.identifiers, row.other_script])
    assert "example.org" not in text and "9876543210" not in text and "sunita.kumari" not in text


def test_the_result_is_in_hindi_when_the_page_is(ef, inspector):
    client = ef.client("clerk")
    client.cookies["karyalay_language"] = "hi"
    html = client.get("/search/", {"q": POST_HI}).text
    assert "पदाधिकारी (1)" in html  # the kind's label
    assert f'href="/people/{inspector.person.pk}/">{NAME_HI}</a>' in html  # the name as titled
    english = ef.client("clerk").get("/search/", {"q": POST_HI}).text
    assert f'href="/people/{inspector.person.pk}/">{NAME}</a>' in english


def test_everyone_posted_here_sees_the_people_and_nobody_else_does(ef, inspector):
    # The district admin's role gives nothing over records, but they are posted here.
    admin = HostClient("vaishali")
    admin.sign_in("vaishali.admin")
    assert admin.get("/search/", {"q": SERVICE_NUMBER}).url == f"/people/{inspector.person.pk}/"
    with district_context("vaishali"):
        assert search(NOBODY, "Sunita").groups == []
        assert search(NOBODY, SERVICE_NUMBER).jump is None


def test_another_districts_people_never_show(ef, inspector, world):
    with district_context("muzaffarpur"):
        search_index_rebuild()
        other = viewer(ef, "other")
        assert search(other, SERVICE_NUMBER).jump is None
        assert PERSON not in search(other, "Sunita").counts
        # Muzaffarpur's own people are there.
        assert ef.people["other"].pk in {
            pk for kind, pk in found(search(other, "Dak clerk")) if kind == PERSON
        }
    # Vaishali's search does not list Muzaffarpur's SDPO (an account, but no posting here).
    assert world.muzaffarpur_officer.pk not in people_found("sp", "SDPO East", ef)


def test_a_posting_ended_drops_the_person_on_commit(ef, inspector):
    connection._search_pending = set()
    with district_context("vaishali"):
        posting_end(posting=inspector.posting, ends_on=YESTERDAY, actor=ef.actor("sp"))
    [[schema, targets]] = committed_targets()
    assert targets == [["posting", str(inspector.posting.pk)]]
    assert search_index_task.call_local(schema, targets) == {"written": 0, "deleted": 1}
    assert inspector.person.pk not in people_found("sp", "Sunita", ef)
    with district_context("vaishali"):
        assert search(viewer(ef, "sp"), SERVICE_NUMBER).jump is None


def test_a_second_post_updates_the_row_and_the_main_post_keeps_the_office(ef, inspector):
    connection._search_pending = set()
    with district_context("vaishali"):
        posting_start(
            person=inspector.person,
            post=ef.posts["pio"],
            starts_on=timezone.localdate(),
            ends_on=timezone.localdate() + datetime.timedelta(days=10),
            additional_charge=True,
            actor=ef.actor("sp"),
        )
    [[schema, targets]] = committed_targets()
    assert search_index_task.call_local(schema, targets) == {"written": 1, "deleted": 0}
    with district_context("vaishali"):
        row = SearchEntry.objects.get(kind=PERSON, object_id=inspector.person.pk)
    assert row.office_id == ef.offices["ef-thana-mahua"].pk  # the substantive posting's office
    assert "PIO" in row.names.split("\n") and POST_HI in row.names.split("\n")


def test_a_renamed_post_renames_its_holders_rows(ef, inspector):
    from core.org.services.posts import post_update

    connection._search_pending = set()
    with district_context("vaishali"):
        post_update(
            actor=ef.actor("sp"),
            post=inspector.post,
            title="Inspector in charge, Mahua",
            title_hi="प्रभारी निरीक्षक महुआ",
        )
    [[schema, targets]] = committed_targets()
    assert targets == [["post", str(inspector.post.pk)]]
    search_index_task.call_local(schema, targets)
    assert inspector.person.pk in people_found("sp", "प्रभारी", ef)


def test_the_nightly_refresh_follows_the_date(ef, inspector):
    """A posting's end date passing, or a posting begun without an audited write (a bulk import
    ends postings in the districts people leave), changes who is posted with nothing for the hook
    to see: the refresh puts the index right."""
    with district_context("vaishali"):
        # As if the posting's last day had passed since it was indexed.
        Posting.objects.filter(pk=inspector.posting.pk).update(ends_on=YESTERDAY)
        # A person posted here today by a bulk write that the hook never saw.
        vacant = core_services.post_create(
            office=ef.offices["ef-sdpo-mahnar"], code="ef-mahnar-asi", title="ASI Mahnar", kind=Post.Kind.ASI
        )
        postings_start_bulk(pairs=[(ef.people["other"].pk, vacant.pk)], starts_on=timezone.localdate())
        assert not SearchEntry.objects.filter(kind=PERSON, object_id=ef.people["other"].pk).exists()
        assert search_people_refresh()["deleted"] == 1
        assert SearchEntry.objects.filter(kind=PERSON, object_id=ef.people["other"].pk).exists()
        assert not SearchEntry.objects.filter(kind=PERSON, object_id=inspector.person.pk).exists()
        assert search_people_refresh() == {"written": len(every_id(PERSON)), "deleted": 0}


def test_audit_targets_of_people_map_to_their_rows(ef, inspector):
    person, posting, post = inspector.person, inspector.posting, inspector.post
    office = ef.offices["ef-thana-mahua"]
    with district_context("vaishali"):
        assert index_keys([("user", str(person.pk))]) == {(PERSON, person.pk)}
        assert index_keys([("posting", str(posting.pk))]) == {(PERSON, person.pk)}
        assert index_keys([("post", str(post.pk))]) == {(PERSON, person.pk)}
        holders = {pk for _kind, pk in index_keys([("office", str(office.pk))])}
        assert holders == {person.pk, ef.people["sho"].pk, ef.people["si"].pk}
        # A post nobody has held names nobody (no None key).
        empty = core_services.post_create(office=office, code="ef-empty", title="Vacant", kind=Post.Kind.ASI)
        assert index_keys([("post", str(empty.pk))]) == set()


def test_the_nightly_task_refreshes_every_live_district(ef, inspector):
    def due_at(hour: int, minute: int) -> bool:
        due = HUEY.read_periodic(datetime.datetime(2025, 3, 12, hour, minute))
        return any(isinstance(task, search_people_refresh_task.task_class) for task in due)

    assert due_at(0, 20) and not due_at(3, 40) and not due_at(12, 20)
    with district_context("vaishali"):
        Posting.objects.filter(pk=inspector.posting.pk).update(ends_on=YESTERDAY)
    result = search_people_refresh_task.call_local()
    assert result["vaishali"]["deleted"] == 1 and "muzaffarpur" in result
    assert connection.schema_name == "public"
    assert inspector.person.pk not in people_found("sp", "Sunita", ef)
