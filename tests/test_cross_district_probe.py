"""The cross-district probe: every URL pattern that takes an id, read from the URL resolvers (not a
hand list), is asked for another district's records by everyone who must get nothing.

Vaishali is seeded with the demo (files, dak, cases, RTI, documents, training, readiness) after
its id sequences are moved far past Muzaffarpur's, so each of its ids names a record that exists
in Vaishali only. Then:

- on Muzaffarpur's host, Muzaffarpur's own officer and admin ask for Vaishali's ids;
- on Vaishali's host, people with no right there (Muzaffarpur's officer and admin, a person with
  no posting, the state IT staff, an anonymous visitor) ask for Vaishali's own ids;
- on Vaishali's host, Vaishali's SP and admin ask for ids that exist in Muzaffarpur only;
- on the state console, district people ask for its district, rollout and import routes.

Each route is asked by GET and by POST (with an empty body). No answer may be a success (2xx) or a
server error (5xx), none may carry a name or subject of the other district, and the other
district's audit trail must not grow. A new route with an id parameter is probed without anyone
adding it here; a route whose parameter the probe cannot fill fails the test, so it gets a value.
"""

import datetime
import re
import uuid

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.core.management import call_command
from django.db import connection
from django.urls import URLPattern, URLResolver, get_resolver

from core.models import AuditEvent, Case, EFile, Posting, Receipt, RtiApplication
from state_admin.demo import DEMO_PASSWORD
from tenants.context import district_context
from tenants.models import User
from tests.helpers import TOTP_SECRET, HostClient
from tests.supervision_world import tirhut  # noqa: F401 (the Tirhut range office)

pytestmark = pytest.mark.django_db

# Routes whose parameters are secrets handed out by e-mail, not record ids: a wrong key is answered
# by allauth's "bad token" page (200), which shows nothing of anyone's.
TOKEN_ROUTES = {"account_confirm_email", "account_reset_password_from_key"}

# An id parameter's table, in the district's schema (the value used is one of its ids).
ID_TABLES = {
    # Letters (issue 22): an outward letter, a letter sent to another district, one received.
    "dispatch_id": "core_dispatch",
    "outgoing_id": "core_outgoingletter",
    "incoming_id": "core_incomingletter",
    "circular_id": "core_circular",
    "office_id": "core_office",
    "post_id": "core_post",
    "posting_id": "core_posting",
    "session_id": "core_trainingsession",
    "file_id": "core_efile",
    "receipt_id": "core_receipt",
    "note_id": "core_note",
    "draft_id": "core_draft",
    "document_id": "core_document",
    "case_id": "core_case",
    "review_id": "core_casereview",
    "batch_id": "core_digitisationbatch",
    "rti_id": "core_rtiapplication",
    "reply_id": "core_rtireply",
    "job_id": "core_officerimport",
    "outage_id": "core_outage",
    # Proposals to move a person between districts live in the public schema, one row per pair.
    # The column names the district that decides on it: the victim's rows are the ones to ask for.
    "proposal_id": "public.tenants_transferproposal:from_district_id",
    # Personal access tokens of the API (issue 20): public rows, each for one district.
    "token_id": "public.tenants_apitoken:district_id",
}
# Parameters that name no record (a month's register, a checklist item, a page of a version, a
# paper's place in a received letter): a route taking only these answers with the asker's own
# district, so it may succeed, but must still show nothing of the other district.
NOT_RECORDS = {"number", "page", "year", "month", "item", "index"}
OWNER_KINDS = {"file": "core_efile", "receipt": "core_receipt", "case": "core_case"}
# Far past anything the session's districts have made: ids of Vaishali's demo records exist there only.
VAISHALI_IDS_FROM = 50_000_000


def _routes(urlconf: str):
    """(name, route text, parameter names) of every pattern that takes a parameter."""

    def walk(patterns, prefix, params):
        for pattern in patterns:
            names = (
                params
                | set(pattern.pattern.converters)
                | set(re.findall(r"\(\?P<(\w+)>", str(pattern.pattern)))
            )
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), names)
            elif isinstance(pattern, URLPattern) and names:
                yield pattern.name, prefix + str(pattern.pattern), names

    return list(walk(get_resolver(urlconf).url_patterns, "", set()))


def _ids(schema: str, table: str, *, absent_from: str | None = None) -> list:
    """The newest id of ``table`` in ``schema`` (of those ``absent_from`` lacks, when given).
    One schema per query: on a Citus cluster two districts may be on two nodes, and a query that
    spans them is refused (issue 21)."""
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT id FROM "{schema}"."{table}" ORDER BY id DESC')
        ids = [row[0] for row in cursor.fetchall()]
        if absent_from:
            cursor.execute(f'SELECT id FROM "{absent_from}"."{table}"')
            taken = {row[0] for row in cursor.fetchall()}
            ids = [found for found in ids if found not in taken]
        return ids[:1]


def _value(table: str, victim: str, prober: str):
    if table.startswith("public."):
        return _public_value(table.removeprefix("public."), victim)
    found = _ids(victim, table, absent_from=prober)
    if found:
        return found[0]
    # The victim has no such record that the prober's district lacks: an id in neither, which must
    # be answered the same way (and never by a server error).
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT data_type FROM information_schema.columns WHERE table_schema = %s "
            "AND table_name = %s AND column_name = 'id'",
            [victim, table],
        )
        (data_type,) = cursor.fetchone()
    return uuid.uuid4() if data_type == "uuid" else VAISHALI_IDS_FROM * 20 + 7


def _person_only_in(victim: str, prober: str) -> int:
    """A person posted in ``victim`` and never in ``prober`` (people are global, postings local)."""
    with district_context(prober):
        theirs = set(Posting.objects.values_list("person_id", flat=True))
    with district_context(victim):
        ours = Posting.objects.exclude(person_id__in=theirs).order_by("-person_id")
        return ours.values_list("person_id", flat=True).first()


def _public_value(table: str, victim: str) -> int:
    """A public row that belongs to ``victim`` (``table:column`` names the district), else an id
    no row has."""
    table, column = table.split(":")
    with connection.cursor() as cursor:
        cursor.execute(
            f'SELECT max(t.id) FROM public."{table}" t JOIN public.tenants_district d ON d.id = t."{column}" '
            "WHERE d.schema_name = %s",
            [victim],
        )
        (last,) = cursor.fetchone()
    return last or VAISHALI_IDS_FROM * 20 + 7


def _district_paths(
    *, victim: str, prober: str, login_id: str, slug: str | None = None
) -> list[tuple[str, str]]:
    """(route name, path) for every district route, filled with ``victim``'s ids (and a district's
    slug, the victim's unless given: a range office's supervision pages take one)."""
    today = datetime.date.today()
    fixed = {
        "slug": slug or victim,
        "number": 1,
        "page": 1,
        "year": today.year,
        "month": today.month,
        "item": "computers",
        "index": 0,  # the first paper of a received letter (a file sent up: its PDF)
        "kind": "diary",  # an outage's paper register
        "login_id": login_id,
        "person_id": _person_only_in(victim, prober),
        # A resumable upload (core/uploads) lives on disk, not in a table: an id no one holds here.
        # tests/core/uploads/test_tus_protocol.py asks for real ones of another person and district.
        "upload_id": uuid.uuid4().hex,
        # The single sign-on provider's id in its addresses (config.sso_settings.PROVIDER_ID).
        "provider_id": "state",
    }
    paths = []
    for name, route, params in _routes("config.urls_district"):
        if name in TOKEN_ROUTES:
            continue
        kinds = OWNER_KINDS if "owner_kind" in params else {None: None}
        for kind, owner_table in kinds.items():
            values = {}
            for param in params:
                if param == "owner_kind":
                    values[param] = kind
                elif param == "owner_id":
                    values[param] = _value(owner_table, victim, prober)
                elif param in ID_TABLES:
                    values[param] = _value(ID_TABLES[param], victim, prober)
                elif param in fixed:
                    values[param] = fixed[param]
                else:
                    pytest.fail(f"route {name} ({route}) takes {param!r}: give the probe a value for it")
            paths.append((name, _fill(route, values), not (params - NOT_RECORDS)))
    return paths


def _fill(route: str, values: dict) -> str:
    # A regular-expression route (allauth's OpenID Connect addresses: ^(?P<provider_id>[^/]+)/).
    route = re.sub(r"\^?\(\?P<(\w+)>[^)]*\)", lambda m: str(values[m.group(1)]), route)
    path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(values[m.group(1)]), route)
    return "/" + path


def _sentinels(schema: str) -> set[str]:
    """Words only ``schema``'s records carry: subjects, applicants, and its people's names."""
    with district_context(schema):
        words = set(EFile.objects.values_list("subject", flat=True))
        words |= set(Receipt.objects.values_list("subject", flat=True))
        words |= set(RtiApplication.objects.values_list("applicant_name", flat=True))
        words |= set(Case.objects.values_list("accused", flat=True))
        person_ids = set(Posting.objects.values_list("person_id", flat=True))
    words |= {
        name for name in User.objects.filter(pk__in=person_ids).values_list("full_name", flat=True) if name
    }
    return {word for word in words if len(word) >= 8}


def _audit_count(schema: str) -> int:
    with district_context(schema):
        return AuditEvent.objects.count()


def _assert_nothing(client: HostClient, paths, *, who: str, sentinels: set[str]) -> int:
    asked = 0
    for name, path, may_succeed in paths:
        for method in ("get", "post"):
            response = getattr(client, method)(path)
            asked += 1
            status = response.status_code
            assert status < 500, f"{who}: {method.upper()} {path} ({name}) -> {status}"
            assert may_succeed or not 200 <= status < 300, (
                f"{who}: {method.upper()} {path} ({name}) -> {status}"
            )
            body = response.content.decode("utf-8", "replace") if status != 304 else ""
            leaked = [word for word in sentinels if word in body]
            assert not leaked, f"{who}: {method.upper()} {path} ({name}) shows {leaked[:3]}"
    return asked


def _vaishali_demo():
    """The demo's Vaishali, its ids all past Muzaffarpur's."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT sequence_name FROM information_schema.sequences WHERE sequence_schema = 'vaishali'"
        )
        for (sequence,) in cursor.fetchall():
            cursor.execute(f"SELECT setval('vaishali.\"{sequence}\"', %s)", [VAISHALI_IDS_FROM])
    call_command("seed_demo")
    _vaishali_outage()
    connection.set_schema_to_public()


def _vaishali_outage():
    """An outage of the whole district (the demo has none), so its pages are probed with a real id."""
    from core.base.audit import Actor
    from core.outage.services import outage_declare

    with district_context("vaishali"):
        outage_declare(
            actor=Actor(person=User.objects.get(login_id="vaishali.admin")),
            office=None,
            started_at=datetime.datetime.now(datetime.UTC) - datetime.timedelta(hours=1),
            diary_count=1,
            slip_count=1,
        )


def _signed_in(subdomain, login_id: str) -> HostClient:
    client = HostClient(subdomain)
    response = client.sign_in(login_id)
    if response.status_code != 302:  # one of the demo's officers
        response = client.sign_in(login_id, DEMO_PASSWORD)
    assert response.status_code == 302, f"{login_id} could not sign in on {subdomain}"
    return client


@pytest.fixture
def probe(world):
    _vaishali_demo()
    TOTP.activate(User.objects.get(login_id="muzaffarpur.admin"), TOTP_SECRET)
    return world


def test_nobody_outside_vaishali_reaches_its_records_by_id(probe):
    sentinels = _sentinels("vaishali")
    assert len(sentinels) > 20  # the demo's files, dak, cases, applicants and officers
    before = _audit_count("vaishali")
    asked = 0

    # Muzaffarpur's own people, on their own host, with Vaishali's ids.
    paths = _district_paths(victim="vaishali", prober="muzaffarpur", login_id="sp.vaishali")
    assert len(paths) >= 85
    for login_id in ("sdpo.east", "muzaffarpur.admin"):
        client = _signed_in("muzaffarpur", login_id)
        asked += _assert_nothing(client, paths, who=f"{login_id}@muzaffarpur", sentinels=sentinels)

    # People with no right in Vaishali, on Vaishali's host, with its own ids.
    paths = _district_paths(victim="vaishali", prober="muzaffarpur", login_id="sp.vaishali")
    outsiders = {
        "anonymous": HostClient("vaishali"),
        **{
            login_id: _sign_in_refused("vaishali", login_id)
            for login_id in ("sdpo.east", "muzaffarpur.admin", "no.posting", "state.staff")
        },
    }
    for who, client in outsiders.items():
        asked += _assert_nothing(client, paths, who=f"{who}@vaishali", sentinels=sentinels)

    assert _audit_count("vaishali") == before
    assert asked > 1000


def _sign_in_refused(subdomain, login_id: str) -> HostClient:
    """A client that tried to sign in where the person has no right: it must stay signed out."""
    client = HostClient(subdomain)
    client.sign_in(login_id)
    assert "_auth_user_id" not in client.session, f"{login_id} was signed in on {subdomain}"
    # And a session made on the person's own host does not carry over either.
    return client


def test_vaishali_people_reach_nothing_of_muzaffarpur_by_id(probe):
    sentinels = _sentinels("muzaffarpur") - _sentinels("vaishali")
    before = _audit_count("muzaffarpur")
    paths = _district_paths(victim="muzaffarpur", prober="vaishali", login_id="sdpo.east")
    asked = 0
    for login_id in ("sp.vaishali", "vaishali.admin", "clerk.vaishali"):
        client = _signed_in("vaishali", login_id)
        asked += _assert_nothing(client, paths, who=f"{login_id}@vaishali", sentinels=sentinels)
    assert _audit_count("muzaffarpur") == before
    assert asked > 500


def test_district_people_reach_nothing_on_the_state_console(probe):
    routes = _routes("config.urls_public")
    assert len(routes) >= 20
    values = {
        "slug": "vaishali",
        "verb": "suspend",
        "job_id": uuid.uuid4(),
        "proposal_id": _public_value(ID_TABLES["proposal_id"].removeprefix("public."), "vaishali"),
        "token_id": _public_value(ID_TABLES["token_id"].removeprefix("public."), "vaishali"),
        # A Vaishali officer's account, for the console's sign-in reset.
        "person_id": _person_only_in("vaishali", "muzaffarpur"),
    }
    with connection.cursor() as cursor:
        cursor.execute("SELECT coalesce(max(id), 1) FROM public.state_admin_rolloutplan")
        values["pk"] = cursor.fetchone()[0]
    values["number"] = 1
    values["provider_id"] = "state"  # the single sign-on provider's addresses (config.sso_settings)
    paths = []
    for name, route, params in routes:
        if name in TOKEN_ROUTES:
            continue
        missing = params - set(values)
        assert not missing, f"route {name} ({route}) takes {missing}: give the probe a value for it"
        paths.append((name, _fill(route, values), False))
    sentinels = _sentinels("vaishali")
    clients = {"anonymous": HostClient(None)}
    for login_id in ("vaishali.admin", "sp.vaishali", "muzaffarpur.admin", "no.posting"):
        clients[login_id] = _sign_in_refused(None, login_id)
    for who, client in clients.items():
        _assert_nothing(client, paths, who=f"{who}@state", sentinels=sentinels)


def test_the_range_host_gives_nothing_of_vaishali_by_id(probe, tirhut):
    """The Tirhut range office (issue 22.2) supervises Vaishali through figures and letters only:
    its DIG, on his own host, gets nothing by Vaishali's ids (and a supervision page of a district
    outside his range is 404); Vaishali's and Muzaffarpur's people cannot sign in there."""
    from tenants.models import District, PoliceRange

    outside = District.objects.create(
        slug="chapra",
        schema_name="chapra",
        name="Chapra",
        police_range=PoliceRange.objects.create(name="Saran"),
        status=District.Status.LIVE,
    )
    sentinels = _sentinels("vaishali")
    before = _audit_count("vaishali")
    paths = _district_paths(victim="vaishali", prober="tirhut", login_id="sp.vaishali", slug=outside.slug)
    assert any(name == "supervision_district" for name, _path, _may in paths)
    asked = _assert_nothing(
        _signed_in("tirhut", "dig.tirhut"), paths, who="dig.tirhut@tirhut", sentinels=sentinels
    )
    for login_id in ("sp.vaishali", "sdpo.east", "no.posting"):
        client = _sign_in_refused("tirhut", login_id)
        asked += _assert_nothing(client, paths, who=f"{login_id}@tirhut", sentinels=sentinels)
    assert _audit_count("vaishali") == before
    assert asked > 500
